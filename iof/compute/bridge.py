"""The bridge: why each unit's prognosis (Netto) changed from last month to this month.

The change is split into drivers that add up to it exactly (up to float rounding):

* placements, compared one by one (each placement's full-year cost in the prognosis is
  dygnskostnad × care days in the year up to its committed end):
  - nya placeringar: placements in this month's prognosis but not last month's;
  - efter sammanbrott: the new placements of a child whose earlier placement ended in a
    sammanbrott at most `sammanbrott_följd_dagar` days before;
  - avslutade placeringar: days lost or gained when a placement got its slutdatum;
  - ändrad dygnskostnad: (new − old dygnskostnad) × last month's days;
  - ändrat planerat slut: days changed by a changed planerat_slutdatum (only visible against a
    frozen snapshot; the register keeps the latest planned end only);
* förväntade avslut: the change in the model's expected endings (open-ended placements that
  may end, placements past their planned end that go on), together with the days such an
  overrunning placement actually added in the month (they were expected, not committed, so the
  two largely offset);
* förväntat intag: the change in expected new placements (the model's intake estimate);
* personal: the staff lines (Personalkostnader);
* justeringar: the chef's adjustments;
* övrigt: everything else (other lines, the part of placement lines the placements do not
  explain, placements that disappeared from the register).

Positive = the prognosis of net cost went up (worse for the result).
"""

from __future__ import annotations

import polars as pl

from iof.core.domain import BREAKDOWN, INCOME_TYPES, IOF_TOTAL, net_sign
from iof.compute.forecast import Forecast, ForecastError, ForecastParams

DRIVERS = (
    "nya_placeringar_tkr",
    "efter_sammanbrott_tkr",
    "avslutade_placeringar_tkr",
    "ändrad_dygnskostnad_tkr",
    "ändrat_planerat_slut_tkr",
    "förväntade_avslut_tkr",
    "förväntat_intag_tkr",
    "personal_tkr",
    "justeringar_tkr",
    "övrigt_tkr",
)


def _after_breakdown(new: pl.DataFrame, register: pl.DataFrame, days: int) -> pl.DataFrame:
    """`new` with after_breakdown: the child had a placement ending in Sammanbrott ≤ `days` before."""
    breakdowns = register.filter(pl.col("end_reason") == BREAKDOWN).select(
        "child_id", bd_id="placement_id", bd_end="end_date"
    )
    hits = (
        new.select("placement_id", "child_id", "start_date")
        .join(breakdowns, on="child_id", how="inner")
        .filter(
            (pl.col("bd_id") != pl.col("placement_id"))
            & (pl.col("bd_end") <= pl.col("start_date"))
            & ((pl.col("start_date") - pl.col("bd_end")).dt.total_days() <= days)
        )
        .select("placement_id")
        .unique()
        .with_columns(after_breakdown=pl.lit(True))
    )
    return new.join(hits, on="placement_id", how="left").with_columns(pl.col("after_breakdown").fill_null(False))


def placement_drivers(
    prev: pl.DataFrame, curr: pl.DataFrame, register: pl.DataFrame, follow_days: int
) -> pl.DataFrame:
    """One row per unit: the placement drivers (tkr) from two frames of placement_commitments."""
    cols = ["placement_id", "unit", "child_id", "start_date", "end_date", "planned_end_date", "daily_cost_kr", "days"]
    take = lambda f: f.filter(pl.col("cost_type").is_not_null()).with_columns(days=(pl.col("booked_days") + pl.col("remaining_days")).cast(pl.Float64)).select(cols)  # noqa: E731
    p = take(prev).rename({c: f"{c}_0" for c in cols[2:]})
    c = take(curr).rename({c: f"{c}_1" for c in cols[2:]})
    both = p.join(c, on=["placement_id", "unit"], how="full", coalesce=True)
    is_new = pl.col("days_0").is_null()
    is_gone = pl.col("days_1").is_null()
    got_end = pl.col("end_date_1").is_not_null() & (
        pl.col("end_date_0").is_null() | (pl.col("end_date_0") != pl.col("end_date_1"))
    )
    plan_changed = pl.col("planned_end_date_0").ne_missing(pl.col("planned_end_date_1"))
    new = _after_breakdown(
        both.filter(is_new).select("placement_id", child_id="child_id_1", start_date="start_date_1"),
        register,
        follow_days,
    ).select("placement_id", "after_breakdown")
    days_part = pl.col("daily_cost_kr_1") * (pl.col("days_1") - pl.col("days_0")) / 1000.0
    full_1 = pl.col("daily_cost_kr_1") * pl.col("days_1") / 1000.0
    full_0 = pl.col("daily_cost_kr_0") * pl.col("days_0") / 1000.0
    kept = ~is_new & ~is_gone
    return (
        both.join(new, on="placement_id", how="left")
        .with_columns(
            nya_placeringar_tkr=pl.when(is_new & ~pl.col("after_breakdown").fill_null(False)).then(full_1),
            efter_sammanbrott_tkr=pl.when(is_new & pl.col("after_breakdown").fill_null(False)).then(full_1),
            avslutade_placeringar_tkr=pl.when(kept & got_end).then(days_part),
            ändrat_planerat_slut_tkr=pl.when(kept & ~got_end & plan_changed).then(days_part),
            # still placed past its planned end: the month's days were expected, not committed
            överdrag_tkr=pl.when(kept & ~got_end & ~plan_changed).then(days_part),
            ändrad_dygnskostnad_tkr=pl.when(kept).then(
                (pl.col("daily_cost_kr_1") - pl.col("daily_cost_kr_0")) * pl.col("days_0") / 1000.0
            ),
            försvunna_tkr=pl.when(is_gone).then(-full_0),
        )
        .group_by("unit")
        .agg(
            pl.col(
                "nya_placeringar_tkr",
                "efter_sammanbrott_tkr",
                "avslutade_placeringar_tkr",
                "ändrat_planerat_slut_tkr",
                "ändrad_dygnskostnad_tkr",
                "överdrag_tkr",
                "försvunna_tkr",
            )
            .fill_null(0.0)
            .sum()
        )
    )


def _line_parts(lines: pl.DataFrame, params: ForecastParams) -> pl.DataFrame:
    """One row per unit: Netto prognosis and its parts in the bridge's terms."""
    placement_line = pl.col("cost_type").is_in(list(params.placement_cost_types))
    staff_line = pl.col("cost_type").is_in(list(params.staff_cost_types))
    s = net_sign()
    return lines.group_by("unit").agg(
        prognos_tkr=(pl.col("prognos_tkr") * s).sum(),
        intake_tkr=(pl.col("new_placements_tkr") * s).sum(),
        endings_tkr=(pl.col("expected_endings_tkr") * s).sum(),
        placements_full_tkr=((pl.col("placements_booked_tkr") + pl.col("commitments_tkr")) * s).sum(),
        staff_tkr=(pl.col("model_tkr") * s).filter(staff_line & ~placement_line).sum(),
        adjustments_tkr=(pl.col("adjustment_tkr") * s).sum(),
        # what neither the placements, the intake, the staff model nor adjustments explain
        rest_tkr=(
            pl.when(placement_line)
            .then(pl.col("residual_tkr") + pl.col("run_rate_tkr"))
            .when(staff_line)
            .then(0.0)
            .otherwise(pl.col("model_tkr"))
            * s
        ).sum(),
    )


def bridge(
    prev: Forecast,
    curr: Forecast,
    params: ForecastParams,
    register: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per enhet (then `IoF totalt`): last month's and this month's Netto prognosis,
    the change and the drivers in DRIVERS, which add up to the change.

    `register` (the placement register) is used to find earlier sammanbrott of a new placement's
    child; without it, the placements of this month's prognosis are searched.
    """
    if prev.year != curr.year or prev.month >= curr.month:
        raise ForecastError("Bryggan jämför två prognoser för samma år, den tidigare först.")
    bad = [ct for ct in params.placement_cost_types if ct in INCOME_TYPES]
    if bad:
        raise ForecastError(f"Placeringar kan inte bokas på intäktsslag: {', '.join(bad)}.")
    register = curr.placements if register is None else register
    a = _line_parts(prev.lines, params)
    b = _line_parts(curr.lines, params)
    parts = ["prognos_tkr", "intake_tkr", "endings_tkr", "placements_full_tkr", "staff_tkr", "adjustments_tkr", "rest_tkr"]
    pl_drv = placement_drivers(prev.placements, curr.placements, register, params.breakdown_follow_days)
    units = pl.concat([a.select("unit"), b.select("unit"), pl_drv.select("unit")]).unique()
    joined = (
        units.join(a.rename({p: f"{p}_0" for p in parts}), on="unit", how="left")
        .join(b.rename({p: f"{p}_1" for p in parts}), on="unit", how="left")
        .join(pl_drv, on="unit", how="left")
        .fill_null(0.0)
    )
    d = lambda p: pl.col(f"{p}_1") - pl.col(f"{p}_0")  # noqa: E731
    # The placements' full-year change is split one placement at a time; what the line totals
    # differ by beyond the named drivers (disappeared placements, rounding) goes to övrigt.
    explained = pl.sum_horizontal(
        "nya_placeringar_tkr",
        "efter_sammanbrott_tkr",
        "avslutade_placeringar_tkr",
        "ändrat_planerat_slut_tkr",
        "ändrad_dygnskostnad_tkr",
        "överdrag_tkr",
        "försvunna_tkr",
    )
    out = joined.with_columns(
        prognos_föregående_tkr=pl.col("prognos_tkr_0"),
        prognos_ny_tkr=pl.col("prognos_tkr_1"),
        förändring_tkr=d("prognos_tkr"),
        förväntade_avslut_tkr=d("endings_tkr") + pl.col("överdrag_tkr"),
        förväntat_intag_tkr=d("intake_tkr"),
        personal_tkr=d("staff_tkr"),
        justeringar_tkr=d("adjustments_tkr"),
        # = Δrest + placements that disappeared from the register
        övrigt_tkr=d("rest_tkr") + d("placements_full_tkr") - (explained - pl.col("försvunna_tkr")),
    )
    cols = ["prognos_föregående_tkr", "prognos_ny_tkr", "förändring_tkr", *DRIVERS]
    per_unit = out.select(pl.col("unit").alias("enhet"), *cols).sort("enhet")
    total = per_unit.select(pl.lit(IOF_TOTAL).alias("enhet"), *[pl.col(c).sum() for c in cols])
    return pl.concat([per_unit, total]).select(
        "enhet",
        pl.lit(curr.year, pl.Int32).alias("år"),
        pl.lit(prev.month, pl.Int32).alias("från_månad"),
        pl.lit(curr.month, pl.Int32).alias("till_månad"),
        *cols,
    )
