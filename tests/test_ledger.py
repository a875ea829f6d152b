"""The ledger as the finance system exports it (issue 14): mapping, signs, errors, reconciliation.

A small mapping file and hand-written ledger files check the rules one by one; the demo's ledger
is then read through the same path and must give exactly what the contract-format files give.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from iof.pipeline.forecast_reports import prognos_report
from iof.pipeline.importer import import_files, load_demo, validate_files
from iof.ingest import ledger
from iof.store.db import Store

PLAN = """
["huvudbok"]
budgetversioner = ["Budget"]
utfallsversioner = ["", "Utfall"]

[ansvar]
"1100" = "Barn och ungdom"
"1200-1249" = "Familjehemsenheten"
"1900" = { "utelämna" = "Förvaltningsgemensamt" }

[konto]
"4561" = "Entreprenader och köp av verksamhet"
"7691" = { "utelämna" = "Intern fördelning" }

["konto_standard"]
"31" = "Taxor och avgifter"
"35" = "Bidrag och ersättningar"
"45-46" = "Övriga kostnader"
"50-57" = "Personalkostnader"
"76-78" = "Övriga kostnader"
"79" = { "utelämna" = "Kapitalkostnad" }
"""
HEADER = ["Ansvar", "Konto", "Verksamhet", "Aktivitet", "Period", "Belopp"]


@pytest.fixture
def plan(tmp_path):
    p = tmp_path / "kontoplan.toml"
    p.write_text(PLAN, encoding="utf-8")
    return p


def counts(store: Store) -> tuple[int, int, int]:
    cur = store.con.cursor()
    try:
        return tuple(cur.execute(f"select count(*) from {t}").fetchall()[0][0]
                     for t in ("actual", "budget", "import_log"))
    finally:
        cur.close()


GOOD = [
    HEADER,
    ["1100", "5111", "510", "", "202503", "100 000,00"],
    ["1100", "5611", "510", "", "202503", "31 000,50"],
    ["1210", "4561", "510", "", "202503", "250 000"],        # override beats 45-46 of the standard
    ["1210", "4561", "510", "", "202503", "-10 000"],        # a credit on a cost account (correction)
    ["1249", "4611", "510", "", "202503", "5 000"],          # range end; standard 45-46
    ["1210", "3511", "510", "", "202503", "-80 000"],        # income: credit in the ledger
    ["1100", "3111", "510", "", "202503", "-1 234,25"],
    ["1100", "7911", "510", "", "202503", "12 345,67"],      # left out by rule: kapitalkostnad
    ["1100", "7691", "510", "", "202503", "-3 000"],         # left out by an override
    ["1900", "5111", "510", "", "202503", "9 999"],          # left out ansvar
]


def test_ledger_debits_credits_ranges_and_signs(store, plan, csv_writer):
    f = csv_writer("huvudbok_2025-03.csv", GOOD)
    r = import_files(store, [f], user="kontroller", mapping=plan)
    assert r.ok, r.report()
    got = {(u, c): float(v) for u, c, v in store.actual().select("unit", "cost_type", "amount_tkr").iter_rows()}
    assert got == {
        ("Barn och ungdom", "Personalkostnader"): pytest.approx(131.0005, abs=1e-9),
        ("Familjehemsenheten", "Entreprenader och köp av verksamhet"): 240.0,
        ("Familjehemsenheten", "Övriga kostnader"): 5.0,
        ("Familjehemsenheten", "Bidrag och ersättningar"): 80.0,   # income positive, as in utfall
        ("Barn och ungdom", "Taxor och avgifter"): pytest.approx(1.23425, abs=1e-9),
    }
    assert set(store.actual()["month"]) == {3}
    report = r.report()
    assert "huvudbok → utfall" in report
    assert 'Utelämnat enligt [konto_standard] "79": 1 rader, 12 345,67 kr — Kapitalkostnad' in report
    assert 'Utelämnat enligt [konto] "7691": 1 rader, −3 000,00 kr' in report
    assert 'Utelämnat enligt [ansvar] "1900": 1 rader, 9 999,00 kr' in report


def test_reconciliation_line_adds_up(store, plan, csv_writer):
    f = csv_writer("huvudbok_2025-03.csv", GOOD)
    r = import_files(store, [f], user="kontroller", mapping=plan)
    assert r.ok, r.report()
    file_kr = 100000 + 31000.5 + 250000 - 10000 + 5000 - 80000 - 1234.25 + 12345.67 - 3000 + 9999
    left_kr = 12345.67 - 3000 + 9999
    rec = r.stored[0].reconciliation
    assert rec.file_kr == pytest.approx(file_kr)
    assert rec.left_out_kr == pytest.approx(left_kr)
    # Σ stored in the database (costs − income) × 1 000 + left out = Σ file, to the öre.
    cur = store.con.cursor()
    costs_minus_income = cur.execute(
        "select sum(case when cost_type in ('Taxor och avgifter','Bidrag och ersättningar') "
        "then -amount_tkr else amount_tkr end) from actual").fetchall()[0][0]
    cur.close()
    assert float(costs_minus_income) * 1000 + left_kr == pytest.approx(file_kr, abs=0.005)
    line = next(d for d in r.stored[0].details if d.startswith("Avstämning"))
    assert line == ("Avstämning utfall: summa i filen 314 110,92 kr = sparat 294,76625 tkr × 1 000 "
                    "(kostnader − intäkter) + utelämnat enligt regel 19 344,67 kr — stämmer.")
    assert line in r.report()


def test_unmapped_account_and_ansvar_named_once_and_nothing_stored(store, plan, csv_writer):
    ok_contract = csv_writer("budget_2025.csv", [["år", "enhet", "kostnadsslag", "belopp_tkr"],
                                                 ["2025", "Barn och ungdom", "Personalkostnader", "1000"]])
    rows = GOOD + [
        ["1100", "6411", "510", "", "202503", "1 000"],      # 64 has no rule in this plan
        ["1210", "6411", "510", "", "202504", "2 500,50"],
        ["1100", "6411", "510", "", "202505", "-500"],
        ["1300", "5111", "510", "", "202503", "7 000"],      # ansvar outside every range
    ]
    f = csv_writer("huvudbok_2025.csv", rows)
    r = import_files(store, [ok_contract, f], user="kontroller", mapping=plan)
    assert not r.ok
    errors = [str(p) for p in r.errors]
    konto = [e for e in errors if "'6411'" in e]
    ansvar = [e for e in errors if "'1300'" in e]
    assert len(konto) == 1 and len(ansvar) == 1, errors
    assert "konto '6411' finns inte i kontoplanen (3 rader, 3 000,50 kr)" in konto[0]
    assert "rad 12" in konto[0] and "kolumn konto" in konto[0]
    assert "ansvar '1300' finns inte i kontoplanen (1 rader, 7 000,00 kr)" in ansvar[0]
    assert "Ingenting från den här importen har sparats" in r.report()
    assert counts(store)[:2] == (0, 0)


def test_budget_by_version_column_annual_and_monthly(store, plan, csv_writer):
    f = csv_writer("ekonomi_2025.csv", [
        ["År", "Månad", "Ansvar", "Konto", "Version", "Belopp_kr"],
        ["2025", "", "1100", "5111", "Budget", "1 200 000"],
        ["2025", "", "1210", "3511", "Budget", "-600 000"],
        ["2025", "3", "1210", "4561", "Budget", "50 000"],
        ["2025", "3", "1210", "4561", "Utfall", "48 000"],
        ["2025", "3", "1210", "3511", "", "-52 000"],
    ])
    r = import_files(store, [f], user="kontroller", mapping=plan)
    assert r.ok, r.report()
    assert [e.kind for e in r.stored] == ["utfall", "budget"]
    budget = {(u, c, m): float(v) for u, c, m, v in
              store.budget().select("unit", "cost_type", "month", "amount_tkr").iter_rows()}
    assert budget == {("Barn och ungdom", "Personalkostnader", None): 1200.0,
                      ("Familjehemsenheten", "Bidrag och ersättningar", None): 600.0,
                      ("Familjehemsenheten", "Entreprenader och köp av verksamhet", 3): 50.0}
    assert float(store.actual().filter(pl.col("cost_type") == "Bidrag och ersättningar")["amount_tkr"][0]) == 52.0
    # An unknown version is named once.
    g = csv_writer("ekonomi2.csv", [["År", "Månad", "Ansvar", "Konto", "Version", "Belopp"],
                                    ["2025", "3", "1100", "5111", "Prognos 2", "1"],
                                    ["2025", "4", "1100", "5111", "Prognos 2", "2"]])
    bad = validate_files([g], mapping=plan)
    assert [str(e) for e in bad.errors] == [
        "Fel: ekonomi2.csv, rad 2, kolumn version: okänd version 'Prognos 2' (2 rader, 3,00 kr). Lägg till "
        "den i kontoplanen under [huvudbok] budgetversioner eller utfallsversioner"]


def test_bad_cells_name_row_and_column(plan, csv_writer):
    f = csv_writer("huvudbok.csv", [HEADER, ["1100", "5111", "", "", "2025-13", "1"],
                                    ["1100", "5111", "", "", "202503", "tusen"]])
    r = validate_files([f], mapping=plan)
    assert [str(e) for e in r.errors] == [
        "Fel: huvudbok.csv, rad 3, kolumn belopp: 'tusen' är inte ett tal (t.ex. 1 234,5)"]
    f2 = csv_writer("huvudbok2.csv", [HEADER, ["1100", "5111", "", "", "202513", "1"]])
    assert [str(e) for e in validate_files([f2], mapping=plan).errors] == [
        "Fel: huvudbok2.csv, rad 2, kolumn period: '202513' är inte en period ÅÅÅÅMM (t.ex. 202510)"]


def test_mapping_errors_are_swedish(tmp_path):
    p = tmp_path / "k.toml"
    p.write_text('[konto]\n"45" = "Köpta tjänster"\n', encoding="utf-8")
    with pytest.raises(ledger.MappingError, match="okänt kostnadsslag 'Köpta tjänster'"):
        ledger.load_mapping(p)
    p.write_text('[ansvar]\n"1249-1200" = "X"\n', encoding="utf-8")
    with pytest.raises(ledger.MappingError, match="lägst först"):
        ledger.load_mapping(p)


def test_default_mapping_follows_kommun_bas():
    plan = ledger.load_mapping(ledger.DEFAULT_MAPPING)
    target = {k: (r.target or "utelämnas") for k in ("3111", "3311", "3511", "4561", "4611", "5111", "5811",
                                                     "6011", "6411", "7511", "7911", "8411")
              for r in [plan.resolve_konto(k)]}
    assert target == {
        "3111": "Taxor och avgifter", "3311": "utelämnas", "3511": "Bidrag och ersättningar",
        "4561": "Entreprenader och köp av verksamhet", "4611": "Entreprenader och köp av verksamhet",
        "5111": "Personalkostnader", "5811": "Övriga personalkostnader", "6011": "Lokalkostnader",
        "6411": "Övriga kostnader", "7511": "Övriga personalkostnader", "7911": "utelämnas",
        "8411": "utelämnas",
    }
    assert plan.resolve_konto("1510") is None  # balance accounts: no rule, an error on import


def test_demo_ledger_gives_the_contract_prognosis(tmp_path):
    today = date(2026, 11, 23)
    with Store(tmp_path / "contract.duckdb") as a, Store(tmp_path / "ledger.duckdb") as b:
        ra = load_demo(a, today=today)
        rb = load_demo(b, today=today, ledger=True, out_dir=tmp_path / "files")
        assert ra.ok and rb.ok, rb.report()
        assert (tmp_path / "files" / "kontoplan.toml").exists()
        assert any(e.left_out for e in rb.stored)
        assert all(e.reconciliation.ok for e in rb.stored if e.source == "huvudbok")
        keys = ["year", "month", "unit", "cost_type"]
        for frame in ("actual", "budget"):
            fa = getattr(a, frame)().select(*keys, "amount_tkr").sort(keys, nulls_last=True)
            fb = getattr(b, frame)().select(*keys, "amount_tkr").sort(keys, nulls_last=True)
            assert fa.equals(fb), frame
        for month in (4, 10):
            # Same stored figures; the prognosis equal to the last bits of a float sum (the order
            # in which Polars adds up a total is not fixed).
            assert_frame_equal(prognos_report(a, 2026, month), prognos_report(b, 2026, month),
                               check_exact=False, abs_tol=1e-6)
