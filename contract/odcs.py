"""Open Data Contract Standard (ODCS v3.1.0) document of the processed dataset (Parquet, Glue/Athena).

The dataset is `txnpipe.domain.schema.PROCESSED_SCHEMA` under the processed bucket's layout; the
contract's row rules become property options, and the rules across fields become SQL quality checks.
"""

from __future__ import annotations

from typing import Any, Final

import pyarrow as pa

from contract import patterns
from contract.api_bodies import DERIVED_FIELDS
from contract.fields import EXAMPLE, field_rules, fraction_groups
from stacks.config import PROJECT, WORKSPACE_NAMES
from txnpipe.domain.schema import PROCESSED_SCHEMA
from txnpipe.domain.version import CONTRACT_VERSION
from txnpipe.layout import PROCESSED_PREFIX, bucket_name
from txnpipe.sla import SLA

FILE_NAME: Final = "transactions.odcs.yaml"
API_VERSION: Final = "v3.1.0"
TABLE: Final = "transactions"  # the Glue table over the processed Parquet (stacks/processing/analytics.py)
#: Hive partition keys: directory names, not columns inside the files (docs/data-contract.md).
PARTITIONS: Final = (("transaction_date", "the UTC date of timestamp_utc, YYYY-MM-DD"),
                     ("partner_id", "the partner that sent the file or request"))


def _types(arrow: pa.DataType) -> tuple[str, str]:
    """(ODCS logical type, Parquet physical type) of an Arrow column type."""
    if pa.types.is_string(arrow):
        return "string", "STRING"
    if pa.types.is_int64(arrow):
        return "integer", "INT64"
    if pa.types.is_timestamp(arrow):
        return "timestamp", "TIMESTAMP(isAdjustedToUTC=true, MICROS)"
    raise ValueError(f"contract.odcs: no ODCS type for Arrow type {arrow}")


def _options(name: str) -> dict[str, Any]:
    rule = next((r for r in field_rules() if r.name == name), None)
    if rule is None:
        return {"description": str(DERIVED_FIELDS.get(name, {}).get("description", name))}
    options: dict[str, Any] = {}
    if rule.pattern is not None:
        options["pattern"] = patterns.ecma(rule.pattern)
    if rule.max_length is not None:
        options["maxLength"] = rule.max_length
    found: dict[str, Any] = {"description": rule.description, "examples": [EXAMPLE[name]]}
    return found | ({"logicalTypeOptions": options} if options else {})


def _property(field: pa.Field) -> dict[str, Any]:
    logical, physical = _types(field.type)
    prop: dict[str, Any] = {"name": field.name, "logicalType": logical, "physicalType": physical,
                            "required": not field.nullable, **_options(field.name)}
    if logical == "timestamp":
        prop["logicalTypeOptions"] = {"timezone": True, "defaultTimezone": "Etc/UTC"}
    return prop


def _quality() -> list[dict[str, Any]]:
    """Rules across fields, as checks a data platform can run on the table (each must count 0 rows)."""
    checks = [
        ("amount_positive", "amount_minor > 0", "amount_minor <= 0"),
        ("signed_amount", "signed_amount_minor is -amount_minor for DEBIT, amount_minor otherwise",
         "signed_amount_minor <> CASE WHEN transaction_type = 'DEBIT' THEN -amount_minor ELSE amount_minor END"),
    ]
    for digits, codes in fraction_groups().items():
        listed = ", ".join(f"'{code}'" for code in codes)
        too_many = "strpos(amount, '.') > 0" if digits == 0 else f"length(split_part(amount, '.', 2)) > {digits}"
        checks.append((f"fraction_digits_{digits}", f"at most {digits} fraction digits for {', '.join(codes)}",
                       f"currency IN ({listed}) AND {too_many}"))
    quality = [{"name": name, "type": "sql", "description": what, "dimension": "conformity",
                "query": f"SELECT COUNT(*) FROM {TABLE} WHERE {where}",  # noqa: S608 - text for data platforms, from constants
                "mustBe": 0} for name, what, where in checks]
    quality.append({
        "name": "unique_per_file", "type": "sql", "dimension": "uniqueness", "mustBe": 0,
        "description": "transaction_id is unique within a file",
        "query": f"SELECT COUNT(*) FROM (SELECT file_id, transaction_id FROM {TABLE} "  # noqa: S608 - as above
                 "GROUP BY 1, 2 HAVING COUNT(*) > 1)",
    })
    return quality


def odcs() -> dict[str, Any]:
    """The whole ODCS document."""
    partitions = [{"name": name, "logicalType": "string", "physicalType": "STRING", "required": True,
                   "partitioned": True, "partitionKeyPosition": i, "description": f"{what} (a directory name)"}
                  for i, (name, what) in enumerate(PARTITIONS, start=1)]
    return {
        "apiVersion": API_VERSION, "kind": "DataContract", "id": f"urn:{PROJECT}:transactions",
        "name": f"{PROJECT} transactions", "version": CONTRACT_VERSION, "status": "active",
        "domain": "payments", "dataProduct": f"{PROJECT}-transactions",
        "description": {
            "purpose": "Validated partner transactions, one row per accepted transaction, with exact minor units.",
            "usage": "Query through Athena/Glue (partition projection on transaction_date and partner_id).",
            "limitations": "Only rows that passed every contract rule; rejected rows are in the quarantine "
                           "bucket. Calendar validity is enforced before storage (docs/contract/README.md).",
        },
        "servers": [{"server": f"processed-{ws}", "type": "s3", "environment": ws, "format": "parquet",
                     "location": f"s3://{bucket_name(f'{PROJECT}-processed-{ws}', '{account_id}')}/{PROCESSED_PREFIX}/"}
                    for ws in WORKSPACE_NAMES if ws != "local"],
        "schema": [{
            "name": TABLE, "physicalName": TABLE, "logicalType": "object", "physicalType": "table",
            "description": "Snappy Parquet, one file per UTC date per input file",
            "properties": [_property(f) for f in PROCESSED_SCHEMA] + partitions,
            "quality": _quality(),
        }],
        "slaProperties": [{"property": "latency", "value": int(SLA.total_seconds() // 60), "unit": "min",
                           "description": "a file reaches its final status within this time of its upload"}],
        "customProperties": [{"property": "contractVersion", "value": CONTRACT_VERSION}],
    }
