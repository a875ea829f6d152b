"""Prognossäkerhet: how far each month's prognosis was from the year's final outcome.

Error = prognosis − outcome of Netto (kostnader − intäkter), so a positive error means the
prognosis expected more net cost than there turned out to be. `fel_pct` is the absolute error
in % of the absolute outcome. The backtest runs the method as of T1 (April) and T2 (August) of
closed years, with only what was known then, against two naive methods: utfall/M × 12 and budget.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from iof.core.domain import INCOME_TYPES, IOF_TOTAL
from iof.compute.forecast import ForecastParams, budget_by_month, forecast, net_by_unit

_SIGN = pl.when(pl.col("cost_type").is_in(list(INCOME_TYPES))).then(-1.0).otherwise(1.0)


def closed_years(actual: pl.DataFrame) -> list[int]:
    """Years whose utfall reaches December."""
    return sorted(actual.filter(pl.col("month") == 12)["year"].unique().to_list())


def outcome(actual: pl.DataFrame, year: int) -> pl.DataFrame:
    """One row per unit: the year's Netto utfall (utfall_helår_tkr)."""
    return (
        actual.filter(pl.col("year") == year)
        .group_by("unit")
        .agg(utfall_helår_tkr=(pl.col("amount_tkr") * _SIGN).sum())
    )


def model_prognoses(
    budget: pl.DataFrame,
    actual: pl.DataFrame,
    placements: pl.DataFrame,
    staffing: pl.DataFrame,
    year: int,
    months: Iterable[int],
    params: ForecastParams,
) -> pl.DataFrame:
    """One row per month × unit: the model's Netto prognosis recomputed as of that month."""
    out = []
    for m in months:
        lines = forecast(budget, actual, placements, staffing, year, m, params).lines
        out.append(net_by_unit(lines, "model_tkr").with_columns(month=pl.lit(m, pl.Int32)))
    return pl.concat(out).rename({"model_tkr": "prognos_tkr"}).with_columns(year=pl.lit(year, pl.Int32))


def naive_prognoses(budget: pl.DataFrame, actual: pl.DataFrame, year: int, months: Iterable[int]) -> pl.DataFrame:
    """One row per month × unit: Netto by utfall/M × 12 (naiv_takt_tkr) and by budget (budget_tkr)."""
    bud = budget_by_month(budget, year).group_by("unit").agg(budget_tkr=(pl.col("budget_tkr") * _SIGN).sum())
    out = []
    for m in months:
        ytd = (
            actual.filter((pl.col("year") == year) & (pl.col("month") <= m))
            .group_by("unit")
            .agg(naiv_takt_tkr=(pl.col("amount_tkr") * _SIGN).sum() / m * 12)
        )
        out.append(ytd.join(bud, on="unit", how="full", coalesce=True).with_columns(month=pl.lit(m, pl.Int32)))
    return pl.concat(out).with_columns(pl.col("naiv_takt_tkr", "budget_tkr").fill_null(0.0))


def accuracy_table(prognoses: pl.DataFrame, actual: pl.DataFrame) -> pl.DataFrame:
    """One row per enhet × år × månad (then `IoF totalt`): prognosis, outcome, error tkr and %.

    `prognoses` has year, month, unit, prognos_tkr (Netto) and optionally källa.
    """
    if "källa" not in prognoses.columns:
        prognoses = prognoses.with_columns(källa=pl.lit("omräknad"))
    per = pl.concat(
        [
            prognoses.filter(pl.col("year") == y).join(outcome(actual, y), on="unit", how="left")
            for y in prognoses["year"].unique().sort().to_list()
        ]
    )
    total = (
        per.group_by("year", "month")
        .agg(
            pl.col("prognos_tkr").sum(),
            pl.col("utfall_helår_tkr").sum(),
            källa=pl.col("källa").unique().sort().str.join("/"),
        )
        .with_columns(unit=pl.lit(IOF_TOTAL))
    )
    return (
        pl.concat([per, total], how="diagonal_relaxed")
        .with_columns(fel_tkr=pl.col("prognos_tkr") - pl.col("utfall_helår_tkr"))
        .with_columns(
            fel_pct=pl.when(pl.col("utfall_helår_tkr") != 0).then(
                (pl.col("fel_tkr") / pl.col("utfall_helår_tkr")).abs() * 100
            )
        )
        .sort((pl.col("unit") == IOF_TOTAL), "unit", "year", "month")
        .select(
            enhet="unit",
            år="year",
            månad="month",
            prognos_tkr="prognos_tkr",
            utfall_helår_tkr="utfall_helår_tkr",
            fel_tkr="fel_tkr",
            fel_pct="fel_pct",
            källa="källa",
        )
    )


def backtest(
    budget: pl.DataFrame,
    actual: pl.DataFrame,
    placements: pl.DataFrame,
    staffing: pl.DataFrame,
    years: Iterable[int] | None = None,
    months: Iterable[int] = (4, 8),
    params: ForecastParams | None = None,
) -> pl.DataFrame:
    """One row per år × månad × enhet (then IoF totalt): the outcome and each method's error.

    Methods: `modell` (this module's prognosis as of M), `naiv_takt` (utfall/M × 12), `budget`.
    """
    params = params or ForecastParams.from_config()
    years = list(years) if years is not None else closed_years(actual)
    months = list(months)
    rows = []
    for y in years:
        model = model_prognoses(budget, actual, placements, staffing, y, months, params).rename(
            {"prognos_tkr": "modell_tkr"}
        )
        naive = naive_prognoses(budget, actual, y, months)
        rows.append(
            model.join(naive, on=["unit", "month"], how="full", coalesce=True)
            .with_columns(year=pl.lit(y, pl.Int32))
            .join(outcome(actual, y), on="unit", how="left")
            .with_columns(pl.col("modell_tkr", "naiv_takt_tkr", "budget_tkr", "utfall_helår_tkr").fill_null(0.0))
        )
    per = pl.concat(rows)
    money = ["modell_tkr", "naiv_takt_tkr", "budget_tkr", "utfall_helår_tkr"]
    total = per.group_by("year", "month").agg(pl.col(money).sum()).with_columns(unit=pl.lit(IOF_TOTAL))
    return (
        pl.concat([per.select("year", "month", "unit", *money), total.select("year", "month", "unit", *money)])
        .with_columns(
            *[(pl.col(f"{m}_tkr") - pl.col("utfall_helår_tkr")).alias(f"fel_{m}_tkr") for m in ("modell", "naiv_takt", "budget")]
        )
        .sort("year", "month", pl.col("unit") == IOF_TOTAL, "unit")
        .rename({"year": "år", "month": "månad", "unit": "enhet"})
    )


def backtest_summary(bt: pl.DataFrame) -> pl.DataFrame:
    """One row per månad (T1, T2) × metod: mean absolute error over units and years (tkr and %)
    and the error of IoF totalt, so the method can be compared with the naive ones."""
    units = bt.filter(pl.col("enhet") != IOF_TOTAL)
    total = bt.filter(pl.col("enhet") == IOF_TOTAL)
    out = []
    for m in ("modell", "naiv_takt", "budget"):
        err = pl.col(f"fel_{m}_tkr")
        pct = (err / pl.col("utfall_helår_tkr")).abs() * 100
        u = units.group_by("månad").agg(
            medel_abs_fel_tkr=err.abs().mean(),
            median_abs_fel_pct=pct.filter(pl.col("utfall_helår_tkr").abs() > 0).median(),
        )
        t = total.group_by("månad").agg(
            iof_totalt_abs_fel_tkr=err.abs().mean(),
            iof_totalt_abs_fel_pct=pct.mean(),
        )
        out.append(u.join(t, on="månad").with_columns(metod=pl.lit(m)))
    return (
        pl.concat(out)
        .with_columns(tidpunkt=pl.col("månad").replace_strict({4: "T1", 8: "T2"}, default=None, return_dtype=pl.String))
        .sort("månad", "metod")
        .select("tidpunkt", "månad", "metod", "medel_abs_fel_tkr", "median_abs_fel_pct", "iof_totalt_abs_fel_tkr", "iof_totalt_abs_fel_pct")
    )
