"""What explains a deviation (iof.compute.deviation), by hand."""

from __future__ import annotations

from datetime import date

import polars as pl

from iof.compute.deviation import largest_line_deviations, placement_summary, placements_behind, staff_months

CT = "Entreprenader och köp av verksamhet"


def placements(rows):
    return pl.DataFrame(rows, schema={
        "placement_id": pl.String, "child_id": pl.String, "unit": pl.String, "placement_type": pl.String,
        "start_date": pl.Date, "end_date": pl.Date, "planned_end_date": pl.Date, "daily_cost_kr": pl.Float64,
        "end_reason": pl.String, "cost_type": pl.String, "booked_tkr": pl.Float64, "commitment_tkr": pl.Float64,
    }, orient="row")


P = placements([
    # old placement of child A ended in a sammanbrott on 1 Mar; A's new HVB placement started 5 Mar
    ("P1", "A", "U", "Familjehem", date(2025, 1, 1), date(2026, 3, 1), None, 1000.0, "Sammanbrott", CT, 60.0, 0.0),
    ("P2", "A", "U", "HVB", date(2026, 3, 5), None, None, 5000.0, None, CT, 1000.0, 400.0),
    ("P3", "B", "U", "HVB", date(2025, 6, 1), None, None, 4000.0, None, CT, 1200.0, 300.0),
    ("P4", "C", "U", "Jourhem", date(2026, 9, 1), None, None, 2000.0, None, CT, 60.0, 120.0),
    ("P5", "D", "V", "HVB", date(2026, 1, 10), None, None, 6000.0, None, CT, 9000.0, 0.0),  # another unit
    ("P6", "E", "U", "Familjehem", date(2026, 2, 1), None, None, 800.0, None, "Övriga kostnader", 50.0, 10.0),
])


def test_placements_are_ranked_by_their_cost_this_year_and_flagged():
    r = placements_behind(P, P, "U", CT, 2026, 90)
    assert r["placement_id"].to_list() == ["P3", "P2", "P4", "P1"]  # 1 500, 1 400, 180, 60 tkr
    assert r["rang"].to_list() == [1, 2, 3, 4]
    by = {x["placement_id"]: x for x in r.iter_rows(named=True)}
    assert by["P2"]["kostnad_i_år_tkr"] == 1400.0 and by["P2"]["kvarvarande_tkr"] == 400.0
    assert by["P2"]["ny_i_år"] and by["P2"]["efter_sammanbrott"]
    assert by["P4"]["ny_i_år"] and not by["P4"]["efter_sammanbrott"]
    assert not by["P3"]["ny_i_år"] and not by["P1"]["ny_i_år"]
    assert abs(sum(r["andel_pct"]) - 100) < 1e-9
    s = placement_summary(r)
    assert s == {"antal": 4, "kostnad_tkr": 3140.0, "kvarvarande_tkr": 820.0, "nya_antal": 2, "nya_tkr": 1580.0,
                 "sammanbrott_antal": 1, "sammanbrott_tkr": 1400.0}


def test_all_units_when_no_unit_is_given():
    assert placements_behind(P, P, None, CT, 2026, 90)["placement_id"][0] == "P5"


def test_staff_months_worst_first():
    actual = pl.DataFrame({"year": [2026] * 3, "month": [1, 2, 3], "unit": ["U"] * 3,
                           "cost_type": ["Personalkostnader"] * 3, "amount_tkr": [100.0, 130.0, 90.0]})
    budget = pl.DataFrame({"unit": ["U"] * 3, "cost_type": ["Personalkostnader"] * 3, "month": [1, 2, 3],
                           "budget_tkr": [110.0] * 3})
    staffing = pl.DataFrame({"year": [2026] * 3, "month": [1, 2, 3], "unit": ["U"] * 3,
                             "budgeted_fte": [10.0] * 3, "filled_fte": [9.0, 10.0, 8.0], "vacancies": [1.0, 0.0, 2.0],
                             "consultant_fte": [0.0, 1.5, 0.0]})
    m = staff_months(actual, budget, staffing, "U", "Personalkostnader", 2026, 3)
    assert m["month"].to_list() == [2, 1, 3]  # −20 (consultants), +10, +20 (vacancies)
    assert m["avvikelse_tkr"].to_list() == [-20.0, 10.0, 20.0]
    assert m.row(0, named=True)["consultant_fte"] == 1.5


def test_largest_line_deviations_leave_out_netto_and_iof_totalt():
    t = pl.DataFrame({"enhet": ["U", "U", "V", "IoF totalt"], "kostnadsslag": [CT, "Netto", CT, CT],
                      "budget_tkr": [1.0] * 4, "prognos_tkr": [1.0] * 4, "avvikelse_tkr": [-5.0, -9.0, -7.0, -12.0]})
    assert largest_line_deviations(t)["enhet"].to_list() == ["V", "U"]
