"""The monthly cost per service and per 1M transactions for each path, priced from the pinned table.

`estimate` prices the usage lines of the file path, the API path and the platform (everything
that runs whatever the traffic); `break_even_rows` is the file size from which one file costs less
than posting its rows one by one; `delta` compares two synthesized outputs under one scenario.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from capacity.api_path import api_path_lines, platform_lines
from capacity.facts import Measurements, PriceTable
from capacity.file_path import file_path_lines
from capacity.load_plan import rows_in
from capacity.scenario import Scenario
from capacity.settings import rates
from capacity.synthesized import Synthesized
from capacity.usage import Line

PATHS = ("file", "api", "platform")


@dataclass(frozen=True, kw_only=True)
class Cost:
    """One priced line of one path."""

    path: str
    line: Line
    usd: float


@dataclass(frozen=True, kw_only=True)
class Estimate:
    """Every priced line of a month, and the transactions each path carried."""

    costs: tuple[Cost, ...]
    transactions: dict[str, float]

    def total(self, path: str | None = None) -> float:
        """USD per month of one path (or of all)."""
        return sum(c.usd for c in self.costs if path is None or c.path == path)

    def by_service(self) -> dict[str, float]:
        """USD per month per service, largest first."""
        totals: dict[str, float] = defaultdict(float)
        for c in self.costs:
            totals[c.line.service] += c.usd
        return dict(sorted(totals.items(), key=lambda kv: -kv[1]))

    def per_million(self, path: str) -> float:
        """USD per 1M transactions of `path` (its own lines only; the platform is shown apart)."""
        n = self.transactions.get(path, 0.0)
        if not n:
            raise ValueError(f"path {path!r} carries no transactions in this scenario")
        return self.total(path) / n * 1_000_000

    def per_transaction(self, path: str, price: str) -> float:
        """Quantity of `price` units per transaction of `path` (e.g. WRU or log GB per row)."""
        n = self.transactions.get(path, 0.0)
        return sum(c.line.quantity for c in self.costs if c.path == path and c.line.price == price) / n if n else 0.0

    def dominant(self, count: int = 3) -> list[Cost]:
        """The `count` most expensive lines."""
        return sorted(self.costs, key=lambda c: -c.usd)[:count]


def estimate(synth: Synthesized, prices: PriceTable, m: Measurements, scenario: Scenario) -> Estimate:
    """Price one month of `scenario` on the synthesized deployment."""
    file_rows = rows_in(scenario.mb_per_file, rates(m)) * scenario.files_per_month if scenario.files_per_month else 0
    lines = {"file": file_path_lines(synth, m, scenario), "api": api_path_lines(synth, m, scenario),
             "platform": platform_lines(synth, m, items_per_month=file_rows + scenario.api_per_month)}
    costs = tuple(Cost(path=path, line=line, usd=line.quantity * prices[line.price])
                  for path in PATHS for line in lines[path])
    return Estimate(costs=costs, transactions={"file": file_rows, "api": scenario.api_per_month})


def per_file_cost(synth: Synthesized, prices: PriceTable, m: Measurements, mb: float, *, dates: int = 1) -> float:
    """USD of one file of `mb` MB through the file path."""
    one = Scenario(files_per_day=1 / 30, mb_per_file=mb, api_per_day=0, dates_per_file=dates)
    return estimate(synth, prices, m, one).total("file")


def api_cost_per_transaction(synth: Synthesized, prices: PriceTable, m: Measurements) -> float:
    """USD of one POST /transactions."""
    return estimate(synth, prices, m, Scenario(files_per_day=0, api_per_day=1 / 30)).total("api")


def break_even_rows(synth: Synthesized, prices: PriceTable, m: Measurements) -> float:
    """Rows per file above which a file costs less than posting the rows to the API (file = fixed + per row)."""
    small, large = 1.0, 50.0  # MB: both below the large-file threshold, so the same state machine path
    r_small, r_large = rows_in(small, rates(m)), rows_in(large, rates(m))
    c_small, c_large = (per_file_cost(synth, prices, m, mb) for mb in (small, large))
    per_row = (c_large - c_small) / (r_large - r_small)
    fixed = c_small - per_row * r_small
    api = api_cost_per_transaction(synth, prices, m)
    if api <= per_row:
        raise ValueError(f"the API (${api:.3g}/row) is never dearer than a file's rows (${per_row:.3g}/row)")
    return fixed / (api - per_row)


def delta(base: Estimate, change: Estimate) -> dict[str, float]:
    """USD per month by service, change minus base (services of either), plus `total`."""
    before, after = base.by_service(), change.by_service()
    diff = {s: after.get(s, 0.0) - before.get(s, 0.0) for s in sorted(set(before) | set(after))}
    return {**{s: d for s, d in diff.items() if abs(d) >= 0.005}, "total": change.total() - base.total()}

