"""Reading extract files: encodings, separators, decimal formats, xlsx, and every bad-input kind."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
import xlsxwriter

from iof.core.privacy import looks_like_personnummer
from iof.ingest.extracts import read_extract
from tests.conftest import EXAMPLES

UTFALL_HEADER = ["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_encodings_and_separators_keep_swedish_letters_and_decimal_comma(csv_writer, encoding, sep):
    amount = '"1 234,5"' if sep == "," else "1 234,5"
    rows = [UTFALL_HEADER, ["2025", "3", "Familjehemsenheten", "Övriga kostnader", amount]]
    ex = read_extract(csv_writer("utfall_2025-03.csv", rows, sep=sep, encoding=encoding))
    assert ex.ok, [str(p) for p in ex.problems]
    assert ex.kind == "utfall"
    row = ex.frame.row(0, named=True)
    assert row["cost_type"] == "Övriga kostnader"
    assert row["amount_tkr"] == 1234.5


@pytest.mark.parametrize(
    "text,value",
    [("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("1\u202f234,5", 1234.5), ("1234.5", 1234.5),
     ("12", 12.0), ("−2,25", -2.25), ("-0,5", -0.5), (",5", 0.5)],
)
def test_number_formats(csv_writer, text, value):
    rows = [UTFALL_HEADER, ["2025", "3", "Familjerätt", "Övriga kostnader", text]]
    ex = read_extract(csv_writer("utfall.csv", rows))
    assert ex.ok, [str(p) for p in ex.problems]
    assert ex.frame["amount_tkr"][0] == pytest.approx(value)


def test_contract_examples_are_read_with_their_kinds():
    kinds = {p.name: read_extract(p) for p in sorted(EXAMPLES.glob("*.csv"))}
    assert {n: e.kind for n, e in kinds.items()} == {
        "arenden_2025-03_exempel.csv": "arenden",
        "bemanning_2025-03_exempel.csv": "bemanning",
        "budget_2025_exempel.csv": "budget",
        "placeringar_2025-03_exempel.csv": "placeringar",
        "utfall_2025-03_exempel.csv": "utfall",
    }
    assert all(e.ok for e in kinds.values())
    u = kinds["utfall_2025-03_exempel.csv"].frame
    assert u["amount_tkr"].to_list() == [1187.4, 1902.55, 240.1, 61.2]
    p = kinds["placeringar_2025-03_exempel.csv"].frame
    assert p.filter(pl.col("placement_id") == "P-10231")["daily_cost_kr"][0] == 3850.0
    assert p.filter(pl.col("placement_id") == "P-09877")["end_date"][0] == date(2025, 2, 20)


def test_xlsx_with_date_cells_and_named_sheet(tmp_path):
    path = tmp_path / "extrakt.xlsx"
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet("Info").write(0, 0, "Ett annat blad först")
    ws = wb.add_worksheet("placeringar")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["placerings_id", "barn_id", "enhet", "placeringsform", "startdatum",
                        "slutdatum", "dygnskostnad_kr"])
    ws.write_row(1, 0, ["P-1", "B-a1", "Familjehemsenheten", "HVB"])
    ws.write_datetime(1, 4, __import__("datetime").datetime(2024, 2, 29), fmt)
    ws.write_number(1, 6, 5400.5)
    ws.write_row(2, 0, ["P-2", "B-a2", "Familjehemsenheten", "SiS", "2025-01-10", "2025-03-31", "9 800"])
    wb.close()
    ex = read_extract(path)
    assert ex.ok, [str(p) for p in ex.problems]
    assert ex.kind == "placeringar"
    assert ex.frame["start_date"].to_list() == [date(2024, 2, 29), date(2025, 1, 10)]
    assert ex.frame["end_date"].to_list() == [None, date(2025, 3, 31)]
    assert ex.frame["daily_cost_kr"].to_list() == [5400.5, 9800.0]


def _messages(ex) -> list[str]:
    return [str(p) for p in ex.errors]


def test_missing_required_column_names_the_column(csv_writer):
    ex = read_extract(csv_writer("utfall.csv", [["år", "månad", "enhet", "kostnadsslag"],
                                                 ["2025", "3", "X", "Övriga kostnader"]]), kind="utfall")
    assert _messages(ex) == ["Fel: utfall.csv, rad 1, kolumn belopp_tkr: obligatorisk kolumn 'belopp_tkr' saknas"]


def test_bad_number_names_file_row_and_column(csv_writer):
    rows = [UTFALL_HEADER, ["2025", "3", "X", "Övriga kostnader", "12"],
            ["2025", "3", "X", "Lokalkostnader", "tolv"]]
    ex = read_extract(csv_writer("utfall_2025-03.csv", rows))
    assert _messages(ex) == [
        "Fel: utfall_2025-03.csv, rad 3, kolumn belopp_tkr: 'tolv' är inte ett tal (t.ex. 1 234,5)"
    ]


def test_ambiguous_decimal_is_rejected(csv_writer):
    rows = [UTFALL_HEADER, ["2025", "3", "X", "Övriga kostnader", "1.234,5"]]
    ex = read_extract(csv_writer("utfall.csv", rows))
    assert "rad 2, kolumn belopp_tkr" in _messages(ex)[0]


def test_unknown_cost_type(csv_writer):
    rows = [UTFALL_HEADER, ["2025", "3", "X", "Fika", "1"]]
    ex = read_extract(csv_writer("utfall.csv", rows))
    assert _messages(ex)[0].startswith("Fel: utfall.csv, rad 2, kolumn kostnadsslag: okänt värde 'Fika'")


def test_month_out_of_range(csv_writer):
    rows = [UTFALL_HEADER, ["2025", "13", "X", "Lokalkostnader", "1"]]
    ex = read_extract(csv_writer("utfall.csv", rows))
    assert _messages(ex) == [
        "Fel: utfall.csv, rad 2, kolumn månad: '13' ligger utanför det tillåtna intervallet 1–12"
    ]


def test_negative_budget_is_rejected_but_negative_utfall_is_a_note(csv_writer):
    b = read_extract(csv_writer("budget.csv", [["år", "enhet", "kostnadsslag", "belopp_tkr"],
                                                ["2025", "X", "Lokalkostnader", "-5"]]))
    assert _messages(b) == ["Fel: budget.csv, rad 2, kolumn belopp_tkr: '-5' får inte vara negativt"]
    u = read_extract(csv_writer("utfall.csv", [UTFALL_HEADER, ["2025", "1", "X", "Lokalkostnader", "-5"]]))
    assert u.ok and any("negativt belopp" in str(p) for p in u.problems)


PLACERING_HEADER = ["placerings_id", "barn_id", "enhet", "placeringsform", "startdatum",
                    "slutdatum", "planerat_slutdatum", "dygnskostnad_kr", "avslutsorsak"]


def test_impossible_date(csv_writer):
    rows = [PLACERING_HEADER, ["P-1", "B-1", "X", "HVB", "2025-02-30", "", "", "5000", ""]]
    ex = read_extract(csv_writer("placeringar.csv", rows))
    assert _messages(ex) == [
        "Fel: placeringar.csv, rad 2, kolumn startdatum: '2025-02-30' är inte ett giltigt datum (ÅÅÅÅ-MM-DD)"
    ]


def test_end_before_start(csv_writer):
    rows = [PLACERING_HEADER, ["P-1", "B-1", "X", "HVB", "2025-02-10", "2025-02-09", "", "5000", "Planerad"]]
    ex = read_extract(csv_writer("placeringar.csv", rows))
    assert _messages(ex) == ["Fel: placeringar.csv, rad 2, kolumn slutdatum: slutdatum är före startdatum"]


def test_duplicate_id(csv_writer):
    rows = [PLACERING_HEADER,
            ["P-1", "B-1", "X", "HVB", "2025-02-10", "", "", "5000", ""],
            ["P-2", "B-2", "X", "HVB", "2025-02-10", "", "", "5000", ""],
            ["P-1", "B-3", "X", "SiS", "2025-02-11", "", "", "9000", ""]]
    ex = read_extract(csv_writer("placeringar.csv", rows))
    assert _messages(ex) == [
        "Fel: placeringar.csv, rad 4, kolumn placerings_id: samma placerings_id förekommer redan på rad 2; värdet måste vara unikt"
    ]


def test_unknown_placement_type_and_end_reason(csv_writer):
    rows = [PLACERING_HEADER, ["P-1", "B-1", "X", "Internat", "2025-02-10", "2025-03-01", "", "5000", "Rymning"]]
    ex = read_extract(csv_writer("placeringar.csv", rows))
    msgs = _messages(ex)
    assert len(msgs) == 2
    assert "kolumn placeringsform: okänt värde 'Internat'" in msgs[0]
    assert "kolumn avslutsorsak: okänt värde 'Rymning'" in msgs[1]


@pytest.mark.parametrize("pnr", ["19850101-1234", "850101-1234", "198501011234", "8501011234",
                                 "850161+1234", "B-198501011234"])
def test_personnummer_in_id_is_rejected_without_echo(csv_writer, pnr):
    rows = [PLACERING_HEADER, ["P-1", pnr, "X", "HVB", "2025-02-10", "", "", "5000", ""]]
    ex = read_extract(csv_writer("placeringar.csv", rows))
    msgs = _messages(ex)
    assert len(msgs) == 1 and "rad 2, kolumn barn_id" in msgs[0] and "personnummer" in msgs[0]
    digits = "".join(ch for ch in pnr if ch.isdigit())
    assert pnr not in msgs[0] and digits[-4:] not in msgs[0] and digits[:6] not in msgs[0]


def test_personnummer_in_a_date_column_is_not_echoed(csv_writer):
    rows = [PLACERING_HEADER, ["P-1", "B-1", "X", "HVB", "850101-1234", "", "", "5000", ""]]
    ex = read_extract(csv_writer("placeringar.csv", rows))
    assert "850101" not in " ".join(_messages(ex)) and "värdet visas inte" in _messages(ex)[0]


@pytest.mark.parametrize("value,expected", [
    ("P-10231", False), ("B-7f3a", False), ("Ä-5521", False), ("20250315", False),
    ("851301-1234", False), ("850132-1234", False), ("850101-1234", True), ("19850101+1234", True),
])
def test_personnummer_shape(value, expected):
    assert looks_like_personnummer(value) is expected


def test_budget_or_utfall_needs_a_hint_when_header_fits_both(csv_writer):
    rows = [UTFALL_HEADER, ["2025", "3", "X", "Lokalkostnader", "1"]]
    ex = read_extract(csv_writer("ekonomi.csv", rows))
    assert not ex.ok and "--kind" in _messages(ex)[0]
    assert read_extract(csv_writer("ekonomi.csv", rows), kind="budget").kind == "budget"


def test_unrecognised_header(csv_writer):
    ex = read_extract(csv_writer("okand.csv", [["a", "b"], ["1", "2"]]))
    assert _messages(ex)[0].startswith("Fel: okand.csv, rad 1: kunde inte känna igen")


def test_extra_columns_are_listed_and_ignored(csv_writer):
    rows = [UTFALL_HEADER + ["konto"], ["2025", "3", "X", "Lokalkostnader", "1", "4711"]]
    ex = read_extract(csv_writer("utfall.csv", rows))
    assert ex.ok and ex.extra_columns == ["konto"]
    assert "konto" not in ex.frame.columns


def test_row_numbers_count_blank_lines(csv_writer):
    rows = [UTFALL_HEADER, ["2025", "3", "X", "Lokalkostnader", "1"], [""],
            ["2025", "3", "X", "Lokalkostnader", "x"]]
    ex = read_extract(csv_writer("utfall.csv", rows))
    assert "rad 4" in _messages(ex)[0]


def test_mixed_annual_and_monthly_budget_is_rejected(csv_writer):
    rows = [["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"],
            ["2025", "", "X", "Lokalkostnader", "120"], ["2025", "1", "X", "Lokalkostnader", "10"]]
    ex = read_extract(csv_writer("budget_2025.csv", rows))
    assert "både årsbudget" in _messages(ex)[0]


FULL_PLACERING_HEADER = PLACERING_HEADER + ["lagrum", "kön", "födelseår", "ensamkommande"]
FULL_OK_ROW = ["P-1", "B-1", "X", "HVB", "2025-02-10", "", "", "5000", "", "SoL", "F", "2012", "nej"]


@pytest.mark.parametrize("column", ["enhet", "lagrum", "kön", "ensamkommande", "dygnskostnad_kr",
                                    "placerings_id"])
@pytest.mark.parametrize("pnr", ["121212-1212", "191212121212", "1212121212", "701063+2391"])
def test_personnummer_in_any_column_is_rejected_without_echo(csv_writer, column, pnr):
    row = list(FULL_OK_ROW)
    row[FULL_PLACERING_HEADER.index(column)] = pnr
    ex = read_extract(csv_writer("placeringar.csv", [FULL_PLACERING_HEADER, row]))
    msgs = _messages(ex)
    assert msgs and f"rad 2, kolumn {column}" in msgs[0]
    digits = "".join(ch for ch in pnr if ch.isdigit())
    assert all(digits[-4:] not in m and not looks_like_personnummer(m) for m in msgs)


def test_personnummer_in_utfall_enhet_or_amount_is_rejected(csv_writer):
    for row in (["2025", "3", "Enhet 121212-1212", "Lokalkostnader", "10"],
                ["2025", "3", "A", "Lokalkostnader", "1212121212"]):
        ex = read_extract(csv_writer("utfall_2025-03.csv", [UTFALL_HEADER, row]))
        assert not ex.ok and "personnummer" in _messages(ex)[0]
        assert not any(looks_like_personnummer(m) for m in _messages(ex))


def test_a_file_name_or_header_never_echoes_a_personnummer(csv_writer):
    ex = read_extract(csv_writer("utfall_19121212-1212.csv",
                                 [UTFALL_HEADER + ["121212-1212", "121212-1212"],
                                  ["2025", "3", "A", "Lokalkostnader", "10", "", ""]]))
    assert ex.file_name == "utfall_[dolt].csv"
    text = " ".join(str(p) for p in ex.problems)
    assert "kolumnen '[dolt värde]' förekommer två gånger" in text
    assert not looks_like_personnummer(text)


def test_the_polars_prefilter_never_misses_what_the_detector_finds():
    import random

    from iof.core.personnummer import polars_candidates

    rng = random.Random(6)
    values = ["121212-1212", "191212121212", "701063-2391", "19701063+2391", "991332-1234", "850100-1234",
              "2025-03-31", "20250331", "P-12345", "B-198501011234", "x8501011234y", "85010112345",
              "123456-7890", "000000-0000", "850192-1234", "850191-1234", "", "850101\u20131234",
              "\uff18\uff15\uff10\uff11\uff10\uff11-1234", "1985-01-01 1234"]
    for _ in range(3000):
        n = rng.choice([6, 8, 10, 11, 12, 13])
        digits = "".join(rng.choice("0123456789") for _ in range(n))
        if rng.random() < 0.5:  # mostly valid dates, so both answers occur often
            digits = f"{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}{rng.choice([rng.randint(1, 31), rng.randint(61, 91)]):02d}" + digits[6:]
        sep = rng.choice(["", "", "-", "+", " ", "\u2013", ".", "/", "\u00a0 "])
        values.append(rng.choice(["", "B-", "x"]) + digits[:6] + sep + digits[6:] + rng.choice(["", "y"]))
    candidate = pl.DataFrame({"v": values}).select(polars_candidates(pl.col("v")))["v"].to_list()
    missed = [v for v, c in zip(values, candidate) if looks_like_personnummer(v) and not c]
    assert missed == []
