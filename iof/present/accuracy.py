"""Prognossäkerhet as people read it (pure Polars)."""

from __future__ import annotations

import polars as pl

from iof.present import fmt

METHOD_LABELS = {
    "modell": "Vår metod",
    "naiv_takt": "Utfall/M × 12",
    "naiv_budgetrest": "Utfall + budget för resten av året",
    "budget": "Budget",
}


@fmt.formatted
def accuracy_display(acc: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × month: prognosis, outcome, error tkr and %."""
    # fel_pct is the absolute error; the table keeps the sign the heatmap shows (+ = prognosis too high)
    signed_pct = pl.when(pl.col("fel_tkr") < 0).then(-pl.col("fel_pct")).otherwise(pl.col("fel_pct"))
    return acc.sort("enhet", "månad").with_columns(_fel_pct_signed=signed_pct).select(
        Enhet="enhet",
        Månad=fmt.text(fmt.month_abbr, "månad"),
        Prognos=fmt.text(fmt.tkr, "prognos_tkr"),
        Utfall=fmt.text(fmt.tkr, "utfall_helår_tkr"),
        Fel=fmt.text(fmt.signed_tkr, "fel_tkr"),
        **{"Fel %": fmt.text(fmt.signed_pct, "_fel_pct_signed")},
        Källa="källa",
    )


@fmt.formatted
def backtest_display(summary: pl.DataFrame) -> pl.DataFrame:
    """One row per tidpunkt × metod: mean absolute error per unit and IoF totalt's error."""
    return summary.select(
        Månad=fmt.text(fmt.month_abbr, "månad"),
        Tidpunkt=pl.col("tidpunkt").fill_null(""),
        Metod=pl.col("metod").replace_strict(METHOD_LABELS, default=pl.col("metod")),
        **{"Medelfel per enhet": fmt.text(fmt.tkr, "medel_abs_fel_tkr")},
        **{"Medianfel per enhet %": fmt.text(fmt.pct, "median_abs_fel_pct")},
        **{"Fel IoF totalt": fmt.text(fmt.tkr, "iof_totalt_abs_fel_tkr")},
        **{"Fel IoF totalt %": fmt.text(fmt.pct, "iof_totalt_abs_fel_pct")},
        **{"Mot bästa enkla metod": fmt.text(_ratio, "kvot_mot_bästa_naiva")},
        **{"Inom 80 % intervall": fmt.text(fmt.pct, "täckning_pct", 0)},
    )


def _ratio(v: float | None) -> str:
    """`0,78 ×` (below 1 = smaller error than the best naive method)."""
    return "–" if v is None else f"{fmt.number(v, 2)}{fmt.NBSP}×"


@fmt.formatted
def line_methods_display(lines: pl.DataFrame) -> pl.DataFrame:
    """Per unit × kostnadsslag: the method the line used, its prognosis, the outcome and the signed error."""
    return lines.select(
        Enhet="enhet",
        Kostnadsslag="kostnadsslag",
        Fel=fmt.text(fmt.signed, "fel_tkr", "tkr", 0),
        **{"Fel %": fmt.text(_signed_pct, "fel_pct")},
        Metod=pl.col("metod").fill_null(""),
        Prognos=fmt.text(fmt.tkr, "prognos_tkr", 0),
        Utfall=fmt.text(fmt.tkr, "utfall_helår_tkr", 0),
    )


def _signed_pct(v: float | None) -> str:
    if v is None:
        return "–"
    return ("+" if round(v, 1) > 0 else "") + fmt.pct(v)
