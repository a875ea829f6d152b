"""Prognossäkerhet, backtest and the what-if of moving children to egen regi."""

from datetime import date

import polars as pl
import pytest

from iof.compute.accuracy import accuracy_table, backtest, backtest_summary, model_prognoses
from iof.compute.whatif import effect_on_lines, move_to_own_care

from .test_forecast import BUDGET, ENTR, PERS, STAFFING, TWO, UNIT, ledger, params, placements

FULL = ledger(
    [(2025, m, UNIT, ENTR, 150.0 + m) for m in range(1, 13)]
    + [(2025, m, UNIT, PERS, 500.0) for m in range(1, 13)]
    + [(2024, m, UNIT, PERS, 500.0) for m in range(1, 13)]
)


def test_december_prognosis_has_no_error_and_naive_methods_are_as_defined():
    bt = backtest(BUDGET, FULL, TWO, STAFFING, [2025], months=(4, 12), params=params())
    dec = bt.filter((pl.col("månad") == 12) & (pl.col("enhet") == UNIT)).row(0, named=True)
    assert dec["fel_modell_tkr"] == 0.0 and dec["fel_naiv_takt_tkr"] == 0.0
    apr = bt.filter((pl.col("månad") == 4) & (pl.col("enhet") == UNIT)).row(0, named=True)
    # utfall/M × 12: (151 + 152 + 153 + 154 + 4 × 500) / 4 × 12
    assert apr["naiv_takt_tkr"] == pytest.approx((610 + 2000) / 4 * 12)
    assert apr["budget_tkr"] == pytest.approx(2000 + 6000 - 120)
    assert apr["utfall_helår_tkr"] == pytest.approx(sum(150 + m for m in range(1, 13)) + 6000)
    # utfall + the budget of May–Dec: 610 + 2000 + (2000 + 6000 − 120) × 8/12
    assert apr["naiv_budgetrest_tkr"] == pytest.approx(2610 + 7880 * 8 / 12)
    s = backtest_summary(bt)
    assert set(s["metod"]) == {"modell", "naiv_takt", "naiv_budgetrest", "budget"}
    best = min(s.filter((pl.col("månad") == 4) & (pl.col("metod") != "modell"))["medel_abs_fel_tkr"])
    m4 = s.filter((pl.col("månad") == 4) & (pl.col("metod") == "modell")).row(0, named=True)
    assert m4["kvot_mot_bästa_naiva"] == pytest.approx(m4["medel_abs_fel_tkr"] / best)


def test_accuracy_table_per_unit_and_month():
    pro = model_prognoses(BUDGET, FULL, TWO, STAFFING, 2025, range(1, 13), params())
    acc = accuracy_table(pro, FULL)
    dec = acc.filter((pl.col("enhet") == UNIT) & (pl.col("månad") == 12)).row(0, named=True)
    assert dec["fel_tkr"] == 0.0 and dec["fel_pct"] == 0.0
    assert acc.columns[:7] == ["enhet", "år", "månad", "prognos_tkr", "utfall_helår_tkr", "fel_tkr", "fel_pct"]
    assert acc.filter(pl.col("enhet") == "IoF totalt").height == 12


def test_move_two_children_to_egen_regi_by_hand():
    reg = placements(
        [
            ("K1", "B1", UNIT, "Jourhem konsulentstött", date(2025, 2, 1), None, None, 3500.0, None),
            ("K2", "B2", UNIT, "Jourhem konsulentstött", date(2025, 3, 1), None, date(2025, 9, 30), 4000.0, None),
            ("K3", "B3", UNIT, "Jourhem konsulentstött", date(2025, 3, 1), None, date(2025, 7, 31), 4500.0, None),
        ]
    )
    p = params(own_care_daily_cost_kr={"Jourhem egen regi": 1100.0})
    p = type(p)(**{**p.__dict__, "booking": p.booking | {"Jourhem konsulentstött": ENTR, "Jourhem egen regi": "Övriga kostnader"}})
    moved = move_to_own_care(reg, 2025, 4, 2, date(2025, 6, 1), "Jourhem konsulentstött", params=p)
    # the two longest stays from 1 June: K1 to 31 Dec (214 days), K2 to 30 Sep (122 days)
    assert moved["placerings_id"].to_list() == ["K1", "K2"]
    assert moved["dagar"].to_list() == [214, 122]
    # (1 100 − 3 500) × 214 + (1 100 − 4 000) × 122 kr
    assert moved["effekt_tkr"].sum() == pytest.approx(((1100 - 3500) * 214 + (1100 - 4000) * 122) / 1000)
    assert moved["källa_efter"][0] == "konfigurerat värde"
    lines = effect_on_lines(moved)
    assert lines.filter(pl.col("kostnadsslag") == ENTR)["förändring_tkr"][0] == pytest.approx(-(3500 * 214 + 4000 * 122) / 1000)
    assert lines.filter(pl.col("kostnadsslag") == "Övriga kostnader")["förändring_tkr"][0] == pytest.approx(1100 * 336 / 1000)
