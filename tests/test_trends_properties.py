"""Property tests: month-end counts, vårddygn and placements per year against a slow,
obviously correct reference that expands every placement to one row per day in care."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.trend_fixtures import placements
from iof.compute import trends
from iof.core.domain import PLACEMENT_TYPES
from iof.core.periods import add_months, month_grid

FIRST, LAST = date(2023, 11, 1), date(2025, 3, 31)  # spans 29 Feb 2024 and two year ends
UNITS = ("F", "G")


@st.composite
def placement_rows(draw):
    n = draw(st.integers(0, 12))
    rows = []
    for i in range(n):
        start = draw(st.dates(date(2023, 6, 1), date(2025, 6, 1)))
        ongoing = draw(st.booleans())
        end = None if ongoing else start + timedelta(days=draw(st.integers(0, 500)))
        rows.append(
            (
                f"P{i}",
                draw(st.sampled_from(("A", "B", "C", "D"))),
                draw(st.sampled_from(UNITS)),
                draw(st.sampled_from(PLACEMENT_TYPES)),
                start,
                end,
                None,
                float(draw(st.integers(300, 9000))),
                None if ongoing else draw(st.sampled_from(("Planerad", "Sammanbrott"))),
            )
        )
    return placements(*rows)


def one_row_per_day(p: pl.DataFrame, last: date) -> pl.DataFrame:
    """The reference: one row per placement and calendar day in care (ongoing counts to last)."""
    out = []
    for r in p.iter_rows(named=True):
        day, end = r["start_date"], min(r["end_date"] or last, last)
        while day <= end:
            out.append((r["placement_id"], r["child_id"], r["unit"], r["placement_type"], day, r["daily_cost_kr"]))
            day += timedelta(days=1)
    return pl.DataFrame(
        out,
        schema={"placement_id": pl.String, "child_id": pl.String, "unit": pl.String,
                "placement_type": pl.String, "day": pl.Date, "daily_cost_kr": pl.Float64},
        orient="row",
    )


MONTHS = month_grid(FIRST, LAST)


@settings(max_examples=150, deadline=None)
@given(placement_rows())
def test_children_at_month_end_match_the_daily_reference(p):
    days = one_row_per_day(p, date(2026, 12, 31))
    ref = (
        days.join(MONTHS.select(day=pl.col("month_end"), month_start=pl.col("month_start")), on="day")
        .group_by("unit", "month_start")
        .agg(children=pl.col("child_id").n_unique().cast(pl.Int64), placements=pl.len().cast(pl.Int64))
    )
    got = trends.month_end_stock(p, MONTHS).select("unit", "month_start", "children", "placements")
    merged = got.join(ref, on=["unit", "month_start"], how="full", coalesce=True, suffix="_ref").fill_null(0)
    assert merged.filter(
        (pl.col("children") != pl.col("children_ref")) | (pl.col("placements") != pl.col("placements_ref"))
    ).height == 0


@settings(max_examples=150, deadline=None)
@given(placement_rows())
def test_care_days_and_cost_per_month_match_the_daily_reference(p):
    days = one_row_per_day(p, LAST).filter(pl.col("day") >= FIRST)
    ref = (
        days.with_columns(month_start=pl.col("day").dt.month_start())
        .group_by("unit", "placement_type", "month_start")
        .agg(care_days=pl.len().cast(pl.Int64), cost_kr=pl.col("daily_cost_kr").sum())
    )
    got = trends.care_days_cost(p, MONTHS, by=("unit", "placement_type")).select(
        "unit", "placement_type", "month_start", "care_days", "cost_kr"
    )
    merged = got.join(ref, on=["unit", "placement_type", "month_start"], how="full", coalesce=True, suffix="_ref").fill_null(0)
    assert merged.filter(pl.col("care_days") != pl.col("care_days_ref")).height == 0
    assert merged.filter((pl.col("cost_kr") - pl.col("cost_kr_ref")).abs() > 1e-6).height == 0


@settings(max_examples=100, deadline=None)
@given(placement_rows())
def test_children_per_year_match_the_daily_reference(p):
    days = one_row_per_day(p, date(2026, 12, 31)).filter(pl.col("day").dt.year().is_between(2023, 2025))
    ref = (
        days.group_by(year=pl.col("day").dt.year().cast(pl.Int32), placement_type=pl.col("placement_type"))
        .agg(children=pl.col("child_id").n_unique().cast(pl.Int64))
        .sort("year", "placement_type")
    )
    got = trends.children_per_year(p, 2023, 2025)
    assert got.rows() == ref.rows()


@settings(max_examples=150, deadline=None)
@given(placement_rows(), st.dates(date(2023, 6, 1), date(2025, 6, 1)))
def test_jourhem_stays_cover_exactly_the_days_in_jourhem(p, as_of):
    jour = ("Jourhem egen regi", "Jourhem konsulentstött")
    days = one_row_per_day(p.filter(pl.col("placement_type").is_in(jour)), as_of).select("child_id", "day").unique()
    stays = trends.jourhem_stays(p, as_of)
    assert stays["days"].sum() == days.height
    # a stay starts on every day in jourhem whose day before was not in jourhem
    starts = days.join(days.with_columns(pl.col("day") + timedelta(days=1)), on=["child_id", "day"], how="anti")
    assert stays.height == starts.height
    assert stays.filter(pl.col("ongoing"))["child_id"].n_unique() == stays.filter(pl.col("ongoing")).height


@settings(max_examples=100, deadline=None)
@given(placement_rows())
def test_breakdown_rates_match_a_naive_12_month_window(p):
    months = month_grid(date(2024, 6, 1), date(2025, 3, 1))
    got = trends.breakdown_rates(p, months)
    days = one_row_per_day(p, date(2025, 3, 31))
    for r in got.iter_rows(named=True):
        end = r["month_start"].replace(day=28) + timedelta(days=4)
        end = end - timedelta(days=end.day)  # the month's last day
        k = r["month_start"].year * 12 + r["month_start"].month - 1 - 11
        start = date(k // 12, k % 12 + 1, 1)
        ended = p.filter((pl.col("unit") == r["unit"]) & pl.col("end_date").is_between(start, end))
        assert r["endings_12m"] == ended.height
        assert r["breakdowns_12m"] == ended.filter(pl.col("end_reason") == "Sammanbrott").height
        assert r["care_days_12m"] == days.filter((pl.col("unit") == r["unit"]) & pl.col("day").is_between(start, end)).height


@settings(max_examples=150, deadline=None)
@given(placement_rows())
def test_children_and_placements_per_form_at_month_end_match_the_daily_reference(p):
    """month_end_by_form counts placements from running sums and expands only children with two
    placements of one form in one unit; both must equal counting the days."""
    days = one_row_per_day(p, date(2026, 12, 31))
    ref = (
        days.join(MONTHS.select(day=pl.col("month_end"), month_start=pl.col("month_start")), on="day")
        .group_by("unit", "month_start", "placement_type")
        .agg(children=pl.col("child_id").n_unique().cast(pl.Int64), placements=pl.len().cast(pl.Int64))
    )
    got = trends.month_end_by_form(p, MONTHS)
    key = ["unit", "month_start", "placement_type"]
    merged = got.join(ref, on=key, how="full", coalesce=True, suffix="_ref").fill_null(0)
    assert merged.filter(
        (pl.col("children") != pl.col("children_ref")) | (pl.col("placements") != pl.col("placements_ref"))
    ).height == 0
    assert got.filter(pl.col("placements") == 0).height == 0  # only months with someone placed


@settings(max_examples=150, deadline=None)
@given(placement_rows(), st.dates(date(2023, 1, 1), date(2025, 12, 1)), st.integers(1, 30))
def test_month_totals_match_the_daily_reference_for_any_window(p, start, n_months):
    """intervals.month_totals over any run of months: care days, cost and placements active at
    month end per group, against one row per day (ongoing placements count to the window's end)."""
    from iof.compute.intervals import month_totals

    months = month_grid(start.replace(day=1), add_months(start.replace(day=1), n_months - 1))
    last = months["month_end"].max()
    days = one_row_per_day(p, last).filter(pl.col("day") >= months["month_start"].min())
    by = ("unit", "placement_type")
    care = (days.with_columns(month_start=pl.col("day").dt.month_start())
            .group_by(*by, "month_start").agg(care_ref=pl.len().cast(pl.Int64), cost_ref=pl.col("daily_cost_kr").sum()))
    active = (days.join(months.select(day=pl.col("month_end"), month_start=pl.col("month_start")), on="day")
              .group_by(*by, "month_start").agg(active_ref=pl.len().cast(pl.Int64)))
    got = month_totals(p, months, by)
    merged = (got.join(care, on=[*by, "month_start"], how="full", coalesce=True)
              .join(active, on=[*by, "month_start"], how="full", coalesce=True).fill_null(0))
    assert merged.filter(pl.col("care_days") != pl.col("care_ref")).height == 0
    assert merged.filter((pl.col("weighted") - pl.col("cost_ref")).abs() > 1e-6).height == 0
    assert merged.filter(pl.col("active_at_end") != pl.col("active_ref")).height == 0
    assert got.height == got.select(by).unique().height * months.height  # every group has every month
    # sorted by the keys, then month: care_days_cost and month_end_by_form keep this order unsorted
    assert got.select(*by, "month_start").equals(got.select(*by, "month_start").sort(*by, "month_start"))
    cost = trends.care_days_cost(p, months, by)
    assert cost.select(*by, "month_start").equals(cost.select(*by, "month_start").sort(*by, "month_start"))


def test_month_totals_refuse_months_with_a_gap():
    from iof.compute.intervals import month_totals

    p = placements(("P1", "A", "F", PLACEMENT_TYPES[0], date(2024, 1, 5), None, None, 1000.0, None))
    gap = month_grid(date(2024, 1, 1), date(2024, 4, 1)).filter(pl.col("month_start") != date(2024, 2, 1))
    import pytest

    with pytest.raises(ValueError, match="consecutive"):
        month_totals(p, gap, ("unit",))


def test_month_totals_with_many_events_on_one_day():
    """Several placements of one group starting, and ending, on the same days (the as-of join
    must see every event of a day, not the first): counted by hand."""
    from iof.compute.intervals import month_totals

    f = PLACEMENT_TYPES[0]
    p = placements(
        ("P1", "A", "E", f, date(2024, 1, 10), date(2024, 2, 4), None, 100.0, None),
        ("P2", "B", "E", f, date(2024, 1, 10), date(2024, 2, 4), None, 10.0, None),
        ("P3", "C", "E", f, date(2024, 1, 10), None, None, 1.0, None),
        ("P4", "D", "E", f, date(2024, 1, 31), date(2024, 1, 31), None, 1000.0, None),
        ("P5", "F", "E", f, date(2024, 2, 5), date(2024, 2, 29), None, 2.0, None),
    )
    got = month_totals(p, month_grid(date(2024, 1, 1), date(2024, 3, 1)), ("unit",)).sort("month_start")
    # January: P1-P3 22 days each (10th-31st), P4 one day; at 31 Jan P1-P4 are placed
    # February: P1, P2 4 days; P3 29; P5 25 (5th-29th); at 29 Feb P3 and P5
    # March: P3 31 days (ongoing to the window's end); at 31 Mar P3
    assert got["care_days"].to_list() == [3 * 22 + 1, 2 * 4 + 29 + 25, 31]
    assert got["weighted"].to_list() == [22 * 111.0 + 1000.0, 4 * 110.0 + 29 * 1.0 + 25 * 2.0, 31.0]
    assert got["active_at_end"].to_list() == [4, 2, 1]
