"""Whole under faults: an import killed with SIGKILL leaves the database exactly as before.

A city-scale database (seed 1) is the "before"; a second city-scale batch (seed 2: same
periods, so the import deletes and replaces nearly everything) is imported by a child process
that prints the importer's progress lines. Those lines come from inside the transaction
("Sparar FIL (k av N)" is said before file k is written), so the test knows exactly how far the
transaction got and kills the child there with SIGKILL: no rollback, no atexit, no flush. Then
the database is opened again (DuckDB replays its WAL) and every table is compared, row count and
content hash, with the "before". A kill around the commit may land on either side of it: the
database must then be exactly "before" or, data tables, exactly "after", never a mixture.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from iof.store import backup
from iof.ingest.demo import write_demo_extracts
from iof.pipeline.importer import import_files
from iof.store.db import Store

pytestmark = pytest.mark.slow

TODAY = date(2026, 11, 1)
CHILD = """
import sys
from iof.pipeline.importer import import_files
from iof.store.db import Store
store = Store(sys.argv[1])
import_files(store, sys.argv[2:], user="kill-test", progress=lambda f, t: print(t, flush=True))
print("KLAR", flush=True)
store.close()
"""
LOGS = ("import_log", "audit_log")  # hold timestamps: equal to "before", never to a new run


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """(before.duckdb, its checksums, the second batch, data checksums after a whole import)."""
    root = tmp_path_factory.mktemp("city")
    first = write_demo_extracts(root / "seed1", scale="city", seed=1, today=TODAY)
    second = write_demo_extracts(root / "seed2", scale="city", seed=2, today=TODAY)
    before = root / "before.duckdb"
    with Store(before) as s:
        assert import_files(s, first, user="kontroller").ok
        s.con.cursor().execute("checkpoint").fetchall()
        sums = backup.table_checksums(s)
    reference = root / "after.duckdb"
    shutil.copyfile(before, reference)
    with Store(reference) as s:
        r = import_files(s, second, user="kontroller")
        assert r.ok and len(r.stored) == len(second)
        after = backup.table_checksums(s)
    assert not _data(after).equals(_data(sums))
    return before, sums, second, after


def _data(sums: pl.DataFrame) -> pl.DataFrame:
    return sums.filter(~pl.col("table").is_in(LOGS))


def _import_and_kill(db: Path, files: list[Path], when: str, delay: float = 0.0) -> list[str]:
    """Start the child, wait for the progress line containing `when`, sleep `delay`, SIGKILL."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), *map(str, files)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 120
        for line in child.stdout:
            seen.append(line.strip())
            if when in line:
                break
            assert time.monotonic() < deadline, "the import never reached the kill point"
        else:
            pytest.fail(f"child ended before {when!r}: {seen[-3:]} {child.stderr.read()[-500:]}")
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, "the child was not killed (it ended by itself)"
    return seen


@pytest.mark.parametrize(
    "when, delay",
    [
        ("(1 av ", 0.05),  # the first file's rows are being written
        ("(20 av ", 0.0),  # most of the batch written, uncommitted
    ],
    ids=["first-file", "twentieth-file"],
)
def test_kill_inside_the_transaction_leaves_the_database_exactly_as_before(city, tmp_path, when, delay):
    before, sums, second, _after = city
    db = tmp_path / "iof.duckdb"
    shutil.copyfile(before, db)
    seen = _import_and_kill(db, second, when, delay)
    assert any("Sparar" in s for s in seen)  # the transaction had begun
    assert list(db.with_name(db.name + ".backups").glob("*.duckdb"))  # the backup came first
    with Store(db) as s:
        assert backup.table_checksums(s).equals(sums)
        # and the database is usable: the same import now goes through
        assert import_files(s, second[:1], user="efter").ok


# The commit of a city-scale batch (WAL write, then DuckDB's automatic checkpoint) takes about
# 3–6 s on the development machine after the last "Sparar" line: these delays kill inside it,
# the last one usually after it.
@pytest.mark.parametrize("delay", [1.0, 2.5, 6.0])
def test_kill_around_the_commit_is_all_or_nothing(city, tmp_path, delay):
    before, sums, second, after = city
    db = tmp_path / "iof.duckdb"
    shutil.copyfile(before, db)
    n = len(second)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), *map(str, second)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    for line in child.stdout:
        if f"({n} av {n})" in line:
            break
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    with Store(db) as s:
        now = backup.table_checksums(s)
    if now.equals(sums):
        return  # killed before the commit: exactly as before
    assert _data(now).equals(_data(after)), "a killed import left a mixture of before and after"

