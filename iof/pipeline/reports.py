"""Reports of the data contract that need no prognosis: builders (frames with the contract's columns).

Each builder returns a Polars frame whose columns are exactly the contract's, in its order; the
files are written by iof.present.files, the CLI's registry of reports is iof.cli.reports.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iof.compute import intervals
from iof.core.privacy import mask
from iof.store.db import Store


class ReportError(Exception):
    """A report request a user got wrong (unknown unit, bad date); message is Swedish."""


# --------------------------------------------------------------------------------------------
# Builders that need no prognosis
# --------------------------------------------------------------------------------------------
def _check_unit(store: Store, unit: str | None) -> None:
    if unit is not None and unit not in store.units():
        raise ReportError(f"Enheten '{mask(unit)}' finns inte i databasen. Enheter: {', '.join(store.units())}.")


def placeringar_report(store: Store, day: date, unit: str | None = None) -> pl.DataFrame:
    """Contract report `placeringar`: one row per placement active on `day`."""
    _check_unit(store, unit)
    p = store.placements()
    if unit:
        p = p.filter(pl.col("unit") == unit)
    a = intervals.placements_active(p, day)
    return a.select(
        placerings_id="placement_id",
        barn_id="child_id",
        enhet="unit",
        placeringsform="placement_type",
        startdatum="start_date",
        dagar_placerad="days_placed",
        dygnskostnad_kr="daily_cost_kr",
        kvarvarande_kostnad_tkr=pl.col("remaining_cost_kr") / 1000,
    )
