"""The trend reports of the contract, as Polars frames with the contract's column names.

trend_long is pure (frames in, frame out); the *_report functions read the store, call it or
the domain functions, and name columns as the contract says. Writing CSV/xlsx is iof.pipeline.reports'.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iof.compute import cases as case_mod
from iof.core import config as config_mod
from iof.compute import staff as staff_mod
from iof.compute import trends
from iof.core.domain import IOF_TOTAL
from iof.core.periods import PeriodError, month_grid, parse_ym
from iof.pipeline.reports import ReportError
from iof.pipeline.reports import _check_unit as _check_unit  # one message for an unknown unit

# Mått of the trender report: name → (what one value is, unit of measure), in report order.
# antal_underlag is the number of children / placements / ärenden / stays the value rests on, so
# the UI can show "<5" below config small_count_threshold; it is empty for FTE and money.
MATT: dict[str, str] = {
    "placerade_barn": "barn i placering vid månadens slut (antal barn)",
    "aktiva_placeringar": "placeringar aktiva vid månadens slut",
    "barn_i_jourhem": "barn i jourhem (egen regi eller konsulentstött) vid månadens slut",
    "barn_i_konsulentstött_jourhem": "barn i konsulentstött jourhem vid månadens slut",
    "andel_egen_regi_pct": "barn i egen regi av barn i egen regi + konsulentstött vid månadens slut, %",
    "nya_placeringar": "placeringar som började under månaden",
    "avslutade_placeringar": "placeringar som avslutades under månaden",
    "sammanbrott": "placeringar som avslutades med avslutsorsak Sammanbrott under månaden",
    "sammanbrott_12m": "sammanbrott under de senaste 12 månaderna",
    "sammanbrott_per_100_vårdår_12m": "sammanbrott per 100 vårdår (vårddygn/365), rullande 12 månader",
    "sammanbrott_andel_av_avslut_12m_pct": "sammanbrott av alla avslutade placeringar, rullande 12 månader, %",
    "barn_i_<placeringsform>": "barn i placeringsformen vid månadens slut",
    "avslutade_<avslutsorsak>": "placeringar avslutade under månaden med avslutsorsaken",
    "vårddygn": "vårddygn under månaden (start- och slutdag inräknade)",
    "vårdkostnad_kr": "vårddygn × dygnskostnad under månaden, kr",
    "snittkostnad_per_dygn_kr": "vårdkostnad ÷ vårddygn, kr",
    "jourhem_vistelser_startade": "jourhemsvistelser som började under månaden",
    "jourhem_vistelser_avslutade": "jourhemsvistelser (sammanhängande jourhemsplaceringar) som avslutades",
    "jourhem_median_dagar": "median av dagar i jourhem för vistelser som avslutades under månaden",
    "<ärendetyp>_avslutade": "ärenden som nådde sitt slutdatum under månaden",
    "<ärendetyp>_median_dagar": "median handläggningstid, dagar (närmaste rang: ett helt antal dagar)",
    "<ärendetyp>_p90_dagar": "90:e percentilen av handläggningstid, dagar",
    "<ärendetyp>_andel_inom_gräns": "andel avslutade inom gränsen i iof.toml, %",
    "<ärendetyp>_pågående": "öppna ärenden vid månadens slut",
    "<ärendetyp>_pågående_över_gräns": "öppna ärenden som vid månadens slut har passerat gränsen",
    "budgeterade_åa": "budgeterade årsarbetare",
    "bemannade_åa": "bemannade årsarbetare",
    "vakanta_tjänster": "vakanta tjänster",
    "konsulter_åa": "konsulter, årsarbetare",
    "sjukfrånvaro_pct": "sjukfrånvaro totalt, %",
    "sjukfrånvaro_dag1_14_pct": "sjukfrånvaro dag 1–14, %",
    "avgångar_12m": "avgångar under de senaste 12 månaderna",
    "personalomsättning_12m_pct": "avgångar 12 månader ÷ genomsnittligt bemannade åa, %",
    "handläggare_åa": "handläggare, årsarbetare",
    "aktuella_ärenden": "aktuella ärenden",
    "ärenden_per_handläggare": "aktuella ärenden ÷ handläggare (åa)",
}

_LONG = {"unit": pl.String, "month_start": pl.Date, "kpi": pl.String, "value": pl.Float64, "basis": pl.Int64}


def _melt(frame: pl.DataFrame, measures: dict[str, tuple[str, str | None]]) -> pl.DataFrame:
    """Wide unit × month frame → long rows; measures maps mått → (value column, basis column)."""
    parts = [
        frame.select(
            "unit", "month_start",
            kpi=pl.lit(name),
            value=pl.col(col).cast(pl.Float64),
            basis=(pl.col(basis) if basis else pl.lit(None)).cast(pl.Int64),
        )
        for name, (col, basis) in measures.items()
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=_LONG)


def _placement_long(placements: pl.DataFrame, months: pl.DataFrame, as_of: date, cfg) -> pl.DataFrame:
    if placements.is_empty():
        return pl.DataFrame(schema=_LONG)
    stock = trends.month_end_stock(placements, months, cfg)
    flows = trends.flows_by_month(placements, months)
    cost = trends.care_days_cost(placements, months)
    rates = trends.breakdown_rates(placements, months)
    stays = trends.jourhem_time_by_month(trends.jourhem_stays(placements, as_of, cfg), months)
    key = ["unit", "month_start"]
    wide = (
        stock.join(flows.drop("month_end"), on=key, how="left")
        .join(cost.drop("month_end"), on=key, how="left")
        .join(rates.select(*key, "breakdowns_12m", "per_100_placement_years_12m", "share_of_endings_12m_pct"), on=key, how="left")
        .join(stays.drop("month_end"), on=key, how="left")
        .with_columns(
            own_basis=pl.col("children_own") + pl.col("children_agency"),
            stays_ended=pl.col("stays_ended").fill_null(0),
            stays_started=pl.col("stays_started").fill_null(0),
        )
    )
    # barn_i_jourhem_konsulentstött would repeat barn_i_konsulentstött_jourhem (the name targets use)
    by_form = _per_category(trends.month_end_by_form(placements, months), "placement_type", "children", "barn_i_")
    by_form = by_form.filter(pl.col("kpi") != "barn_i_jourhem_konsulentstött")
    by_reason = _per_category(trends.ended_by_month(placements, months), "end_reason", "ended", "avslutade_")
    return pl.concat([by_form, by_reason, _melt(
        wide,
        {
            "placerade_barn": ("children", "children"),
            "aktiva_placeringar": ("placements", "placements"),
            "barn_i_jourhem": ("children_jourhem", "children_jourhem"),
            "barn_i_konsulentstött_jourhem": ("children_agency_jourhem", "children_agency_jourhem"),
            "andel_egen_regi_pct": ("own_share_pct", "own_basis"),
            "nya_placeringar": ("started", "started"),
            "avslutade_placeringar": ("ended", "ended"),
            "sammanbrott": ("breakdowns", "breakdowns"),
            "sammanbrott_12m": ("breakdowns_12m", "breakdowns_12m"),
            "sammanbrott_per_100_vårdår_12m": ("per_100_placement_years_12m", "breakdowns_12m"),
            "sammanbrott_andel_av_avslut_12m_pct": ("share_of_endings_12m_pct", "breakdowns_12m"),
            "vårddygn": ("care_days", None),
            "vårdkostnad_kr": ("cost_kr", None),
            "snittkostnad_per_dygn_kr": ("cost_per_day_kr", None),
            "jourhem_vistelser_startade": ("stays_started", "stays_started"),
            "jourhem_vistelser_avslutade": ("stays_ended", "stays_ended"),
            "jourhem_median_dagar": ("median_days_ended", "stays_ended"),
        },
    )])


def _slug(text: str) -> str:
    return text.lower().replace(" ", "_")


def _per_category(frame: pl.DataFrame, category: str, count: str, prefix: str) -> pl.DataFrame:
    """Long rows for a count per category (only months with at least one)."""
    return frame.select(
        "unit", "month_start",
        kpi=pl.lit(prefix) + pl.col(category).str.to_lowercase().str.replace_all(" ", "_"),
        value=pl.col(count).cast(pl.Float64),
        basis=pl.col(count).cast(pl.Int64),
    )


def _case_long(cases: pl.DataFrame, months: pl.DataFrame, cfg) -> pl.DataFrame:
    if cases.is_empty():
        return pl.DataFrame(schema=_LONG)
    times = case_mod.processing_times(case_mod.merge_reopened_investigations(cases), cfg)
    key = ["unit", "case_type", "month_start"]
    grid = (
        times.select("unit", "case_type").unique()
        .join(months.select("month_start"), how="cross")
    )
    wide = (
        grid.join(case_mod.processing_by_month(times, months), on=key, how="left")
        .join(case_mod.open_past_limit_by_month(times, months), on=key, how="left")
        .with_columns(pl.col("closed", "open", "open_past_limit").fill_null(0))
        .join(pl.DataFrame({"case_type": list(cfg.case_limits),
                            "has_limit": [v.limit_days is not None or v.limit_months is not None
                                          for v in cfg.case_limits.values()]}), on="case_type", how="left")
    )
    parts = []
    for (case_type,), part in wide.partition_by("case_type", as_dict=True).items():
        s = _slug(case_type)
        measures = {
            f"{s}_avslutade": ("closed", "closed"),
            f"{s}_median_dagar": ("median_days", "closed"),
            f"{s}_p90_dagar": ("p90_days", "closed"),
            f"{s}_pågående": ("open", "open"),
        }
        if part["has_limit"][0]:
            measures[f"{s}_andel_inom_gräns"] = ("share_within_pct", "closed")
            measures[f"{s}_pågående_över_gräns"] = ("open_past_limit", "open_past_limit")
        parts.append(_melt(part, measures))
    return pl.concat(parts)


def _staff_long(staffing: pl.DataFrame, months: pl.DataFrame, cfg) -> pl.DataFrame:
    if staffing.is_empty():
        return pl.DataFrame(schema=_LONG)
    wide = staff_mod.staff_by_month(staffing, months, cfg)
    return _melt(
        wide,
        {
            "budgeterade_åa": ("budgeted_fte", None),
            "bemannade_åa": ("filled_fte", None),
            "vakanta_tjänster": ("vacancies", None),
            "konsulter_åa": ("consultant_fte", None),
            "sjukfrånvaro_pct": ("sick_leave_pct", None),
            "sjukfrånvaro_dag1_14_pct": ("sick_leave_short_pct", None),
            "avgångar_12m": ("leavers_12m", "leavers_12m"),
            "personalomsättning_12m_pct": ("turnover_12m_pct", None),
            "handläggare_åa": ("caseworker_fte", None),
            "aktuella_ärenden": ("open_cases", "open_cases"),
            "ärenden_per_handläggare": ("cases_per_caseworker", None),
        },
    )


def trend_long(
    placements: pl.DataFrame,
    cases: pl.DataFrame,
    staffing: pl.DataFrame,
    first: date,
    last: date,
    as_of: date | None = None,
    with_total: bool = True,
    cfg: config_mod.Config | None = None,
    placements_through: date | None = None,
    cases_through: date | None = None,
) -> pl.DataFrame:
    """One row per unit × month × mått (see MATT): value (Float64) and basis — the raw count of
    children/placements/ärenden/stays behind it, for small-number suppression in the UI.

    as_of (default: the last day of `last`'s month) is the day the jourhem stays are known on.
    with_total adds unit "IoF totalt": placements and ärenden recomputed over all units (a child
    placed by two units counts once), staff via staff.staff_total.
    placements_through / cases_through: the last day the register is known for (its latest
    extract); months after it get no placement / ärende values rather than guesses (an ongoing
    placement would otherwise count on into months nobody has reported yet).
    """
    cfg = cfg or config_mod.load()
    months = month_grid(first, last)
    as_of = as_of or months["month_end"].max()
    p_months = months if placements_through is None else months.filter(pl.col("month_end") <= placements_through)
    c_months = months if cases_through is None else months.filter(pl.col("month_end") <= cases_through)
    if placements_through is not None:
        as_of = min(as_of, placements_through)
    if p_months.is_empty():
        placements = placements.clear()
    if c_months.is_empty():
        cases = cases.clear()
    frames = [(placements, cases, staffing)]
    if with_total:
        total = pl.lit(IOF_TOTAL)
        frames.append((
            placements.with_columns(unit=total),
            cases.with_columns(unit=total),
            staff_mod.staff_total(staffing) if not staffing.is_empty() else staffing,
        ))
    parts = []
    for p, c, s in frames:
        parts += [_placement_long(p, p_months, as_of, cfg), _case_long(c, c_months, cfg), _staff_long(s, months, cfg)]
    order = (pl.col("unit") == IOF_TOTAL).cast(pl.Int8)
    return (
        pl.concat(parts)
        .filter(pl.col("value").is_not_null())
        .with_columns(_total=order)
        .sort("_total", "unit", "month_start", "kpi")
        .drop("_total")
    )


def trend_wide(long: pl.DataFrame, unit: str, kpis: list[str] | None = None) -> pl.DataFrame:
    """One row per month for one unit, a value column per mått and a `<mått>_underlag` column
    per mått that has a basis (for charts and tables; the UI suppresses small counts)."""
    rows = long.filter(pl.col("unit") == unit)
    if kpis is not None:
        rows = rows.filter(pl.col("kpi").is_in(kpis))
    values = rows.pivot(on="kpi", index="month_start", values="value", sort_columns=False)
    bases = (
        rows.filter(pl.col("basis").is_not_null())
        .with_columns(kpi=pl.col("kpi") + "_underlag")
        .pivot(on="kpi", index="month_start", values="basis")
    )
    return (values.join(bases, on="month_start", how="left") if bases.width > 1 else values).sort("month_start")


# -- the store-facing report builders (contract column names) ----------------------------------
def _unit_filter(frame: pl.DataFrame, unit: str | None) -> pl.DataFrame:
    return frame if unit is None else frame.filter(pl.col("unit") == unit)


def _months(from_ym: str, to_ym: str) -> tuple[date, date]:
    try:
        first, last = parse_ym(from_ym), parse_ym(to_ym)
        month_grid(first, last)
    except PeriodError as exc:
        raise ReportError(str(exc)) from None
    return first, last


def registers_through(store) -> dict[str, date | None]:
    """The last day of the latest period each register (placeringar, arenden) was delivered for."""
    out: dict[str, date | None] = {"placeringar": None, "arenden": None}
    for kind, period in store.query("registers_through").iter_rows():
        try:
            out[kind] = month_grid(parse_ym(period[:7]), parse_ym(period[:7]))["month_end"][0]
        except (PeriodError, TypeError):
            pass  # no register yet, or a period we cannot read: compute without a cap
    return out


def trender_report(store, from_ym: str, to_ym: str, unit: str | None = None) -> pl.DataFrame:
    """enhet;månad;mått;värde;antal_underlag — one row per unit × month (YYYY-MM) × mått.
    Months after the latest extract of a register carry no values from it."""
    _check_unit(store, unit)
    first, last = _months(from_ym, to_ym)
    through = registers_through(store)
    long = trend_long(
        _unit_filter(store.placements(), unit),
        _unit_filter(store.cases(), unit),
        _unit_filter(store.staffing(), unit),
        first,
        last,
        with_total=unit is None,
        placements_through=through["placeringar"],
        cases_through=through["arenden"],
    )
    return long.select(
        enhet=pl.col("unit"),
        månad=pl.col("month_start").dt.strftime("%Y-%m"),
        mått=pl.col("kpi"),
        värde=pl.col("value").round(2, mode="half_away_from_zero"),
        antal_underlag=pl.col("basis"),
    )


def placeringar_per_ar_report(store, from_year: int, to_year: int, unit: str | None = None) -> pl.DataFrame:
    """år;placeringsform;antal_barn — distinct children with a placement of that form overlapping the year."""
    _check_unit(store, unit)
    if to_year < from_year:
        raise ReportError("--från-år måste vara mindre än eller lika med --till-år.")
    return trends.children_per_year(_unit_filter(store.placements(), unit), from_year, to_year).select(
        år=pl.col("year"), placeringsform=pl.col("placement_type"), antal_barn=pl.col("children")
    )


def handlaggningstider_report(store, from_ym: str, to_ym: str, unit: str | None = None) -> pl.DataFrame:
    """enhet;ärendetyp;månad;avslutade;median_dagar;p90_dagar;inom_gräns;andel_inom_gräns_pct;gräns —
    one row per unit × ärendetyp × month with ärenden closed."""
    _check_unit(store, unit)
    cfg = config_mod.load()
    months = month_grid(*_months(from_ym, to_ym))
    return (
        case_mod.processing_monthly(_unit_filter(store.cases(), unit), months, cfg)
        .select(
            enhet=pl.col("unit"),
            ärendetyp=pl.col("case_type"),
            månad=pl.col("month_start").dt.strftime("%Y-%m"),
            avslutade=pl.col("closed"),
            median_dagar=pl.col("median_days"),
            p90_dagar=pl.col("p90_days"),
            inom_gräns=pl.col("within"),
            andel_inom_gräns_pct=pl.col("share_within_pct").round(1, mode="half_away_from_zero"),
            gräns=pl.col("limit_label"),
        )
    )


def arenden_over_grans_report(store, day: date, unit: str | None = None, warning_days: int | None = None) -> pl.DataFrame:
    """enhet;ärendetyp;ärende_id;från_datum;gräns_datum;dagar_öppet;dagar_kvar;status — the open
    ärenden on `day` that have passed their limit or pass it within warning_days (default 14)."""
    _check_unit(store, unit)
    return case_mod.open_deadlines(_unit_filter(store.cases(), unit), day, warning_days).select(
        enhet=pl.col("unit"),
        ärendetyp=pl.col("case_type"),
        ärende_id=pl.col("case_id"),
        från_datum=pl.col("from_date"),
        gräns_datum=pl.col("deadline"),
        dagar_öppet=pl.col("days_open"),
        dagar_kvar=pl.col("days_left"),
        status=pl.col("status"),
    )


def jourhem_report(store, day: date, unit: str | None = None, limit_days: int | None = None) -> pl.DataFrame:
    """enhet;barn_id;placerings_id;placeringsform;vistelse_start;dagar_i_jourhem;dagar_över_gräns;dygnskostnad_kr —
    the children in jourhem on `day` longer than the limit (default config jourhem.gräns_dagar)."""
    _check_unit(store, unit)
    return trends.jourhem_over_limit(_unit_filter(store.placements(), unit), day, limit_days).select(
        enhet=pl.col("unit"),
        barn_id=pl.col("child_id"),
        placerings_id=pl.col("placement_id"),
        placeringsform=pl.col("placement_type"),
        vistelse_start=pl.col("stay_start"),
        dagar_i_jourhem=pl.col("days_in_jourhem"),
        dagar_över_gräns=pl.col("days_over_limit"),
        dygnskostnad_kr=pl.col("daily_cost_kr"),
    )


def vardnadsoverflyttning_report(store, day: date, unit: str | None = None) -> pl.DataFrame:
    """enhet;barn_id;placerings_id;placeringsform;startdatum;dagar_placerad;passerar_gräns;dagar_kvar;passerad —
    children in the same familjehem who have passed, or soon pass, two years (22 kap 14 §)."""
    _check_unit(store, unit)
    return trends.custody_transfer_due(_unit_filter(store.placements(), unit), day).select(
        enhet=pl.col("unit"),
        barn_id=pl.col("child_id"),
        placerings_id=pl.col("placement_id"),
        placeringsform=pl.col("placement_type"),
        startdatum=pl.col("start_date"),
        dagar_placerad=pl.col("days_placed"),
        passerar_gräns=pl.col("passes_on"),
        dagar_kvar=pl.col("days_to_pass"),
        passerad=pl.when(pl.col("passed")).then(pl.lit("ja")).otherwise(pl.lit("nej")),
    )


def sammanbrott_report(store, from_year: int, to_year: int, unit: str | None = None) -> pl.DataFrame:
    """enhet;barn_id;placerings_id;placeringsform;slutdatum;dygnskostnad_kr;nästa_placerings_id;
    nästa_placeringsform;nästa_startdatum;nästa_dygnskostnad_kr;merkostnad_per_dygn_kr;
    nästa_kostnad_året_kr — every sammanbrott ending in the years and what followed it."""
    _check_unit(store, unit)
    # the next placement may be another unit's: look it up among all placements
    fu = _unit_filter(trends.breakdown_followups(store.placements()), unit)
    return fu.filter(pl.col("end_date").dt.year().is_between(from_year, to_year)).select(
        enhet=pl.col("unit"),
        barn_id=pl.col("child_id"),
        placerings_id=pl.col("placement_id"),
        placeringsform=pl.col("placement_type"),
        slutdatum=pl.col("end_date"),
        dygnskostnad_kr=pl.col("daily_cost_kr"),
        nästa_placerings_id=pl.col("next_placement_id"),
        nästa_placeringsform=pl.col("next_placement_type"),
        nästa_startdatum=pl.col("next_start_date"),
        nästa_dygnskostnad_kr=pl.col("next_daily_cost_kr"),
        merkostnad_per_dygn_kr=pl.col("extra_cost_per_day_kr"),
        nästa_kostnad_året_kr=pl.col("next_cost_in_year_kr"),
    )


def malstatus_report(store, year: int, month: int, unit: str | None = None) -> pl.DataFrame:
    """enhet;mått;värde;jämförelsevärde;mål_lägst;mål_högst;status;regel;kommentar;antal_underlag —
    one row per unit × KPI with a target for the year, judged as of month `month` (iof.compute.targets)."""
    from iof.compute import scorecard

    _check_unit(store, unit)
    if not 1 <= month <= 12:
        raise ReportError("--månad ska vara 1–12.")
    card = scorecard.scorecard(
        _unit_filter(store.placements(), unit),
        _unit_filter(store.cases(), unit),
        _unit_filter(store.staffing(), unit),
        year,
        month,
    )
    rule = (
        pl.when(pl.col("comparison") == "mot_föregående_år")
        .then(pl.format("{} % mot föregående år", pl.col("change_pct").round(0, mode="half_away_from_zero").cast(pl.Int64).cast(pl.String)
                        .str.replace("^-", "\u2212")))  # Swedish minus: text, never a formula in Excel
        .when(pl.col("comparison") == "intervall").then(pl.lit("inom intervall"))
        .when(pl.col("goal_low").is_not_null()).then(pl.lit("minst"))
        .otherwise(pl.lit("högst"))
    )
    return card.select(
        enhet=pl.col("unit"),
        mått=pl.col("kpi"),
        värde=pl.col("value").round(2, mode="half_away_from_zero"),
        jämförelsevärde=pl.col("baseline").round(2, mode="half_away_from_zero"),
        mål_lägst=pl.col("goal_low").round(2, mode="half_away_from_zero"),
        mål_högst=pl.col("goal_high").round(2, mode="half_away_from_zero"),
        status=pl.col("status"),
        regel=rule,
        kommentar=pl.col("comment"),
        antal_underlag=pl.col("basis"),
    )
