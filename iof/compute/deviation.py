"""What explains a kostnadsslag's deviation (issue 12 item 3): the placements behind a placement line,
ranked by their cost this year, and the staff line's months by vacancies and consultants.

Pure Polars. The placement list names placements (pseudonymised child ids): it leaves the web layer
only through iof.web.loaders._detail (roles).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iof.compute.bridge import _after_breakdown


def placements_behind(
    placements: pl.DataFrame,
    register: pl.DataFrame,
    unit: str | None,
    cost_type: str,
    year: int,
    follow_days: int,
) -> pl.DataFrame:
    """One row per placement booked on `cost_type` in the year's prognosis (of `unit`, None = all
    units), ranked by its cost this year (booked + remaining commitment, largest first).

    `placements` is Forecast.placements (placement_commitments: booked_tkr, commitment_tkr …);
    `register` the placement register (to find a sammanbrott before a placement).
    Columns: rang, placement_id, child_id, unit, placement_type, start_date, end_date,
    planned_end_date, daily_cost_kr, kostnad_i_år_tkr, bokat_tkr, kvarvarande_tkr, andel_pct,
    ny_i_år (started this year, after the budget was set), efter_sammanbrott.
    """
    p = placements.filter(pl.col("cost_type") == cost_type)
    if unit is not None:
        p = p.filter(pl.col("unit") == unit)
    flagged = _after_breakdown(
        p.select("placement_id", "child_id", "start_date"), register, follow_days
    ).select("placement_id", efter_sammanbrott="after_breakdown")
    out = (
        p.join(flagged, on="placement_id", how="left")
        .with_columns(
            bokat_tkr=pl.col("booked_tkr"),
            kvarvarande_tkr=pl.col("commitment_tkr"),
            kostnad_i_år_tkr=pl.col("booked_tkr") + pl.col("commitment_tkr"),
            ny_i_år=pl.col("start_date") >= date(year, 1, 1),
            efter_sammanbrott=pl.col("efter_sammanbrott").fill_null(False),
        )
        .filter(pl.col("kostnad_i_år_tkr") != 0)
    )
    total = out["kostnad_i_år_tkr"].sum()
    return (
        out.with_columns(andel_pct=pl.col("kostnad_i_år_tkr") / total * 100 if total else pl.lit(None, pl.Float64))
        .sort(["kostnad_i_år_tkr", "placement_id"], descending=[True, False])
        .with_row_index("rang", offset=1)
        .select(
            pl.col("rang").cast(pl.Int32), "placement_id", "child_id", "unit", "placement_type", "start_date",
            "end_date", "planned_end_date", "daily_cost_kr", "kostnad_i_år_tkr", "bokat_tkr", "kvarvarande_tkr",
            "andel_pct", "ny_i_år", "efter_sammanbrott",
        )
    )


def placement_summary(ranked: pl.DataFrame) -> dict:
    """Totals of a placements_behind frame: count, cost, remaining, and those new this year / after
    a sammanbrott (count and cost)."""
    def part(mask: pl.Expr) -> tuple[int, float]:
        f = ranked.filter(mask)
        return f.height, float(f["kostnad_i_år_tkr"].sum())

    n_new, new_tkr = part(pl.col("ny_i_år"))
    n_bd, bd_tkr = part(pl.col("efter_sammanbrott"))
    return {
        "antal": ranked.height,
        "kostnad_tkr": float(ranked["kostnad_i_år_tkr"].sum()),
        "kvarvarande_tkr": float(ranked["kvarvarande_tkr"].sum()),
        "nya_antal": n_new, "nya_tkr": new_tkr,
        "sammanbrott_antal": n_bd, "sammanbrott_tkr": bd_tkr,
    }


def staff_months(
    actual: pl.DataFrame,
    budget_months: pl.DataFrame,
    staffing: pl.DataFrame,
    unit: str | None,
    cost_type: str,
    year: int,
    month: int,
) -> pl.DataFrame:
    """One row per month 1..`month` of a staff line (of `unit`, None = all units): budget, utfall and
    avvikelse (budget − utfall, positive = favourable), with the month's budgeted and filled FTE,
    vacancies and consultants; ranked by avvikelse (the worst month first).

    `budget_months`: forecast.budget_by_month(budget, year)."""
    def scope(f: pl.DataFrame) -> pl.DataFrame:
        return f if unit is None else f.filter(pl.col("unit") == unit)

    months = pl.DataFrame({"month": list(range(1, month + 1))}, schema={"month": pl.Int32})
    a = (scope(actual).filter((pl.col("year") == year) & (pl.col("cost_type") == cost_type))
         .group_by(pl.col("month").cast(pl.Int32)).agg(utfall_tkr=pl.col("amount_tkr").sum()))
    b = (scope(budget_months).filter(pl.col("cost_type") == cost_type)
         .group_by(pl.col("month").cast(pl.Int32)).agg(budget_tkr=pl.col("budget_tkr").sum()))
    s = (scope(staffing).filter(pl.col("year") == year).group_by(pl.col("month").cast(pl.Int32))
         .agg(pl.col("budgeted_fte", "filled_fte", "vacancies", "consultant_fte").sum()))
    return (
        months.join(b, on="month", how="left").join(a, on="month", how="left").join(s, on="month", how="left")
        .with_columns(pl.col("budget_tkr", "utfall_tkr").fill_null(0.0))
        .with_columns(avvikelse_tkr=pl.col("budget_tkr") - pl.col("utfall_tkr"))
        .sort(["avvikelse_tkr", "month"])
        .with_row_index("rang", offset=1)
        .with_columns(pl.col("rang").cast(pl.Int32))
    )


def largest_line_deviations(table: pl.DataFrame, n: int = 8, units_only: bool = True) -> pl.DataFrame:
    """The `n` kostnadsslag × enhet with the largest unfavourable avvikelse in a prognos table
    (Netto and IoF totalt left out), the worst first."""
    t = table.filter((pl.col("kostnadsslag") != "Netto") & (pl.col("avvikelse_tkr") < 0))
    if units_only:
        t = t.filter(pl.col("enhet") != "IoF totalt")
    return t.sort("avvikelse_tkr").head(n).select("enhet", "kostnadsslag", "budget_tkr", "prognos_tkr", "avvikelse_tkr")
