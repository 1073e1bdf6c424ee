"""One Arrow batch: vectorised checks, duplicate ids, row-wise judgement of suspects, output.

Rows that pass the vectorised checks (and whose id is new) are valid by construction; every
other row goes through the reference ``validate_record``, so reasons are the reference's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from txnpipe.domain.csv_arrow_checks import CheckedBatch, output_columns, with_constants
from txnpipe.domain.csv_arrow_ids import DuplicateIndex
from txnpipe.domain.csv_arrow_rows import arange
from txnpipe.domain.rules import DUPLICATE_REASON, validate_record

if TYPE_CHECKING:
    from txnpipe.domain.rowwise import FileRun


class BatchPipeline:
    """Validates batches of one file into its FileRun (holds the file's duplicate-id index)."""

    def __init__(self, run: FileRun) -> None:
        self._run = run
        self.ids = DuplicateIndex()

    def process(self, batch: pa.RecordBatch, rows: pa.Array, checked: CheckedBatch) -> None:
        """Finish one batch whose data-row numbers are ``rows`` (int64) and checks ``checked``."""
        duplicates = self.ids.register(batch.column("transaction_id"), checked.id_ok, checked.ids)
        unclean = pc.indices_nonzero(pc.invert(checked.clean)).to_pylist()
        keep = checked.clean
        if duplicates:
            positions = pa.array(duplicates, pa.int64())
            keep = pc.and_(keep, pc.invert(pc.is_in(arange(0, batch.num_rows), value_set=positions)))
        if unclean or duplicates:
            self._judge(batch, rows, sorted(set(unclean).union(duplicates)), set(duplicates))
        if pc.any(keep).as_py():
            self._write(batch, checked, rows, keep)

    def _judge(self, batch: pa.RecordBatch, rows: pa.Array, suspects: list[int], duplicates: set[int]) -> None:
        """Row-wise reference for the rows the vectorised checks did not clear."""
        indices = pa.array(suspects, pa.int64())
        records = batch.take(indices).to_pylist()
        numbers = rows.take(indices).to_pylist()
        run = self._run
        for index, number, record in zip(suspects, numbers, records, strict=True):
            outcome = DUPLICATE_REASON if index in duplicates else validate_record(record)
            if isinstance(outcome, str):
                run.reject(number, outcome, record)
            else:
                run.accept(number, outcome)
        run.flush_pending()

    def _write(self, batch: pa.RecordBatch, checked: CheckedBatch, rows: pa.Array, keep: pa.Array) -> None:
        """Hand the kept rows to the Parquet sink, one slice per UTC date (sequential filters)."""
        table = output_columns(batch, checked, rows)
        dates = pc.cast(checked.utc, pa.date32())
        days = pc.unique(dates.filter(keep))
        every_row = len(days) == 1 and pc.all(keep).as_py()
        for day in days:
            part = table if every_row else table.filter(pc.and_(keep, pc.equal(dates, day)))
            self._run.processed.add_day(day.as_py().isoformat(),
                                        with_constants(part, self._run.file_id, self._run.ingested_at))
