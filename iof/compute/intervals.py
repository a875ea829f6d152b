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


def month_totals(
    placements: pl.DataFrame, months: pl.DataFrame, by: tuple[str, ...], weight: str | None = "daily_cost_kr"
) -> pl.DataFrame:
    """One row per `by` group × month of `months` (consecutive calendar months): care_days (vårddygn
    in the month, Int64), weighted (Σ care days × `weight`, Float64; without `weight` absent) and
    active_at_end (placements active on the month's last day, Int64). Ongoing placements count to
    the last day of `months`. Every group with a placement in the period has every month (zeros).

    Without one row per placement and month: each placement is two events, +1 on its first day in
    the period and −1 the day after its last, and the care days up to a day T are
    G(T) = Σ_{events ≤ T} c·(T + 1 − t) = (T + 1)·Σc − Σc·t. With the running sums over each
    group's events, a month's care days are G(month end) − G(day before the month), one lookup per
    group and month boundary; the placements active on T are Σc. Tested against one row per day.
    """
    starts = months["month_start"].sort()
    if months.height and (starts.dt.offset_by("1mo").head(-1) != starts.tail(-1)).any():
        raise ValueError("month_totals needs consecutive months (a month's days are counted from the one before)")
    first, last = months["month_start"].min(), months["month_end"].max()
    first_l = pl.lit(first, dtype=_D)
    lo = pl.max_horizontal(pl.col("start_date"), first_l)
    hi = pl.min_horizontal(pl.col("end_date").fill_null(pl.lit(last, dtype=_D)), pl.lit(last, dtype=_D))
    keys = list(by)
    spans = (
        placements.select(*keys, _s=(lo - first_l).dt.total_days(), _e=(hi - first_l).dt.total_days(),
                          _w=pl.col(weight).cast(pl.Float64) if weight else pl.lit(0.0))
        .filter(pl.col("_s") <= pl.col("_e"))
        .with_columns(_g=pl.struct(keys).rank("dense").cast(pl.Int32))  # a small integer per group
    )
    groups = spans.select("_g", *keys).unique("_g")
    g, t = pl.col("_g"), pl.col("t")
    events = (  # sorted by day; each group's running sums in that order (several events on one
        # day need no summing first: the backward as-of join below takes a day's last row)
        pl.concat([spans.select(g, t=pl.col("_s"), c=pl.lit(1, pl.Int64), w=pl.col("_w")),
                   spans.select(g, t=pl.col("_e") + 1, c=pl.lit(-1, pl.Int64), w=-pl.col("_w"))])
        .sort("t", maintain_order=True)
        .with_columns(c0=pl.col("c").cum_sum().over(g), c1=(pl.col("c") * t).cum_sum().over(g),
                      w0=pl.col("w").cum_sum().over(g), w1=(pl.col("w") * t).cum_sum().over(g))
    )
    ends = months.select("month_start", T=(pl.col("month_end") - first_l).dt.total_days())
    bounds = pl.concat([pl.DataFrame({"month_start": [None], "T": [-1]}, schema={"month_start": _D, "T": pl.Int64}),
                        ends]).sort("T")
    n = groups.height
    at = (
        # boundary-major: every group for the day before the first month, then every group for each
        # month end, in the same group order, so a group's previous boundary is n rows up
        bounds.join(groups.select("_g"), how="cross", maintain_order="left_right")
        .join_asof(events, left_on="T", right_on="t", by="_g", strategy="backward", check_sortedness=False)
        .with_columns(
            _G=((pl.col("T") + 1) * pl.col("c0") - pl.col("c1")).fill_null(0),
            _W=((pl.col("T") + 1) * pl.col("w0") - pl.col("w1")).fill_null(0.0),
            active_at_end=pl.col("c0").fill_null(0),
        )
        .with_columns(care_days=pl.col("_G") - pl.col("_G").shift(n), weighted=pl.col("_W") - pl.col("_W").shift(n))
        .filter(pl.col("T") >= 0)
    )
    # the group's keys by position: _g is 1..n (dense rank), so no join is needed
    keyed = groups.sort("_g")
    idx = at["_g"].cast(pl.Int64) - 1
    return at.select("month_start", pl.col("care_days").cast(pl.Int64), *(["weighted"] if weight else []),
                     pl.col("active_at_end").cast(pl.Int64)).with_columns(
        *(keyed[k].gather(idx) for k in keys)).select(*keys, "month_start", "care_days",
                                                     *(["weighted"] if weight else []), "active_at_end")


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
