"""Shared helpers for the domain tests: tiny placement frames written by hand."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

PLACEMENT_SCHEMA = {
    "placement_id": pl.String,
    "child_id": pl.String,
    "unit": pl.String,
    "placement_type": pl.String,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "planned_end_date": pl.Date,
    "daily_cost_kr": pl.Float64,
    "end_reason": pl.String,
}


def placements(*rows: tuple) -> pl.DataFrame:
    """Rows of (id, child, unit, type, start, end, planned_end, cost, end_reason)."""
    return pl.DataFrame(list(rows), schema=PLACEMENT_SCHEMA, orient="row")


@pytest.fixture
def make_placements():
    return placements


CASE_SCHEMA = {
    "case_id": pl.String,
    "unit": pl.String,
    "case_type": pl.String,
    "received_date": pl.Date,
    "start_date": pl.Date,
    "closed_date": pl.Date,
}


def cases(*rows: tuple) -> pl.DataFrame:
    """Rows of (id, unit, type, received, start, closed)."""
    return pl.DataFrame(list(rows), schema=CASE_SCHEMA, orient="row")


def d(y: int, m: int, day: int) -> date:
    return date(y, m, day)
