"""What the Verksamhet pages (Placeringar, Handläggningstider, Personal) show, assembled from
iof.compute.trends, iof.compute.cases, iof.compute.staff, iof.pipeline.reports and iof.compute.whatif.

Pure Polars (no Streamlit). Two kinds of functions:
- computations (`placement_*`, `processing_*`, `staff_*`, `whatif_*`): frames in, frames out with
  the code's column names, scoped to one unit or to the whole IoF (unit None → "IoF totalt",
  recomputed over all units so that a child placed by two units counts once);
- `*_display`: the same frames as people read them — Swedish column names and formats
  (`1 234,5 tkr`, `−2,3 mnkr`, `12,5 %`, `2025-03-31`). Counts are exact: these detail pages
  are for those entitled to see them (the APT view is the one that suppresses small counts).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iof.compute import cases as case_mod
from iof.core import config as config_mod
from iof.present import fmt
from iof.compute import intervals, trends
from iof.compute import staff as staff_mod
from iof.core.domain import IOF_TOTAL, MONTH_ABBR, NET
from iof.core.periods import add_months, month_grid

ALL_UNITS = "Alla enheter"
TREND_MONTHS = 24


# -- shared helpers ----------------------------------------------------------------------------
def scoped(frame: pl.DataFrame, unit: str | None) -> pl.DataFrame:
    """One unit's rows, or every row relabelled "IoF totalt" (unit None)."""
    if unit is None:
        return frame.with_columns(unit=pl.lit(IOF_TOTAL))
    return frame.filter(pl.col("unit") == unit)


def filtered(frame: pl.DataFrame, unit: str | None) -> pl.DataFrame:
    """One unit's rows, or every row with its own unit (unit None): for lists of children/ärenden."""
    return frame if unit is None else frame.filter(pl.col("unit") == unit)


def unit_or_none(choice: str | None) -> str | None:
    """The enhet selectbox's value → a unit name, or None for "Alla enheter"."""
    return None if not choice or choice == ALL_UNITS else choice


def last_months(year: int, month: int, n: int = TREND_MONTHS) -> pl.DataFrame:
    """The month grid (month_start, month_end) of the n months ending with year-month."""
    last = date(year, month, 1)
    return month_grid(add_months(last, -(n - 1)), last)


def window_start(year: int, month: int, n: int = 12) -> date:
    """The first day of the n-month window ending with year-month."""
    return add_months(date(year, month, 1), -(n - 1))


def month_label(col: str = "month_start") -> pl.Expr:
    """`okt 2026` from a date column."""
    return (
        pl.col(col).dt.month().cast(pl.Int64).replace_strict(
            {i + 1: m for i, m in enumerate(MONTH_ABBR)}, return_dtype=pl.String
        )
        + pl.lit(" ")
        + pl.col(col).dt.year().cast(pl.String)
    )


def _f(fn, *args) -> pl.Expr:
    """Format column `args[0]` with fmt function fn (nulls → `–`)."""
    col, *rest = args
    return fmt.text(fn, col, *rest)


def _date(col: str) -> pl.Expr:
    return pl.col(col).dt.strftime("%Y-%m-%d").fill_null("–")


# -- Placeringar -------------------------------------------------------------------------------
def placements_scope(
    placements: pl.DataFrame, unit: str | None, forms: list[str] | None, relabel: bool = True
) -> pl.DataFrame:
    """The placements of the unit (or of all units, relabelled "IoF totalt" when relabel) and forms."""
    p = scoped(placements, unit) if relabel else filtered(placements, unit)
    return p.filter(pl.col("placement_type").is_in(forms)) if forms else p


def placement_stock_by_form(placements: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per month × placement_type: placements and children active on the month's last day
    (every month of the grid, 0 where none)."""
    by_form = trends.month_end_by_form(placements, months).group_by("month_start", "placement_type").agg(
        pl.col("placements", "children").sum()
    )
    forms = placements.select("placement_type").unique()
    return (
        months.select("month_start").join(forms, how="cross")
        .join(by_form, on=["month_start", "placement_type"], how="left")
        .with_columns(pl.col("placements", "children").fill_null(0))
        .sort("month_start", "placement_type")
    )


def placement_monthly(placements: pl.DataFrame, months: pl.DataFrame) -> pl.DataFrame:
    """One row per month (the scope is one unit or IoF totalt): started, ended, breakdowns,
    care_days, cost_kr, cost_per_day_kr, children, children_own, children_agency, own_share_pct,
    breakdowns_12m, per_100_placement_years_12m."""
    key = ["unit", "month_start"]
    flows = trends.flows_by_month(placements, months).drop("month_end")
    cost = trends.care_days_cost(placements, months).drop("month_end")
    stock = trends.month_end_stock(placements, months).select(
        *key, "children", "placements", "children_own", "children_agency", "own_share_pct"
    )
    rates = trends.breakdown_rates(placements, months).select(
        *key, "breakdowns_12m", "per_100_placement_years_12m", "share_of_endings_12m_pct"
    )
    return (
        flows.join(cost, on=key, how="left").join(stock, on=key, how="left").join(rates, on=key, how="left")
        .sort("month_start")
    )


@fmt.formatted
def placement_monthly_display(monthly: pl.DataFrame) -> pl.DataFrame:
    """The monthly flows and cost as a table (newest month first)."""
    return monthly.sort("month_start", descending=True).select(
        Månad=month_label(),
        Nya=pl.col("started"),
        Avslutade=pl.col("ended"),
        Sammanbrott=pl.col("breakdowns"),
        Vårddygn=_f(fmt.number, "care_days", 0),
        **{"Kostnad per dygn": _f(fmt.kr, "cost_per_day_kr", 0)},
        Vårdkostnad=fmt.text(fmt.tkr_from_kr, "cost_kr"),
        **{"Barn i egen regi": pl.col("children_own"), "Barn i konsulentstött": pl.col("children_agency")},
        **{"Andel egen regi": _f(fmt.pct, "own_share_pct", 1)},
    )


def active_placements(placements: pl.DataFrame, day: date) -> pl.DataFrame:
    """One row per placement active on `day` (intervals.placements_active: days placed, remaining
    cost this year)."""
    return intervals.placements_active(placements, day)


@fmt.formatted
def active_placements_display(active: pl.DataFrame, with_unit: bool) -> pl.DataFrame:
    """Pseudonyms only (barn_id, placerings_id); the costliest remaining commitments first."""
    return active.sort("remaining_cost_kr", "placement_id", descending=[True, False]).select(
        **{"Barn-id": pl.col("child_id"), "Placerings-id": pl.col("placement_id")},
        **({"Enhet": pl.col("unit")} if with_unit else {}),
        Placeringsform=pl.col("placement_type"),
        Startdatum=_date("start_date"),
        **{"Planerat slut": _date("planned_end_date")},
        **{"Dagar placerad": _f(fmt.number, "days_placed", 0)},
        Dygnskostnad=_f(fmt.kr, "daily_cost_kr", 0),
        **{"Kvarvarande kostnad i år": fmt.text(fmt.tkr_from_kr, "remaining_cost_kr")},
    )


def remaining_total_tkr(active: pl.DataFrame) -> float:
    """The active placements' remaining cost this year, tkr."""
    return float(active["remaining_cost_kr"].sum()) / 1000


def active_by_form(active: pl.DataFrame) -> pl.DataFrame:
    """One row per placement_type: placements active on the day and their remaining cost (tkr)."""
    return (
        active.group_by("placement_type")
        .agg(placements=pl.len().cast(pl.Int64), remaining_tkr=pl.col("remaining_cost_kr").sum() / 1000)
        .sort("placement_type")
    )


@fmt.formatted
def active_by_form_display(active: pl.DataFrame) -> pl.DataFrame:
    return active_by_form(active).sort("placements", "placement_type", descending=[True, False]).select(
        Placeringsform=pl.col("placement_type"),
        Placeringar=pl.col("placements"),
        **{"Kvarvarande kostnad i år": _f(fmt.tkr, "remaining_tkr", 1)},
    )


def placements_text(n: int) -> str:
    """`1 placering`, `3 placeringar`."""
    return f"{fmt.count(n)} {'placering' if n == 1 else 'placeringar'}"


@fmt.formatted
def jourhem_display(over: pl.DataFrame, with_unit: bool) -> pl.DataFrame:
    return over.select(
        **{"Barn-id": pl.col("child_id"), "Placerings-id": pl.col("placement_id")},
        **({"Enhet": pl.col("unit")} if with_unit else {}),
        Placeringsform=pl.col("placement_type"),
        **{"I jourhem sedan": _date("stay_start")},
        **{"Dagar i jourhem": pl.col("days_in_jourhem"), "Dagar över gränsen": pl.col("days_over_limit")},
        Dygnskostnad=_f(fmt.kr, "daily_cost_kr", 0),
    )


@fmt.formatted
def custody_display(due: pl.DataFrame, with_unit: bool) -> pl.DataFrame:
    return due.sort("passes_on", "child_id").select(
        **{"Barn-id": pl.col("child_id"), "Placerings-id": pl.col("placement_id")},
        **({"Enhet": pl.col("unit")} if with_unit else {}),
        Placeringsform=pl.col("placement_type"),
        Startdatum=_date("start_date"),
        **{"Dagar placerad": _f(fmt.number, "days_placed", 0)},
        **{"Två år nås": _date("passes_on")},
        Läge=pl.when(pl.col("passed")).then(pl.lit("har passerat två år"))
        .otherwise(pl.lit("passerar inom ") + pl.col("days_to_pass").cast(pl.String) + pl.lit(" dagar")),
    )


def breakdowns_in(followups: pl.DataFrame, first: date, last: date) -> pl.DataFrame:
    """The sammanbrott that ended in [first, last]."""
    return followups.filter(pl.col("end_date").is_between(pl.lit(first), pl.lit(last)))


@fmt.formatted
def breakdown_display(followups: pl.DataFrame, with_unit: bool) -> pl.DataFrame:
    """Each sammanbrott and what followed it (next placement within the window, its form and cost)."""
    return followups.sort("end_date", "placement_id", descending=[True, False]).select(
        **{"Barn-id": pl.col("child_id")},
        **({"Enhet": pl.col("unit")} if with_unit else {}),
        Placeringsform=pl.col("placement_type"),
        Slutdatum=_date("end_date"),
        Dygnskostnad=_f(fmt.kr, "daily_cost_kr", 0),
        **{"Därefter": pl.col("next_placement_type")},
        **{"Ny start": _date("next_start_date")},
        **{"Dagar emellan": pl.col("days_to_next")},
        **{"Ny dygnskostnad": _f(fmt.kr, "next_daily_cost_kr", 0)},
        **{"Merkostnad per dygn": fmt.text(fmt.extra_kr, "extra_cost_per_day_kr")},
        **{"Nya placeringens kostnad det året": fmt.text(fmt.tkr_from_kr, "next_cost_in_year_kr")},
    )


@fmt.formatted
def breakdown_summary_display(followups: pl.DataFrame) -> pl.DataFrame:
    """What followed the sammanbrott, per form: how many, mean new dygnskostnad, cost that year."""
    return (
        followups.group_by("next_placement_type")
        .agg(
            n=pl.len().cast(pl.Int64),
            mean_cost=pl.col("next_daily_cost_kr").mean(),
            cost_year=pl.col("next_cost_in_year_kr").sum(),
        )
        .sort("n", "next_placement_type", descending=[True, False])
        .select(
            Därefter=pl.col("next_placement_type"),
            Antal=pl.col("n"),
            **{"Snitt ny dygnskostnad": _f(fmt.kr, "mean_cost", 0)},
            **{"Kostnad det året (summa)": fmt.text(fmt.tkr_from_kr, "cost_year")},
        )
    )


def whatif_effect(moved: pl.DataFrame, effect: pl.DataFrame, table: pl.DataFrame, unit: str | None) -> pl.DataFrame:
    """One row per kostnadsslag touched, then Netto: the prognosis before, the change and after.

    `effect` is whatif.effect_on_lines(moved); `table` the prognos table of the month; unit None
    sums the change over the units and compares with IoF totalt's lines.
    """
    scope = IOF_TOTAL if unit is None else unit
    eff = effect.group_by("kostnadsslag").agg(pl.col("förändring_tkr").sum())
    before = table.filter(pl.col("enhet") == scope).select("kostnadsslag", prognos_före_tkr="prognos_tkr")
    lines = eff.join(before, on="kostnadsslag", how="left").with_columns(pl.col("prognos_före_tkr").fill_null(0.0))
    net = pl.DataFrame({"kostnadsslag": [NET], "förändring_tkr": [float(eff["förändring_tkr"].sum())]}).join(
        before, on="kostnadsslag", how="left"
    )
    return (
        pl.concat([lines.sort("kostnadsslag"), net], how="diagonal_relaxed")
        .with_columns(prognos_efter_tkr=pl.col("prognos_före_tkr") + pl.col("förändring_tkr"))
        .select("kostnadsslag", "prognos_före_tkr", "förändring_tkr", "prognos_efter_tkr")
    )


@fmt.formatted
def whatif_display(effect: pl.DataFrame) -> pl.DataFrame:
    return effect.select(
        Kostnadsslag=pl.col("kostnadsslag"),
        **{"Prognos före": _f(fmt.tkr, "prognos_före_tkr", 1)},
        Förändring=fmt.text(fmt.signed_tkr, "förändring_tkr"),
        **{"Prognos efter": _f(fmt.tkr, "prognos_efter_tkr", 1)},
    )


@fmt.formatted
def whatif_moved_display(moved: pl.DataFrame, with_unit: bool = True) -> pl.DataFrame:
    return moved.select(
        **{"Placerings-id": pl.col("placerings_id")},
        **({"Enhet": pl.col("enhet")} if with_unit else {}),
        **{"Från": pl.col("från_form"), "Till": pl.col("till_form")},
        **{"Från datum": _date("från_datum")},
        **{"Dagar i år": _f(fmt.number, "dagar", 0)},
        **{"Dygnskostnad före": _f(fmt.kr, "dygnskostnad_före_kr", 0)},
        **{"Dygnskostnad efter": _f(fmt.kr, "dygnskostnad_efter_kr", 0)},
        Effekt=fmt.text(fmt.signed_tkr, "effekt_tkr"),
    )


# -- Handläggningstider ------------------------------------------------------------------------
def case_limits(cfg: config_mod.Config | None = None) -> pl.DataFrame:
    """cases.case_limits with what is measured, as people read it (`inkom → avslut`)."""
    names = {"inkom_datum": "inkom", "start_datum": "start", "avslut_datum": "avslut"}
    return case_mod.case_limits(cfg or config_mod.load()).with_columns(
        measured=pl.concat_str(pl.col("from_column").replace(names), pl.lit(" → "), pl.col("to_column").replace(names))
    )


def limits_of_shown(monthly: pl.DataFrame) -> list[dict]:
    """The limit row (case_limits) of each ärendetyp present in `monthly`, in the contract's order."""
    from iof.core.domain import CASE_TYPES

    present = set(monthly["case_type"].to_list())
    limits = {r["case_type"]: r for r in case_limits().iter_rows(named=True)}
    return [limits[t] for t in CASE_TYPES if t in present and t in limits]


def processing_monthly(cases: pl.DataFrame, months: pl.DataFrame, cfg: config_mod.Config | None = None) -> pl.DataFrame:
    """One row per case_type × month of the cases in scope (cases.processing_monthly, as the CLI's
    handläggningstider report), with what is measured."""
    cfg = cfg or config_mod.load()
    monthly = case_mod.processing_monthly(cases, months, cfg).drop("unit")
    return monthly.join(case_limits(cfg).select("case_type", "measured"), on="case_type", how="left").sort(
        "case_type", "month_start")


@fmt.formatted
def processing_month_display(monthly: pl.DataFrame, month_start: date) -> pl.DataFrame:
    """The chosen month's row per ärendetyp."""
    return (
        monthly.filter(pl.col("month_start") == month_start)
        .sort("case_type")
        .select(
            Ärendetyp=pl.col("case_type"),
            Avslutade=pl.col("closed"),
            **{"Median, dagar": pl.col("median_days")},
            **{"90:e percentil, dagar": pl.col("p90_days")},
            **{"Inom gränsen": pl.col("within").cast(pl.String).fill_null("–")},
            **{"Andel inom gränsen": _f(fmt.pct, "share_within_pct", 1)},
            Gräns=pl.col("limit_label"),
            Mäts=pl.col("measured"),
        )
    )


@fmt.formatted
def processing_monthly_display(monthly: pl.DataFrame) -> pl.DataFrame:
    return monthly.sort("case_type", "month_start", descending=[False, True]).select(
        Ärendetyp=pl.col("case_type"),
        Månad=month_label(),
        Avslutade=pl.col("closed"),
        **{"Median, dagar": pl.col("median_days")},
        **{"90:e percentil, dagar": pl.col("p90_days")},
        **{"Andel inom gränsen": _f(fmt.pct, "share_within_pct", 1)},
        Gräns=pl.col("limit_label"),
    )


def of_case_types(frame: pl.DataFrame, types: list[str] | tuple[str, ...]) -> pl.DataFrame:
    """Only the chosen ärendetyper (none chosen = all)."""
    return frame.filter(pl.col("case_type").is_in(list(types))) if types else frame


def split_deadlines(deadlines: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(already past the limit, passing it soon) from cases.open_deadlines."""
    return deadlines.filter(pl.col("status") == case_mod.PASSED), deadlines.filter(pl.col("status") != case_mod.PASSED)


def deadlines_display(deadlines: pl.DataFrame, with_unit: bool) -> pl.DataFrame:
    """The chef's action list: pseudonymous ärende-id, type, days so far, last day within limit."""
    return deadlines.sort("days_left", "case_id").select(
        **{"Ärende-id": pl.col("case_id")},
        **({"Enhet": pl.col("unit")} if with_unit else {}),
        Ärendetyp=pl.col("case_type"),
        **{"Räknas från": _date("from_date")},
        **{"Dagar hittills": pl.col("days_open")},
        **{"Sista dag inom gränsen": _date("deadline")},
        Läge=pl.when(pl.col("days_left") < 0)
        .then(pl.lit("") + (-pl.col("days_left")).cast(pl.String) + pl.lit(" dagar över"))
        .when(pl.col("days_left") == 0).then(pl.lit("sista dagen idag"))
        .otherwise(pl.col("days_left").cast(pl.String) + pl.lit(" dagar kvar")),
    )


# -- Personal ----------------------------------------------------------------------------------
def staff_scope(staffing: pl.DataFrame, unit: str | None) -> pl.DataFrame:
    """One unit's staffing rows, or the IoF total (staff.staff_total) for unit None."""
    if unit is None:
        return staff_mod.staff_total(staffing) if not staffing.is_empty() else staffing
    return staffing.filter(pl.col("unit") == unit)


def staff_monthly(staffing: pl.DataFrame, months: pl.DataFrame, unit: str | None) -> pl.DataFrame:
    """staff.staff_by_month for the scope (one row per month present in the extract)."""
    s = staff_scope(staffing, unit)
    if s.is_empty():
        return s
    return staff_mod.staff_by_month(s, months)


def staff_units(staffing: pl.DataFrame, year: int, month: int) -> pl.DataFrame:
    """One row per unit and IoF totalt (last) for the month: staff.staff_by_month's columns."""
    if staffing.is_empty():
        return staffing
    months = month_grid(date(year, month, 1), date(year, month, 1))
    units = staff_mod.staff_by_month(staffing, months)
    total = staff_mod.staff_by_month(staff_mod.staff_total(staffing), months)
    return pl.concat([units, total], how="vertical_relaxed")


@fmt.formatted
def staff_units_display(frame: pl.DataFrame) -> pl.DataFrame:
    def num(col: str, d: int = 1) -> pl.Expr:
        return _f(fmt.number, col, d)

    return frame.with_columns(_caseload_range=pl.struct(lo="caseload_low", hi="caseload_high")).select(
        Enhet=pl.col("unit"),
        **{"Budgeterade åa": num("budgeted_fte"), "Bemannade åa": num("filled_fte")},
        Vakanser=num("vacancies"),
        **{"Konsulter åa": num("consultant_fte")},
        Sjukfrånvaro=_f(fmt.pct, "sick_leave_pct", 1),
        **{"Mål sjukfrånvaro": _f(fmt.pct, "sick_leave_target_pct", 1)},
        **{"Dag 1–14": _f(fmt.pct, "sick_leave_short_pct", 1)},
        **{"Mål dag 1–14": _f(fmt.pct, "sick_leave_short_target_pct", 1)},
        **{"Avgångar 12 mån": pl.col("leavers_12m")},
        **{"Personalomsättning 12 mån": _f(fmt.pct, "turnover_12m_pct", 1)},
        **{"Ärenden per handläggare": num("cases_per_caseworker")},
        # one format of both ends (a text marker inside concat_str would show as its own spelling)
        **{"Intervall": fmt.text(caseload_range, "_caseload_range")},
        Läge=pl.col("caseload_band").fill_null("–"),
    )


def caseload_range(band: dict | None) -> str:
    """`12–16`: the unit's band of ärenden per handläggare (– when it has none)."""
    if not band or band.get("lo") is None or band.get("hi") is None:
        return "–"
    return f"{fmt.number(band['lo'], 0)}–{fmt.number(band['hi'], 0)}"


def staff_monthly_display(frame: pl.DataFrame) -> pl.DataFrame:
    return staff_units_display(frame.sort("month_start", descending=True)).drop("Enhet").insert_column(
        0, frame.sort("month_start", descending=True).select(Månad=month_label())["Månad"]
    )
