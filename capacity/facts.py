"""The pinned inputs that are not in the synthesized JSON: a dated price table per region, and measurements.

Both are JSON files beside this module, each entry with its source, so a price change or a new
benchmark run is a reviewed data change, never an edit of the arithmetic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PRICES_DIR = HERE / "prices"
MEASUREMENTS_FILE = HERE / "measurements.json"


@dataclass(frozen=True, kw_only=True)
class PriceTable:
    """USD per unit by price key (`lambda.request`, ...), as published on `as_of`."""

    region: str
    as_of: str
    usd: Mapping[str, float]
    sources: Mapping[str, str]

    def __getitem__(self, key: str) -> float:
        if key not in self.usd:
            raise KeyError(f"price {key!r} is not in the {self.region} price table ({PRICES_DIR}); have {sorted(self.usd)}")
        return self.usd[key]


@dataclass(frozen=True, kw_only=True)
class Measurements:
    """Measured (or explicitly estimated) figures by name."""

    values: Mapping[str, float]
    kinds: Mapping[str, str]
    sources: Mapping[str, str]

    def __getitem__(self, key: str) -> float:
        if key not in self.values:
            raise KeyError(f"measurement {key!r} is not in {MEASUREMENTS_FILE.name}; have {sorted(self.values)}")
        return self.values[key]

    def replace(self, **changes: float) -> Measurements:
        """A copy with some values changed (scenarios, tests)."""
        unknown = sorted(set(changes) - set(self.values))
        if unknown:
            raise KeyError(f"unknown measurements {unknown}")
        return Measurements(values={**self.values, **changes}, kinds=self.kinds, sources=self.sources)


def load_prices(region: str, directory: Path = PRICES_DIR) -> PriceTable:
    """The price table of `region`; a region without one is named with the regions that have one."""
    path = directory / f"{region}.json"
    if not path.is_file():
        have = sorted(p.stem for p in directory.glob("*.json"))
        raise FileNotFoundError(f"no price table for region {region!r} ({path}); have {have}")
    data: dict[str, Any] = json.loads(path.read_text())
    if data.get("region") != region:
        raise ValueError(f"{path} declares region {data.get('region')!r}, not {region!r}")
    prices: dict[str, dict[str, Any]] = data["prices"]
    return PriceTable(region=region, as_of=data["as_of"], usd={k: float(v["usd"]) for k, v in prices.items()},
                      sources={k: str(v["source"]) for k, v in prices.items()})


def load_measurements(path: Path = MEASUREMENTS_FILE) -> Measurements:
    """The measurements file: value, kind (measured | estimate) and source per figure."""
    figures: dict[str, dict[str, Any]] = json.loads(path.read_text())["figures"]
    bad = sorted(k for k, v in figures.items() if v.get("kind") not in ("measured", "estimate") or not v.get("source"))
    if bad:
        raise ValueError(f"{path}: figures without kind (measured|estimate) or source: {bad}")
    return Measurements(values={k: float(v["value"]) for k, v in figures.items()},
                        kinds={k: str(v["kind"]) for k, v in figures.items()},
                        sources={k: str(v["source"]) for k, v in figures.items()})
