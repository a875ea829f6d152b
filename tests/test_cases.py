"""Hand-computed handläggningstider, limits in days and calendar months, the action list."""

from __future__ import annotations

import polars as pl

from tests.trend_fixtures import cases, d
from iof.compute import cases as c
from iof.core.periods import month_grid

FB, UT, SAM, KF, VU = "Förhandsbedömning", "Utredning", "Samarbetssamtal", "Kontaktfamilj", "Vårdnadsutredning"


def _times(frame):
    return c.processing_times(frame).sort("case_id")


def test_forhandsbedomning_within_14_days_is_inclusive():
    t = _times(cases(
        ("a", "B", FB, d(2025, 3, 3), None, d(2025, 3, 17)),  # 14 days: within
        ("b", "B", FB, d(2025, 3, 3), None, d(2025, 3, 18)),  # 15 days: not
        ("c", "B", FB, d(2025, 3, 3), None, None),            # open
    ))
    assert t["days"].to_list() == [14, 15, None]
    assert t["within"].to_list() == [True, False, None]
    assert t["deadline"].to_list() == [d(2025, 3, 17)] * 3


def test_utredning_runs_from_start_and_its_limit_is_four_calendar_months():
    t = _times(cases(
        ("a", "B", UT, d(2024, 10, 20), d(2024, 10, 31), d(2025, 2, 28)),  # 31 Oct + 4 mo = 28 Feb 2025
        ("b", "B", UT, d(2024, 10, 20), d(2024, 10, 31), d(2025, 3, 1)),
        ("c", "B", UT, d(2023, 10, 1), d(2023, 10, 31), d(2024, 2, 29)),   # leap year: 29 Feb
        ("d", "B", UT, d(2025, 1, 2), None, None),                           # no decision yet
    ))
    assert t["deadline"].to_list() == [d(2025, 2, 28), d(2025, 2, 28), d(2024, 2, 29), None]
    assert t["within"].to_list() == [True, False, True, None]
    assert t["days"].to_list()[:3] == [120, 121, 121]


def test_samarbetssamtal_runs_to_the_first_meeting_offered():
    t = _times(cases(("a", "FR", SAM, d(2025, 5, 1), d(2025, 5, 16), d(2025, 9, 1))))
    assert (t["to_date"].item(), t["days"].item(), t["within"].item()) == (d(2025, 5, 16), 15, False)


def test_kontaktfamilj_three_months_and_vardnadsutredning_without_limit():
    t = _times(cases(
        ("a", "F", KF, d(2024, 12, 10), None, d(2025, 3, 10)),
        ("b", "FR", VU, d(2025, 1, 10), None, d(2025, 7, 1)),
    ))
    assert t["within"].to_list() == [True, None]
    assert t["has_limit"].to_list() == [True, False]


def test_processing_by_month_median_p90_and_share():
    frame = cases(*[
        (f"f{i}", "B", FB, d(2025, 3, 1), None, d(2025, 3, 1 + days))
        for i, days in enumerate([3, 5, 10, 14, 20])
    ], ("v1", "FR", VU, d(2025, 1, 1), None, d(2025, 3, 31)))
    by_month = c.processing_by_month(c.processing_times(frame), month_grid(d(2025, 3, 1), d(2025, 3, 1)))
    fb = by_month.filter(pl.col("case_type") == FB).row(0, named=True)
    assert (fb["closed"], fb["median_days"], fb["p90_days"], fb["within"]) == (5, 10, 20, 4)
    assert fb["share_within_pct"] == 80.0
    vu = by_month.filter(pl.col("case_type") == VU).row(0, named=True)
    assert (vu["closed"], vu["median_days"], vu["within"], vu["share_within_pct"]) == (1, 89, None, None)
    summary = c.processing_summary(c.processing_times(frame), d(2025, 1, 1), d(2025, 3, 31))
    assert summary.filter(pl.col("case_type") == FB)["share_within_pct"].item() == 80.0


def test_open_deadlines_on_a_fixed_today():
    today = d(2025, 6, 10)
    frame = cases(
        ("passed", "B", FB, d(2025, 5, 26), None, None),        # deadline 9 Jun: passed yesterday
        ("last_day", "B", FB, d(2025, 5, 27), None, None),      # deadline today: days_left 0
        ("in13", "B", UT, d(2025, 2, 1), d(2025, 2, 23), None),  # deadline 23 Jun: days_left 13
        ("in14", "B", UT, d(2025, 2, 1), d(2025, 2, 24), None),  # deadline 24 Jun: passes on day 15
        ("closed", "B", FB, d(2025, 5, 20), None, d(2025, 6, 1)),
        ("closed_later", "B", FB, d(2025, 5, 20), None, d(2025, 6, 20)),  # open as known on today
        ("future", "B", FB, d(2025, 6, 11), None, None),
        ("nostart", "B", UT, d(2025, 1, 1), None, None),
        ("nolimit", "FR", VU, d(2024, 1, 1), None, None),
        ("withdrawn", "FR", SAM, d(2025, 5, 1), None, d(2025, 5, 20)),  # closed without a meeting
    )
    out = c.open_deadlines(frame, today, warning_days=14)
    assert out.select("case_id", "days_left", "status").rows() == [
        ("closed_later", -7, c.PASSED),
        ("passed", -1, c.PASSED),
        ("last_day", 0, c.PASSING_SOON.format(14)),
        ("in13", 13, c.PASSING_SOON.format(14)),
    ]
    assert out.filter(pl.col("case_id") == "passed")["days_open"].item() == 15


def test_open_past_limit_at_month_end():
    frame = cases(
        ("a", "B", FB, d(2025, 3, 1), None, None),               # deadline 15 Mar: past on 31 Mar
        ("b", "B", FB, d(2025, 3, 20), None, d(2025, 4, 2)),     # open on 31 Mar, not past
        ("c", "B", FB, d(2025, 3, 1), None, d(2025, 3, 31)),     # closed on 31 Mar: not open
    )
    out = c.open_past_limit_by_month(c.processing_times(frame), month_grid(d(2025, 3, 1), d(2025, 4, 1)))
    assert out.select("month_start", "open", "open_past_limit").rows() == [(d(2025, 3, 1), 2, 1), (d(2025, 4, 1), 1, 1)]


def test_reopened_investigation_is_one_when_the_child_is_known():
    frame = cases(
        ("u1", "B", UT, d(2025, 1, 1), d(2025, 1, 5), d(2025, 4, 30)),
        ("u2", "B", UT, d(2025, 5, 2), d(2025, 5, 3), d(2025, 6, 30)),   # reopened 3 days later
        ("u3", "B", UT, d(2025, 9, 1), d(2025, 9, 1), None),             # much later: a new one
        ("u4", "B", UT, d(2025, 5, 2), d(2025, 5, 3), d(2025, 6, 30)),   # other child
    ).with_columns(child_id=pl.Series(["x", "x", "x", "y"]))
    merged = c.merge_reopened_investigations(frame, within_days=30).sort("case_id")
    assert merged.select("case_id", "start_date", "closed_date", "merged_cases").rows() == [
        ("u1", d(2025, 1, 5), d(2025, 6, 30), 2),
        ("u3", d(2025, 9, 1), None, 1),
        ("u4", d(2025, 5, 3), d(2025, 6, 30), 1),
    ]
    t = c.processing_times(merged.drop("merged_cases", "child_id")).filter(pl.col("case_id") == "u1")
    assert t["within"].item() is False  # 5 Jan + 4 months = 5 May < 30 Jun: not rewarded


def test_without_child_id_nothing_is_merged():
    frame = cases(("u1", "B", UT, d(2025, 1, 1), d(2025, 1, 5), d(2025, 4, 30)))
    assert c.merge_reopened_investigations(frame)["merged_cases"].to_list() == [1]
