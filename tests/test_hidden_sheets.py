"""Issue 11, finding 3: only visible sheets of a workbook are read; hidden ones are listed."""

from __future__ import annotations

import openpyxl

from iof.ingest.extracts import read_extract

H = ["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]


def _workbook(path, hidden_first: bool = True, names=("Gammalt", "Blad1"), state="hidden"):
    wb = openpyxl.Workbook()
    stale = wb.active
    stale.title = names[0]
    stale.append(H)
    stale.append([2025, 3, "Familjerätt", "Lokalkostnader", 99999])
    current = wb.create_sheet(names[1])
    current.append(H)
    current.append([2025, 3, "Familjerätt", "Lokalkostnader", 1187.4])
    if hidden_first:
        stale.sheet_state = state
        wb.active = 1
    wb.save(path)
    return path


def test_a_hidden_first_sheet_with_stale_numbers_is_not_read(tmp_path):
    ex = read_extract(_workbook(tmp_path / "utfall_2025-03.xlsx"))
    assert ex.ok, [str(p) for p in ex.problems]
    assert ex.frame["amount_tkr"].to_list() == [1187.4]
    assert any("dolda blad lästes inte: Gammalt" in str(p) for p in ex.problems)


def test_a_very_hidden_sheet_named_after_the_kind_is_not_read(tmp_path):
    ex = read_extract(_workbook(tmp_path / "utfall_x.xlsx", names=("utfall", "Blad1"), state="veryHidden"))
    assert ex.ok and ex.frame["amount_tkr"].to_list() == [1187.4]


def test_the_visible_sheet_named_after_the_kind_wins(tmp_path):
    ex = read_extract(_workbook(tmp_path / "utfall_x.xlsx", hidden_first=False, names=("Blad1", "utfall")))
    assert ex.ok and ex.frame["amount_tkr"].to_list() == [1187.4]
