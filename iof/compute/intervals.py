"""Interval arithmetic on placements: vårddygn per month, active on a day, remaining cost.

A vårddygn is a calendar day from start_date to end_date inclusive (an empty end_date means
ongoing). Every function here is tested against a slow one-row-per-day reference
(tests/test_intervals.py).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
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


def month_totals(
    placements: pl.DataFrame, months: pl.DataFrame, by: tuple[str, ...], weight: str | None = "daily_cost_kr"
) -> pl.DataFrame:
    """One row per `by` group × month of `months` (consecutive calendar months): care_days (vårddygn
    in the month, Int64), weighted (Σ care days × `weight`, Float64; without `weight` absent) and
    active_at_end (placements active on the month's last day, Int64). Ongoing placements count to
    the last day of `months`. Every group with a placement in the period has every month (zeros).
    Sorted by the groups' keys, then month.

    Without one row per placement and month: each placement is two events, +1 on its first day in
    the period and −1 the day after its last, and the care days up to a day T are
    G(T) = Σ_{events ≤ T} c·(T + 1 − t) = (T + 1)·Σc − Σc·t. Each event falls in one month (the
    first month end on or after it); summed per group and month and accumulated over the months,
    Σc and Σc·t give G at every month end, and a month's care days are G(its end) − G(the end
    before). The placements active on T are Σc. Tested against one row per day.
    """
    starts = months["month_start"].sort()
    if months.height and (starts.dt.offset_by("1mo").head(-1) != starts.tail(-1)).any():
        raise ValueError("month_totals needs consecutive months (a month's days are counted from the one before)")
    keys, wcol = list(by), (["weighted"] if weight else [])
    if months.height == 0:
        return placements.select(*keys).clear().with_columns(
            month_start=pl.lit(None, _D), care_days=pl.lit(None, pl.Int64),
            **({"weighted": pl.lit(None, pl.Float64)} if weight else {}), active_at_end=pl.lit(None, pl.Int64))
    first, last = starts[0], months["month_end"].max()
    first_l, last_l = pl.lit(first, dtype=_D), pl.lit(last, dtype=_D)
    lo = pl.max_horizontal(pl.col("start_date"), first_l)
    hi = pl.min_horizontal(pl.col("end_date").fill_null(last_l), last_l)
    spans = (
        placements.select(
            *keys,
            _s=(lo - first_l).dt.total_days().cast(pl.Int64), _e=(hi - first_l).dt.total_days().cast(pl.Int64) + 1,
            **({"_w": pl.col(weight).cast(pl.Float64)} if weight else {}),
        )
        .filter(pl.col("_s") < pl.col("_e"))
        .with_columns(_g=pl.struct(keys).rank("dense").cast(pl.Int64) - 1)  # 0..n−1 in the keys' sort order
    )
    n_months = months.height
    m = n_months + 1  # boundaries per group: the day before the first month, then each month's end
    gid = spans["_g"]
    groups = spans.select(keys).gather(gid.arg_unique()).with_columns(_g=gid.unique(maintain_order=True)).sort("_g")
    n = groups.height
    # NumPy from here: bincount and cumsum over the small group × month grid (a handful of
    # Polars operations cost more than this whole step at city scale).
    g, s, e = (spans[c].to_numpy() for c in ("_g", "_s", "_e"))
    T = np.concatenate([[-1], (months["month_end"].sort() - first).dt.total_days().to_numpy()]).astype(np.int64)
    # the boundary an event falls in: the first month end on or after its day, by a lookup per day
    # of the period (an end the day after the period falls in m, outside the grid: it never counts)
    month_of_day = np.repeat(np.arange(1, m + 1), np.diff(np.append(T, T[-1] + 1)))
    i_s = g * m + month_of_day[s]
    be = month_of_day[e]
    keep = be < m
    i_e, e = (g * m + be)[keep], e[keep]
    size = n * m

    def accumulated(at_start, at_end) -> np.ndarray:  # Σ over the events up to each boundary
        grid = np.bincount(i_s, weights=at_start, minlength=size) - np.bincount(i_e, weights=at_end, minlength=size)
        return grid.reshape(n, m).cumsum(axis=1)

    # Σc and Σc·t are integers; float sums of integers are exact far beyond these (< 2⁵³)
    c0 = np.rint(accumulated(None, None)).astype(np.int64)
    c1 = np.rint(accumulated(s.astype(np.float64), e.astype(np.float64))).astype(np.int64)
    care = np.diff((T + 1) * c0 - c1, axis=1)
    out = {k: groups[k].gather(pl.Series(np.repeat(np.arange(n), n_months))) for k in keys}
    out["month_start"] = starts.gather(pl.Series(np.tile(np.arange(n_months), n)))
    out["care_days"] = pl.Series(care.ravel(), dtype=pl.Int64)
    if weight:
        w_s = spans["_w"].to_numpy()
        w_e = w_s[keep]
        weighted = (T + 1) * accumulated(w_s, w_e) - accumulated(w_s * s, w_e * e)
        out["weighted"] = pl.Series(np.diff(weighted, axis=1).ravel(), dtype=pl.Float64)
    out["active_at_end"] = pl.Series(c0[:, 1:].ravel(), dtype=pl.Int64)
    return pl.DataFrame(out).select(*keys, "month_start", "care_days", *wcol, "active_at_end")


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
