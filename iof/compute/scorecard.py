"""The KPIs the targets are set on, year to date, with last year's comparable value — and their
status (iof.compute.targets holds the rule). What "year to date" means per KPI is in iof.compute.targets' doc.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iof.compute import cases as case_mod
from iof.core import config as config_mod
from iof.compute import staff as staff_mod
from iof.compute import targets as target_mod
from iof.compute import trends
from iof.core.periods import month_end, month_grid
from iof.core.stats import nearest_rank

_VALUES = {"unit": pl.String, "year": pl.Int32, "month": pl.Int32, "kpi": pl.String,
           "value": pl.Float64, "baseline": pl.Float64, "basis": pl.Int64, "baseline_basis": pl.Int64,
           "headcount": pl.Int64}


def _period(year: int, month: int) -> tuple[date, date]:
    return date(year, 1, 1), month_end(year, month)


def _pair(cur: pl.LazyFrame, prev: pl.LazyFrame, kpi: str, year: int, month: int) -> pl.LazyFrame:
    """cur/prev: unit, value, basis → the values frame's rows for one kpi (baseline_basis: the
    count behind last year's value, for disclosure control)."""
    cur, prev = cur.lazy(), prev.lazy()
    if "basis" not in prev.collect_schema().names():
        prev = prev.with_columns(basis=pl.lit(None, pl.Int64))
    return (
        cur.join(prev.select("unit", baseline=pl.col("value"), baseline_basis=pl.col("basis")), on="unit", how="full",
                 coalesce=True)
        .select(
            "unit",
            year=pl.lit(year, pl.Int32),
            month=pl.lit(month, pl.Int32),
            kpi=pl.lit(kpi),
            value=pl.col("value").cast(pl.Float64),
            baseline=pl.col("baseline").cast(pl.Float64),
            basis=pl.col("basis").cast(pl.Int64),
            baseline_basis=pl.col("baseline_basis").cast(pl.Int64),
        )
    )


def kpi_values(
    placements: pl.DataFrame,
    cases: pl.DataFrame,
    staffing: pl.DataFrame,
    year: int,
    month: int,
    cfg: config_mod.Config | None = None,
    times: pl.DataFrame | None = None,
    staff: pl.DataFrame | None = None,
    year_trends: dict[str, pl.DataFrame] | None = None,
) -> pl.DataFrame:
    """One row per unit × kpi (names of iof.compute.targets.KPIS) for month `month` of `year`: value,
    baseline (previous year's comparable value) and basis (the raw count behind the value).

    Made once for many months (neither depends on the month): `times` = `processing_times(cases)`,
    `staff` = `staff_all_months(staffing)` (a month's row depends only on the extract's rows of
    that month and the eleven before, so one frame over every month serves each), and
    `year_trends` = `placement_year_trends(placements, year)` (each month's flows, care days and
    month-end stock depend only on that month)."""
    cfg = cfg or config_mod.load()
    # Why lazy: some forty small filters, aggregations and joins; planned and run as one query
    # (in parallel, without a round trip each) they cost a third of what they cost one by one.
    out: list[pl.LazyFrame] = []
    first, last = _period(year, month)
    pfirst, plast = _period(year - 1, month)

    if not placements.is_empty():
        yt = year_trends if year_trends is not None else placement_year_trends(placements, year, cfg, month)

        def ytd(frame: pl.DataFrame, col: str, a: date, b: date) -> pl.LazyFrame:
            return (
                frame.lazy().filter(pl.col("month_start").is_between(pl.lit(a), pl.lit(b)))
                .group_by("unit").agg(value=pl.col(col).sum(), basis=pl.col(col).sum())
            )

        flows = yt["flows"]
        out.append(_pair(ytd(flows, "breakdowns", first, last), ytd(flows, "breakdowns", pfirst, plast),
                         "sammanbrott", year, month))
        cost = yt["cost"]
        out.append(_pair(ytd(cost, "care_days", first, last), ytd(cost, "care_days", pfirst, plast),
                         "vårddygn", year, month))
        out.append(_pair(ytd(cost, "cost_kr", first, last).with_columns(basis=pl.lit(None)),
                         ytd(cost, "cost_kr", pfirst, plast), "kostnad_kr", year, month))
        jour_cost = yt["agency_jourhem_cost"]
        out.append(_pair(ytd(jour_cost, "cost_kr", first, last).with_columns(basis=pl.lit(None)),
                         ytd(jour_cost, "cost_kr", pfirst, plast), "kostnad_konsulentstött_jourhem_kr", year, month))
        stock = yt["stock"]
        for kpi, col in (("barn_i_konsulentstött_jourhem", "children_agency_jourhem"), ("placerade_barn", "children")):
            now = stock.lazy().filter(pl.col("month_start") == date(year, month, 1)).select("unit", value=pl.col(col), basis=pl.col(col))
            dec = stock.lazy().filter(pl.col("month_start") == date(year - 1, 12, 1)).select("unit", value=pl.col(col))
            out.append(_pair(now, dec, kpi, year, month))
        stays = trends.jourhem_stays_lazy(yt["jourhem_placements"], last, cfg)

        def median_stay(a: date, b: date) -> pl.LazyFrame:
            return (
                stays.filter(pl.col("stay_end").is_between(pl.lit(a), pl.lit(b)))
                .group_by("unit").agg(value=nearest_rank("days", 50), basis=pl.len())
            )

        out.append(_pair(median_stay(first, last), median_stay(pfirst, plast), "jourhem_median_dagar", year, month))

    if not cases.is_empty():
        if times is None:
            times = processing_times(cases, cfg)
        cur = case_mod.processing_summary(times.lazy(), first, last)
        prev = case_mod.processing_summary(times.lazy(), pfirst, plast)
        for case_type in cfg.case_limits:
            kpi = f"{case_type.lower()}_andel_inom_gräns"
            if kpi not in target_mod.KPIS:
                continue

            def pick(frame: pl.LazyFrame) -> pl.LazyFrame:
                return frame.filter(pl.col("case_type") == case_type).select(
                    "unit", value=pl.col("share_within_pct"), basis=pl.col("closed")
                )

            out.append(_pair(pick(cur), pick(prev), kpi, year, month))

    if not staffing.is_empty():
        st = staff if staff is not None else staff_mod.staff_by_month(staffing, month_grid(pfirst, last), cfg)

        def mean(col: str, a: date, b: date) -> pl.LazyFrame:
            return (
                st.lazy().filter(pl.col("month_start").is_between(pl.lit(a), pl.lit(b)))
                .group_by("unit").agg(value=pl.col(col).mean(), basis=pl.lit(None, pl.Int64))
            )

        def at(col: str, day: date) -> pl.LazyFrame:
            return st.lazy().filter(pl.col("month_start") == day).select("unit", value=pl.col(col), basis=pl.lit(None, pl.Int64))

        out.append(_pair(mean("sick_leave_pct", first, last), mean("sick_leave_pct", pfirst, plast), "sjukfrånvaro_pct", year, month))
        out.append(_pair(mean("sick_leave_short_pct", first, last), mean("sick_leave_short_pct", pfirst, plast),
                         "sjukfrånvaro_dag1_14_pct", year, month))
        for kpi, col in (("ärenden_per_handläggare", "cases_per_caseworker"), ("personalomsättning_12m_pct", "turnover_12m_pct")):
            out.append(_pair(at(col, date(year, month, 1)), at(col, date(year - 1, 12, 1)), kpi, year, month))

    if not out:
        return pl.DataFrame(schema=_VALUES)
    values = pl.concat(out)  # lazy: collected once below
    # Headcount (bemannade åa at month M, rounded) for disclosure control: staff measures of
    # small units are hidden from a wider audience (iof.compute.disclosure).
    heads = (
        st.lazy().filter(pl.col("month_start") == date(year, month, 1))
        .select("unit", headcount=pl.col("filled_fte").round(0).cast(pl.Int64))
        if not staffing.is_empty() else pl.LazyFrame(schema={"unit": pl.String, "headcount": pl.Int64})
    )
    # in-memory: Polars 2 runs collect() on its streaming engine by default, whose set-up costs
    # more than this small query (kpi_values at city scale 34 → 24 ms; eager calls are in-memory)
    return values.join(heads, on="unit", how="left").sort("unit", "kpi").collect(engine="in-memory")


def placement_year_trends(
    placements: pl.DataFrame, year: int, cfg: config_mod.Config | None = None, month: int = 12
) -> dict[str, pl.DataFrame]:
    """The placement trends kpi_values reads, for the months January of the year before to `month`
    of `year` (12: every month the year's scorecards need, made once for all of them): flows,
    cost (care days and cost), agency_jourhem_cost, stock (month-end, from December before), and
    jourhem_placements (the placements in jourhem forms: a jourhem stay is made of those alone)."""
    cfg = cfg or config_mod.load()
    last = _period(year, month)[1]
    grid = month_grid(date(year - 1, 1, 1), last)
    agency_jour = [name for name, v in cfg.placement_types.items() if v.is_emergency_home and v.regime == "konsulentstött"]
    return {
        "flows": trends.flows_by_month(placements, grid),
        "cost": trends.care_days_cost(placements, grid),
        "agency_jourhem_cost": trends.care_days_cost(placements.filter(pl.col("placement_type").is_in(agency_jour)), grid),
        "stock": trends.month_end_stock(placements, month_grid(date(year - 1, 12, 1), last), cfg),
        "jourhem_placements": placements.filter(
            pl.col("placement_type").is_in([n for n, v in cfg.placement_types.items() if v.is_emergency_home])),
    }


def year_times(times: pl.DataFrame, year: int) -> pl.DataFrame:
    """The handläggningstider a scorecard of `year` reads (closed in the year or the year before):
    one filter per year instead of a pass over every year's ärenden for each month."""
    return times.filter(pl.col("to_date").is_between(pl.lit(date(year - 1, 1, 1)), pl.lit(date(year, 12, 31))))


def staff_all_months(staffing: pl.DataFrame, cfg: config_mod.Config | None = None) -> pl.DataFrame:
    """staff_by_month over every month of the extract (see kpi_values' `staff`)."""
    if staffing.is_empty():
        return staff_mod.staff_by_month(staffing, month_grid(date(2000, 1, 1), date(2000, 1, 1)), cfg)
    first = date(int(staffing["year"].min()), 1, 1)
    last = date(int(staffing["year"].max()), 12, 1)
    return staff_mod.staff_by_month(staffing, month_grid(first, last), cfg or config_mod.load())


def processing_times(cases: pl.DataFrame, cfg: config_mod.Config | None = None) -> pl.DataFrame:
    """Every closed ärende's handläggningstid as the KPIs count it (reopened investigations merged)."""
    return case_mod.processing_times(case_mod.merge_reopened_investigations(cases), cfg or config_mod.load())


def scorecard(
    placements: pl.DataFrame,
    cases: pl.DataFrame,
    staffing: pl.DataFrame,
    year: int,
    month: int,
    cfg: config_mod.Config | None = None,
    times: pl.DataFrame | None = None,
    staff: pl.DataFrame | None = None,
    year_trends: dict[str, pl.DataFrame] | None = None,
) -> pl.DataFrame:
    """One row per unit × kpi with a target for `year`: value, baseline, goal_low, goal_high,
    miss, status (på väg / risk / ej uppnått / saknar underlag), comment, basis.

    `times`, `staff`, `year_trends`: see kpi_values."""
    cfg = cfg or config_mod.load()
    return from_values(kpi_values(placements, cases, staffing, year, month, cfg, times, staff, year_trends), cfg)


def from_values(values: pl.DataFrame, cfg: config_mod.Config | None = None) -> pl.DataFrame:
    """The scorecard of a values frame (kpi_values' columns): targets, goals and statuses."""
    cfg = cfg or config_mod.load()
    units = values["unit"].unique().to_list()
    extra = [c for c in ("basis", "baseline_basis", "headcount") if c in values.columns]
    return target_mod.evaluate(values.drop(extra), units, cfg).join(
        values.select("unit", "kpi", *extra), on=["unit", "kpi"], how="left"
    )
