"""Prognossäkerhet as people read it (pure Polars)."""

from __future__ import annotations

import polars as pl

from iof.present import fmt

METHOD_LABELS = {"modell": "Vår metod", "naiv_takt": "Utfall/M × 12", "budget": "Budget"}


@fmt.formatted
def accuracy_display(acc: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × month: prognosis, outcome, error tkr and %."""
    return acc.sort("enhet", "månad").select(
        Enhet="enhet",
        Månad=fmt.text(fmt.month_abbr, "månad"),
        Prognos=fmt.text(fmt.tkr, "prognos_tkr"),
        Utfall=fmt.text(fmt.tkr, "utfall_helår_tkr"),
        Fel=fmt.text(fmt.signed_tkr, "fel_tkr"),
        **{"Fel %": fmt.text(fmt.pct, "fel_pct")},
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
