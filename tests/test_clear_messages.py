"""Issue 11, finding 5: clear Swedish messages for odd files, a damaged database, a read-only
folder, implausible dates and a held lock – never a traceback, never "(Error)"."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata

import pytest

from iof.ingest.extracts import plausible_dates, read_extract
from iof.store.db import Store, StoreError
from tests.conftest import write_csv
from tests.integrity_fixtures import real_db, real_template, utfall_rows  # noqa: F401

H = ["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]
ROW = ["2025", "3", "Familjerätt", "Lokalkostnader", "10"]


def _errors(ex) -> str:
    return "\n".join(str(p) for p in ex.problems)


def test_utf16_file_says_how_to_save_it(tmp_path):
    f = tmp_path / "utfall_2025-03.csv"
    f.write_bytes("\r\n".join("\t".join(r) for r in (H, ROW)).encode("utf-16"))
    ex = read_extract(f)
    assert not ex.ok and "UTF-16" in _errors(ex) and "CSV UTF-8" in _errors(ex)
    assert "(Error)" not in _errors(ex)


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.7\n\x00\x01\x02binary", "ingen textfil"),
    (bytes(range(256)) * 20, "ingen textfil"),
    (b"PK\x03\x04" + b"\x00" * 100, "Excel-arbetsbok"),
])
def test_binary_files_get_a_swedish_reason(tmp_path, data, words):
    f = tmp_path / "utfall_2025-03.csv"
    f.write_bytes(data)
    ex = read_extract(f)
    assert not ex.ok and words in _errors(ex) and "(Error)" not in _errors(ex)


@pytest.mark.parametrize("header", [unicodedata.normalize("NFD", "år"), "\u200bår", "år\u200d", " Å r"[1:].replace(" ", "")])
def test_nfd_or_zero_width_headers_are_matched(tmp_path, header):
    f = write_csv(tmp_path / "utfall_2025-03.csv", [[header, *H[1:]], ROW])
    ex = read_extract(f)
    assert ex.ok, _errors(ex)
    assert "extra kolumner" not in _errors(ex)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1989-12-31"])
def test_implausible_dates_are_errors(tmp_path, value):
    rows = [["placerings_id", "barn_id", "enhet", "placeringsform", "startdatum", "dygnskostnad_kr"],
            ["P-1", "B-1", "Familjerätt", "HVB", value, "3000"]]
    ex = read_extract(write_csv(tmp_path / "placeringar_2025-03.csv", rows))
    assert not ex.ok
    assert "rad 2, kolumn startdatum" in _errors(ex) and "rimliga datumen 1990-01-01" in _errors(ex)


def test_plausible_range_comes_from_the_config():
    from datetime import date

    assert plausible_dates(date(2026, 2, 28)) == (date(1990, 1, 1), date(2036, 2, 28))


def _damage(db, how: str):
    data = bytearray(db.read_bytes())
    if how == "avkortad":
        db.write_bytes(bytes(data[: len(data) // 2]))
    else:  # a byte flipped in every data block: the checksum no longer matches
        for off in range(3 * 4096, len(data), 4096):
            data[off] ^= 0xFF
        db.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["avkortad", "kontrollsumma"])
def test_damaged_database_gives_a_swedish_message_in_the_cli(real_db, tmp_path, how):
    _damage(real_db, how)
    for args in (["status"], ["report", "placeringar", "--datum", "2026-10-31"],
                 ["import", str(write_csv(tmp_path / "utfall_2026-10.csv", utfall_rows("Familjerätt")))]):
        res = subprocess.run([sys.executable, "-m", "iof", *args, "--db", str(real_db)],
                             capture_output=True, text=True, timeout=120)
        assert res.returncode != 0, (args, res.stdout[-300:])
        assert "Traceback" not in res.stderr, res.stderr[-1500:]
        assert "skadad" in res.stderr, res.stderr[-800:]


def test_read_only_folder_gives_a_swedish_message(tmp_path, monkeypatch):
    import os

    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK else real(p, mode, **kw))
    with pytest.raises(StoreError, match="skrivskyddad"):
        Store(tmp_path / "iof.duckdb")


def test_a_path_through_a_file_gives_a_swedish_message(tmp_path):
    (tmp_path / "fil").write_text("x")
    res = subprocess.run([sys.executable, "-m", "iof", "status", "--db", str(tmp_path / "fil" / "iof.duckdb")],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "Traceback" not in res.stderr and "är en fil" in res.stderr


def test_the_lock_message_does_not_guess_the_dashboard(tmp_path):
    db = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from iof.store.db import Store; s = Store(sys.argv[1]); print('ok', flush=True); time.sleep(30)",
         str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError) as err:
            Store(db, timeout=1)  # the gate waits its turn (iof.store.gate), then says why
        assert "troligen dashboarden" not in str(err.value)
        assert "upptagen" in str(err.value)
    finally:
        holder.kill()
        holder.wait()


def test_a_copy_is_used_not_the_template(real_template, real_db):
    assert real_db != real_template and shutil.disk_usage(real_db.parent)
