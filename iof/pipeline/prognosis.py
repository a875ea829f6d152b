"""Persistence of the prognosis: the chef's adjustments and frozen monthly snapshots.

An adjustment belongs to the prognosis of one (year, month) and is never edited; a correction is
a new signed row. A snapshot freezes the prognosis of (year, month) as it was made — lines
(model, adjustments, total), the placements and expected intake behind them, the import version
of the inputs and the parameters — so later months can be compared with it. Once frozen, a
month's prognosis and its adjustments cannot change.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

import polars as pl

from iof.store import audit, queries
from iof.core.domain import ALL_COST_TYPES
from iof.core.privacy import looks_like_personnummer
from iof.compute.forecast import Forecast, ForecastError, ForecastParams, forecast, sort_lines, with_adjustments
from iof.store.db import Store
from iof.core.privacy import current_user

ADJUSTMENT_SCHEMA = {"unit": pl.String, "cost_type": pl.String, "amount_tkr": pl.Float64}



def adjustments(store: Store, year: int, month: int) -> pl.DataFrame:
    """One row per adjustment of the prognosis of (year, month), oldest first."""
    return store.query("forecast_adjustments", year=year, month=month)


def add_adjustment(
    store: Store,
    year: int,
    month: int,
    unit: str,
    cost_type: str,
    amount_tkr: float,
    comment: str,
    created_by: str | None = None,
    created_at: datetime | None = None,
) -> int:
    """Stores one adjustment (amount in the line's own direction) and returns its id."""
    if not 1 <= month <= 11:
        raise ForecastError("Justeringar görs i prognosen för månad 1–11; i december är prognosen lika med utfallet.")
    if cost_type not in ALL_COST_TYPES:
        raise ForecastError(f"Okänt kostnadsslag: {cost_type!r}. Giltiga: {', '.join(ALL_COST_TYPES)}.")
    units = store.units()
    if units and unit not in units:
        raise ForecastError(f"Okänd enhet: {unit!r}. Kända enheter: {', '.join(units)}.")
    if not comment or not comment.strip():
        raise ForecastError("En justering måste ha en kommentar som säger varför.")
    if looks_like_personnummer(comment):
        raise ForecastError(
            "Kommentaren innehåller något som liknar ett personnummer; skriv den utan (värdet visas inte)."
        )
    latest = latest_month(store)
    if latest is not None and (year, month) != latest:
        raise ForecastError(
            f"Justeringar görs i den aktuella prognosen ({latest[0]}-{latest[1]:02d}). En tidigare månads "
            "prognos ändras inte i efterhand, så att prognossäkerheten mäts på det som faktiskt sades."
        )
    if snapshot_id(store, year, month) is not None:
        raise ForecastError(
            f"Prognosen för {year}-{month:02d} är redan fryst och kan inte justeras. Justera nästa månads prognos."
        )
    with store.transaction() as cur:
        row = cur.execute(
            queries.sql("forecast_adjustment_insert"),
            {
                "year": year,
                "month": month,
                "unit": unit,
                "cost_type": cost_type,
                "amount_tkr": float(amount_tkr),
                "comment": comment.strip(),
                "created_by": created_by or current_user(),
                "created_at": created_at or datetime.now(),
            },
        ).fetchone()
        audit.log_event(store, created_by or current_user(), "justering",
                        f"justering {int(row[0])}: {unit}, {cost_type}, prognos {year}-{month:02d}", cur=cur)
    return int(row[0])


def latest_month(store: Store) -> tuple[int, int] | None:
    """The latest (year, month) with utfall: the month of the current prognosis."""
    got = store.query("latest_actual_month")
    return None if got.is_empty() else (int(got["year"][0]), int(got["month"][0]))


def freeze_before_new_month(store: Store, incoming_months: list[tuple[int, int]], who: str) -> tuple[int, int] | None:
    """Freeze the current prognosis before utfall for a later month is stored; returns the month frozen.

    The prognosis of a month is what was said at that month's meeting; once the next month's utfall
    arrives it can no longer be made again, so it is kept as it was (inputs before the new import).
    """
    latest = latest_month(store)
    if latest is None or not incoming_months or max(incoming_months) <= latest:
        return None
    if snapshot_id(store, *latest) is not None:
        return None
    freeze(store, *latest, created_by=who)
    return latest


def compute(store: Store, year: int, month: int, params: ForecastParams | None = None,
            frames: dict[str, pl.DataFrame] | None = None, cache: dict | None = None) -> Forecast:
    """The live prognosis of (year, month) from the stored extracts, with its adjustments.

    `frames`: the extracts already read (budget, actual, placements, staffing, as Store returns
    them), so a caller computing many months reads the tables once. `cache`: forecast()'s cache
    of raw candidates, kept by a caller for the same frames and parameters.
    """
    params = params or ForecastParams.from_config()
    f = frames or {name: getattr(store, name)() for name in ("budget", "actual", "placements", "staffing")}
    fc = forecast(f["budget"], f["actual"], f["placements"], f["staffing"], year, month, params, cache)
    adj = adjustments(store, year, month).select(list(ADJUSTMENT_SCHEMA))
    return Forecast(year, month, with_adjustments(fc.lines, adj, month), fc.placements, fc.intake, fc.interval)


def snapshot_id(store: Store, year: int, month: int) -> int | None:
    got = store.query("forecast_snapshot_get", year=year, month=month)
    return None if got.is_empty() else int(got["snapshot_id"][0])


def snapshots(store: Store) -> pl.DataFrame:
    """One row per frozen prognosis."""
    return store.query("forecast_snapshots")


def freeze(
    store: Store, year: int, month: int, params: ForecastParams | None = None, created_by: str | None = None
) -> int:
    """Computes the prognosis of (year, month) and stores it as it is; returns the snapshot id."""
    latest = latest_month(store)
    if latest is not None and (year, month) != latest:
        raise ForecastError(
            f"Justeringar görs i den aktuella prognosen ({latest[0]}-{latest[1]:02d}). En tidigare månads "
            "prognos ändras inte i efterhand, så att prognossäkerheten mäts på det som faktiskt sades."
        )
    if snapshot_id(store, year, month) is not None:
        raise ForecastError(f"Prognosen för {year}-{month:02d} är redan fryst.")
    params = params or ForecastParams.from_config()
    fc = compute(store, year, month, params)
    head = {
        "year": year,
        "month": month,
        "data_version": store.data_version(),
        "params_json": json.dumps(asdict(params), ensure_ascii=False, sort_keys=True),
        "created_by": created_by or current_user(),
        "created_at": datetime.now(),
    }
    with store.transaction() as cur:
        sid = int(cur.execute(queries.sql("forecast_snapshot_insert"), head).fetchone()[0])
        for name, frame in (("line", fc.lines), ("placement", fc.placements), ("intake", fc.intake)):
            cols = _stored_columns(cur, f"forecast_snapshot_{name}")
            incoming = frame.select([c for c in frame.columns if c in cols])
            cur.register("incoming", incoming)
            try:
                cur.execute(queries.sql(f"forecast_snapshot_{name}_insert"), {"snapshot_id": sid})
            finally:
                cur.unregister("incoming")
    return sid


def _stored_columns(cur, table: str) -> set[str]:
    return {r[0] for r in cur.execute(f"describe {table}").fetchall()}  # table name is ours, not input


def load_snapshot(store: Store, year: int, month: int) -> Forecast | None:
    """The frozen prognosis of (year, month), or None if it was never frozen."""
    sid = snapshot_id(store, year, month)
    if sid is None:
        return None
    lines = (
        store.query("forecast_snapshot_lines", snapshot_id=sid)
        .with_columns(year=pl.lit(year, pl.Int32), month=pl.lit(month, pl.Int32))
        .pipe(sort_lines)
    )
    return Forecast(
        year,
        month,
        lines,
        store.query("forecast_snapshot_placements", snapshot_id=sid),
        store.query("forecast_snapshot_intakes", snapshot_id=sid),
    )


def prognosis(store: Store, year: int, month: int, params: ForecastParams | None = None,
              frames: dict[str, pl.DataFrame] | None = None, cache: dict | None = None) -> tuple[Forecast, str]:
    """The frozen prognosis of (year, month) if there is one, else the live one; and which ("fryst"/"beräknad").

    `frames`, `cache`: see compute.
    """
    frozen = load_snapshot(store, year, month)
    if frozen is not None:
        return frozen, "fryst"
    return compute(store, year, month, params, frames, cache), "beräknad"
