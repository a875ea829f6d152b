"""Staff per unit and month: FTE budgeted vs filled, vacancies, consultants, sjukfrånvaro against
target, turnover over the last 12 months, ärenden per handläggare against the band.

Pure Polars: staffing frames (the columns of Store.staffing()) in, frames out.
- Personalomsättning (RULES.md: leavers in the last 12 months ÷ average headcount, %): the
  extract has no headcount, so the average of bemannade åa over the months present in the
  window stands in for it (months_in_window says how many months the window holds).
- Ärenden per handläggare = aktuella ärenden ÷ handläggare (åa).
- The IoF total (staff_total) sums FTE, vacancies, leavers and ärenden, and weights the units'
  sjukfrånvaro by their bemannade åa (the extract has no hours).
"""

from __future__ import annotations

import polars as pl

from iof.core import config as config_mod
from iof.core.domain import IOF_TOTAL
from iof.core.periods import add_months, month_key
from iof.compute.targets import resolved_targets

CASELOAD_KPI = "ärenden_per_handläggare"
SICK_KPI, SICK_SHORT_KPI = "sjukfrånvaro_pct", "sjukfrånvaro_dag1_14_pct"
BELOW, INSIDE, ABOVE = "under", "inom", "över"


def staff_total(staffing: pl.DataFrame) -> pl.DataFrame:
    """One row per month for the whole IoF (unit "IoF totalt"), in the staffing frame's columns."""
    w = pl.col("filled_fte")
    return (
        staffing.group_by("year", "month")
        .agg(
            pl.col("budgeted_fte", "filled_fte", "vacancies", "consultant_fte", "caseworker_fte").sum(),
            pl.col("leavers", "open_cases").sum(),
            sick_leave_pct=pl.when(w.sum() > 0).then((pl.col("sick_leave_pct") * w).sum() / w.sum()),
            sick_leave_short_pct=pl.when(w.sum() > 0).then((pl.col("sick_leave_short_pct") * w).sum() / w.sum()),
        )
        .with_columns(unit=pl.lit(IOF_TOTAL))
        .select(staffing.columns)
        .sort("year", "month")
    )


def staff_by_month(
    staffing: pl.DataFrame, months: pl.DataFrame, cfg: config_mod.Config | None = None
) -> pl.DataFrame:
    """One row per unit × month present in the staffing extract within `months`: the extract's
    figures plus fte_gap, leavers_12m, mean_filled_fte_12m, months_in_window, turnover_12m_pct,
    cases_per_caseworker, caseload_band (under / inom / över the unit's band) and the unit's
    sjukfrånvaro targets for the year (null when none is configured)."""
    cfg = cfg or config_mod.load()
    first = add_months(months["month_start"].min(), -11)
    last = months["month_start"].max()
    units = staffing["unit"].unique().to_list()
    targets = resolved_targets(units, cfg)

    def level(kpi: str, col: str, name: str) -> pl.DataFrame:
        return targets.filter(pl.col("kpi") == kpi).select("unit", "year", pl.col(col).alias(name))

    frame = (
        staffing.with_columns(month_start=pl.date(pl.col("year"), pl.col("month"), 1))
        .filter(pl.col("month_start").is_between(pl.lit(first), pl.lit(last)))
        .with_columns(_k=month_key())
        .sort("unit", "_k")
    )
    rolled = frame.rolling(index_column="_k", period="12i", group_by="unit").agg(
        leavers_12m=pl.col("leavers").sum().cast(pl.Int64),
        mean_filled_fte_12m=pl.col("filled_fte").mean(),
        months_in_window=pl.len().cast(pl.Int64),
    )
    year = pl.col("year").cast(pl.Int32)
    return (
        frame.join(rolled, on=["unit", "_k"])
        .join(months.select("month_start"), on="month_start", how="semi")
        .with_columns(year.alias("year"))
        .join(level(SICK_KPI, "at_most", "sick_leave_target_pct"), on=["unit", "year"], how="left")
        .join(level(SICK_SHORT_KPI, "at_most", "sick_leave_short_target_pct"), on=["unit", "year"], how="left")
        .join(level(CASELOAD_KPI, "at_least", "caseload_low"), on=["unit", "year"], how="left")
        .join(level(CASELOAD_KPI, "at_most", "caseload_high"), on=["unit", "year"], how="left")
        .with_columns(
            fte_gap=pl.col("budgeted_fte") - pl.col("filled_fte"),
            turnover_12m_pct=pl.when(pl.col("mean_filled_fte_12m") > 0).then(
                100.0 * pl.col("leavers_12m") / pl.col("mean_filled_fte_12m")
            ),
            cases_per_caseworker=pl.when(pl.col("caseworker_fte") > 0).then(
                pl.col("open_cases") / pl.col("caseworker_fte")
            ),
            caseload_low=pl.col("caseload_low").fill_null(12.0),
            caseload_high=pl.col("caseload_high").fill_null(16.0),
        )
        .with_columns(
            caseload_band=pl.when(pl.col("cases_per_caseworker").is_null()).then(None)
            .when(pl.col("cases_per_caseworker") < pl.col("caseload_low")).then(pl.lit(BELOW))
            .when(pl.col("cases_per_caseworker") > pl.col("caseload_high")).then(pl.lit(ABOVE))
            .otherwise(pl.lit(INSIDE)),
        )
        .select(
            "unit", "month_start", "year", "month", "budgeted_fte", "filled_fte", "fte_gap", "vacancies",
            "consultant_fte", "sick_leave_pct", "sick_leave_target_pct", "sick_leave_short_pct",
            "sick_leave_short_target_pct", "leavers", "leavers_12m", "mean_filled_fte_12m",
            "months_in_window", "turnover_12m_pct", "caseworker_fte", "open_cases",
            "cases_per_caseworker", "caseload_low", "caseload_high", "caseload_band",
        )
        .sort("unit", "month_start")
    )
