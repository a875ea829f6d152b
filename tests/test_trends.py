"""Hand-computed cases for the placement trends (iof.trends)."""

from __future__ import annotations

import polars as pl

from tests.trend_fixtures import d, placements
from iof.compute import trends
from iof.core.periods import month_grid

JOUR_E, JOUR_K = "Jourhem egen regi", "Jourhem konsulentstött"
FH_E, FH_K, HVB = "Familjehem egen regi", "Familjehem konsulentstött", "HVB"

# The contract's example: child A moves from jourhem egen regi to konsulentstött jourhem,
# child B's familjehem breaks down and B goes to HVB the next day.
EXAMPLE = placements(
    ("P1", "A", "F", JOUR_E, d(2024, 11, 2), d(2025, 1, 13), None, 720.0, "Omplacering"),
    ("P2", "A", "F", JOUR_K, d(2025, 1, 14), None, d(2025, 4, 30), 3850.0, None),
    ("P3", "B", "F", FH_E, d(2022, 8, 1), d(2025, 2, 20), None, 690.0, "Sammanbrott"),
    ("P4", "B", "F", HVB, d(2025, 2, 21), None, None, 5400.0, None),
)
Q1 = month_grid(d(2025, 1, 1), d(2025, 3, 1))


def _col(frame: pl.DataFrame, col: str) -> list:
    return frame[col].to_list()


def test_month_end_stock_counts_children_on_the_last_day():
    stock = trends.month_end_stock(EXAMPLE, Q1)
    # 31 Jan: A in P2 (konsulentstött jourhem), B in P3 (familjehem egen regi).
    # 28 Feb and 31 Mar: A in P2, B in HVB.
    assert _col(stock, "children") == [2, 2, 2]
    assert _col(stock, "children_agency_jourhem") == [1, 1, 1]
    assert _col(stock, "children_jourhem") == [1, 1, 1]
    assert _col(stock, "children_own") == [1, 0, 0]
    assert _col(stock, "own_share_pct") == [50.0, 0.0, 0.0]


def test_month_end_by_form():
    by_form = trends.month_end_by_form(EXAMPLE, Q1).filter(pl.col("month_start") == d(2025, 2, 1))
    assert dict(zip(by_form["placement_type"], by_form["children"])) == {HVB: 1, JOUR_K: 1}


def test_flows_by_month():
    flows = trends.flows_by_month(EXAMPLE, Q1)
    assert _col(flows, "started") == [1, 1, 0]
    assert _col(flows, "ended") == [1, 1, 0]
    assert _col(flows, "breakdowns") == [0, 1, 0]


def test_ended_by_reason():
    ended = trends.ended_by_month(EXAMPLE, Q1)
    assert ended.select("month_start", "end_reason", "ended").rows() == [
        (d(2025, 1, 1), "Omplacering", 1),
        (d(2025, 2, 1), "Sammanbrott", 1),
    ]


def test_care_days_and_cost_in_january():
    jan = trends.care_days_cost(EXAMPLE, Q1).row(0, named=True)
    # P1 1–13 Jan = 13 days, P2 14–31 Jan = 18, P3 all 31 days.
    assert jan["care_days"] == 13 + 18 + 31
    assert jan["cost_kr"] == 13 * 720 + 18 * 3850 + 31 * 690
    assert abs(jan["cost_per_day_kr"] - jan["cost_kr"] / 62) < 1e-9


def test_care_days_by_form():
    feb = trends.care_days_cost(EXAMPLE, Q1, by=("unit", "placement_type")).filter(
        pl.col("month_start") == d(2025, 2, 1)
    )
    assert dict(zip(feb["placement_type"], feb["care_days"])) == {FH_E: 20, HVB: 8, JOUR_K: 28}


def test_jourhem_stay_joins_consecutive_placements():
    stays = trends.jourhem_stays(EXAMPLE, d(2025, 3, 31))
    assert stays.height == 1
    stay = stays.row(0, named=True)
    # 2 Nov 2024 .. 31 Mar 2025 inclusive: 29 + 31 + 31 + 28 + 31 = 150 days
    assert (stay["stay_start"], stay["days"], stay["ongoing"], stay["placements"]) == (d(2024, 11, 2), 150, True, 2)
    assert stay["placement_id"] == "P2"


def test_jourhem_stays_with_a_gap_are_two_stays_and_later_facts_are_unknown():
    p = placements(
        ("J1", "C", "F", JOUR_E, d(2025, 1, 1), d(2025, 1, 10), None, 800.0, "Planerad"),
        ("J2", "C", "F", JOUR_E, d(2025, 1, 12), d(2025, 3, 1), None, 800.0, "Planerad"),
    )
    stays = trends.jourhem_stays(p, d(2025, 2, 1))
    assert _col(stays, "days") == [10, 21]  # J2 as known on 1 Feb: 12 Jan..1 Feb, ongoing
    assert _col(stays, "ongoing") == [False, True]


def test_jourhem_time_by_month_median_of_ended_stays():
    p = placements(
        ("J1", "C", "F", JOUR_E, d(2025, 1, 1), d(2025, 3, 10), None, 800.0, "Planerad"),  # 69 days
        ("J2", "D", "F", JOUR_K, d(2025, 2, 1), d(2025, 3, 2), None, 3000.0, "Planerad"),  # 30 days
        ("J3", "E", "F", JOUR_K, d(2025, 3, 1), d(2025, 3, 20), None, 3000.0, "Planerad"),  # 20 days
        ("J4", "G", "F", JOUR_K, d(2025, 3, 5), None, None, 3000.0, None),
    )
    stays = trends.jourhem_stays(p, d(2025, 3, 31))
    by_month = trends.jourhem_time_by_month(stays, Q1)
    mar = by_month.filter(pl.col("month_start") == d(2025, 3, 1)).row(0, named=True)
    assert mar["stays_started"] == 2 and mar["stays_ended"] == 3
    assert mar["median_days_ended"] == 30 and mar["p90_days_ended"] == 69
    dist = trends.jourhem_distribution(stays, d(2025, 1, 1), d(2025, 12, 31))
    assert dict(zip(dist["band"], dist["stays"])) == {"15–30 dagar": 3, "61–90 dagar": 1}
    # G has 27 days so far (5..31 Mar) and is still there
    assert dist.filter(pl.col("band") == "15–30 dagar")["ongoing"].item() == 1


def test_jourhem_over_limit_on_a_fixed_today():
    p = placements(
        ("J1", "C", "F", JOUR_K, d(2025, 1, 1), None, None, 3000.0, None),
        ("J2", "D", "F", JOUR_E, d(2025, 1, 2), None, None, 800.0, None),
    )
    over = trends.jourhem_over_limit(p, d(2025, 3, 1), limit_days=60)
    # C: 1 Jan..1 Mar = 60 days (not more than 60); with 59 days limit both... D has 59 days.
    assert over.height == 0
    over = trends.jourhem_over_limit(p, d(2025, 3, 2), limit_days=60)
    assert over.select("child_id", "days_in_jourhem", "days_over_limit").rows() == [("C", 61, 1)]


def test_custody_transfer_due_counts_two_years_in_a_leap_year():
    p = placements(("F1", "B", "F", FH_K, d(2022, 8, 1), None, None, 2500.0, None))
    due = trends.custody_transfer_due(p, d(2024, 7, 30), limit_days=730, notice_days=0)
    row = due.row(0, named=True)
    # 1 Aug 2022 + 729 days = 30 Jul 2024 (2024 has 29 Feb): day 730 in the same home
    assert (row["passes_on"], row["days_placed"], row["days_to_pass"], row["passed"]) == (d(2024, 7, 30), 730, 0, True)
    assert trends.custody_transfer_due(p, d(2024, 7, 29), limit_days=730, notice_days=0).height == 0
    assert trends.custody_transfer_due(p, d(2024, 7, 29), limit_days=730, notice_days=1).height == 1


def test_children_per_year_counts_distinct_children_overlapping():
    p = placements(
        ("X1", "A", "F", HVB, d(2023, 12, 31), d(2024, 1, 1), None, 4000.0, "Planerad"),
        ("X2", "A", "G", HVB, d(2024, 6, 1), d(2024, 12, 31), None, 4000.0, "Planerad"),
        ("X3", "B", "F", HVB, d(2025, 1, 1), None, None, 4000.0, None),
    )
    per_year = trends.children_per_year(p, 2023, 2025)
    assert per_year.select("year", "placement_type", "children").rows() == [
        (2023, HVB, 1), (2024, HVB, 1), (2025, HVB, 1),
    ]
    by_unit = trends.children_per_year(p, 2024, 2024, by_unit=True)
    assert by_unit.select("unit", "children").sort("unit").rows() == [("F", 1), ("G", 1)]


def test_breakdown_rates_rolling_12_months_and_per_100_placement_years():
    # One placement all of 2024 (366 days, leap year) ending in a sammanbrott on 31 Dec 2024.
    p = placements(
        ("S1", "A", "F", FH_E, d(2024, 1, 1), d(2024, 12, 31), None, 700.0, "Sammanbrott"),
        ("S2", "B", "F", FH_E, d(2024, 1, 1), d(2024, 6, 30), None, 700.0, "Planerad"),
    )
    months = month_grid(d(2024, 12, 1), d(2025, 1, 1))
    rates = trends.breakdown_rates(p, months)
    dec, jan = rates.rows(named=True)
    assert (dec["breakdowns"], dec["breakdowns_12m"], dec["endings_12m"]) == (1, 1, 2)
    assert dec["care_days_12m"] == 366 + 182
    assert abs(dec["per_100_placement_years_12m"] - 1 / (548 / 365) * 100) < 1e-9
    assert dec["share_of_endings_12m_pct"] == 50.0
    assert (jan["breakdowns"], jan["breakdowns_12m"], jan["care_days"]) == (0, 1, 0)
    assert jan["care_days_12m"] == 366 + 182 - 2 * 31  # January 2024 (both placements) has left


def test_breakdown_followups_next_placement_and_cost_in_year():
    fu = trends.breakdown_followups(EXAMPLE, window_days=30)
    row = fu.row(0, named=True)
    assert (row["placement_id"], row["next_placement_id"], row["next_placement_type"]) == ("P3", "P4", HVB)
    assert row["days_to_next"] == 1
    assert row["next_days_in_year"] == 314  # 21 Feb..31 Dec 2025
    assert row["next_cost_in_year_kr"] == 314 * 5400.0
    assert row["extra_cost_per_day_kr"] == 5400.0 - 690.0
    summary = trends.breakdown_followup_summary(fu)
    assert summary.select("year", "next_placement_type", "breakdowns").rows() == [(2025, HVB, 1)]


def test_breakdown_without_a_next_placement_in_the_window():
    p = placements(
        ("B1", "A", "F", FH_E, d(2024, 1, 1), d(2024, 12, 31), None, 700.0, "Sammanbrott"),
        ("B2", "A", "F", HVB, d(2025, 1, 31), None, d(2025, 6, 30), 6000.0, None),  # 31 days later
    )
    row = trends.breakdown_followups(p, window_days=30).row(0, named=True)
    assert row["next_placement_type"] == trends.NO_NEXT and row["next_cost_in_year_kr"] is None
    row = trends.breakdown_followups(p, window_days=31).row(0, named=True)
    # committed to the planned end 30 Jun: 31 Jan..30 Jun = 151 days
    assert row["next_days_in_year"] == 151
