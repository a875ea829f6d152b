"""Prognossäkerhet as people read it (pure Polars)."""

from __future__ import annotations

import polars as pl

from iof.present import fmt

METHOD_LABELS = {"modell": "Vår metod", "naiv_takt": "Utfall/M × 12", "budget": "Budget"}


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
        Tidpunkt="tidpunkt",
        Metod=pl.col("metod").replace_strict(METHOD_LABELS, default=pl.col("metod")),
        **{"Medelfel per enhet": fmt.text(fmt.tkr, "medel_abs_fel_tkr")},
        **{"Medianfel per enhet %": fmt.text(fmt.pct, "median_abs_fel_pct")},
        **{"Fel IoF totalt": fmt.text(fmt.tkr, "iof_totalt_abs_fel_tkr")},
        **{"Fel IoF totalt %": fmt.text(fmt.pct, "iof_totalt_abs_fel_pct")},
    )
