"""Boundary days: a start on the 1st, an end on a month's last day, an end on 31 December,
29 February in a leap year."""

from __future__ import annotations

import polars as pl

from tests.trend_fixtures import d, placements
from iof.compute import trends
from iof.core.periods import month_grid

FH = "Familjehem egen regi"


def test_start_on_the_first_counts_the_whole_month():
    p = placements(("A", "a", "F", FH, d(2025, 3, 1), None, None, 500.0, None))
    m = month_grid(d(2025, 2, 1), d(2025, 3, 1))
    cd = trends.care_days_cost(p, m)
    assert cd["care_days"].to_list() == [0, 31]
    assert trends.month_end_stock(p, m)["children"].to_list() == [0, 1]
    assert trends.flows_by_month(p, m)["started"].to_list() == [0, 1]


def test_end_on_the_last_day_of_a_month_is_active_at_that_month_end():
    p = placements(("A", "a", "F", FH, d(2025, 1, 15), d(2025, 4, 30), None, 500.0, "Planerad"))
    m = month_grid(d(2025, 4, 1), d(2025, 5, 1))
    assert trends.month_end_stock(p, m)["children"].to_list() == [1, 0]
    assert trends.care_days_cost(p, m)["care_days"].to_list() == [30, 0]
    assert trends.flows_by_month(p, m)["ended"].to_list() == [1, 0]


def test_end_on_the_day_before_month_end_is_not_active_at_month_end():
    p = placements(("A", "a", "F", FH, d(2025, 1, 15), d(2025, 4, 29), None, 500.0, "Planerad"))
    m = month_grid(d(2025, 4, 1), d(2025, 4, 1))
    assert trends.month_end_stock(p, m)["children"].to_list() == [0]


def test_end_on_31_december_belongs_to_that_year():
    p = placements(("A", "a", "F", FH, d(2024, 7, 1), d(2024, 12, 31), None, 500.0, "Sammanbrott"))
    m = month_grid(d(2024, 12, 1), d(2025, 1, 1))
    assert trends.month_end_stock(p, m)["children"].to_list() == [1, 0]
    assert trends.flows_by_month(p, m)["breakdowns"].to_list() == [1, 0]
    assert trends.care_days_cost(p, m)["care_days"].to_list() == [31, 0]
    per_year = trends.children_per_year(p, 2024, 2025)
    assert per_year["year"].to_list() == [2024]
    assert trends.breakdown_followup_summary(trends.breakdown_followups(p))["year"].to_list() == [2024]


def test_leap_year_february_has_29_care_days():
    p = placements(("A", "a", "F", FH, d(2024, 1, 1), d(2025, 12, 31), None, 100.0, None))
    m = month_grid(d(2024, 2, 1), d(2025, 2, 1))
    cd = trends.care_days_cost(p, m)
    assert cd.filter(pl.col("month_start") == d(2024, 2, 1))["care_days"].item() == 29
    assert cd.filter(pl.col("month_start") == d(2025, 2, 1))["care_days"].item() == 28
    assert cd["care_days"].sum() == 366 + 28  # Feb 2024..Jan 2025 = 366 days (29 Feb), + Feb 2025
    feb = trends.month_end_stock(p, month_grid(d(2024, 2, 1), d(2024, 2, 1)))
    assert feb["month_end"].item() == d(2024, 2, 29) and feb["children"].item() == 1


def test_single_day_placement_is_one_care_day():
    p = placements(("A", "a", "F", FH, d(2024, 2, 29), d(2024, 2, 29), None, 100.0, "Annan"))
    m = month_grid(d(2024, 2, 1), d(2024, 2, 1))
    assert trends.care_days_cost(p, m)["care_days"].item() == 1
    assert trends.month_end_stock(p, m)["children"].item() == 1
