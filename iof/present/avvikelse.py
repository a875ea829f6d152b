"""The drill-through page's tables and sentences (pure Polars): what explains a kostnadsslag's deviation."""

from __future__ import annotations

import polars as pl

from iof.present import fmt


def _yes(v: bool | None) -> str:
    return "ja" if v else ""


@fmt.formatted
def placements_display(ranked: pl.DataFrame) -> pl.DataFrame:
    """The ranked placements as people read them (pseudonyms only; the caller restricts by role)."""
    return ranked.select(
        Rang="rang",
        Placering="placement_id",
        Barn="child_id",
        Form="placement_type",
        **{"Kostnad i år": fmt.text(fmt.tkr, "kostnad_i_år_tkr", 0)},
        **{"Varav kvar": fmt.text(fmt.tkr, "kvarvarande_tkr", 0)},
        **{"Ny i år": fmt.text(_yes, "ny_i_år")},
        **{"Efter sammanbrott": fmt.text(_yes, "efter_sammanbrott")},
        **{"Andel av linjen": fmt.text(fmt.pct, "andel_pct")},
        Start=pl.col("start_date").dt.strftime("%Y-%m-%d"),
        Slut=pl.coalesce(pl.col("end_date").dt.strftime("%Y-%m-%d"),
                         pl.col("planned_end_date").dt.strftime("%Y-%m-%d") + pl.lit(" (planerat)"), pl.lit("")),
        **{"Dygnskostnad": fmt.text(fmt.kr, "daily_cost_kr")},
    )


def placement_sentence(summary: dict, line_prognos_tkr: float, cost_type: str) -> str:
    """What the placements add up to, in the line's terms; every amount from the table or the line."""
    if not summary["antal"]:
        return f"Inga placeringar är bokade på {cost_type.lower()} i år."
    rest = line_prognos_tkr - summary["kostnad_tkr"]
    text = (f"{summary['antal']} placeringar kostar {fmt.amount(summary['kostnad_tkr'])} i år, varav "
            f"{fmt.amount(summary['kvarvarande_tkr'])} återstår att betala efter månaden. "
            f"{summary['nya_antal']} av dem har börjat i år, efter att budgeten sattes "
            f"({fmt.amount(summary['nya_tkr'])})")
    if summary["sammanbrott_antal"]:
        text += (f", och {summary['sammanbrott_antal']} följer på ett sammanbrott "
                 f"({fmt.amount(summary['sammanbrott_tkr'])})")
    text += "."
    if abs(rest) >= 0.5:
        text += (f" Resten av linjens helårsprognos ({fmt.amount(rest, True)}) är förväntat intag, förväntade "
                 "avslut och det som placeringsregistret inte förklarar.")
    return text


@fmt.formatted
def staff_display(months: pl.DataFrame) -> pl.DataFrame:
    return months.select(
        Rang="rang",
        Månad=fmt.text(fmt.month_name, "month"),
        Budget=fmt.text(fmt.tkr, "budget_tkr", 0),
        Utfall=fmt.text(fmt.tkr, "utfall_tkr", 0),
        Avvikelse=fmt.text(fmt.signed, "avvikelse_tkr", "tkr", 0),
        **{"Budgeterade åa": fmt.text(fmt.number, "budgeted_fte", 1)},
        **{"Bemannade åa": fmt.text(fmt.number, "filled_fte", 1)},
        **{"Vakanser": fmt.text(fmt.number, "vacancies", 1)},
        **{"Konsulter åa": fmt.text(fmt.number, "consultant_fte", 1)},
    )


def largest(table: pl.DataFrame, n: int = 6) -> pl.DataFrame:
    """The n largest unfavourable line deviations across the units (raw; see largest_display)."""
    from iof.compute.deviation import largest_line_deviations

    top = largest_line_deviations(table, n)
    return top.filter(top["avvikelse_tkr"] <= -50.0)  # the small ones explain nothing at a meeting


@fmt.formatted
def largest_display(top: pl.DataFrame) -> pl.DataFrame:
    return top.select(
        Enhet="enhet",
        Kostnadsslag="kostnadsslag",
        Avvikelse=fmt.text(fmt.signed, "avvikelse_tkr", "mnkr"),
        Helårsprognos=fmt.text(fmt.mnkr, "prognos_tkr"),
        Budget=fmt.text(fmt.mnkr, "budget_tkr"),
    )
