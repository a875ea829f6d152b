"""Prognossäkerhet: how far each month's prognosis was from the year's final outcome.

Error = prognosis − outcome of Netto (kostnader − intäkter), so a positive error means the
prognosis expected more net cost than there turned out to be. `fel_pct` is the absolute error
in % of the absolute outcome. The backtest runs the method as of each month of closed years
(frozen prognoses where there are any, else recomputed with only what was known then) against
three naive methods: utfall/M × 12, utfall + the budget of the months left, and the budget.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from iof.core.domain import IOF_TOTAL, net_sign
from iof.compute.forecast import ForecastParams, budget_by_month, forecast, net_by_unit

_SIGN = net_sign()


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
    cache: dict | None = None,
) -> pl.DataFrame:
    """One row per month × unit (then IoF totalt): the model's Netto prognosis recomputed as of
    that month, and its 80 % interval (intervall_låg_tkr, intervall_hög_tkr; null without history)."""
    out = []
    cache = {} if cache is None else cache
    for m in months:
        fc = forecast(budget, actual, placements, staffing, year, m, params, cache=cache)
        net = net_by_unit(fc.lines, "model_tkr")
        net = pl.concat([net, pl.DataFrame({"unit": [IOF_TOTAL], "model_tkr": [float(net["model_tkr"].sum())]})])
        if fc.interval is not None:
            net = net.join(fc.interval.select("unit", "interval_low_tkr", "interval_high_tkr"), on="unit", how="left")
        else:
            net = net.with_columns(interval_low_tkr=pl.lit(None, pl.Float64), interval_high_tkr=pl.lit(None, pl.Float64))
        out.append(
            net.with_columns(
                month=pl.lit(m, pl.Int32),
                intervall_låg_tkr=pl.col("model_tkr") + pl.col("interval_low_tkr"),
                intervall_hög_tkr=pl.col("model_tkr") + pl.col("interval_high_tkr"),
            ).drop("interval_low_tkr", "interval_high_tkr")
        )
    return pl.concat(out).rename({"model_tkr": "prognos_tkr"}).with_columns(year=pl.lit(year, pl.Int32))


def naive_prognoses(budget: pl.DataFrame, actual: pl.DataFrame, year: int, months: Iterable[int]) -> pl.DataFrame:
    """One row per month × unit: Netto by utfall/M × 12 (naiv_takt_tkr), by utfall + the budget
    of the months left (naiv_budgetrest_tkr) and by budget (budget_tkr)."""
    bm = budget_by_month(budget, year)
    bud = bm.group_by("unit").agg(budget_tkr=(pl.col("budget_tkr") * _SIGN).sum())
    out = []
    for m in months:
        ytd = (
            actual.filter((pl.col("year") == year) & (pl.col("month") <= m))
            .group_by("unit")
            .agg(ytd=(pl.col("amount_tkr") * _SIGN).sum())
        )
        rest = bm.filter(pl.col("month") > m).group_by("unit").agg(rest=(pl.col("budget_tkr") * _SIGN).sum())
        out.append(
            ytd.join(bud, on="unit", how="full", coalesce=True)
            .join(rest, on="unit", how="full", coalesce=True)
            .with_columns(pl.col("ytd", "rest", "budget_tkr").fill_null(0.0))
            .with_columns(
                naiv_takt_tkr=pl.col("ytd") / m * 12,
                naiv_budgetrest_tkr=pl.col("ytd") + pl.col("rest"),
                month=pl.lit(m, pl.Int32),
            )
            .drop("ytd", "rest")
        )
    return pl.concat(out).with_columns(pl.col("naiv_takt_tkr", "naiv_budgetrest_tkr", "budget_tkr").fill_null(0.0))


def accuracy_table(prognoses: pl.DataFrame, actual: pl.DataFrame) -> pl.DataFrame:
    """One row per enhet × år × månad (then `IoF totalt`): prognosis, outcome, error tkr and %.

    `prognoses` has year, month, unit, prognos_tkr (Netto) and optionally källa.
    """
    prognoses = prognoses.filter(pl.col("unit") != IOF_TOTAL)  # the total is summed here
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


METHODS = ("modell", "naiv_takt", "naiv_budgetrest", "budget")
NAIVE = METHODS[1:]
T_LABELS = {4: "T1", 8: "T2"}


def backtest(
    budget: pl.DataFrame,
    actual: pl.DataFrame,
    placements: pl.DataFrame,
    staffing: pl.DataFrame,
    years: Iterable[int] | None = None,
    months: Iterable[int] = (4, 8),
    params: ForecastParams | None = None,
    frozen: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per år × månad × enhet (then IoF totalt): the outcome and each method's error.

    Methods: `modell` (this module's prognosis as of M, with its 80 % interval), `naiv_takt`
    (utfall/M × 12), `naiv_budgetrest` (utfall + the budget of the months left), `budget`.
    `frozen` (year, month, unit, prognos_tkr: Netto of frozen snapshots, IoF totalt included or
    not) replaces the recomputed model where a month was frozen: what was said is scored, and
    `källa` says `fryst` or `omräknad`. A frozen month has no interval unless it stored one.
    """
    params = params or ForecastParams.from_config()
    years = list(years) if years is not None else closed_years(actual)
    months = list(months)
    cache: dict = {}
    rows = []
    for y in years:
        model = model_prognoses(budget, actual, placements, staffing, y, months, params, cache).rename(
            {"prognos_tkr": "modell_tkr"}
        ).with_columns(källa=pl.lit("omräknad"))
        if frozen is not None and frozen.height:
            fz = frozen.filter(pl.col("year") == y)
            if fz.height:
                fz_units = fz.filter(pl.col("unit") != IOF_TOTAL).select("month", "unit", fryst_tkr="prognos_tkr")
                fz_total = fz_units.group_by("month").agg(pl.col("fryst_tkr").sum()).with_columns(unit=pl.lit(IOF_TOTAL))
                fz_all = pl.concat([fz_units, fz_total.select("month", "unit", "fryst_tkr")])
                model = (
                    model.join(fz_all, on=["month", "unit"], how="left")
                    .with_columns(
                        källa=pl.when(pl.col("fryst_tkr").is_not_null()).then(pl.lit("fryst")).otherwise("källa"),
                        # the recomputed interval's width, moved to the frozen prognosis
                        intervall_låg_tkr=pl.col("intervall_låg_tkr") - pl.col("modell_tkr") + pl.coalesce("fryst_tkr", "modell_tkr"),
                        intervall_hög_tkr=pl.col("intervall_hög_tkr") - pl.col("modell_tkr") + pl.coalesce("fryst_tkr", "modell_tkr"),
                    )
                    .with_columns(modell_tkr=pl.coalesce("fryst_tkr", "modell_tkr"))
                    .drop("fryst_tkr")
                )
        naive = naive_prognoses(budget, actual, y, months)
        naive = pl.concat(
            [naive, naive.group_by("month").agg(pl.col(f"{m}_tkr").sum() for m in NAIVE).with_columns(unit=pl.lit(IOF_TOTAL))],
            how="diagonal_relaxed",
        )
        out = outcome(actual, y)
        out = pl.concat([out, pl.DataFrame({"unit": [IOF_TOTAL], "utfall_helår_tkr": [float(out["utfall_helår_tkr"].sum())]})])
        rows.append(
            model.join(naive, on=["unit", "month"], how="full", coalesce=True)
            .with_columns(year=pl.lit(y, pl.Int32))
            .join(out, on="unit", how="left")
            .with_columns(pl.col(*[f"{m}_tkr" for m in METHODS], "utfall_helår_tkr").fill_null(0.0))
        )
    if not rows:
        return pl.DataFrame()
    money = [*[f"{m}_tkr" for m in METHODS], "intervall_låg_tkr", "intervall_hög_tkr", "utfall_helår_tkr"]
    return (
        pl.concat(rows, how="diagonal_relaxed")
        .select("year", "month", "unit", *money, "källa")
        .with_columns(
            *[(pl.col(f"{m}_tkr") - pl.col("utfall_helår_tkr")).alias(f"fel_{m}_tkr") for m in METHODS],
            inom_intervall=pl.when(pl.col("intervall_låg_tkr").is_not_null()).then(
                pl.col("utfall_helår_tkr").is_between(pl.col("intervall_låg_tkr") - 1e-6, pl.col("intervall_hög_tkr") + 1e-6)
            ),
        )
        .sort("year", "month", pl.col("unit") == IOF_TOTAL, "unit")
        .rename({"year": "år", "month": "månad", "unit": "enhet"})
    )


def backtest_summary(bt: pl.DataFrame) -> pl.DataFrame:
    """One row per månad × metod: mean absolute error over units and years (tkr), median |error|
    % over units, IoF totalt's mean absolute error (tkr, %), the ratio of the per-unit error to
    the best naive method's at that month (kvot_mot_bästa_naiva, < 1 = better), and for the
    model the share of outcomes inside its 80 % interval (täckning_pct per unit, täckning_iof_pct)
    and how many of its prognoses were frozen (antal_frysta of antal)."""
    units = bt.filter(pl.col("enhet") != IOF_TOTAL)
    total = bt.filter(pl.col("enhet") == IOF_TOTAL)
    out = []
    for m in METHODS:
        err = pl.col(f"fel_{m}_tkr")
        pct = (err / pl.col("utfall_helår_tkr")).abs() * 100
        u = units.group_by("månad").agg(
            medel_abs_fel_tkr=err.abs().mean(),
            median_abs_fel_pct=pct.filter(pl.col("utfall_helår_tkr").abs() > 0).median(),
            täckning_pct=pl.col("inom_intervall").cast(pl.Float64).mean() * 100 if m == "modell" else pl.lit(None, pl.Float64),
            antal=pl.len(),
            antal_frysta=(pl.col("källa") == "fryst").sum() if m == "modell" else pl.lit(None, pl.UInt32),
        )
        t = total.group_by("månad").agg(
            iof_totalt_abs_fel_tkr=err.abs().mean(),
            iof_totalt_abs_fel_pct=pct.mean(),
            täckning_iof_pct=pl.col("inom_intervall").cast(pl.Float64).mean() * 100 if m == "modell" else pl.lit(None, pl.Float64),
        )
        out.append(u.join(t, on="månad").with_columns(metod=pl.lit(m)))
    long = pl.concat(out, how="diagonal_relaxed")
    best = (
        long.filter(pl.col("metod").is_in(list(NAIVE)))
        .group_by("månad")
        .agg(bästa_naiva_tkr=pl.col("medel_abs_fel_tkr").min(), bästa_naiva_iof_tkr=pl.col("iof_totalt_abs_fel_tkr").min())
    )
    order = pl.col("metod").replace_strict({m: i for i, m in enumerate(METHODS)}, return_dtype=pl.Int32)
    return (
        long.join(best, on="månad")
        .with_columns(
            tidpunkt=pl.col("månad").replace_strict(T_LABELS, default=None, return_dtype=pl.String),
            kvot_mot_bästa_naiva=pl.col("medel_abs_fel_tkr") / pl.col("bästa_naiva_tkr"),
            kvot_iof_mot_bästa_naiva=pl.col("iof_totalt_abs_fel_tkr") / pl.col("bästa_naiva_iof_tkr"),
        )
        .sort("månad", order)
        .select(
            "tidpunkt", "månad", "metod", "medel_abs_fel_tkr", "kvot_mot_bästa_naiva", "median_abs_fel_pct",
            "iof_totalt_abs_fel_tkr", "kvot_iof_mot_bästa_naiva", "iof_totalt_abs_fel_pct",
            "täckning_pct", "täckning_iof_pct", "antal", "antal_frysta",
        )
    )
