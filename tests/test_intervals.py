"""Interval arithmetic against a slow, obviously correct reference: one row per day in care."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from iof.compute import intervals
from iof.compute.intervals import placements_active

LO, HI = date(2023, 11, 1), date(2025, 2, 28)  # spans a leap day and two year ends


@st.composite
def placement_rows(draw):
    n = draw(st.integers(0, 8))
    rows = []
    for i in range(n):
        start = draw(st.dates(LO, HI))
        end = draw(st.one_of(st.none(), st.dates(start, HI + timedelta(days=60))))
        planned = draw(st.one_of(st.none(), st.dates(start - timedelta(days=5), HI + timedelta(days=400))))
        cost = draw(st.integers(0, 13000)) + draw(st.sampled_from([0.0, 0.5, 0.25]))
        rows.append({"placement_id": f"P-{i}", "start_date": start, "end_date": end,
                     "planned_end_date": planned, "daily_cost_kr": cost})
    return pl.DataFrame(rows, schema={"placement_id": pl.String, "start_date": pl.Date, "end_date": pl.Date,
                                      "planned_end_date": pl.Date, "daily_cost_kr": pl.Float64})


def days(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def reference_care_days(p: pl.DataFrame, first: date, last: date) -> Counter:
    """(placement, year, month) -> care days, counting one calendar day at a time."""
    out: Counter = Counter()
    for r in p.iter_rows(named=True):
        end = r["end_date"] or last
        for d in days(r["start_date"], end):
            if first <= d <= last:
                out[(r["placement_id"], d.year, d.month)] += 1
    return out


@settings(max_examples=200, deadline=None)
@given(placement_rows(), st.dates(LO, HI), st.integers(0, 400))
def test_care_days_by_month_equals_day_by_day(p, first, span):
    last = first + timedelta(days=span)
    got = intervals.care_days_by_month(p, first, last)
    as_counter = Counter({(r["placement_id"], r["year"], r["month"]): r["care_days"]
                          for r in got.iter_rows(named=True)})
    assert as_counter == reference_care_days(p, first, last)
    assert intervals.care_days_between(p, first, last).sum() == sum(as_counter.values())


@settings(max_examples=200, deadline=None)
@given(placement_rows(), st.dates(LO, HI))
def test_active_on_day_equals_day_by_day(p, day):
    expected = {r["placement_id"] for r in p.iter_rows(named=True)
                if day in set(days(r["start_date"], r["end_date"] or HI + timedelta(days=999)))}
    assert set(intervals.active_on(p, day)["placement_id"]) == expected


@settings(max_examples=200, deadline=None)
@given(placement_rows(), st.dates(LO, HI))
def test_remaining_cost_to_year_end_equals_day_by_day(p, day):
    got = intervals.with_remaining(p, day)
    year_end = date(day.year, 12, 31)
    for r in got.iter_rows(named=True):
        stop = min(x for x in (r["end_date"], r["planned_end_date"], year_end) if x is not None)
        ref_days = sum(1 for _ in days(day + timedelta(days=1), stop))
        assert r["remaining_days"] == ref_days
        assert r["remaining_cost_kr"] == ref_days * r["daily_cost_kr"]


@settings(max_examples=100, deadline=None)
@given(placement_rows(), st.dates(LO, HI))
def test_as_known_on_hides_the_future(p, day):
    known = intervals.as_known_on(p, day)
    for r in known.iter_rows(named=True):
        assert r["start_date"] <= day
        assert r["end_date"] is None or r["end_date"] <= day
    assert known.height == p.filter(pl.col("start_date") <= day).height


def test_boundaries_by_hand():
    p = pl.DataFrame({
        "placement_id": ["first-of-month", "last-of-month", "new-years-eve", "leap"],
        "start_date": [date(2024, 3, 1), date(2024, 1, 15), date(2024, 12, 31), date(2024, 2, 28)],
        "end_date": [date(2024, 3, 1), date(2024, 1, 31), date(2024, 12, 31), date(2024, 3, 1)],
        "planned_end_date": [None, None, None, None],
        "daily_cost_kr": [1000.0, 1000.0, 1000.0, 1000.0],
    })
    got = intervals.care_days_by_month(p, date(2024, 1, 1), date(2024, 12, 31))
    rows = sorted((r["placement_id"], r["month"], r["care_days"]) for r in got.iter_rows(named=True))
    assert rows == [("first-of-month", 3, 1), ("last-of-month", 1, 17), ("leap", 2, 2), ("leap", 3, 1),
                    ("new-years-eve", 12, 1)]


def test_placements_report_columns_by_hand():
    p = pl.DataFrame({
        "placement_id": ["P-1", "P-2"], "child_id": ["B-1", "B-2"], "unit": ["X", "X"],
        "placement_type": ["HVB", "SiS"],
        "start_date": [date(2025, 3, 1), date(2025, 1, 1)], "end_date": [None, date(2025, 4, 10)],
        "planned_end_date": [date(2025, 4, 30), None], "daily_cost_kr": [5000.0, 10000.0],
    })
    a = placements_active(p, date(2025, 3, 31))
    # P-1: 31 days placed, 30 days left in April at 5 000 kr = 150 000 kr.
    # P-2: 90 days placed, 10 days left to its end date at 10 000 kr = 100 000 kr.
    assert a.select("placement_id", "days_placed", "remaining_days", "remaining_cost_kr").rows() == [
        ("P-2", 90, 10, 100000.0), ("P-1", 31, 30, 150000.0)]
