"""Shared fixtures: a real DuckDB file per test, and writers of extract files as Excel writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from iof.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "contracts" / "examples"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "test.duckdb")
    yield s
    s.close()


def write_csv(path: Path, rows: list[list[str]], sep: str = ";", encoding: str = "utf-8-sig",
              newline: str = "\r\n") -> Path:
    """Write cells as Swedish Excel would (CRLF, chosen separator and encoding)."""
    text = newline.join(sep.join(r) for r in rows) + newline
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def csv_writer(tmp_path):
    def _w(name: str, rows: list[list[str]], **kw) -> Path:
        return write_csv(tmp_path / name, rows, **kw)
    return _w
