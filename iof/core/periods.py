"""Calendar months as frames: the grid every monthly trend is computed on."""

from __future__ import annotations

import calendar

import re
from datetime import date, timedelta

import polars as pl

_YM = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """A month the user typed that is not YYYY-MM; the message is Swedish."""


def parse_ym(text: str) -> date:
    """'2025-03' → date(2025, 3, 1)."""
    m = _YM.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise PeriodError(f"Månaden {text!r} ska skrivas ÅÅÅÅ-MM, till exempel 2025-03.")
    return date(int(m.group(1)), int(m.group(2)), 1)


def ym(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: date, n: int) -> date:
    """The first day of the month n months after day's month."""
    k = day.year * 12 + day.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def month_grid(first: date, last: date) -> pl.DataFrame:
    """One row per calendar month from first's month to last's month: month_start, month_end."""
    if last < first:
        raise PeriodError("Sista månaden ligger före den första.")
    return (
        pl.DataFrame({"month_start": pl.date_range(first.replace(day=1), last.replace(day=1), "1mo", eager=True)})
        .with_columns(month_end=pl.col("month_start").dt.month_end())
    )


def month_key(col: str = "month_start") -> pl.Expr:
    """A month as one integer (year·12 + month − 1): consecutive months differ by 1."""
    return pl.col(col).dt.year().cast(pl.Int64) * 12 + pl.col(col).dt.month().cast(pl.Int64) - 1


def with_month_ends_in(frame: pl.DataFrame, lo: pl.Expr, hi: pl.Expr, months: pl.DataFrame) -> pl.DataFrame:
    """One row per row of frame and month of `months` whose last day lies in [lo, hi]
    (hi null = open-ended); adds month_start and month_end. An explode over integer month
    keys, not a join: cheap."""
    g_first, g_last = months["month_start"].min(), months["month_start"].max()
    k_first, k_last = g_first.year * 12 + g_first.month - 1, g_last.year * 12 + g_last.month - 1
    hi_ = hi.fill_null(pl.lit(g_last).dt.month_end())

    def key(e: pl.Expr) -> pl.Expr:
        return e.dt.year().cast(pl.Int64) * 12 + e.dt.month().cast(pl.Int64) - 1

    # the last month whose end is ≤ hi: hi's own month if hi is its last day, else the one before
    last_k = key(hi_) - (hi_ != hi_.dt.month_end()).cast(pl.Int64)
    grid = months.select("month_start", "month_end").with_columns(_k=month_key())
    return (
        frame.with_columns(
            _a=pl.max_horizontal(key(lo), pl.lit(k_first)),
            _b=pl.min_horizontal(last_k, pl.lit(k_last)),
        )
        .filter(pl.col("_a") <= pl.col("_b"))
        .with_columns(_k=pl.int_ranges("_a", pl.col("_b") + 1))
        .explode("_k")
        .join(grid, on="_k", how="inner")
        .drop("_a", "_b", "_k")
    )


def month_end(year: int, month: int) -> date:
    """The last day of (year, month)."""
    return date(year, month, calendar.monthrange(year, month)[1])


def window_start(day: date, months: int) -> date:
    """The day after the same day `months` months earlier (so the window holds `months` months)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1])) + timedelta(days=1)
