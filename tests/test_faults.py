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



# ---------------------------------------------------------------------------------------------
# Issue 11: kill points across the WHOLE import, the automatic freeze included.
# A real-mode database with utfall through 2026-10 gets a batch whose utfall is for 2026-11, so the
# import freezes the 2026-10 prognosis – inside its own transaction. Killed at each named stage
# ($IOF_TEST_KILL_AT, iof.pipeline.importer.fault_point) and at evenly spaced times from the child's start
# to its end, the database must afterwards be exactly "before" or exactly "after" (every table,
# timestamps aside), never a mixture – in particular never a frozen snapshot without its import.
# ---------------------------------------------------------------------------------------------
STAGE_CHILD = """
import sys
from iof.pipeline.importer import import_files
from iof.store.db import Store
store = Store(sys.argv[1])
r = import_files(store, sys.argv[2:], user="kill-test")
assert r.ok, r.report()
print("KLAR", flush=True)
store.close()
"""
STAGES = ["validerad", "säkerhetskopia", "fryst", "fil-1", "fil-2", "fil-3", "före-commit", "efter-commit"]


@pytest.fixture(scope="module")
def new_month(tmp_path_factory):
    """(before.duckdb, content before, batch files, content after a whole import, seconds it takes)."""
    import csv

    from tests.conftest import real_database, write_csv
    from tests.integrity_fixtures import content

    root = tmp_path_factory.mktemp("new-month")
    before, _ = real_database(root, {})
    files = root / "files"
    utf = write_csv(root / "utfall_2026-11.csv", [["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]] + [
        ["2026", "11", u, k, "123,5"] for u in ("Barn och ungdom", "Familjehemsenheten", "Familjerätt")
        for k in ("Lokalkostnader", "Personalkostnader")])
    with open(files / "placeringar_2026-10.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    rows.append(["P-999999", "B-nytt1"] + rows[-1][2:])
    plc = write_csv(root / "placeringar_2026-10_rättad.csv", rows)
    ben = files / "bemanning_2026.csv"
    text = ben.read_bytes().replace("år".encode(), "År".encode(), 1)  # headers match in any case
    ben2 = root / "bemanning_2026_rättad.csv"
    ben2.write_bytes(text)  # same rows, different bytes: stored again
    batch = [utf, plc, ben2]
    with Store(before) as s:
        s.con.cursor().execute("checkpoint").fetchall()
    ref = root / "after.duckdb"
    shutil.copyfile(before, ref)
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-c", STAGE_CHILD, str(ref), *map(str, batch)],
                          capture_output=True, text=True, timeout=300)
    took = time.monotonic() - t0
    assert "KLAR" in done.stdout, done.stderr[-2000:]
    with Store(ref) as s:
        assert s.query("forecast_snapshots").height == 1
    return before, content(before), batch, content(ref), took


def _before_or_after(db: Path, sums_before: dict, sums_after: dict) -> str:
    from tests.integrity_fixtures import content

    now = content(db)
    if now == sums_before:
        return "före"
    assert now == sums_after, {t: (sums_before[t], v, sums_after[t]) for t, v in now.items()
                               if v not in (sums_before[t], sums_after[t]) or
                               (v != sums_before[t] and v != sums_after[t])}
    return "efter"


@pytest.mark.parametrize("stage", STAGES)
def test_kill_at_each_stage_of_an_import_with_a_freeze(new_month, tmp_path, stage):
    before, sums_before, batch, sums_after, _ = new_month
    db = tmp_path / "iof.duckdb"
    shutil.copyfile(before, db)
    child = subprocess.run([sys.executable, "-c", STAGE_CHILD, str(db), *map(str, batch)],
                           capture_output=True, text=True, timeout=300,
                           env={**os.environ, "IOF_TEST_KILL_AT": stage})
    assert child.returncode == -signal.SIGKILL, f"not killed at {stage}: {child.stderr[-800:]}"
    side = _before_or_after(db, sums_before, sums_after)
    assert side == ("efter" if stage == "efter-commit" else "före")


@pytest.mark.parametrize("k", range(1, 11))
def test_kill_at_evenly_spaced_times_is_before_or_after(new_month, tmp_path, k):
    before, sums_before, batch, sums_after, took = new_month
    db = tmp_path / "iof.duckdb"
    shutil.copyfile(before, db)
    child = subprocess.Popen([sys.executable, "-c", STAGE_CHILD, str(db), *map(str, batch)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(took * k / 11)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    print(f"kill at {took * k / 11:.2f} s of {took:.2f} s:", _before_or_after(db, sums_before, sums_after))
