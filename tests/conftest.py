"""Shared fixtures: a real DuckDB file per test, and writers of extract files as Excel writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from iof.store.db import Store

EXAMPLES = Path(__file__).resolve().parent / "data" / "contract_examples"  # copies: the suite owns its data


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


def real_database(root: Path, users: dict[str, tuple[str, list[str]]], seed: int = 1) -> tuple[Path, Path]:
    """The demo extracts imported as real (non-demo) data, and a roles file for `users`.

    `users`: e-mail -> (role, units). Returns (database, roles file), both under `root`.
    """
    from datetime import date

    from iof.ingest.demo import write_demo_extracts
    from iof.pipeline.importer import import_files

    files = write_demo_extracts(root / "files", seed=seed, today=date(2026, 11, 23))
    db = root / "real.duckdb"
    with Store(db) as s:
        assert import_files(s, files, user="kontroller").ok
        assert not s.is_demo()
    roles = root / "roller.toml"
    roles.write_text("".join(
        f'["användare"."{u}"]\nroll = "{r}"\n' + (f"enheter = {units!r}\n".replace("'", '"') if units else "")
        for u, (r, units) in users.items()), encoding="utf-8")
    return db, roles
