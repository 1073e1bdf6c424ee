"""The traffic a cost estimate is for (what `make cost` takes on its command line)."""

from __future__ import annotations

from dataclasses import dataclass

DAYS_PER_MONTH = 30


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """Daily traffic: files (each `mb_per_file` MB of CSV spanning `dates_per_file` days) and API posts."""

    files_per_day: float = 10
    mb_per_file: float = 100
    api_per_day: float = 100_000
    dates_per_file: int = 1
    rejected_share: float = 0.005  # bench/gen_data.py's share of bad rows

    def __post_init__(self) -> None:
        bad = {k: v for k, v in vars(self).items() if v < 0}
        if bad:
            raise ValueError(f"scenario values must be >= 0: {bad}")
        if self.dates_per_file < 1:
            raise ValueError(f"dates_per_file must be >= 1, got {self.dates_per_file}")
        if self.files_per_day and self.mb_per_file <= 0:
            raise ValueError("mb_per_file must be > 0 when files_per_day > 0")

    @property
    def files_per_month(self) -> float:
        return self.files_per_day * DAYS_PER_MONTH

    @property
    def api_per_month(self) -> float:
        return self.api_per_day * DAYS_PER_MONTH
