"""Helpers for the trend tests: tiny placement, case and staffing frames written by hand."""

from __future__ import annotations

from datetime import date

import polars as pl

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


STAFFING_SCHEMA = {
    "year": pl.Int32, "month": pl.Int32, "unit": pl.String, "budgeted_fte": pl.Float64,
    "filled_fte": pl.Float64, "vacancies": pl.Float64, "consultant_fte": pl.Float64,
    "sick_leave_pct": pl.Float64, "sick_leave_short_pct": pl.Float64, "leavers": pl.Int32,
    "caseworker_fte": pl.Float64, "open_cases": pl.Int32,
}


def staffing(*rows: tuple) -> pl.DataFrame:
    """Rows in the order of STAFFING_SCHEMA."""
    return pl.DataFrame(list(rows), schema=STAFFING_SCHEMA, orient="row")
