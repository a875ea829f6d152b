"""Typed access to the one configuration file, data/config/iof.toml (or $IOF_CONFIG)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = ROOT / "data" / "config" / "iof.toml"


@dataclass(frozen=True)
class PlacementTypeConfig:
    cost_type: str
    regime: str  # "egen" | "konsulentstött" | "köpt"
    is_emergency_home: bool  # jourhem


@dataclass(frozen=True)
class CaseLimit:
    from_column: str
    to_column: str
    limit_days: int | None
    limit_months: int | None


@dataclass(frozen=True)
class Config:
    small_count_threshold: int
    placement_types: dict[str, PlacementTypeConfig]
    case_limits: dict[str, CaseLimit]
    emergency_home_limit_days: int
    custody_transfer_days: int
    raw: dict[str, Any]

    def section(self, name: str) -> dict[str, Any]:
        """A section this object does not type yet (e.g. targets), as plain TOML data."""
        return self.raw.get(name, {})


def config_path() -> Path:
    return Path(os.environ.get("IOF_CONFIG", DEFAULT_CONFIG))


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> Config:
    path = path or config_path()
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    placement_types = {
        name: PlacementTypeConfig(v["kostnadsslag"], v["regi"], bool(v["jourhem"]))
        for name, v in raw["placeringsformer"].items()
    }
    case_limits = {
        name: CaseLimit(v["från"], v["till"], v.get("gräns_dagar"), v.get("gräns_månader"))
        for name, v in raw["handläggningstider"].items()
    }
    return Config(
        small_count_threshold=int(raw["allmänt"]["små_tal_gräns"]),
        placement_types=placement_types,
        case_limits=case_limits,
        emergency_home_limit_days=int(raw["jourhem"]["gräns_dagar"]),
        custody_transfer_days=int(raw["familjehem"]["vårdnadsöverflyttning_dagar"]),
        raw=raw,
    )
