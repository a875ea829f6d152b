"""Targets per unit and year (config [[mål]]) and the status rule every KPI is judged by.

The status of a KPI for a unit in month M of year Y (written down once, here and in iof.toml):

1. Its value for the point of the year (`value`): for flows the year to date (sammanbrott
   Jan..M summed; shares within limit as within ÷ closed Jan..M; medians over the ärenden or
   stays ended Jan..M; sjukfrånvaro the mean of the months Jan..M); for stocks (children at
   month end) the value at the end of month M; for ärenden per handläggare the month-M value.
2. Its goal for that point (`goal`):
   - "nivå": the level itself (högst X or minst X);
   - "intervall": the band lägst..högst;
   - "mot_föregående_år" with förändring_pct p: for flows, the same months of the previous
     year × (1 + p/100) (a count goal is scaled to the months elapsed by comparing like with
     like); for stocks, the straight path from last December's value b to the year's goal
     b × (1 + p/100): goal(M) = b + (b·p/100) × M/12. A lower value is better when p < 0.
3. Status, with margin m = risk_marginal_pct (default 10 %):
   - "på väg"     the value meets the goal (≤ for högst / decreases, ≥ for minst, inside the band);
   - "risk"       it misses by no more than m % of the goal (for a band, m % of the band's width
                  beyond either edge; for counts of children or events at least 1, so that
                  one sammanbrott more than a goal of 0,9 is risk, not failure);
   - "ej uppnått" it misses by more.
   No value or no baseline → status null ("saknar underlag"). Small counts are judged too; the
   UI decides whether to show them.
"""

from __future__ import annotations

import polars as pl

from iof.core import config as config_mod

ON_TRACK, RISK, MISSED = "på väg", "risk", "ej uppnått"
NO_DATA = "saknar underlag"

# KPI name → (kind, better): kind "flöde" (year to date) or "bestånd" (at month end);
# better "lägre" or "högre" is documentation (the comparison's own sign decides).
KPIS: dict[str, tuple[str, str]] = {
    "sammanbrott": ("flöde", "lägre"),
    "barn_i_konsulentstött_jourhem": ("bestånd", "lägre"),
    "placerade_barn": ("bestånd", "lägre"),
    "jourhem_median_dagar": ("flöde", "lägre"),
    "förhandsbedömning_andel_inom_gräns": ("flöde", "högre"),
    "utredning_andel_inom_gräns": ("flöde", "högre"),
    "kontaktfamilj_andel_inom_gräns": ("flöde", "högre"),
    "samarbetssamtal_andel_inom_gräns": ("flöde", "högre"),
    "faderskap_andel_inom_gräns": ("flöde", "högre"),
    "sjukfrånvaro_pct": ("flöde", "lägre"),
    "sjukfrånvaro_dag1_14_pct": ("flöde", "lägre"),
    "ärenden_per_handläggare": ("bestånd", "lägre"),
    "personalomsättning_12m_pct": ("bestånd", "lägre"),
    "vårddygn": ("flöde", "lägre"),
    "kostnad_kr": ("flöde", "lägre"),
    "kostnad_konsulentstött_jourhem_kr": ("flöde", "lägre"),
}
# KPIs that are whole counts: their risk margin is never below one.
COUNT_KPIS: frozenset[str] = frozenset({"sammanbrott", "barn_i_konsulentstött_jourhem", "placerade_barn"})

TARGET_SCHEMA = {
    "unit": pl.String,
    "year": pl.Int32,
    "kpi": pl.String,
    "comparison": pl.String,
    "change_pct": pl.Float64,
    "at_least": pl.Float64,
    "at_most": pl.Float64,
    "comment": pl.String,
}


def resolved_targets(units: list[str], cfg: config_mod.Config | None = None) -> pl.DataFrame:
    """One row per unit × year × kpi with a target: the unit's own line, else the "*" line."""
    cfg = cfg or config_mod.load()
    lines = pl.DataFrame(
        [(t.unit, t.year, t.kpi, t.comparison, t.change_pct, t.at_least, t.at_most, t.comment) for t in cfg.targets],
        schema=TARGET_SCHEMA,
        orient="row",
    )
    unknown = set(lines["kpi"].to_list()) - set(KPIS)
    if unknown:
        raise ValueError(f"Okänt mått i [[mål]] i iof.toml: {', '.join(sorted(unknown))}")
    own = lines.filter(pl.col("unit") != "*")
    default = (
        lines.filter(pl.col("unit") == "*").drop("unit")
        .join(pl.DataFrame({"unit": pl.Series(units, dtype=pl.String)}), how="cross")
        .join(own.select("unit", "year", "kpi"), on=["unit", "year", "kpi"], how="anti")
    )
    return pl.concat([own, default.select(own.columns)]).sort("unit", "year", "kpi")


def with_goal(values: pl.DataFrame, targets: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × year × month × kpi that has a target: the values frame (unit, year,
    month, kpi, value, baseline) joined with its target, plus goal_low / goal_high — the band
    the value should lie in at this point of the year (null edge = open)."""
    kinds = pl.DataFrame(
        {"kpi": list(KPIS), "kind": [k for k, _ in KPIS.values()], "better": [b for _, b in KPIS.values()]}
    )
    change_goal = pl.when(pl.col("kind") == "bestånd").then(
        pl.col("baseline") + pl.col("baseline") * pl.col("change_pct") / 100.0 * pl.col("month") / 12.0
    ).otherwise(pl.col("baseline") * (1.0 + pl.col("change_pct") / 100.0))
    comp = pl.col("comparison")
    lower_is_better = (comp == "mot_föregående_år") & (pl.col("change_pct") <= 0)
    return (
        values.join(targets, on=["unit", "year", "kpi"], how="inner")
        .join(kinds, on="kpi", how="left")
        .with_columns(
            goal_low=pl.when(comp == "intervall").then(pl.col("at_least"))
            .when(comp == "nivå").then(pl.col("at_least"))
            .when((comp == "mot_föregående_år") & ~lower_is_better).then(change_goal),
            goal_high=pl.when(comp == "intervall").then(pl.col("at_most"))
            .when(comp == "nivå").then(pl.col("at_most"))
            .when(lower_is_better).then(change_goal),
        )
    )


def status(frame: pl.DataFrame, risk_margin_pct: float | None = None) -> pl.DataFrame:
    """Adds `status` (på väg / risk / ej uppnått / saknar underlag) and `miss` (how far outside
    [goal_low, goal_high] the value is, 0 inside) to a frame with value, goal_low, goal_high."""
    m = (config_mod.load().target_rules.risk_margin_pct if risk_margin_pct is None else risk_margin_pct) / 100.0
    v, lo, hi = pl.col("value"), pl.col("goal_low"), pl.col("goal_high")
    miss = pl.max_horizontal(
        pl.when(lo.is_not_null()).then(lo - v).otherwise(0.0),
        pl.when(hi.is_not_null()).then(v - hi).otherwise(0.0),
        pl.lit(0.0),
    )
    both = lo.is_not_null() & hi.is_not_null()
    scale = pl.when(both).then(hi - lo).otherwise(pl.coalesce(hi, lo).abs())
    tolerance = pl.when(scale > 0).then(scale * m).otherwise(1.0)
    if "kpi" in frame.columns:
        tolerance = pl.when(pl.col("kpi").is_in(list(COUNT_KPIS))).then(
            pl.max_horizontal(tolerance, pl.lit(1.0))
        ).otherwise(tolerance)
    return frame.with_columns(miss=miss).with_columns(
        status=pl.when(v.is_null() | (lo.is_null() & hi.is_null())).then(pl.lit(NO_DATA))
        .when(pl.col("miss") <= 0).then(pl.lit(ON_TRACK))
        .when(pl.col("miss") <= tolerance).then(pl.lit(RISK))
        .otherwise(pl.lit(MISSED))
    )


def evaluate(values: pl.DataFrame, units: list[str], cfg: config_mod.Config | None = None) -> pl.DataFrame:
    """One row per unit × year × month × kpi with a target: value, baseline, goal_low,
    goal_high, miss, status, comment. `values` has unit, year, month, kpi, value, baseline
    (baseline: the previous year's comparable value, needed for "mot_föregående_år")."""
    cfg = cfg or config_mod.load()
    return (
        with_goal(values, resolved_targets(units, cfg))
        .pipe(status, cfg.target_rules.risk_margin_pct)
        .select(
            "unit", "year", "month", "kpi", "value", "baseline", "comparison", "change_pct",
            "goal_low", "goal_high", "miss", "status", "comment",
        )
        .sort("unit", "year", "month", "kpi")
    )
