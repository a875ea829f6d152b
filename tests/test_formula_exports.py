"""No live formulas in any export (issue 10, finding 3).

Unit names and adjustment comments carrying spreadsheet formulas (=HYPERLINK(…), +1, -1+1,
@SUM(A1), a leading tab) are exported through every CLI report in CSV and xlsx, the audit log,
and the app's two prognosis downloads (built exactly as `iof.ui.export_buttons` builds them).
Every xlsx is opened with openpyxl: no formula cell. Every CSV field that begins with = + - @
tab or CR is a plain number; everything else is prefixed with '. Negative numbers stay numbers.
An import refuses a unit name that begins like a formula, without echoing it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from iof.cli.main import main
from iof.core.spreadsheet import is_formula, neutralise_frame
from tests.conftest import write_csv

PAYLOADS = ['=HYPERLINK("http://example.invalid","Klicka")', "+1", "-1+1", "@SUM(A1)", "\t=1+1", "=cmd|' /C calc'!A0"]
UNIT = '=HYPERLINK("http://example.invalid","Familjehem")'


def assert_no_formula_in_csv(label: str, data: bytes) -> None:
    text = data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        for cell in row:
            assert not is_formula(cell), f"{label}: {cell!r}"


def assert_no_formula_in_xlsx(label: str, data: bytes) -> int:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{label}: {ws.title}!{cell.coordinate} {cell.value!r}"
                n += isinstance(cell.value, str) and cell.value.lstrip("\t").startswith(("=", "@"))
    return n


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    from iof.pipeline import prognosis as fs
    from iof.store.db import Store

    path = tmp_path_factory.mktemp("formula") / "demo.duckdb"
    assert main(["--db", str(path), "demo", "--idag", "2026-11-01"]) == 0
    # A unit name from before the import rule (or from any other way in): renamed everywhere.
    con = duckdb.connect(str(path))
    old = con.sql("select distinct unit from placement order by unit").fetchall()[0][0]
    for (table,) in con.sql("select distinct table_name from information_schema.columns where column_name = 'unit'").fetchall():
        con.execute(f'update "{table}" set unit = ? where unit = ?', [UNIT, old])
    con.close()
    with Store(path) as store:
        year, month = fs.latest_month(store)
        for p in PAYLOADS:
            fs.add_adjustment(store, year, month, UNIT, "Lokalkostnader", 1.0, p, created_by=p if p != "+1" else "@x")
    return path


def test_neutralise_keeps_numbers_and_swedish_minus():
    f = pl.DataFrame({"t": ["=1+1", "-12", "+5,5", "−1 234", "1 234,5", "-", "@a", "Vanlig", None],
                      "n": [-1.5, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]})
    out = neutralise_frame(f)
    assert out["t"].to_list() == ["'=1+1", "-12", "+5,5", "−1 234", "1 234,5", "'-", "'@a", "Vanlig", None]
    assert out["n"].to_list() == f["n"].to_list()


def every_report() -> list[list[str]]:
    from tests.test_no_personnummer import every_report as reports

    return reports()


def test_every_cli_report_in_csv_and_xlsx(db, tmp_path, capsysbinary):
    checked = 0
    for i, args in enumerate(every_report()):
        args = [a if a != "Familjestöd" else UNIT for a in args]
        if "--enhet" in args:
            continue  # the unit name is an argument: the all-units run covers it
        assert main(["--db", str(db), "report", *args, "--format", "csv"]) == 0, args
        assert_no_formula_in_csv(" ".join(args), capsysbinary.readouterr().out)
        out = tmp_path / f"r{i}.xlsx"
        assert main(["--db", str(db), "report", *args, "--format", "xlsx", "--out", str(out)]) == 0, args
        checked += assert_no_formula_in_xlsx(" ".join(args), out.read_bytes())
    assert checked > 0  # the payloads were in there, as text


def test_the_adjustments_report_and_the_audit_log(db, tmp_path, capsysbinary):
    from iof.pipeline import prognosis as fs
    from iof.store.db import Store

    with Store(db, read_only=True) as store:
        year, month = fs.latest_month(store)
    for args in (["report", "prognos-justeringar", "--år", str(year), "--månad", str(month)], ["audit"]):
        assert main(["--db", str(db), *args, "--format", "csv"]) == 0
        data = capsysbinary.readouterr().out
        assert b"'=HYPERLINK" in data or args == ["audit"]
        assert_no_formula_in_csv(" ".join(args), data)
        out = tmp_path / "x.xlsx"
        assert main(["--db", str(db), *args, "--format", "xlsx", "--out", str(out)]) == 0
        assert_no_formula_in_xlsx(" ".join(args), out.read_bytes())


def test_the_apps_prognosis_downloads(db):
    """The app's "Prognosen som Excel" and "Prognosen som CSV", composed as iof.ui.export_buttons does."""
    from iof.present import dashboard, exports
    from iof.present import files as reports
    from iof.pipeline import prognosis as forecast_store
    from iof.compute.bridge import bridge
    from iof.compute.forecast import ForecastParams
    from iof.compute.forecast import prognos_table as table_of
    from iof.store.db import Store

    with Store(db, read_only=True) as store:
        year, month = forecast_store.latest_month(store)
        fc, _ = forecast_store.prognosis(store, year, month)
        prev, _ = forecast_store.prognosis(store, year, month - 1)
        table, prev_table = table_of(fc.lines), table_of(prev.lines)
        ov = dashboard.overview(table, prev_table)
        br = bridge(prev, fc, ForecastParams.from_config(), store.placements())
        texts = {u: dashboard.analysis_text(u, table, None, year, month) for u in ov["enhet"].to_list()}
        adj = forecast_store.adjustments(store, year, month)
        assert UNIT in ov["enhet"].to_list() and {p.strip() for p in PAYLOADS} <= set(adj["comment"].to_list())
        xlsx = exports.prognosis_workbook(table, ov, br, texts, adj, year, month, store.is_demo())
        csv_bytes = reports.to_csv_bytes(table)
    assert assert_no_formula_in_xlsx("Prognosen som Excel", xlsx) >= len(PAYLOADS)
    assert_no_formula_in_csv("Prognosen som CSV", csv_bytes)


@pytest.mark.parametrize("unit", PAYLOADS)
def test_an_import_refuses_a_unit_name_that_begins_like_a_formula(tmp_path, unit):
    from iof.ingest.extracts import read_extract

    ex = read_extract(write_csv(tmp_path / "utfall_2026-09.csv",
                                [["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"],
                                 ["2026", "9", unit, "Lokalkostnader", "10"]]))
    assert not ex.ok
    text = " ".join(str(p) for p in ex.problems)
    assert "formel" in text and unit.strip() not in text
