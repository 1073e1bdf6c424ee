"""Text of the cost estimate (`make cost`): inputs, monthly cost per service, per 1M per path, break-even."""

from __future__ import annotations

from capacity.cost_model import PATHS, Estimate
from capacity.facts import Measurements, PriceTable
from capacity.scenario import Scenario
from capacity.usage import GB


def _usd(value: float) -> str:
    return f"${value:,.2f}" if abs(value) >= 0.01 or value == 0 else f"${value:.2g}"


def inputs_text(scenario: Scenario, prices: PriceTable, m: Measurements, *, workspace: str) -> list[str]:
    """The scenario, the price table and the measurements the figures rest on."""
    estimates = sorted(k for k, kind in m.kinds.items() if kind == "estimate")
    return [
        f"workspace {workspace}, region {prices.region}, prices as of {prices.as_of} (capacity/prices/{prices.region}.json)",
        f"scenario: FILES_PER_DAY={scenario.files_per_day:g} MB_PER_FILE={scenario.mb_per_file:g} "
        f"API_PER_DAY={scenario.api_per_day:g} DATES_PER_FILE={scenario.dates_per_file} "
        f"rejected share {scenario.rejected_share:g}; 30-day month",
        f"measured: validate {m['validate_s_per_mb']:g} s/MB, {m['csv_bytes_per_row']:g} B/row, "
        f"Parquet {m['parquet_to_csv']:g}x; estimates (capacity/measurements.json): {', '.join(estimates)}",
    ]


def estimate_text(e: Estimate, *, break_even: float, rows_per_mb: float) -> list[str]:
    """Per service, per path, per 1M transactions, what dominates, the break-even."""
    out = ["", f"{'service':<18}{'USD / month':>14}"]
    out += [f"{service:<18}{_usd(usd):>14}" for service, usd in e.by_service().items()]
    out += [f"{'total':<18}{_usd(e.total()):>14}", "", f"{'path':<10}{'USD / month':>14}{'transactions':>16}{'USD per 1M':>12}"]
    for path in PATHS:
        n = e.transactions.get(path, 0.0)
        per_m = _usd(e.per_million(path)) if n else "-"
        out.append(f"{path:<10}{_usd(e.total(path)):>14}{n:>16,.0f}{per_m:>12}")
    for path in (p for p in PATHS if e.transactions.get(p)):
        out.append(f"  {path} per transaction: {e.per_transaction(path, 'dynamodb.write_request_unit'):.2f} WRU, "
                   f"{e.per_transaction(path, 'logs.ingest_gb') * GB:,.0f} log bytes, "
                   f"{e.per_transaction(path, 'states.standard_transition'):.2g} state transitions")
    out += ["", "dominates:"]
    total = e.total() or 1.0
    out += [f"  {c.path}/{c.line.service}: {c.line.what} {_usd(c.usd)} ({100 * c.usd / total:.0f} %)" for c in e.dominant()]
    out += ["", f"break-even: a file beats the API from {break_even:,.0f} rows per file "
                f"(~{break_even / rows_per_mb * 1000:,.1f} KB of CSV); below that, POST /transactions is cheaper"]
    return out


def delta_text(diff: dict[str, float], *, base: str) -> list[str]:
    """The cost delta against `base` per service."""
    out = ["", f"delta against {base} (USD / month, this change minus base):"]
    out += [f"  {service:<18}{value:>+14,.2f}" for service, value in diff.items()]
    return out
