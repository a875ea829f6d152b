"""The Verksamhet pages' display helpers (iof.views_data) on tiny hand-written frames."""

from __future__ import annotations

from datetime import date

import polars as pl

from iof.compute import cases as case_mod
from iof.present import verksamhet as vd
from tests.trend_fixtures import cases, placements

D = date
A, B = "Enhet A", "Enhet B"


def test_scope_one_unit_or_all_relabelled_while_lists_keep_their_units():
    p = placements(
        ("P1", "C1", A, "HVB", D(2026, 1, 1), None, None, 5000.0, None),
        ("P2", "C2", B, "SiS", D(2026, 2, 1), None, None, 9000.0, None),
    )
    assert vd.scoped(p, A)["placement_id"].to_list() == ["P1"]
    assert set(vd.scoped(p, None)["unit"]) == {"IoF totalt"}
    assert vd.filtered(p, None)["unit"].to_list() == [A, B]
    assert vd.placements_scope(p, None, ["SiS"])["placement_id"].to_list() == ["P2"]
    assert vd.unit_or_none("Alla enheter") is None and vd.unit_or_none(A) == A


def test_month_labels_and_windows_in_swedish():
    months = vd.last_months(2026, 2, 3)
    assert months.select(vd.month_label())["month_start"].to_list() == ["dec 2025", "jan 2026", "feb 2026"]
    assert vd.window_start(2026, 10) == D(2025, 11, 1)
    assert vd.window_start(2026, 12) == D(2026, 1, 1)


def test_a_child_placed_by_two_units_counts_once_in_the_iof_stock():
    p = placements(
        ("P1", "C1", A, "HVB", D(2026, 1, 1), None, None, 5000.0, None),
        ("P2", "C1", B, "HVB", D(2026, 1, 10), None, None, 5000.0, None),
    )
    monthly = vd.placement_monthly(vd.placements_scope(p, None, None), vd.last_months(2026, 1, 1))
    row = monthly.row(0, named=True)
    assert (row["placements"], row["children"], row["started"]) == (2, 1, 2)
    # vårddygn: 31 + 22 days in January
    assert row["care_days"] == 53


def test_stock_by_form_has_every_month_with_zero_where_none():
    p = placements(("P1", "C1", A, "HVB", D(2026, 2, 10), D(2026, 2, 28), None, 5000.0, "Planerad"))
    stock = vd.placement_stock_by_form(p, vd.last_months(2026, 3, 3))
    assert stock["placements"].to_list() == [0, 1, 0]  # active on 31 Jan, 28 Feb, 31 Mar


def test_active_placements_display_shows_pseudonyms_and_swedish_money():
    p = placements(("P1", "C1", A, "HVB", D(2026, 10, 1), None, D(2026, 12, 31), 5000.0, None))
    shown = vd.active_placements_display(vd.active_placements(p, D(2026, 10, 31)), with_unit=False)
    r = shown.row(0, named=True)
    assert r["Barn-id"] == "C1" and "Enhet" not in shown.columns
    assert r["Dagar placerad"] == "31"
    assert r["Dygnskostnad"] == "5\u00a0000\u00a0kr"
    assert r["Kvarvarande kostnad i år"] == "305,0\u00a0tkr"  # 61 days × 5 000 kr
    assert vd.remaining_total_tkr(vd.active_placements(p, D(2026, 10, 31))) == 305.0


def test_whatif_effect_sums_lines_and_netto_against_the_prognosis():
    effect = pl.DataFrame({
        "enhet": [A, A, B, B],
        "kostnadsslag": ["Entreprenader och köp av verksamhet", "Övriga kostnader"] * 2,
        "förändring_tkr": [-100.0, 30.0, -50.0, 10.0],
    })
    table = pl.DataFrame({
        "enhet": ["IoF totalt"] * 3 + [A] * 3,
        "kostnadsslag": ["Entreprenader och köp av verksamhet", "Övriga kostnader", "Netto"] * 2,
        "prognos_tkr": [1000.0, 500.0, 2000.0, 600.0, 300.0, 1200.0],
    })
    total = vd.whatif_effect(pl.DataFrame(), effect, table, None)
    assert total["kostnadsslag"].to_list() == ["Entreprenader och köp av verksamhet", "Övriga kostnader", "Netto"]
    assert total["förändring_tkr"].to_list() == [-150.0, 40.0, -110.0]
    assert total["prognos_efter_tkr"].to_list() == [850.0, 540.0, 1890.0]
    one = vd.whatif_effect(pl.DataFrame(), effect.filter(pl.col("enhet") == A), table, A)
    assert one["prognos_efter_tkr"].to_list() == [500.0, 330.0, 1130.0]
    shown = vd.whatif_display(one)
    assert shown["Förändring"].to_list() == ["\u2212100,0\u00a0tkr", "+30,0\u00a0tkr", "\u221270,0\u00a0tkr"]


def test_case_limits_label_days_months_and_none():
    limits = {r["case_type"]: r for r in vd.case_limits().iter_rows(named=True)}
    assert limits["Förhandsbedömning"]["limit_label"] == "14 dagar"
    assert limits["Förhandsbedömning"]["limit_line_days"] == 14.0
    assert limits["Utredning"]["limit_label"] == "4 månader"
    assert limits["Utredning"]["measured"] == "start → avslut"
    assert limits["Vårdnadsutredning"]["limit_line_days"] is None


def test_deadlines_display_says_how_far_past_or_how_many_days_left():
    c = cases(
        ("Ä1", A, "Förhandsbedömning", D(2026, 10, 1), None, None),   # deadline 15 Oct: 16 days past
        ("Ä2", A, "Förhandsbedömning", D(2026, 10, 25), None, None),  # deadline 8 Nov: 8 days left
        ("Ä3", A, "Förhandsbedömning", D(2026, 10, 17), None, None),  # deadline 31 Oct: the last day
    )
    shown = vd.deadlines_display(case_mod.open_deadlines(c, D(2026, 10, 31)), with_unit=False)
    assert shown["Ärende-id"].to_list() == ["Ä1", "Ä3", "Ä2"]
    assert shown["Läge"].to_list() == ["16 dagar över", "sista dagen idag", "8 dagar kvar"]
    assert shown["Sista dag inom gränsen"].to_list() == ["2026-10-15", "2026-10-31", "2026-11-08"]


def test_processing_month_display_matches_the_chosen_month_only():
    c = cases(
        ("Ä1", A, "Förhandsbedömning", D(2026, 9, 1), None, D(2026, 9, 10)),
        ("Ä2", A, "Förhandsbedömning", D(2026, 10, 1), None, D(2026, 10, 20)),
        ("Ä3", A, "Förhandsbedömning", D(2026, 10, 1), None, D(2026, 10, 5)),
    )
    monthly = vd.processing_monthly(c, vd.last_months(2026, 10, 2))
    shown = vd.processing_month_display(monthly, D(2026, 10, 1))
    r = shown.row(0, named=True)
    assert (r["Avslutade"], r["Median, dagar"], r["90:e percentil, dagar"]) == (2, 4, 19)
    assert r["Andel inom gränsen"] == "50,0\u00a0%"


def test_charts_draw_the_limit_line_and_shade_the_caseload_band():
    from iof.present import charts

    c = cases(
        ("Ä1", A, "Förhandsbedömning", D(2026, 9, 1), None, D(2026, 9, 10)),
        ("Ä2", A, "Förhandsbedömning", D(2026, 10, 1), None, D(2026, 10, 20)),
    )
    monthly = vd.processing_monthly(c, vd.last_months(2026, 10, 2))
    fig = charts.processing_vs_limit(monthly, "Förhandsbedömning", 14.0, "14 dagar")
    line = fig.layout.shapes[0]
    assert (line.type, line.y0, line.y1) == ("line", 14.0, 14.0)
    assert fig.layout.annotations[0].text == "gräns 14 dagar"
    assert list(fig.data[0].x) == ["sep 2026", "okt 2026"]
    assert fig.layout.separators == ", "

    staff = pl.DataFrame({
        "month_start": [D(2026, 9, 1), D(2026, 10, 1)], "cases_per_caseworker": [15.0, 17.5],
        "caseload_low": [12.0, 12.0], "caseload_high": [16.0, 16.0], "open_cases": [150, 175],
        "caseworker_fte": [10.0, 10.0],
    })
    fig = charts.caseload(staff)
    band = fig.layout.shapes[0]
    assert (band.type, band.y0, band.y1) == ("rect", 12.0, 16.0)
    assert fig.layout.annotations[0].text == "intervall 12–16"
