"""New placements from a left-truncated register ("nya_placeringars_längd" = "överlevnad"),
counted by hand.

A register that holds only the placements active on or after its first day (its earliest
ending) holds, before that day, only the long placements. The rate of new starts therefore counts
a day d days before the first day as S(d) of a day of exposure (a start then is in the register
only if it lasted more than d days), and a new start lasts by the Kaplan–Meier survival S of the
form's placements, with delayed entry for those that started before the first day."""

from datetime import date

import pytest

from iof.compute.forecast import expected_new_placements, survival_curves

from .test_forecast import UNIT, params, placements


def test_the_survival_curve_with_delayed_entry_and_censoring():
    first, asof = date(2024, 1, 1), date(2024, 12, 31)
    p = placements([
        ("A", "a", UNIT, "HVB", date(2023, 12, 30), date(2024, 1, 3), None, 1.0, None),  # at risk from day 2
        ("B", "b", UNIT, "HVB", date(2024, 3, 1), date(2024, 3, 3), None, 1.0, None),  # 3 days
        ("C", "c", UNIT, "HVB", date(2024, 5, 1), date(2024, 5, 5), None, 1.0, None),  # 5 days
        ("D", "d", UNIT, "HVB", date(2024, 12, 28), None, None, 1.0, None),  # open: censored at 4 days
        ("E", "e", UNIT, "HVB", date(2023, 11, 1), date(2023, 12, 15), None, 1.0, None),  # ended before
    ])
    s = survival_curves(p, first, asof, 10)["HVB"]
    # at risk on day k: entered by k-1 and not out by k-1. Day 3: A, B, C, D (4), B ends: 1 - 1/4.
    # Day 5: A and C (B out at 3, D censored at 4), both end: 0.
    assert list(s) == pytest.approx([1, 1, 1, 0.75, 0.75, 0, 0, 0, 0, 0, 0])


def _register():
    # the earliest ending is 3 January 2024: the register is complete from then
    return placements([
        ("A", "a", UNIT, "HVB", date(2023, 12, 1), date(2024, 1, 3), None, 2000.0, None),  # 34 days
        ("B", "b", UNIT, "HVB", date(2024, 2, 1), None, None, 2000.0, None),
        ("C", "c", UNIT, "HVB", date(2024, 3, 1), None, None, 2000.0, None),
    ])


def test_a_truncated_register_counts_the_days_before_its_first_day_by_survival():
    got = expected_new_placements(_register(), 2024, 6, params(new_length="survival")).row(0, named=True)
    # S(d) = 1 below 34 days; on day 34 A ends with A, B, C at risk: 2/3 from then on
    S = [1.0] * 34 + [2 / 3] * 2000
    # 12-month window from 1 July 2023; the first day is 3 January 2024, 186 days later:
    # 180 days from the first day to 30 June, plus S(1) + … + S(186) = 33 + 153 · 2/3 = 135
    exposure = 180 + sum(S[1:187])
    assert exposure == pytest.approx(315)
    remaining = 184  # 1 July to 31 December
    rate = 3 / exposure  # A, B and C started in the window
    assert got["expected_n"] == pytest.approx(rate * remaining)
    # a start on each remaining day i lasts S-weighted days to 31 December
    days = rate * sum((remaining - i - 0.5) * S[i] for i in range(remaining))
    assert got["expected_days"] == pytest.approx(days)
    assert got["new_placements_tkr"] == pytest.approx(days * 2000.0 / 1000.0)


def test_a_complete_register_counts_every_day_of_the_window_once():
    """With the earliest ending before both windows nothing is missing: the rate is starts per day
    of the window, as with the other lengths."""
    p = _register().vstack(placements([
        ("Z", "z", UNIT, "HVB", date(2019, 1, 1), date(2019, 3, 1), None, 2000.0, None),
    ]))
    survival = expected_new_placements(p, 2024, 6, params(new_length="survival")).row(0, named=True)
    hazard = expected_new_placements(p, 2024, 6, params(new_length="hazard")).row(0, named=True)
    assert survival["expected_n"] == pytest.approx(hazard["expected_n"]) == pytest.approx(3 / 366 * 184)
