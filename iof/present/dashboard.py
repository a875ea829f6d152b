"""What the overview, unit and APT views show, assembled from the prognosis and the trends.

Pure Polars (no Streamlit): the pages call these and render. Column names here are the Swedish
labels people read, since these frames go straight to tables and exports.
"""

from __future__ import annotations

import polars as pl

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
    """One row per enhet (IoF totalt last): budget, utfall, prognos, avvikelse tkr and %, the
    change of avvikelse since last month's prognosis (positive = improved) and a status."""
    limit = status_limit_pct() if limit_pct is None else limit_pct
    now = net_rows(table).select("enhet", "budget_tkr", "utfall_tkr", "prognos_tkr", "avvikelse_tkr", "justering_tkr")
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


@fmt.formatted
def overview_display(ov: pl.DataFrame) -> pl.DataFrame:
    """The overview as people read it: Swedish formats, one minus sign."""
    return ov.select(
        Enhet="enhet",
        Budget=fmt.text(fmt.mnkr, "budget_tkr"),
        **{"Utfall hittills": fmt.text(fmt.mnkr, "utfall_tkr")},
        Helårsprognos=fmt.text(fmt.mnkr, "prognos_tkr"),
        Avvikelse=fmt.text(fmt.signed_tkr, "avvikelse_tkr"),
        **{"Avvikelse %": fmt.text(fmt.pct, "avvikelse_pct")},
        **{"Sedan förra månaden": fmt.text(fmt.signed_tkr, "förändring_tkr")},
        Status="status",
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


def analysis_text(unit: str, table: pl.DataFrame, bridge_row: dict | None, year: int, month: int) -> str:
    """A short analysis for the tertialrapport: result, the lines behind it, and the change."""
    t = table.filter(pl.col("enhet") == unit)
    net = t.filter(pl.col("kostnadsslag") == NET)
    if net.is_empty():
        return f"Det finns ingen prognos för {unit} för {fmt.year_month(year, month)}."
    n = net.row(0, named=True)
    avv = n["avvikelse_tkr"]
    period = fmt.year_month(year, month)
    who = "IoF totalt" if unit == IOF_TOTAL else unit
    if abs(avv) < 0.5:
        head = f"Prognosen för {who} efter {period} visar ett resultat i nivå med budget."
    else:
        kind = "ett underskott" if avv < 0 else "ett överskott"
        head = (
            f"Prognosen för {who} efter {period} visar {kind} på {fmt.mnkr(abs(avv))} "
            f"(helårsprognos {fmt.mnkr(n['prognos_tkr'])} mot budget {fmt.mnkr(n['budget_tkr'])})."
        )
    lines = t.filter(pl.col("kostnadsslag") != NET)
    sentences = [head]
    if abs(avv) >= 0.5:
        same_sign = lines.filter((pl.col("avvikelse_tkr") * (1 if avv > 0 else -1)) > 0).sort(
            pl.col("avvikelse_tkr").abs(), descending=True
        ).head(2)
        if same_sign.height:
            parts = [
                f"{r['kostnadsslag'].lower()} ({fmt.signed(r['avvikelse_tkr'], 'mnkr')})"
                for r in same_sign.iter_rows(named=True)
            ]
            sentences.append(f"Avvikelsen förklaras främst av {' och '.join(parts)}.")
    adj = n.get("justering_tkr") or 0.0
    if abs(adj) >= 0.5:
        sentences.append(f"I prognosen ingår chefens justeringar på {fmt.signed(adj, 'mnkr')} netto.")
    if bridge_row is not None and month > 1:
        change = bridge_row["förändring_tkr"]
        if abs(change) < 0.5:
            sentences.append("Prognosen är i stort sett oförändrad sedan förra månaden.")
        else:
            direction = "ökat" if change > 0 else "minskat"
            drivers = sorted(
                ((k, bridge_row.get(k) or 0.0) for k in DRIVER_LABELS),
                key=lambda kv: abs(kv[1]),
                reverse=True,
            )
            top = [f"{DRIVER_LABELS[k]} ({fmt.signed(v, 'mnkr')})" for k, v in drivers[:2] if abs(v) >= 0.5]
            text = f"Sedan förra månaden har prognostiserad nettokostnad {direction} med {fmt.mnkr(abs(change))}"
            sentences.append(text + (f", främst genom {' och '.join(top)}." if top else "."))
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


def kpi_tiles(sc: pl.DataFrame, kpis: tuple[str, ...] = OVERVIEW_KPIS, threshold: int | None = None) -> list[dict]:
    """One dict per KPI for all units together: label, value, last year, unit statuses."""
    tiles = []
    for kpi in kpis:
        rows = sc.filter(pl.col("kpi") == kpi)
        if rows.is_empty():
            continue
        if kpi in COUNT_KPIS:
            value, base = rows["value"].sum(), rows["baseline"].sum()
        elif kpi in SHARE_KPIS:
            w = rows["basis"].fill_null(0)
            value = float((rows["value"].fill_null(0) * w).sum() / w.sum()) if w.sum() else None
            base = None
        else:
            value, base = rows["value"].mean(), rows["baseline"].mean()
        counts = rows.group_by("status").len()
        statuses = {r["status"]: r["len"] for r in counts.iter_rows(named=True)}
        status_text = " · ".join(f"{k}: {statuses[k]}" for k in ("på väg", "risk", "ej uppnått") if k in statuses)
        comparison = "förra året samma period" if rows["comparison"][0] == "mot_föregående_år" else "förra året"
        tiles.append({
            "kpi": kpi,
            "label": KPI_LABELS.get(kpi, kpi),
            "value": value,
            "value_text": kpi_value_text(kpi, value, threshold),
            "baseline_text": kpi_value_text(kpi, base, threshold) if base is not None else None,
            "comparison": comparison,
            "status_text": f"Enheter {status_text}" if status_text else "",
            "worst": next((k for k in ("ej uppnått", "risk", "på väg") if k in statuses), "saknar underlag"),
        })
    return tiles


def unit_kpis_display(sc: pl.DataFrame, unit: str, threshold: int | None = None) -> pl.DataFrame:
    """One unit's KPIs against their targets, as people read them."""
    rows = sc.filter(pl.col("unit") == unit).sort("kpi")
    out = []
    for r in rows.iter_rows(named=True):
        goal = _goal_text(r)
        out.append({
            "Mått": KPI_LABELS.get(r["kpi"], r["kpi"]),
            "Värde": kpi_value_text(r["kpi"], r["value"], threshold),
            "Förra året": kpi_value_text(r["kpi"], r["baseline"], threshold),
            "Mål": goal,
            "Status": r["status"],
        })
    return pl.DataFrame(out, schema={"Mått": pl.String, "Värde": pl.String, "Förra året": pl.String,
                                     "Mål": pl.String, "Status": pl.String})


def _goal_text(r: dict) -> str:
    kpi = r["kpi"]
    lo, hi = r.get("goal_low"), r.get("goal_high")
    show = lambda v: kpi_value_text(kpi, v) if kpi not in COUNT_KPIS else fmt.number(v, 1)  # noqa: E731
    if r.get("comparison") == "mot_föregående_år" and r.get("change_pct") is not None:
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
