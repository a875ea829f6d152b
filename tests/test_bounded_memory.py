"""Issue 11, finding 4: bounded memory. The 2-million-row figure is a benchmark
(benchmarks/big_import.py, see the notes), not a timed test; here: the chunked reader gives the
same rows and row numbers as one read, and the app refuses big uploads in Swedish."""

from __future__ import annotations

import polars as pl

from iof.ingest import extracts
from iof.ingest.extracts import read_extract
from iof.web.actions import upload_refusal
from tests.conftest import write_csv

H = ["placerings_id", "barn_id", "enhet", "placeringsform", "startdatum", "slutdatum",
     "planerat_slutdatum", "dygnskostnad_kr", "avslutsorsak"]


def _rows(n: int) -> list[list[str]]:
    return [H] + [[f"P-{i}", f"B-{i // 2}", '"Barn och ungdom"' if i % 3 else "Familjerätt", "HVB",
                   "2025-01-01", "", "", "3 500,5", ""] for i in range(n)]


def test_small_chunks_give_the_same_frame_as_one_chunk(tmp_path, monkeypatch):
    f = write_csv(tmp_path / "placeringar_2025-03.csv", _rows(5000))
    whole = read_extract(f)
    monkeypatch.setattr(extracts, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(extracts, "CHUNK_ROWS", 700)
    chunked = read_extract(f)
    assert whole.ok and chunked.ok
    assert chunked.frame.height == 5000
    assert chunked.frame.with_columns(pl.col(pl.Categorical).cast(pl.String)).equals(
        whole.frame.with_columns(pl.col(pl.Categorical).cast(pl.String)))
    assert chunked.frame["_row"].to_list() == list(range(2, 5002))


def test_an_error_in_a_late_chunk_names_its_row(tmp_path, monkeypatch):
    rows = _rows(3000)
    rows[2500][7] = "tretusen"
    rows.insert(1200, [""] * len(H))  # a blank line: the exact reader, row numbers still right
    f = write_csv(tmp_path / "placeringar_2025-03.csv", rows)
    monkeypatch.setattr(extracts, "CHUNK_BYTES", 4096)
    ex = read_extract(f)
    assert [str(p) for p in ex.errors] == [
        "Fel: placeringar_2025-03.csv, rad 2502, kolumn dygnskostnad_kr: 'tretusen' är inte ett tal (t.ex. 1 234,5)"]


def test_quoted_line_breaks_across_chunk_borders(tmp_path, monkeypatch):
    rows = [H] + [[f"P-{i}", "B-1", '"Barn\r\noch ungdom"', "HVB", "2025-01-01", "", "", "100", ""]
                  for i in range(400)]
    f = write_csv(tmp_path / "placeringar_2025-03.csv", rows)
    monkeypatch.setattr(extracts, "CHUNK_BYTES", 1000)
    ex = read_extract(f)
    assert ex.ok and ex.frame.height == 400
    assert set(ex.frame["unit"].cast(pl.String)) == {"Barn och ungdom"}


def test_the_app_refuses_big_uploads_pointing_to_the_cli():
    assert upload_refusal([("utfall.csv", 10_000)]) is None
    msg = upload_refusal([("placeringar.csv", 300_000_000)])
    assert "placeringar.csv" in msg and "50 MB" in msg and "iof import" in msg
