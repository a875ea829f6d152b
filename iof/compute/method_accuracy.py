"""Which method each prognosis line used at a month of a closed year, and how it did (issue 15 item 4
as shown on the Prognossäkerhet page). Pure Polars."""

from __future__ import annotations

import polars as pl

from iof.compute.forecast import ForecastParams, forecast


def line_methods(
    budget: pl.DataFrame,
    actual: pl.DataFrame,
    placements: pl.DataFrame,
    staffing: pl.DataFrame,
    year: int,
    month: int,
    params: ForecastParams | None = None,
) -> pl.DataFrame:
    """One row per unit × kostnadsslag: the method the line's prognosis used as of (year, month)
    (recomputed with what was known then), the prognosis, the year's outcome and the error
    (prognos − utfall, tkr; positive = expected more than it became) and the error in % of the
    outcome. Sorted by unit, then the largest absolute error first."""
    fc = forecast(budget, actual, placements, staffing, year, month, params or ForecastParams())
    outcome = (
        actual.filter(pl.col("year") == year)
        .group_by("unit", "cost_type")
        .agg(utfall_helår_tkr=pl.col("amount_tkr").sum())
    )
    return (
        fc.lines.select("unit", "cost_type", "method", prognos_tkr="model_tkr")
        .join(outcome, on=["unit", "cost_type"], how="left")
        .with_columns(pl.col("utfall_helår_tkr").fill_null(0.0))
        .with_columns(fel_tkr=pl.col("prognos_tkr") - pl.col("utfall_helår_tkr"))
        .with_columns(
            fel_pct=pl.when(pl.col("utfall_helår_tkr").abs() > 0)
            .then(pl.col("fel_tkr") / pl.col("utfall_helår_tkr").abs() * 100)
            .otherwise(None)
        )
        .filter((pl.col("prognos_tkr") != 0) | (pl.col("utfall_helår_tkr") != 0))
        .sort(["unit", pl.col("fel_tkr").abs()], descending=[False, True])
        .select(enhet="unit", kostnadsslag="cost_type", metod="method", prognos_tkr="prognos_tkr",
                utfall_helår_tkr="utfall_helår_tkr", fel_tkr="fel_tkr", fel_pct="fel_pct")
    )
