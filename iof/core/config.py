"""Typed access to the one configuration file, data/config/iof.toml (or $IOF_CONFIG)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
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
class Target:
    """One line of [[mål]]: a unit's (or every unit's, "*") target for one KPI and year."""

    unit: str
    year: int
    kpi: str
    comparison: str  # "mot_föregående_år" | "nivå" | "intervall"
    change_pct: float | None = None
    at_least: float | None = None
    at_most: float | None = None
    comment: str = ""


@dataclass(frozen=True)
class TargetRules:
    risk_margin_pct: float
    warning_days: int
    custody_notice_days: int
    breakdown_followup_days: int


@dataclass(frozen=True)
class Config:
    small_count_threshold: int
    placement_types: dict[str, PlacementTypeConfig]
    case_limits: dict[str, CaseLimit]
    emergency_home_limit_days: int
    custody_transfer_days: int
    raw: dict[str, Any]
    target_rules: TargetRules = TargetRules(10.0, 14, 90, 30)
    staff_min_headcount: int = 10  # staff measures of smaller units are hidden from a wider audience
    targets: tuple[Target, ...] = ()

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
    status = raw.get("målstatus", {})
    target_rules = TargetRules(
        risk_margin_pct=float(status.get("risk_marginal_pct", 10)),
        warning_days=int(status.get("varning_dagar", 14)),
        custody_notice_days=int(status.get("vårdnadsöverflyttning_förvarning_dagar", 90)),
        breakdown_followup_days=int(status.get("sammanbrott_uppföljning_dagar", 30)),
    )
    targets = tuple(
        Target(
            unit=t["enhet"],
            year=int(year),
            kpi=t["mått"],
            comparison=t["jämförelse"],
            change_pct=_float_or_none(t.get("förändring_pct")),
            at_least=_float_or_none(t.get("minst", t.get("lägst"))),
            at_most=_float_or_none(t.get("högst")),
            comment=t.get("kommentar", ""),
        )
        for t in raw.get("mål", [])
        for year in (t["år"] if isinstance(t["år"], list) else [t["år"]])
    )
    return Config(
        small_count_threshold=int(raw["allmänt"]["små_tal_gräns"]),
        staff_min_headcount=int(raw["allmänt"].get("personalmått_minsta_antal", 10)),
        placement_types=placement_types,
        case_limits=case_limits,
        emergency_home_limit_days=int(raw["jourhem"]["gräns_dagar"]),
        custody_transfer_days=int(raw["familjehem"]["vårdnadsöverflyttning_dagar"]),
        raw=raw,
        target_rules=target_rules,
        targets=targets,
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)
