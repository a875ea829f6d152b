"""The report builders: contract columns, månad as YYYY-MM, mått present, totals."""

from __future__ import annotations

import polars as pl
import pytest

from tests.trend_fixtures import cases, d, placements
from iof.pipeline import trend_reports as tr
from iof.pipeline.reports import ReportError
from tests.trend_fixtures import staffing

CONTRACT_MATT = {
    "placerade_barn", "sammanbrott", "barn_i_konsulentstött_jourhem", "vårddygn", "snittkostnad_per_dygn_kr",
    "förhandsbedömning_andel_inom_gräns", "utredning_median_dagar", "utredning_andel_inom_gräns",
    "sjukfrånvaro_pct", "ärenden_per_handläggare",
}


class FakeStore:
    def __init__(self):
        self._p = placements(
            ("P1", "A", "F", "Jourhem konsulentstött", d(2025, 1, 14), None, None, 3850.0, None),
            ("P3", "B", "F", "Familjehem egen regi", d(2022, 8, 1), d(2025, 2, 20), None, 690.0, "Sammanbrott"),
            ("P4", "B", "B", "HVB", d(2025, 2, 21), None, None, 5400.0, None),
        )
        self._c = cases(
            ("f1", "B", "Förhandsbedömning", d(2025, 2, 1), None, d(2025, 2, 10)),
            ("u1", "B", "Utredning", d(2024, 10, 1), d(2024, 10, 10), d(2025, 2, 1)),
        )
        self._s = staffing((2025, 2, "B", 20.0, 18.0, 2.0, 1.0, 9.0, 2.0, 1, 10.0, 150),
                           (2025, 2, "F", 20.0, 18.0, 2.0, 1.0, 12.0, 4.0, 0, 10.0, 130))

    def placements(self):
        return self._p

    def cases(self):
        return self._c

    def staffing(self):
        return self._s

    def units(self):
        return ["B", "F"]

    def query(self, name):
        assert name == "registers_through"
        return pl.DataFrame({"kind": ["placeringar", "arenden"], "period": [self.through, self.through]})

    through = "2025-03"


def test_trender_has_contract_columns_and_matt():
    r = tr.trender_report(FakeStore(), "2025-01", "2025-02")
    assert r.columns[:4] == ["enhet", "månad", "mått", "värde"]
    assert CONTRACT_MATT <= set(r["mått"].to_list())
    assert set(r["månad"].to_list()) == {"2025-01", "2025-02"}
    assert r["enhet"].to_list()[-1] == "IoF totalt"

    def value(unit, month, matt):
        return r.filter((pl.col("enhet") == unit) & (pl.col("månad") == month) & (pl.col("mått") == matt))["värde"].item()

    assert value("F", "2025-02", "sammanbrott") == 1
    assert value("IoF totalt", "2025-02", "placerade_barn") == 2  # B moved from F to unit B
    assert value("F", "2025-01", "barn_i_konsulentstött_jourhem") == 1
    assert value("B", "2025-02", "förhandsbedömning_andel_inom_gräns") == 100.0
    assert value("B", "2025-02", "utredning_median_dagar") == 114
    assert value("B", "2025-02", "utredning_andel_inom_gräns") == 100.0
    assert value("B", "2025-02", "ärenden_per_handläggare") == 15.0
    assert value("IoF totalt", "2025-02", "ärenden_per_handläggare") == 14.0


def test_trender_for_one_unit_has_no_total_and_unknown_unit_is_a_swedish_error():
    r = tr.trender_report(FakeStore(), "2025-01", "2025-02", unit="F")
    assert set(r["enhet"].to_list()) == {"F"}
    with pytest.raises(ReportError, match="finns inte"):
        tr.trender_report(FakeStore(), "2025-01", "2025-02", unit="X")
    with pytest.raises(ReportError, match="ÅÅÅÅ-MM"):
        tr.trender_report(FakeStore(), "2025-13", "2025-02")


def test_placeringar_per_ar_report():
    r = tr.placeringar_per_ar_report(FakeStore(), 2024, 2025)
    assert r.columns == ["år", "placeringsform", "antal_barn"]
    assert r.rows() == [(2024, "Familjehem egen regi", 1), (2025, "Familjehem egen regi", 1),
                        (2025, "HVB", 1), (2025, "Jourhem konsulentstött", 1)]


def test_lists():
    s = FakeStore()
    j = tr.jourhem_report(s, d(2025, 3, 31))
    assert j.select("barn_id", "dagar_i_jourhem", "dagar_över_gräns").rows() == [("A", 77, 17)]
    h = tr.handlaggningstider_report(s, "2025-02", "2025-02")
    assert h.columns[:4] == ["enhet", "ärendetyp", "månad", "avslutade"]
    lista = tr.arenden_over_grans_report(s, d(2025, 2, 5))  # f1 is open then, closes 10 Feb
    assert lista.select("ärende_id", "dagar_kvar", "status").rows() == [("f1", 10, "passerar inom 14 dagar")]
    sb = tr.sammanbrott_report(s, 2025, 2025, unit="F")
    assert sb.select("placerings_id", "nästa_placeringsform").rows() == [("P3", "HVB")]


def test_trender_per_form_and_end_reason():
    r = tr.trender_report(FakeStore(), "2025-02", "2025-02", unit="F")
    values = dict(zip(r["mått"], r["värde"]))
    assert values["barn_i_konsulentstött_jourhem"] == 1
    assert "barn_i_jourhem_konsulentstött" not in values  # one name for one measure
    assert values["avslutade_sammanbrott"] == 1
    assert "barn_i_hvb" not in values  # B's HVB placement belongs to unit B


def test_months_after_the_latest_extract_have_no_register_values():
    store = FakeStore()
    store.through = "2025-01"
    r = tr.trender_report(store, "2025-01", "2025-02", unit="B")
    feb = set(r.filter(pl.col("månad") == "2025-02")["mått"].to_list())
    assert "placerade_barn" not in feb and "förhandsbedömning_avslutade" not in feb
    assert "ärenden_per_handläggare" in feb  # bemanning has its own months
    jan = set(r.filter(pl.col("månad") == "2025-01")["mått"].to_list())
    assert "placerade_barn" in jan


def test_trend_wide_for_one_unit():
    s = FakeStore()
    long = tr.trend_long(s.placements(), s.cases(), s.staffing(), d(2025, 1, 1), d(2025, 2, 1))
    wide = tr.trend_wide(long, "F", ["placerade_barn", "vårddygn"])
    assert wide.columns == ["month_start", "placerade_barn", "vårddygn", "placerade_barn_underlag"]
    assert wide["placerade_barn"].to_list() == [2.0, 1.0]
