"""Interval arithmetic on placements: vårddygn per month, active on a day, remaining cost.

A vårddygn is a calendar day from start_date to end_date inclusive (an empty end_date means
ongoing). Every function here is tested against a slow one-row-per-day reference
(tests/test_intervals.py).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

_D = pl.Date


def as_known_on(placements: pl.DataFrame, day: date) -> pl.DataFrame:
    """The register as it looked on `day`: later starts dropped, later endings not yet known."""
    later_end = pl.col("end_date") > pl.lit(day)
    return placements.filter(pl.col("start_date") <= pl.lit(day)).with_columns(
        pl.when(later_end).then(None).otherwise(pl.col("end_date")).alias("end_date"),
        *(
            [pl.when(later_end).then(None).otherwise(pl.col("end_reason")).alias("end_reason")]
            if "end_reason" in placements.columns
            else []
        ),
    )


def active_on(placements: pl.DataFrame, day: date) -> pl.DataFrame:
    """The placements active on `day`: start_date ≤ day and (no end_date or end_date ≥ day)."""
    return placements.filter(
        (pl.col("start_date") <= pl.lit(day))
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.lit(day)))
    )


def care_days_by_month(placements: pl.DataFrame, first: date, last: date) -> pl.DataFrame:
    """One row per placement and calendar month with care days inside [first, last].

    Ongoing placements (no end_date) are counted up to `last`. Adds `month_start` (Date),
    `year`, `month` and `care_days` (Int64) to the placement's columns; months without care
    days are absent. Each placement's span of months is an integer range (year·12 + month − 1)
    exploded once, so the cost is one row per (placement, month) and nothing per call; pass only
    the columns you need (the rows are copied per month).
    """
    lo = pl.max_horizontal(pl.col("start_date"), pl.lit(first, dtype=_D))
    hi = pl.min_horizontal(pl.col("end_date").fill_null(pl.lit(last, dtype=_D)), pl.lit(last, dtype=_D))
    k = pl.col("_k")
    return (
        placements.with_columns(_lo=lo, _hi=hi)
        .filter(pl.col("_lo") <= pl.col("_hi"))
        .with_columns(_k=pl.int_ranges(_month_key(pl.col("_lo")), _month_key(pl.col("_hi")) + 1, dtype=pl.Int32))
        .explode("_k")
        .with_columns(month_start=pl.date(k // 12, k % 12 + 1, 1))
        .with_columns(
            care_days=(
                pl.min_horizontal(pl.col("_hi"), pl.col("month_start").dt.month_end())
                - pl.max_horizontal(pl.col("_lo"), pl.col("month_start"))
            ).dt.total_days()
            + 1,
            year=(k // 12).cast(pl.Int32),
            month=(k % 12 + 1).cast(pl.Int32),
        )
        .drop("_lo", "_hi", "_k")
    )


def _month_key(day: pl.Expr) -> pl.Expr:
    """A date's month as one integer: year·12 + month − 1."""
    return day.dt.year().cast(pl.Int32) * 12 + day.dt.month().cast(pl.Int32) - 1


def care_days_between(placements: pl.DataFrame, first: date, last: date) -> pl.Series:
    """Care days of each placement inside [first, last] (0 if none); ongoing counts to `last`."""
    lo = pl.max_horizontal(pl.col("start_date"), pl.lit(first, dtype=_D))
    hi = pl.min_horizontal(pl.col("end_date").fill_null(pl.lit(last, dtype=_D)), pl.lit(last, dtype=_D))
    return placements.select(
        ((hi - lo).dt.total_days() + 1).clip(lower_bound=0).alias("care_days")
    )["care_days"]


def committed_end(day: date) -> pl.Expr:
    """Last day a placement is committed to after `day`: earliest of end, planned end, 31 Dec."""
    year_end = pl.lit(date(day.year, 12, 31), dtype=_D)
    return pl.min_horizontal(
        pl.col("end_date").fill_null(year_end),
        pl.col("planned_end_date").fill_null(year_end),
        year_end,
    )


def with_remaining(placements: pl.DataFrame, day: date) -> pl.DataFrame:
    """Adds remaining_days (from day+1 to committed_end, ≥ 0) and remaining_cost_kr."""
    start = pl.lit(day + timedelta(days=1), dtype=_D)
    return placements.with_columns(
        remaining_days=((committed_end(day) - start).dt.total_days() + 1).clip(lower_bound=0)
    ).with_columns(remaining_cost_kr=pl.col("remaining_days") * pl.col("daily_cost_kr"))


def days_placed(placements: pl.DataFrame, day: date) -> pl.Series:
    """Days in care from start_date to `day` inclusive (for placements active on `day`)."""
    return placements.select(
        ((pl.lit(day, dtype=_D) - pl.col("start_date")).dt.total_days() + 1).alias("days_placed")
    )["days_placed"]


def placements_active(placements: pl.DataFrame, day: date) -> pl.DataFrame:
    """One row per placement active on `day`, with days placed and remaining cost this year."""
    active = active_on(placements, day)
    return (
        with_remaining(active, day)
        .with_columns(days_placed=days_placed(active, day))
        .sort("unit", "start_date", "placement_id")
    )
