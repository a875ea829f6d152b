"""What the database holds: loaded months per extract kind, registers' extent, the import log."""

from __future__ import annotations

import polars as pl

from iof.core import domain
from iof.present import fmt


@fmt.formatted
def loaded_months(periods: pl.DataFrame) -> pl.DataFrame:
    """One row per extract kind × year: which months are loaded (budget: annual or per month)."""
    if periods.is_empty():
        return pl.DataFrame(schema={"Extrakt": pl.String, "År": pl.Int32, "Månader": pl.String})
    return (
        periods.group_by("kind", "year")
        .agg(months=pl.col("month").unique().sort())
        .with_columns(
            Extrakt=pl.col("kind").replace_strict(domain.KIND_LABELS),
            Månader=fmt.text(_month_span, "months"),
        )
        .sort("kind", "year")
        .select("Extrakt", pl.col("year").alias("År"), "Månader")
    )


def _month_span(months: list[int]) -> str:
    annual = 0 in months
    months = [m for m in months if m]
    if not months:
        return "årsbudget"
    if annual:
        return "årsbudget; månadsbudget för en del rader (" + _month_span(months) + ")"
    if months == list(range(months[0], months[-1] + 1)):
        a, b = domain.MONTH_ABBR[months[0] - 1], domain.MONTH_ABBR[months[-1] - 1]
        return a if a == b else f"{a}–{b} ({len(months)} mån)"
    return ", ".join(domain.MONTH_ABBR[m - 1] for m in months)


def register_extent(placements: pl.DataFrame, cases: pl.DataFrame) -> pl.DataFrame:
    """One row per register (placeringar, ärenden): rows, units, earliest and latest date."""
    rows = []
    for label, df, first, last in (
        ("Placeringar", placements, "start_date", "end_date"),
        ("Ärenden", cases, "received_date", "closed_date"),
    ):
        rows.append({
            "Register": label,
            "Rader": fmt.number(df.height),
            "Enheter": df["unit"].n_unique() if df.height else 0,
            "Tidigaste": fmt.day(df[first].min()) if df.height else "–",
            "Senaste avslut": fmt.day(df[last].max()) if df.height else "–",
            "Pågående": fmt.number(df.filter(pl.col(last).is_null()).height),
        })
    return pl.DataFrame(rows)


def import_log_view(log: pl.DataFrame) -> pl.DataFrame:
    """The import log as people read it (no data, only what was imported, when and by whom)."""
    return log.select(
        pl.col("import_id").alias("Nr"),
        pl.col("imported_at").dt.strftime("%Y-%m-%d %H:%M").alias("Tid"),
        pl.col("imported_by").alias("Av"),
        pl.col("file_name").alias("Fil"),
        pl.col("kind").replace_strict(domain.KIND_LABELS, default=pl.col("kind")).alias("Typ"),
        pl.col("period").alias("Period"),
        pl.col("n_rows").alias("Rader"),
        pl.when(pl.col("is_demo")).then(pl.lit("demo")).otherwise(pl.lit("")).alias("Demo"),
        pl.col("sha256").str.slice(0, 12).alias("Kontrollsumma"),
    )
