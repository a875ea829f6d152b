"""Percentiles that stay exact integers when the values are day counts."""

from __future__ import annotations

import polars as pl


def nearest_rank(col: str, pct: int) -> pl.Expr:
    """The nearest-rank pct-th percentile: the ⌈pct·n/100⌉-th smallest value (null if n = 0).

    An actual observation, so a percentile of day counts is a whole number of days. The median
    (pct = 50) of an even number of values is the lower of the two middle values.
    """
    c = pl.col(col).drop_nulls()
    n = c.len().cast(pl.Int64)
    return c.sort().get(((n * pct + 99) // 100 - 1).clip(lower_bound=0), null_on_oob=True)
