"""Issue 11, finding 5 in the app: a damaged database file gives a Swedish message, no exception."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT


@pytest.mark.parametrize("how", ["avkortad", "kontrollsumma"])
def test_damaged_database_shows_a_swedish_message(demo_db_path, tmp_path, monkeypatch, how):
    db = tmp_path / "skadad.duckdb"
    shutil.copyfile(demo_db_path, db)
    data = bytearray(db.read_bytes())
    if how == "avkortad":
        db.write_bytes(bytes(data[: len(data) // 2]))
    else:
        for off in range(3 * 4096, len(data), 4096):
            data[off] ^= 0xFF
        db.write_bytes(bytes(data))
    monkeypatch.setenv("IOF_DB", str(db))
    monkeypatch.setenv("IOF_USER", "apptest")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("skadad" in e.value for e in at.error), [e.value for e in at.error]
