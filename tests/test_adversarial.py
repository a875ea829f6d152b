"""Issue 11: the adversarial run, repeated. Every bad input is imported into a fresh copy of a
database holding the demo data as real data; every table is hashed before and after. Each must be
refused with a Swedish message naming the file, and every data table must be unchanged (the audit
log gains exactly the one row that records the refusal). A handful also go through the CLI
(exit code, no traceback). 80 inputs; the counts are in the notes of issue 11.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from iof.pipeline.importer import import_files
from iof.store.db import Store
from tests.conftest import write_csv
from tests.integrity_fixtures import content, quote, real_template  # noqa: F401

U = ["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]
P = ["placerings_id", "barn_id", "enhet", "placeringsform", "startdatum", "slutdatum", "planerat_slutdatum",
     "dygnskostnad_kr", "avslutsorsak"]
A = ["ärende_id", "enhet", "ärendetyp", "inkom_datum", "start_datum", "avslut_datum", "barn_id"]
B = ["år", "enhet", "kostnadsslag", "belopp_tkr"]
S = ["år", "månad", "enhet", "budgeterade_åa", "bemannade_åa", "vakanta_tjänster", "konsulter_åa",
     "sjukfrånvaro_pct", "sjukfrånvaro_dag1_14_pct", "avgångar", "handläggare_åa", "aktuella_ärenden"]
PNR = "19121212-1212"


def _u(unit="Familjerätt", amount="12,5", year="2026", month="11", cost="Lokalkostnader"):
    return [U, [year, month, quote(unit), cost, amount]]


def _p(**kw):
    row = dict(zip(P, ["P-9001", "B-9001", "Familjerätt", "HVB", "2026-10-01", "", "", "4 500", ""]))
    row.update(kw)
    return [P, [quote(row[c]) for c in P]]


def _a(**kw):
    row = dict(zip(A, ["Ä-9001", "Familjerätt", "Utredning", "2026-10-01", "2026-10-02", "", "B-1"]))
    row.update(kw)
    return [A, [quote(row[c]) for c in A]]


def _s(**kw):
    row = dict(zip(S, ["2026", "11", "Familjerätt", "7", "6,5", "0", "0", "6,6", "2,7", "0", "5", "78"]))
    row.update(kw)
    return [S, [row[c] for c in S]]


def csv_case(name, rows, **kw):
    return lambda d: [write_csv(d / name, rows, **kw)]


def raw_case(name, data: bytes):
    def make(d):
        (d / name).write_bytes(data)
        return [d / name]
    return make


def xlsx_case(name, sheets):
    """sheets: [(title, rows, state)]."""
    def make(d):
        import openpyxl

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for title, rows, state in sheets:
            ws = wb.create_sheet(title)
            for r in rows:
                ws.append(r)
            ws.sheet_state = state
        visible = [i for i, s in enumerate(sheets) if s[2] == "visible"]
        if visible:
            wb.active = visible[0]
        wb.save(d / name)
        return [d / name]
    return make


def two(*cases):
    return lambda d: [f for c in cases for f in c(d)]


def _subdir(make, sub):
    def inner(d):
        (d / sub).mkdir(exist_ok=True)
        return make(d / sub)
    return inner


CASES = {
    # -- unit names (finding 1)
    "enhet-reserverad-iof-totalt": csv_case("utfall_2026-11.csv", _u("IoF totalt")),
    "enhet-reserverad-alla": csv_case("utfall_2026-11.csv", _u("Alla enheter")),
    "enhet-2000-tecken": csv_case("utfall_2026-11.csv", _u("x" * 2000)),
    "enhet-sidnamn": csv_case("utfall_2026-11.csv", _u("Importera")),
    "enhet-sidnamn-datastatus": csv_case("utfall_2026-11.csv", _u("Datastatus")),
    "enhet-formel": csv_case("utfall_2026-11.csv", _u("=1+1")),
    "enhet-plus": csv_case("utfall_2026-11.csv", _u("+Barn")),
    "enhet-styrtecken": csv_case("utfall_2026-11.csv", _u("Barn\x07och")),
    "enhet-rtl-tecken": csv_case("utfall_2026-11.csv", _u("Barn\u202eoch")),
    "enhet-bara-tecken": csv_case("utfall_2026-11.csv", _u("???")),
    "enhet-krockar-sidadress": csv_case("utfall_2026-11.csv", _u("Familjeratt")),
    "enhet-ny-obekräftad": csv_case("utfall_2026-11.csv", _u("Nya enheten")),
    "enhet-ny-i-placeringar": csv_case("placeringar_2026-10.csv", _p(enhet="Nya enheten")),
    "enhet-personnummer": csv_case("utfall_2026-11.csv", _u(f"Enhet {PNR}")),
    # -- amounts and numbers (finding 2)
    "belopp-för-stort": csv_case("utfall_2026-11.csv", _u(amount="123456789012345")),
    "belopp-summa-för-stor": csv_case("utfall_2026-11.csv", _u(amount="90000000000000") + [_u(amount="90000000000000")[1]]),
    "belopp-text": csv_case("utfall_2026-11.csv", _u(amount="tio")),
    "belopp-två-decimaltecken": csv_case("utfall_2026-11.csv", _u(amount="1.234,5")),
    "belopp-exponent": csv_case("utfall_2026-11.csv", _u(amount="1e5")),
    "belopp-nan": csv_case("utfall_2026-11.csv", _u(amount="NaN")),
    "belopp-inf": csv_case("utfall_2026-11.csv", _u(amount="inf")),
    "belopp-saknas": csv_case("utfall_2026-11.csv", _u(amount="")),
    "budget-negativ": csv_case("budget_2027.csv", [B, ["2027", "Familjerätt", "Lokalkostnader", "-5"]]),
    "månad-13": csv_case("utfall_2026-11.csv", _u(month="13")),
    "år-1850": csv_case("utfall_2026-11.csv", _u(year="1850")),
    "dygnskostnad-för-stor": csv_case("placeringar_2026-10.csv", _p(dygnskostnad_kr="99999999999999999")),
    "avgångar-för-stort": csv_case("bemanning_2026-11.csv", _s(avgångar="99999999999")),
    "sjukfrånvaro-över-100": csv_case("bemanning_2026-11.csv", _s(sjukfrånvaro_pct="140")),
    "kostnadsslag-okänt": csv_case("utfall_2026-11.csv", _u(cost="Hemliga kostnader")),
    "placeringsform-okänd": csv_case("placeringar_2026-10.csv", _p(placeringsform="Hotell")),
    "ärendetyp-okänd": csv_case("arenden_2026-10.csv", _a(ärendetyp="Gissning")),
    # -- dates (finding 5)
    "datum-år-0001": csv_case("placeringar_2026-10.csv", _p(startdatum="0001-01-01")),
    "datum-år-9999": csv_case("placeringar_2026-10.csv", _p(slutdatum="9999-12-31")),
    "datum-1989": csv_case("placeringar_2026-10.csv", _p(startdatum="1989-12-31")),
    "datum-30-februari": csv_case("placeringar_2026-10.csv", _p(startdatum="2026-02-30")),
    "datum-svenskt-format": csv_case("placeringar_2026-10.csv", _p(startdatum="01/10/2026")),
    "datum-slut-före-start": csv_case("placeringar_2026-10.csv", _p(slutdatum="2026-09-01")),
    "datum-planerat-före-start": csv_case("placeringar_2026-10.csv", _p(planerat_slutdatum="2026-09-01")),
    "ärende-avslut-före-inkom": csv_case("arenden_2026-10.csv", _a(avslut_datum="2026-09-01")),
    "ärende-start-år-0001": csv_case("arenden_2026-10.csv", _a(start_datum="0001-01-01")),
    # -- personnummer anywhere
    "pnr-barn-id": csv_case("placeringar_2026-10.csv", _p(barn_id=PNR)),
    "pnr-placerings-id": csv_case("placeringar_2026-10.csv", _p(placerings_id="201212121212")),
    "pnr-ärende-id": csv_case("arenden_2026-10.csv", _a(ärende_id="121212-1212")),
    "pnr-ärende-barn-id": csv_case("arenden_2026-10.csv", _a(barn_id=PNR)),
    "pnr-samordningsnummer": csv_case("placeringar_2026-10.csv", _p(barn_id="19121272-1212")),
    "pnr-lagrum": csv_case("placeringar_2026-10.csv", [P + ["lagrum"], _p()[1] + [PNR]]),
    "pnr-som-belopp": csv_case("utfall_2026-11.csv", _u(amount="1212121212")),
    # -- rows and batches
    "dubblett-placerings-id": csv_case("placeringar_2026-10.csv", _p() + [_p()[1]]),
    "dubblett-ärende-id": csv_case("arenden_2026-10.csv", _a() + [_a()[1]]),
    "dubblett-bemanning": csv_case("bemanning_2026-11.csv", _s() + [_s()[1]]),
    "budget-års-och-månads": csv_case("budget_2027.csv", [U, ["2027", "", "Familjerätt", "Lokalkostnader", "5"],
                                                         ["2027", "1", "Familjerätt", "Lokalkostnader", "5"]]),
    "sats-samma-period-två-filer": two(csv_case("utfall_2026-11.csv", _u()),
                                       _subdir(csv_case("utfall_2026-11_kopia.csv", _u(amount="13")), "b")),
    "sats-en-bra-en-dålig": two(csv_case("utfall_2026-11.csv", _u()),
                                csv_case("placeringar_2026-10.csv", _p(startdatum="igår"))),
    "sats-samma-placering-två-filer": two(csv_case("placeringar_2026-10.csv", _p()),
                                          csv_case("placeringar_2026-10_b.csv", _p(barn_id="B-2"))),
    # -- headers
    "rubrik-saknas": csv_case("utfall_2026-11.csv", [U[:-1], ["2026", "11", "Familjerätt", "Lokalkostnader"]]),
    "rubrik-två-gånger": csv_case("utfall_2026-11.csv", [U + ["belopp_tkr"], _u()[1] + ["1"]]),
    "rubrik-okänd-typ": csv_case("okänt.csv", [["a", "b"], ["1", "2"]]),
    "rubrik-tvetydig-typ": csv_case("ekonomi.csv", _u()),
    "bara-rubrik": csv_case("utfall_2026-11.csv", [U]),
    "bara-tomma-rader": csv_case("utfall_2026-11.csv", [U, ["", "", "", "", ""], [";;;"]]),
    # -- file formats (finding 5)
    "tom-fil": raw_case("utfall_2026-11.csv", b""),
    "bara-bom": raw_case("utfall_2026-11.csv", b"\xef\xbb\xbf"),
    "utf16-le": raw_case("utfall_2026-11.csv", "\r\n".join(";".join(r) for r in _u()).encode("utf-16")),
    "utf16-be-utan-bom": raw_case("utfall_2026-11.csv", "\r\n".join(";".join(r) for r in _u()).encode("utf-16-be")),
    "binär": raw_case("utfall_2026-11.csv", bytes(range(256)) * 50),
    "pdf": raw_case("utfall_2026-11.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    "xlsx-som-csv": raw_case("utfall_2026-11.csv", b"PK\x03\x04" + bytes(200)),
    "gammal-xls": raw_case("utfall_2026-11.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200)),
    "trasig-xlsx": raw_case("utfall_2026-11.xlsx", b"PK\x03\x04 inte en arbetsbok"),
    "xlsx-data-bara-i-dolt-blad": xlsx_case("utfall_2026-11.xlsx", [("utfall", _u(), "hidden"),
                                                                    ("Blad1", [], "visible")]),
    "xlsx-dolt-blad-fel-i-synligt": xlsx_case("utfall_2026-11.xlsx", [
        ("utfall", [U, [2026, 11, "Familjerätt", "Lokalkostnader", 5]], "hidden"),
        ("Blad1", [U, [2026, 11, "Familjerätt", "Lokalkostnader", "fem"]], "visible")]),
    "filtyp-pdf": raw_case("utfall_2026-11.pdf", b"%PDF-1.7"),
    "fil-finns-inte": lambda d: [d / "finns_inte_2026-11.csv"],
    "cp1252-fel-i-rad": raw_case("utfall_2026-11.csv", "\r\n".join(";".join(r) for r in _u(amount="tolv")).encode("cp1252")),
    "tom-rad-och-fel": csv_case("utfall_2026-11.csv", _u() + [["", "", "", "", ""], ["2026", "11", "Familjerätt", "Lokalkostnader", "x"]]),
    "nfd-enhet-krock": csv_case("utfall_2026-11.csv", _u(unicodedata.normalize("NFD", "Familjeratt"))),
    "zip-med-csv": lambda d: [_zip(d)],
}


def _zip(d: Path) -> Path:
    z = d / "utfall_2026-11.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("utfall_2026-11.csv", "\r\n".join(";".join(r) for r in _u()))
    return z


ENGLISH = re.compile(r"Traceback|Exception|Error\b|\(Error\)|could not|invalid|failed", re.I)


def _check(db: Path, files: list[Path]) -> str:
    before = content(db)
    with Store(db) as s:
        r = import_files(s, files, user="angripare")
    text = r.report()
    assert not r.ok, f"accepted:\n{text}"
    assert "Importen avbröts" in text and "Ingenting från den här importen har sparats" in text, text
    assert not ENGLISH.search(text), text
    assert "1212" not in text, text  # a personnummer is never echoed
    assert any(p.file and p.file != "importen" for p in r.errors) or "importen" in text, text
    after = content(db)
    changed = {t for t in before if before[t] != after[t]}
    assert changed <= {"audit_log"}, changed
    assert after["audit_log"][0] == before["audit_log"][0] + 1  # the refusal, logged
    return text


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_is_refused_in_swedish_and_nothing_changes(real_template, tmp_path, case):
    db = tmp_path / "iof.duckdb"
    shutil.copyfile(real_template, db)
    files_dir = tmp_path / "filer"
    files_dir.mkdir()
    _check(db, CASES[case](files_dir))


CLI_CASES = ["belopp-för-stort", "belopp-summa-för-stor", "utf16-le", "binär", "enhet-ny-obekräftad",
             "xlsx-data-bara-i-dolt-blad"]


@pytest.mark.parametrize("case", CLI_CASES)
def test_bad_input_through_the_cli_exits_nonzero_without_traceback(real_template, tmp_path, case):
    db = tmp_path / "iof.duckdb"
    shutil.copyfile(real_template, db)
    files_dir = tmp_path / "filer"
    files_dir.mkdir()
    before = content(db)
    files = CASES[case](files_dir)
    res = subprocess.run([sys.executable, "-m", "iof", "import", *map(str, files), "--db", str(db)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr and "Importen avbröts" in res.stderr
    after = content(db)
    assert {t for t in before if before[t] != after[t]} <= {"audit_log"}
