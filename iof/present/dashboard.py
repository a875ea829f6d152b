"""What the overview, unit and APT views show, assembled from the prognosis and the trends.

Pure Polars (no Streamlit): the pages call these and render. Column names here are the Swedish
labels people read, since these frames go straight to tables and exports.
"""

from __future__ import annotations

import polars as pl

from iof.compute.disclosure import HIDDEN_TEXT  # what a hidden figure shows (pages read it here)
from iof.present import fmt
from iof.core.config import load
from iof.core.domain import IOF_TOTAL, NET, STAFF_COST_TYPES, net_sign

STATUS_DEFICIT = "Underskott"
STATUS_BALANCE = "I balans"
STATUS_SURPLUS = "Överskott"


def status_limit_pct() -> float:
    return float(load().section("översikt").get("status_gräns_pct", 1.0))


def status_expr(limit_pct: float) -> pl.Expr:
    """Underskott / I balans / Överskott from avvikelse as % of budget (see iof.toml ["översikt"])."""
    return (
        pl.when(pl.col("avvikelse_pct") < -limit_pct)
        .then(pl.lit(STATUS_DEFICIT))
        .when(pl.col("avvikelse_pct") > limit_pct)
        .then(pl.lit(STATUS_SURPLUS))
        .otherwise(pl.lit(STATUS_BALANCE))
    )


def net_rows(table: pl.DataFrame) -> pl.DataFrame:
    """The Netto rows of a prognos table (one per enhet, IoF totalt last)."""
    return table.filter(pl.col("kostnadsslag") == NET)


def overview(table: pl.DataFrame, previous: pl.DataFrame | None, limit_pct: float | None = None) -> pl.DataFrame:
    """One row per enhet (IoF totalt last): budget, utfall, prognos (with its 80 % interval when the
    table has one), avvikelse tkr and %, the change of avvikelse since last month's prognosis
    (positive = improved) and a status."""
    limit = status_limit_pct() if limit_pct is None else limit_pct
    band = [c for c in ("intervall_låg_tkr", "intervall_hög_tkr") if c in table.columns]
    now = net_rows(table).select("enhet", "budget_tkr", "utfall_tkr", "prognos_tkr", "avvikelse_tkr",
                                 "justering_tkr", *band)
    if len(band) < 2:
        now = now.with_columns(intervall_låg_tkr=pl.lit(None, pl.Float64), intervall_hög_tkr=pl.lit(None, pl.Float64))
    if previous is not None and previous.height:
        prev = net_rows(previous).select("enhet", föregående_avvikelse_tkr="avvikelse_tkr")
        now = now.join(prev, on="enhet", how="left")
    else:
        now = now.with_columns(föregående_avvikelse_tkr=pl.lit(None, pl.Float64))
    return now.with_columns(
        avvikelse_pct=pl.when(pl.col("budget_tkr") != 0)
        .then(pl.col("avvikelse_tkr") / pl.col("budget_tkr").abs() * 100)
        .otherwise(None),
        förändring_tkr=pl.col("avvikelse_tkr") - pl.col("föregående_avvikelse_tkr"),
    ).with_columns(status=status_expr(limit))


SORT_WORST = "Störst underskott först"
SORT_BEST = "Störst överskott först"
SORT_NAME = "Enhet A–Ö"
SORT_ORDERS = (SORT_WORST, SORT_BEST, SORT_NAME)


def sort_overview(ov: pl.DataFrame, order: str = SORT_WORST) -> pl.DataFrame:
    """The units in the chosen order (the worst deviation first by default), IoF totalt last."""
    total = pl.col("enhet") == IOF_TOTAL
    if order == SORT_NAME:
        return ov.sort(total, "enhet")
    return ov.sort(total, "avvikelse_tkr", "enhet", descending=[False, order == SORT_BEST, False])


def interval_text(low_tkr: float | None, high_tkr: float | None) -> str:
    """`45,9–48,6 mnkr` (– when there is no interval)."""
    if low_tkr is None or high_tkr is None:
        return "–"
    return f"{fmt.number(low_tkr / 1000, 1)}–{fmt.mnkr(high_tkr)}"


def prognosis_with_interval(prognos_tkr: float, low_tkr: float | None, high_tkr: float | None) -> str:
    """`47,2 mnkr, 80 % intervall 45,9–48,6` (issue 15's wording; the prognosis alone without one)."""
    if low_tkr is None or high_tkr is None:
        return fmt.mnkr(prognos_tkr)
    return (f"{fmt.mnkr(prognos_tkr)}, 80{fmt.NBSP}% intervall "
            f"{fmt.number(low_tkr / 1000, 1)}–{fmt.number(high_tkr / 1000, 1)}")


def _interval_column(ov: pl.DataFrame) -> pl.Series:
    return pl.Series([interval_text(lo, hi) for lo, hi in zip(ov["intervall_låg_tkr"], ov["intervall_hög_tkr"])],
                     dtype=pl.String)


@fmt.formatted
def _overview_numbers(ov: pl.DataFrame) -> pl.DataFrame:
    return ov.select(
        Avvikelse=fmt.text(fmt.signed, "avvikelse_tkr", "mnkr"),
        **{"Avvikelse %": fmt.text(fmt.pct, "avvikelse_pct")},
        **{"Sedan förra månaden": fmt.text(fmt.signed, "förändring_tkr", "mnkr")},
        Helårsprognos=fmt.text(fmt.mnkr, "prognos_tkr"),
        Budget=fmt.text(fmt.mnkr, "budget_tkr"),
        **{"Utfall hittills": fmt.text(fmt.mnkr, "utfall_tkr")},
    )


def overview_display(ov: pl.DataFrame) -> pl.DataFrame:
    """The overview as people read it, in the order of `ov`: Enhet and Status first (visible on a
    small screen), one unit (mnkr) in every money column, the prognosis's 80 % interval."""
    nums = _overview_numbers(ov)
    return ov.select(Enhet="enhet", Status="status").with_columns(
        **{c: nums[c] for c in ("Avvikelse", "Avvikelse %", "Sedan förra månaden", "Helårsprognos")},
        **{"80 % intervall": _interval_column(ov)},
        **{c: nums[c] for c in ("Budget", "Utfall hittills")},
    )


@fmt.formatted
def lines_display(table: pl.DataFrame, unit: str) -> pl.DataFrame:
    """One unit's prognosis by kostnadsslag, with model and adjustments shown apart."""
    t = table.filter(pl.col("enhet") == unit)
    money = {
        "Budget": "budget_tkr",
        "Utfall hittills": "utfall_tkr",
        "Modell": "modell_tkr",
        "Justering": "justering_tkr",
        "Helårsprognos": "prognos_tkr",
    }
    return t.select(
        Kostnadsslag="kostnadsslag",
        **{k: fmt.text(fmt.tkr, v) for k, v in money.items()},
        Avvikelse=fmt.text(fmt.signed_tkr, "avvikelse_tkr"),
        Metod=pl.col("metod").fill_null(""),
    )


def history(nets: pl.DataFrame, budget_net: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × month: the Netto prognosis made that month and its avvikelse.

    `nets`: unit, month, prognos_tkr (Netto per unit, each month's own prognosis);
    `budget_net`: unit, budget_tkr (Netto budget of the year).
    """
    total = nets.group_by("month").agg(pl.col("prognos_tkr").sum()).with_columns(unit=pl.lit(IOF_TOTAL))
    btotal = budget_net.select(pl.lit(IOF_TOTAL).alias("unit"), pl.col("budget_tkr").sum())
    both = pl.concat([nets.select("unit", "month", "prognos_tkr"), total.select("unit", "month", "prognos_tkr")])
    return (
        both.join(pl.concat([budget_net.select("unit", "budget_tkr"), btotal]), on="unit", how="left")
        .with_columns(avvikelse_tkr=pl.col("budget_tkr") - pl.col("prognos_tkr"))
        .sort("unit", "month")
    )


def budget_net(table: pl.DataFrame) -> pl.DataFrame:
    return net_rows(table).filter(pl.col("enhet") != IOF_TOTAL).select(unit="enhet", budget_tkr="budget_tkr")


def monthly_actual_vs_budget(actual: pl.DataFrame, budget_months: pl.DataFrame, year: int, unit: str | None) -> pl.DataFrame:
    """One row per month 1–12: Netto utfall (months with data) and Netto budget, and both accumulated.

    `budget_months` is `forecast.budget_by_month(budget, year)` (unit, cost_type, month, budget_tkr).
    """
    sign = net_sign()
    a = actual.filter(pl.col("year") == year)
    b = budget_months
    if unit is not None and unit != IOF_TOTAL:
        a = a.filter(pl.col("unit") == unit)
        b = b.filter(pl.col("unit") == unit)
    months = pl.DataFrame({"month": list(range(1, 13))}, schema={"month": pl.Int32})
    a = a.group_by(pl.col("month").cast(pl.Int32)).agg(utfall_tkr=(pl.col("amount_tkr") * sign).sum())
    b = b.group_by(pl.col("month").cast(pl.Int32)).agg(budget_tkr=(pl.col("budget_tkr") * sign).sum())
    return (
        months.join(a, on="month", how="left")
        .join(b, on="month", how="left")
        .with_columns(pl.col("budget_tkr").fill_null(0.0))
        .sort("month")
        .with_columns(
            utfall_ack_tkr=pl.col("utfall_tkr").cum_sum(),
            budget_ack_tkr=pl.col("budget_tkr").cum_sum(),
        )
    )


# ---------------------------------------------------------------------------------------------
# Plain Swedish sentences, every figure taken from the computations
# ---------------------------------------------------------------------------------------------
DRIVER_LABELS = {
    "nya_placeringar_tkr": "nya placeringar",
    "efter_sammanbrott_tkr": "placeringar efter sammanbrott",
    "avslutade_placeringar_tkr": "avslutade placeringar",
    "ändrad_dygnskostnad_tkr": "ändrade dygnskostnader",
    "ändrat_planerat_slut_tkr": "ändrade planerade slutdatum",
    "förväntade_avslut_tkr": "förväntade avslut och förlängningar",
    "förväntat_intag_tkr": "förväntat intag av nya placeringar",
    "personal_tkr": "personalkostnader",
    "justeringar_tkr": "chefens justeringar",
    "övrigt_tkr": "övriga poster",
}


# The model's words in plain Swedish, for the APT walkthrough (pages/apt.py has the glossary).
PLAIN_DRIVER_LABELS = {
    "nya_placeringar_tkr": "nya placeringar",
    "efter_sammanbrott_tkr": "placeringar som bröts, nytt hem",
    "avslutade_placeringar_tkr": "placeringar som slutat",
    "ändrad_dygnskostnad_tkr": "nytt pris per dygn",
    "ändrat_planerat_slut_tkr": "nytt slutdatum",
    "förväntade_avslut_tkr": "vi tror slutar eller förlängs",
    "förväntat_intag_tkr": "nya placeringar vi räknar med",
    "personal_tkr": "personal",
    "justeringar_tkr": "chefens bedömning",
    "övrigt_tkr": "övrigt",
}

def bridge_view(row: dict, labels: dict[str, str] | None = None) -> dict:
    """One unit's bridge as shown (chart, text, workbook, PDF): the drivers grouped (small ones in
    övrigt, iof.compute.bridge.grouped_drivers), each with its label and its amount as text, in
    tkr when the unit's largest driver is under 1 000 tkr, else in mnkr. `labels`: other words
    for the drivers (APT's plain Swedish), else DRIVER_LABELS.

    Keys: unit ("tkr"/"mnkr"), divisor (1 or 1000), steps [{key, label, name, tkr, text}],
    start_tkr, end_tkr, change_tkr, change_text (signed), change_abs_text, start_text, end_text.
    """
    from iof.compute.bridge import DRIVERS, grouped_drivers

    change = float(row.get("förändring_tkr") or 0.0)
    largest = max([abs(float(row.get(k) or 0.0)) for k in DRIVERS] + [abs(change)])
    unit = "tkr" if largest < 999.5 else "mnkr"

    def show(v: float, sign: bool = True) -> str:
        if unit == "tkr":
            body, shown = f"{fmt.number(v, 0)}{fmt.NBSP}tkr", round(v)
        else:
            body, shown = fmt.mnkr(v), round(v / 1000, 1)
        return ("+" + body) if sign and shown > 0 else body

    steps = []
    for d in grouped_drivers(row, floor_tkr=5.0 if unit == "tkr" else 50.0):
        name = (labels or DRIVER_LABELS).get(d["driver"], DRIVER_LABELS[d["driver"]])
        if d["grouped"]:
            name = f"{name} (inkl. {d['grouped']} mindre)"
        steps.append({"key": d["driver"], "name": name, "label": name[:1].upper() + name[1:], "tkr": d["tkr"],
                      "text": show(d["tkr"])})
    return {
        "unit": unit, "divisor": 1.0 if unit == "tkr" else 1000.0, "steps": steps,
        "start_tkr": row["prognos_föregående_tkr"], "end_tkr": row["prognos_ny_tkr"], "change_tkr": change,
        "change_text": show(change), "change_abs_text": show(abs(change), sign=False),
        "start_text": fmt.mnkr(row["prognos_föregående_tkr"]), "end_text": fmt.mnkr(row["prognos_ny_tkr"]),
    }


# Rules of the analysis text (tests/test_analysis_text.py has a hand case for each):
OFFSET_SHARE = 0.25  # an opposite line/driver is named ("delvis motverkat av") from 25 % of the change
OFFSET_MIN_TKR = 50.0  # … and at least this much
ADJUSTMENT_DOMINATES = 0.5  # adjustments pulling the same way and ≥ half the deviation are said to dominate


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]


def _main_and_offset(items: list[tuple[str, float, str]], total: float):
    """(up to two items pulling the way of `total`, largest first; the largest item pulling the
    other way if it is large enough, else None). items: (name, value, text)."""
    named = sorted([i for i in items if i[1] * total > 0], key=lambda i: -abs(i[1]))
    opposite = sorted([i for i in items if i[1] * total < 0], key=lambda i: -abs(i[1]))
    offset = None
    if opposite and abs(opposite[0][1]) >= max(OFFSET_SHARE * abs(total), OFFSET_MIN_TKR):
        offset = opposite[0]
    return named[:2], offset


def analysis_text(unit: str, table: pl.DataFrame, bridge_row: dict | None, year: int, month: int) -> str:
    """A short analysis for the unit page and the tertialrapport, true by construction:

    * the result against budget in the overview's terms (under 0,1 mnkr in tkr; `i nivå med
      budget` when it rounds to zero);
    * the lines behind it: the largest lines whose avvikelse goes the same way, and a large line
      pulling the other way named as such ("delvis motverkat av …");
    * the chef's adjustments, said to dominate when they pull the same way and are half or more;
    * the change since last month from the bridge as shown (bridge_view): its drivers in the
      direction of the change, an offsetting driver, `oförändrad` for a change of zero.

    Every amount is one shown on the page (the lines table, the metrics or the bridge)."""
    t = table.filter(pl.col("enhet") == unit)
    net = t.filter(pl.col("kostnadsslag") == NET)
    if net.is_empty():
        return f"Det finns ingen prognos för {unit} för {fmt.year_month(year, month)}."
    n = net.row(0, named=True)
    avv = n["avvikelse_tkr"]
    period = fmt.year_month(year, month)
    zero = lambda v: abs(v) < 0.5  # noqa: E731  (rounds to 0 tkr)
    if zero(avv):
        sentences = [f"Prognosen för {unit} efter {period} visar ett resultat i nivå med budget "
                     f"(helårsprognos {fmt.mnkr(n['prognos_tkr'])})."]
    else:
        kind = "ett underskott" if avv < 0 else "ett överskott"
        sentences = [
            f"Prognosen för {unit} efter {period} visar {kind} på {fmt.amount(abs(avv))} "
            f"(helårsprognos {fmt.mnkr(n['prognos_tkr'])} mot budget {fmt.mnkr(n['budget_tkr'])})."
        ]
        lines = [(r["kostnadsslag"].lower(), r["avvikelse_tkr"], fmt.amount(r["avvikelse_tkr"], True))
                 for r in t.filter(pl.col("kostnadsslag") != NET).iter_rows(named=True)
                 if not zero(r["avvikelse_tkr"])]
        main, offset = _main_and_offset(lines, avv)
        if main:
            text = ("Underskottet" if avv < 0 else "Överskottet") + " förklaras främst av " + _and(
                [f"{name} ({txt})" for name, _, txt in main])
            if offset:
                text += f", delvis motverkat av {offset[0]} ({offset[2]})"
            sentences.append(text + ".")
    adj = n.get("justering_tkr") or 0.0
    if not zero(adj):
        # a positive Netto adjustment is more cost, so it lowers the avvikelse
        if not zero(avv) and -adj * avv > 0 and abs(adj) >= ADJUSTMENT_DOMINATES * abs(avv):
            what = "underskottet" if avv < 0 else "överskottet"
            sentences.append(f"Största delen av {what} kommer från chefens justeringar på "
                             f"{fmt.amount(adj, True)} netto.")
        else:
            sentences.append(f"I prognosen ingår chefens justeringar på {fmt.amount(adj, True)} netto.")
    if bridge_row is not None and month > 1:
        view = bridge_view(bridge_row)
        change = view["change_tkr"]
        items = [(s["name"], s["tkr"], s["text"]) for s in view["steps"]]
        if zero(change):
            text = "Prognosen är oförändrad sedan förra månaden"
            big = sorted([i for i in items if not zero(i[1])], key=lambda i: -abs(i[1]))[:2]
            if len(big) == 2 and big[0][1] * big[1][1] < 0:
                text += f": {big[0][0]} ({big[0][2]}) och {big[1][0]} ({big[1][2]}) tar ut varandra"
            sentences.append(text + ".")
        else:
            direction = "ökat" if change > 0 else "minskat"
            text = (f"Sedan förra månaden har prognostiserad nettokostnad {direction} med "
                    f"{view['change_abs_text']}")
            main, offset = _main_and_offset(items, change)
            if main:
                text += ", främst genom " + _and([f"{name} ({txt})" for name, _, txt in main])
            if offset:
                text += f", delvis motverkat av {offset[0]} ({offset[2]})"
            sentences.append(text + ".")
    return " ".join(sentences)


# ---------------------------------------------------------------------------------------------
# KPI tiles: the verksamhetsplan's goals, IoF as a whole, with each unit's status counted
# ---------------------------------------------------------------------------------------------
KPI_LABELS = {
    "sammanbrott": "Sammanbrott i år",
    "barn_i_konsulentstött_jourhem": "Barn i kons. jourhem",
    "placerade_barn": "Placerade barn",
    "jourhem_median_dagar": "Tid i jourhem, median (dagar)",
    "förhandsbedömning_andel_inom_gräns": "Förhandsbedömningar inom 14 dagar",
    "utredning_andel_inom_gräns": "Utredningar ≤ 4 mån",
    "kontaktfamilj_andel_inom_gräns": "Kontaktfamilj inom 3 månader",
    "samarbetssamtal_andel_inom_gräns": "Samarbetssamtal inom 14 dagar",
    "faderskap_andel_inom_gräns": "Faderskap inom 12 månader",
    "sjukfrånvaro_pct": "Sjukfrånvaro",
    "sjukfrånvaro_dag1_14_pct": "Sjukfrånvaro dag 1–14",
    "ärenden_per_handläggare": "Ärenden per handläggare",
    "personalomsättning_12m_pct": "Personalomsättning 12 mån",
    "vårddygn": "Vårddygn hittills i år",
    "kostnad_kr": "Placeringskostnad hittills i år",
    "kostnad_konsulentstött_jourhem_kr": "Kostnad kons. jourhem i år",
}
COUNT_KPIS = {"sammanbrott", "barn_i_konsulentstött_jourhem", "placerade_barn", "vårddygn"}
SHARE_KPIS = {k for k in KPI_LABELS if k.endswith("_andel_inom_gräns")}
PCT_KPIS = SHARE_KPIS | {"sjukfrånvaro_pct", "sjukfrånvaro_dag1_14_pct", "personalomsättning_12m_pct"}
OVERVIEW_KPIS = ("sammanbrott", "barn_i_konsulentstött_jourhem", "utredning_andel_inom_gräns", "sjukfrånvaro_pct")


AT_MONTH_END_KPIS = {"barn_i_konsulentstött_jourhem", "placerade_barn", "ärenden_per_handläggare"}


def kpi_period(kpi: str, year: int, month: int, all_units: bool = True) -> str:
    """Which period a KPI's value covers, in words: the same number differs between pages that mean
    different periods (sjukfrånvaro for the year so far vs for one month), so each says which."""
    if kpi in AT_MONTH_END_KPIS:
        return f"i slutet av {fmt.year_month(year, month)}"
    if kpi == "personalomsättning_12m_pct":
        return f"12 månader t.o.m. {fmt.year_month(year, month)}"
    if kpi in ("sjukfrånvaro_pct", "sjukfrånvaro_dag1_14_pct"):
        span = fmt.year_month(year, 1) if month == 1 else f"{fmt.month_name(1)}–{fmt.year_month(year, month)}"
        return f"{span}, snitt av enheterna" if all_units else span
    return fmt.year_month(year, 1) if month == 1 else f"{fmt.month_name(1)}–{fmt.year_month(year, month)}"


def kpi_value_text(kpi: str, value: float | None, threshold: int | None = None) -> str:
    if value is None:
        return "–"
    if kpi in COUNT_KPIS:
        return fmt.count(int(round(value)), threshold)
    if kpi in PCT_KPIS:
        return fmt.pct(value)
    if kpi in ("kostnad_kr", "kostnad_konsulentstött_jourhem_kr"):
        return fmt.mnkr(value / 1000)
    return fmt.number(value, 1)


def protected(sc: pl.DataFrame, threshold: int | None, known_units=()) -> pl.DataFrame:
    """For a wide audience (threshold set): the scorecard with disclosure flags
    (iof.compute.disclosure); for everyone else as it is."""
    if threshold is None or "value_hidden" in sc.columns or sc.is_empty():
        return sc
    from iof.compute import disclosure

    rules = disclosure.Rules.from_config()
    rules = disclosure.Rules(threshold, rules.staff_min_headcount)
    return disclosure.apply(sc, rules, frozenset(known_units or ()))


def disclosure_note(threshold: int, staff_min: int | None = None) -> str:
    """The rule, as the page states it (docs/rojandekontroll.md)."""
    if staff_min is None:
        from iof.core.config import load as _load

        staff_min = _load().staff_min_headcount
    return (
        f"Visar bara summor. Antal under {threshold} – också 0 – visas som \"dolt\", och så görs även med "
        "uppgifter som ett dolt antal annars skulle kunna räknas fram ur (summan för IoF, förra årets värde, "
        f"ett mål som räknas från förra årets antal). Sjukfrånvaro och personalomsättning visas inte för "
        f"enheter med färre än {staff_min} medarbetare."
    )


def kpi_tiles(sc: pl.DataFrame, kpis: tuple[str, ...] = OVERVIEW_KPIS, threshold: int | None = None,
              known_units=()) -> list[dict]:
    """One dict per KPI for all units together: label, value, last year, unit statuses. With a
    threshold (a wider audience) figures are hidden by iof.compute.disclosure."""
    from iof.compute.disclosure import HIDDEN_TEXT

    sc = protected(sc, threshold, known_units)
    tiles = []
    for kpi in kpis:
        rows = sc.filter(pl.col("kpi") == kpi)
        if rows.is_empty():
            continue
        flagged = "value_hidden" in rows.columns
        # one unit's tile (APT) shows that unit's figures; several units' tile shows the IoF total
        one = rows.height == 1
        total_hidden = flagged and bool(rows["value_hidden" if one else "total_value_hidden"].any())
        base_hidden = flagged and bool(rows["baseline_hidden" if one else "total_baseline_hidden"].any())
        status_rows = rows.filter(~pl.col("status_hidden")) if flagged else rows
        if kpi in COUNT_KPIS:
            value, base = rows["value"].sum(), rows["baseline"].sum()
        elif kpi in SHARE_KPIS:
            w = rows["basis"].fill_null(0)
            value = float((rows["value"].fill_null(0) * w).sum() / w.sum()) if w.sum() else None
            base = None
        else:
            value, base = rows["value"].mean(), rows["baseline"].mean()
        counts = status_rows.group_by("status").len()
        statuses = {r["status"]: r["len"] for r in counts.iter_rows(named=True)}
        status_text = " · ".join(f"{k}: {statuses[k]}" for k in ("på väg", "risk", "ej uppnått") if k in statuses)
        n_hidden = rows.height - status_rows.height
        if n_hidden:
            status_text = (status_text + " · " if status_text else "") + f"{HIDDEN_TEXT}: {n_hidden}"
        comparison = "förra året samma period" if rows["comparison"][0] == "mot_föregående_år" else "förra året"
        tiles.append({
            "kpi": kpi,
            "label": KPI_LABELS.get(kpi, kpi),
            "value": None if total_hidden else value,
            "value_text": HIDDEN_TEXT if total_hidden else kpi_value_text(kpi, value, threshold),
            "baseline_text": (HIDDEN_TEXT if base_hidden else kpi_value_text(kpi, base, threshold))
            if base is not None else None,
            "comparison": comparison,
            "status_text": f"Enheter {status_text}" if status_text else "",
            "worst": next((k for k in ("ej uppnått", "risk", "på väg") if k in statuses), "saknar underlag"),
        })
    return tiles


def unit_kpis_display(sc: pl.DataFrame, unit: str, threshold: int | None = None, known_units=()) -> pl.DataFrame:
    """One unit's KPIs against their targets, as people read them. With a threshold (a wider
    audience) figures are hidden by iof.compute.disclosure, over all units at once."""
    from iof.compute.disclosure import HIDDEN_TEXT

    sc = protected(sc, threshold, known_units)
    rows = sc.filter(pl.col("unit") == unit).sort("kpi")
    out = []
    for r in rows.iter_rows(named=True):
        hidden = lambda flag: bool(r.get(flag))  # noqa: E731
        goal = _goal_text(r, hide_number=hidden("goal_hidden"))
        out.append({
            "Mått": KPI_LABELS.get(r["kpi"], r["kpi"]),
            "Värde": HIDDEN_TEXT if hidden("value_hidden") else kpi_value_text(r["kpi"], r["value"], threshold),
            "Förra året": HIDDEN_TEXT if hidden("baseline_hidden") else kpi_value_text(r["kpi"], r["baseline"], threshold),
            "Mål": goal,
            "Status": HIDDEN_TEXT if hidden("status_hidden") else r["status"],
        })
    return pl.DataFrame(out, schema={"Mått": pl.String, "Värde": pl.String, "Förra året": pl.String,
                                     "Mål": pl.String, "Status": pl.String})


def _goal_text(r: dict, hide_number: bool = False) -> str:
    kpi = r["kpi"]
    lo, hi = r.get("goal_low"), r.get("goal_high")
    show = lambda v: kpi_value_text(kpi, v) if kpi not in COUNT_KPIS else fmt.number(v, 1)  # noqa: E731
    if r.get("comparison") == "mot_föregående_år" and r.get("change_pct") is not None:
        if hide_number:  # the number is last year's hidden value times a factor
            return f"{fmt.number(r['change_pct'], 0)} % mot förra året"
        return f"{fmt.number(r['change_pct'], 0)} % mot förra året (högst {show(hi)})" if hi is not None else ""
    if lo is not None and hi is not None:
        return f"{show(lo)}–{show(hi)}"
    if hi is not None:
        return f"högst {show(hi)}"
    if lo is not None:
        return f"minst {show(lo)}"
    return ""


def tiles_display(tiles: list[dict]) -> pl.DataFrame:
    """KPI tiles as a small table (for the printable report)."""
    return pl.DataFrame(
        [{"Mått": t["label"], "Värde": t["value_text"], "Förra året": t["baseline_text"] or "–",
          "Enheternas status": t["status_text"]} for t in tiles],
        schema={"Mått": pl.String, "Värde": pl.String, "Förra året": pl.String, "Enheternas status": pl.String},
    )


def drill_target(cost_type: str, cfg) -> str | None:
    """The page that explains a kostnadsslag's deviation: placements for a line placements are booked
    on (iof.toml [placeringsformer]), staff for the staff lines, else none."""
    if cost_type in {t.cost_type for t in cfg.placement_types.values()}:
        return "placeringar"
    if cost_type in STAFF_COST_TYPES:
        return "personal"
    return None
