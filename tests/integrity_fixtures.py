"""A real-mode database (the demo extracts imported as real data), built once, copied per test;
and a content hash of every table, to prove that a refused import changed nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from iof.store import backup
from iof.store.db import Store


@pytest.fixture(scope="session")
def real_template(tmp_path_factory) -> Path:
    from tests.conftest import real_database

    root = tmp_path_factory.mktemp("real-template")
    db, _roles = real_database(root, {})
    with Store(db) as s:
        s.con.cursor().execute("checkpoint").fetchall()
    return db


@pytest.fixture
def real_db(real_template, tmp_path) -> Path:
    target = tmp_path / "iof.duckdb"
    shutil.copyfile(real_template, target)
    return target


def hashes(db: Path) -> pl.DataFrame:
    with Store(db) as s:
        return backup.table_checksums(s)


def quote(cell: str) -> str:
    """A cell as Excel writes it: quoted when it holds a separator, quote or line break."""
    if any(c in cell for c in ';"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def utfall_rows(unit: str, amount: str = "12,5", year: int = 2026, month: int = 10) -> list[list[str]]:
    return [["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"],
            [str(year), str(month), quote(unit), "Lokalkostnader", amount]]


def content(db: Path) -> dict[str, tuple[int, int]]:
    """Every table: (rows, order-independent hash of its rows without the timestamp columns and
    with doubles rounded to 6 decimals), so that "after" can be compared between two runs."""
    with Store(db) as s:
        cur = s.con.cursor()
        tables = [r[0] for r in cur.execute(
            "select table_name from information_schema.tables where table_schema = 'main' "
            "and table_type = 'BASE TABLE' order by 1").fetchall()]
        out = {}
        for t in tables:
            # Model outputs are doubles summed in parallel: equal to 1e-12, not bit for bit.
            cols = [(r[0], r[1]) for r in cur.execute(f'describe "{t}"').fetchall()
                    if not r[1].startswith("TIMESTAMP")]
            sel = ", ".join(f'round("{c}", 6)' if ty in ("DOUBLE", "FLOAT") else f'"{c}"' for c, ty in cols)
            out[t] = tuple(cur.execute(
                f'select count(*), coalesce(sum(hash(t)), 0) from (select {sel} from "{t}") t').fetchall()[0])
        return out
