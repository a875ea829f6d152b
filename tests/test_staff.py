"""Hand-computed staff figures: turnover over 12 months, caseload band, IoF total."""

from __future__ import annotations

from tests.trend_fixtures import d, staffing
from iof.compute import staff
from iof.core.periods import month_grid


def _year(unit="F", leavers=1, filled=10.0):
    return [(2024, m, unit, 12.0, filled, 2.0, 1.0, 8.0, 2.0, leavers, 8.0, 120) for m in range(1, 13)]


def test_turnover_over_the_last_12_months():
    s = staffing(*_year(), (2025, 1, "F", 12.0, 20.0, 0.0, 0.0, 12.0, 3.5, 4, 10.0, 170))
    out = staff.staff_by_month(s, month_grid(d(2024, 12, 1), d(2025, 1, 1)))
    dec, jan = out.rows(named=True)
    assert (dec["leavers_12m"], dec["months_in_window"], dec["turnover_12m_pct"]) == (12, 12, 120.0)
    # Jan 2025: Feb..Dec 2024 (11 leavers, 10 åa) + Jan 2025 (4 leavers, 20 åa)
    assert jan["leavers_12m"] == 15
    assert abs(jan["mean_filled_fte_12m"] - (11 * 10 + 20) / 12) < 1e-9
    assert abs(jan["turnover_12m_pct"] - 100 * 15 / ((11 * 10 + 20) / 12)) < 1e-9
    assert jan["fte_gap"] == -8.0


def test_caseload_band_and_sick_leave_targets():
    s = staffing(
        (2025, 1, "F", 12.0, 10.0, 2.0, 1.0, 12.0, 3.5, 0, 10.0, 170),  # 17.0: över
        (2025, 2, "F", 12.0, 10.0, 2.0, 1.0, 9.0, 2.5, 0, 10.0, 160),   # 16.0: inom (edge)
        (2025, 3, "F", 12.0, 10.0, 2.0, 1.0, 9.0, 2.5, 0, 10.0, 119),   # 11.9: under
        (2025, 4, "F", 12.0, 10.0, 2.0, 1.0, 9.0, 2.5, 0, 0.0, 10),     # no handläggare
    )
    out = staff.staff_by_month(s, month_grid(d(2025, 1, 1), d(2025, 4, 1)))
    assert out["cases_per_caseworker"].to_list()[:3] == [17.0, 16.0, 11.9]
    assert out["caseload_band"].to_list() == [staff.ABOVE, staff.INSIDE, staff.BELOW, None]
    # config defaults for 2025: 11 % total, 3 % dag 1–14
    assert out["sick_leave_target_pct"].to_list() == [11.0] * 4
    assert out["sick_leave_short_target_pct"].to_list() == [3.0] * 4
    assert out["months_in_window"].to_list() == [1, 2, 3, 4]


def test_gaps_in_the_extract_do_not_stretch_the_window():
    s = staffing((2024, 1, "F", 12.0, 10.0, 2.0, 1.0, 8.0, 2.0, 5, 8.0, 120),
                 (2025, 1, "F", 12.0, 10.0, 2.0, 1.0, 8.0, 2.0, 1, 8.0, 120))
    out = staff.staff_by_month(s, month_grid(d(2025, 1, 1), d(2025, 1, 1)))
    assert (out["leavers_12m"].item(), out["months_in_window"].item()) == (1, 1)


def test_iof_total_weights_sick_leave_by_filled_fte():
    s = staffing((2025, 1, "A", 10.0, 10.0, 0.0, 0.0, 10.0, 2.0, 1, 5.0, 60),
                 (2025, 1, "B", 30.0, 30.0, 0.0, 2.0, 2.0, 1.0, 0, 10.0, 150))
    tot = staff.staff_total(s).row(0, named=True)
    assert tot["unit"] == "IoF totalt" and tot["filled_fte"] == 40.0 and tot["open_cases"] == 210
    assert abs(tot["sick_leave_pct"] - (10 * 10 + 2 * 30) / 40) < 1e-9
    out = staff.staff_by_month(staff.staff_total(s), month_grid(d(2025, 1, 1), d(2025, 1, 1)))
    assert out["cases_per_caseworker"].item() == 14.0
