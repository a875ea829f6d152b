"""Prognossäkerhet as people read it (pure Polars)."""

from __future__ import annotations

import polars as pl

from iof import fmt
from iof.domain import MONTH_ABBR

METHOD_LABELS = {"modell": "Vår metod", "naiv_takt": "Utfall/M × 12", "budget": "Budget"}


def accuracy_display(acc: pl.DataFrame) -> pl.DataFrame:
    """One row per unit × month: prognosis, outcome, error tkr and %."""
    return acc.sort("enhet", "månad").select(
        Enhet="enhet",
        Månad=pl.col("månad").map_elements(lambda m: MONTH_ABBR[m - 1], return_dtype=pl.String),
        Prognos=pl.col("prognos_tkr").map_elements(fmt.tkr, return_dtype=pl.String),
        Utfall=pl.col("utfall_helår_tkr").map_elements(fmt.tkr, return_dtype=pl.String),
        Fel=pl.col("fel_tkr").map_elements(lambda v: fmt.signed(v), return_dtype=pl.String),
        **{"Fel %": pl.col("fel_pct").map_elements(fmt.pct, return_dtype=pl.String)},
        Källa="källa",
    )


def backtest_display(summary: pl.DataFrame) -> pl.DataFrame:
    """One row per tidpunkt × metod: mean absolute error per unit and IoF totalt's error."""
    return summary.select(
        Tidpunkt="tidpunkt",
        Metod=pl.col("metod").replace_strict(METHOD_LABELS, default=pl.col("metod")),
        **{"Medelfel per enhet": pl.col("medel_abs_fel_tkr").map_elements(fmt.tkr, return_dtype=pl.String)},
        **{"Medianfel per enhet %": pl.col("median_abs_fel_pct").map_elements(fmt.pct, return_dtype=pl.String)},
        **{"Fel IoF totalt": pl.col("iof_totalt_abs_fel_tkr").map_elements(fmt.tkr, return_dtype=pl.String)},
        **{"Fel IoF totalt %": pl.col("iof_totalt_abs_fel_pct").map_elements(fmt.pct, return_dtype=pl.String)},
    )
