"""The one personnummer detector (iof.core.personnummer) against a determined tester (issue 10,
findings 1 and 2): every separator, width, digit form and position, in every column of every
extract kind, in adjustment comments and in command-line arguments — rejected, never echoed.
And the ordinary values of the extracts (amounts, dates, ids) are not flagged."""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from iof.core.personnummer import contains, mask, polars_candidates, redact
from iof.ingest.extracts import KINDS, read_extract
from tests.conftest import write_csv

SEPARATORS = ["", "-", "+", " ", "\u2013", "\u2014", "\u2011", "\u2010", "\u2212", "\u00a0", "\u2009",
              "\u202f", ".", "/", " - ", " \u2013 ", "\u200b", "\uff0d", "_", ","]
FULLWIDTH = str.maketrans("0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")


@st.composite
def personnummer(draw) -> str:
    """A personnummer or samordningsnummer (day + 60), 10 or 12 digits, any separator, ASCII or
    full-width digits, with or without a correct check digit."""
    born = draw(st.dates(min_value=date(1890, 1, 1), max_value=date(2026, 12, 31)))
    coordination = draw(st.booleans())
    day = born.day + (60 if coordination else 0)
    serial3 = draw(st.integers(0, 999))
    body = f"{born.year % 100:02d}{born.month:02d}{day:02d}{serial3:03d}"
    check = luhn.calc_check_digit(body) if draw(st.booleans()) else str(draw(st.integers(0, 9)))
    digits = (f"{born.year // 100}" if draw(st.booleans()) else "") + body + check
    sep = draw(st.sampled_from(SEPARATORS))
    text = digits[:-4] + sep + digits[-4:]
    if draw(st.booleans()) and draw(st.booleans()):
        text = text.translate(FULLWIDTH)
    return text


def in_text(pnr: str, prefix: str, suffix: str) -> str:
    return prefix + pnr + suffix


PREFIX = st.sampled_from(["", "Barn ", "B-", "x ", "enligt ", "(", "nr: "])
SUFFIX = st.sampled_from(["", " x", ")", " hos enheten", "."])


@settings(max_examples=400, deadline=None)
@given(personnummer(), PREFIX, SUFFIX)
def test_every_form_is_found_and_redacted(pnr, prefix, suffix):
    text = in_text(pnr, prefix, suffix)
    assert contains(text), text
    assert not contains(redact(text)) and "[dolt]" in redact(text)
    assert mask(text) == "[dolt värde]"
    import polars as pl

    assert pl.DataFrame({"v": [text]}).select(polars_candidates(pl.col("v")))["v"][0]


ORDINARY = ["2025-03-31", "2025-03-31 00:00:00", "1 234 567,5", "1234567,50", "-12 500", "−1 234,5",
            "12500.75", "4 500", "2025", "12", "0,5", "P-2025-000123", "B-0001234", "Ä-2024-01-0042",
            "HVB", "Familjehemsenheten", "SoL 4 kap. 1 §", "LVU 2 §", "2026-01-10", "20250331",
            "Ökat behov av konsulentstöd från 2025-04-01, 3 placeringar", "budget 12 345 tkr (2025)"]


@pytest.mark.parametrize("value", ORDINARY)
def test_ordinary_values_are_not_flagged(value):
    assert not contains(value)


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10**7, max_value=10**7, places=2, allow_nan=False))
def test_amounts_in_swedish_format_are_not_flagged(amount):
    from babel.numbers import format_decimal

    assert not contains(format_decimal(amount, format="#,##0.00", locale="sv_SE"))
    assert not contains(str(amount))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 23), st.integers(0, 59))
def test_dates_and_times_are_not_flagged(d, h, m):
    assert not contains(d.isoformat())
    assert not contains(f"{d.isoformat()} {h:02d}:{m:02d}:00")
    assert not contains(f"{d.isoformat()} – {(d + timedelta(days=30)).isoformat()}")


# A valid row per kind, by the contract's column names.
VALID = {
    "budget": {"år": "2026", "enhet": "Familjestöd", "kostnadsslag": "Lokalkostnader", "belopp_tkr": "100",
               "månad": "3"},
    "utfall": {"år": "2026", "månad": "9", "enhet": "Familjestöd", "kostnadsslag": "Lokalkostnader",
               "belopp_tkr": "10"},
    "placeringar": {"placerings_id": "P-X1", "barn_id": "B-X1", "enhet": "Familjestöd", "placeringsform": "HVB",
                    "startdatum": "2026-01-10", "slutdatum": "", "planerat_slutdatum": "",
                    "dygnskostnad_kr": "5000", "avslutsorsak": "", "lagrum": "SoL", "kön": "F",
                    "födelseår": "2012", "ensamkommande": "nej"},
    "bemanning": {"år": "2026", "månad": "9", "enhet": "Familjestöd", "budgeterade_åa": "10",
                  "bemannade_åa": "9", "vakanta_tjänster": "1", "konsulter_åa": "0", "sjukfrånvaro_pct": "5",
                  "sjukfrånvaro_dag1_14_pct": "2", "avgångar": "0", "handläggare_åa": "6",
                  "aktuella_ärenden": "80"},
    "arenden": {"ärende_id": "Ä-X1", "enhet": "Familjestöd", "ärendetyp": "Utredning",
                "inkom_datum": "2026-01-10", "start_datum": "2026-01-20", "avslut_datum": ""},
}
CELLS = [(kind, col.name) for kind, cols in KINDS.items() for col in cols]


def test_the_valid_rows_are_valid(tmp_path):
    for kind, row in VALID.items():
        ex = read_extract(write_csv(tmp_path / f"{kind}_2026-09.csv", [list(row), list(row.values())]))
        assert ex.ok, [str(p) for p in ex.problems]


@pytest.mark.parametrize("kind,column", CELLS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pnr=personnummer(), prefix=PREFIX, suffix=SUFFIX, xlsx=st.booleans())
def test_a_personnummer_in_any_column_is_rejected_without_echo(tmp_path, kind, column, pnr, prefix, suffix, xlsx):
    value = in_text(pnr, prefix, suffix)
    row = dict(VALID[kind], **{column: value})
    path = tmp_path / f"{kind}_2026-09.{'xlsx' if xlsx else 'csv'}"
    if xlsx:
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
        ws = wb.add_worksheet(kind)
        for j, (h, v) in enumerate(row.items()):
            ws.write_string(0, j, h)
            ws.write_string(1, j, v)
        wb.close()
    else:
        write_csv(path, [list(row), list(row.values())])
    ex = read_extract(path)
    assert not ex.ok
    messages = [str(p) for p in ex.problems]
    assert any(f"kolumn {column}:" in m and "personnummer" in m and "visas inte" in m for m in messages), messages
    text = " ".join(messages)
    assert not contains(text) and pnr not in text
    digits = "".join(ch for ch in pnr.translate({ord(f): str(i) for i, f in enumerate("\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")}) if ch.isdigit())
    assert digits[-4:] not in text.replace("2026-09", "")


@pytest.mark.parametrize("value", ["850101 1234", "850101\u20131234", "19850101\u22121234", "\uff18\uff15\uff10\uff11\uff10\uff11-1234"])
def test_a_personnummer_never_becomes_an_amount_or_a_year(tmp_path, value):
    """Finding 1 and 2: '850101 1234' in dygnskostnad_kr became 8501011234; in födelseår the
    range message quoted it."""
    for column in ("dygnskostnad_kr", "födelseår"):
        row = dict(VALID["placeringar"], **{column: value})
        ex = read_extract(write_csv(tmp_path / "placeringar_2026-09.csv", [list(row), list(row.values())]))
        assert not ex.ok and ex.frame is None
        messages = [str(p) for p in ex.problems]
        assert len(messages) == 1 and "personnummer" in messages[0] and "1234" not in messages[0], messages


def test_a_personnummer_in_a_sheet_name_rejects_the_workbook(tmp_path):
    import xlsxwriter

    path = tmp_path / "utfall_2026-09.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("utfall")
    wb.add_worksheet("850101\u20131234")
    wb.close()
    ex = read_extract(path)
    assert not ex.ok and "bladnamn" in str(ex.problems[0]) and "1234" not in str(ex.problems[0])


def test_a_file_name_is_redacted_in_every_form(tmp_path):
    row = VALID["utfall"]
    for sep in ["-", "\u2013", " ", "\u2011", "."]:
        path = write_csv(tmp_path / f"utfall_2026-09 850101{sep}1234.csv", [list(row), list(row.values())])
        ex = read_extract(path)
        assert ex.ok and "[dolt]" in ex.file_name and not contains(ex.file_name), ex.file_name


# ---------------------------------------------------------------------------------------------
# The command line and adjustment comments
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from iof.cli.main import main

    db = tmp_path_factory.mktemp("pnr") / "demo.duckdb"
    assert main(["--db", str(db), "demo", "--idag", "2026-11-01"]) == 0
    return db


@pytest.mark.parametrize("pnr", ["19850101-1234", "850101\u20131234", "850101 1234", "\uff18\uff15\uff10\uff11\uff10\uff11\uff0d\uff11\uff12\uff13\uff14"])
def test_a_cli_argument_with_a_personnummer_is_refused_without_echo(demo_db, capsys, pnr):
    """Finding 2: `iof justering --enhet 19850101-1234` echoed the value."""
    from iof.cli.main import main

    for args in (["justering", "--år", "2026", "--månad", "10", "--enhet", pnr, "--kostnadsslag", "Lokalkostnader",
                  "--belopp-tkr", "1", "--kommentar", "test"],
                 ["report", "placeringar", "--datum", "2026-10-31", "--enhet", pnr],
                 ["report", "placeringar", "--datum", "2026-10-31", "--out", f"{pnr}.csv"]):
        code = main(["--db", str(demo_db), *args])
        out = capsys.readouterr()
        assert code == 2
        assert not contains(out.out + out.err) and "1234" not in out.out + out.err, out.err


@pytest.mark.parametrize("comment", ["barnet 850101\u20131234 flyttar", "se 850101 1234", "850101\u2212 1234",
                                     "\uff18\uff15\uff10\uff11\uff10\uff11-1234", "19850101.1234 avslutad"])
def test_an_adjustment_comment_with_a_personnummer_is_not_stored(demo_db, comment):
    """Finding 1: an en dash in an adjustment comment was stored."""
    import duckdb

    from iof.pipeline import prognosis as fs
    from iof.compute.forecast import ForecastError
    from iof.store.db import Store

    with Store(demo_db) as store:
        year, month = fs.latest_month(store)
        unit = store.units()[0]
        with pytest.raises(ForecastError) as err:
            fs.add_adjustment(store, year, month, unit, "Lokalkostnader", 1.0, comment, created_by="test")
        assert not contains(str(err.value)) and "1234" not in str(err.value)
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        texts = [str(c) for r in con.sql("select * from forecast_adjustment").fetchall() for c in r]
    finally:
        con.close()
    assert not any(contains(t) for t in texts)
