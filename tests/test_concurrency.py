"""A nightly import while the app serves (issue 14, part 2): the gate, without a browser.

The app's store (hold=False) reads from several threads while `iof import` of a new month runs in
another process: every read succeeds, sees the month before or after (never a half month), an
adjustment written during the import is kept, and the import never waits on the readers for long.
The browser tests (tests/browser/test_nightly_import.py) do the same with real sessions.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from iof.store.db import StaleData, Store, StoreError
from iof.store.gate import Gate, GateTimeout
from tests.conftest import write_csv

ROOT = Path(__file__).resolve().parents[1]


def test_gate_writers_go_first_and_exclude_everyone(tmp_path):
    gate = Gate(tmp_path / "g.duckdb", timeout=10)
    log: list[tuple[str, float]] = []
    t0 = time.monotonic()

    def reader(name: str, hold: float) -> None:
        with gate.shared():
            log.append((f"{name} in", time.monotonic() - t0))
            time.sleep(hold)
            log.append((f"{name} out", time.monotonic() - t0))

    def writer() -> None:
        with gate.exclusive():
            log.append(("w in", time.monotonic() - t0))
            time.sleep(0.2)
            log.append(("w out", time.monotonic() - t0))

    gen = gate.generation()
    threads = [threading.Thread(target=reader, args=("r1", 0.4))]
    threads[0].start()
    time.sleep(0.05)
    threads.append(threading.Thread(target=writer))
    threads[-1].start()
    time.sleep(0.05)
    threads.append(threading.Thread(target=reader, args=("r2", 0.05)))  # arrives while w waits
    threads[-1].start()
    for t in threads:
        t.join()
    order = [name for name, _t in sorted(log, key=lambda x: x[1])]
    assert order == ["r1 in", "r1 out", "w in", "w out", "r2 in", "r2 out"]
    assert gate.generation() != gen  # the write window moved the generation
    # Bounded: a writer inside makes a reader give up with a Swedish message after the timeout.
    short = Gate(tmp_path / "g.duckdb", timeout=0.2)
    with gate.exclusive():
        box: list = []
        t = threading.Thread(target=lambda: box.append(_try(short.shared)))
        t.start()
        t.join()
    assert isinstance(box[0], GateTimeout) and "upptagen" in str(box[0])


def _try(cm):
    try:
        with cm():
            return None
    except GateTimeout as exc:
        return exc


@pytest.fixture
def september_db(tmp_path):
    """District demo files imported as real data through september 2026, and an oktober file."""
    from iof.ingest.demo import write_demo_extracts
    from iof.pipeline.importer import import_files

    files = write_demo_extracts(tmp_path / "extrakt", seed=3, today=date(2026, 10, 23))
    db = tmp_path / "iof.duckdb"
    with Store(db) as s:
        assert import_files(s, files, user="kontroller").ok
        units = s.units()
    october = write_csv(tmp_path / "utfall_2026-10.csv",
                        [["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]]
                        + [["2026", "10", u, k, "1000"] for u in units
                           for k in ("Personalkostnader", "Lokalkostnader", "Övriga kostnader")])
    return db, october, units


def test_import_in_another_process_while_the_app_reads_and_writes(september_db):
    from iof.pipeline import prognosis

    db, october, units = september_db
    app = Store(db, hold=False)  # what the app holds: nothing open between requests
    expected_new_rows = 3 * len(units)
    stop = threading.Event()
    seen: list[tuple[int, float]] = []  # (rows of oktober seen in one consistent read, seconds)
    errors: list[BaseException] = []

    def reader() -> None:
        while not stop.is_set():
            t = time.monotonic()
            try:
                with app.session():  # one consistent view, as a page run gets
                    months = app.query("latest_actual_month")
                    n = int(app.actual().filter(
                        (app.actual()["year"] == 2026) & (app.actual()["month"] == 10)).height)
                    del months
                seen.append((n, time.monotonic() - t))
            except BaseException as exc:  # noqa: BLE001 - every failure is a finding here
                errors.append(exc)
                return

    readers = [threading.Thread(target=reader) for _ in range(4)]
    for r in readers:
        r.start()
    time.sleep(0.5)
    env = {**os.environ, "IOF_DB": str(db), "IOF_USER": "nattlig-import"}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "iof", "import", str(october)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # The controller saves an adjustment while the import runs.
    time.sleep(0.3)
    adj_id = prognosis.add_adjustment(app, 2026, 9, units[0], "Övriga kostnader", 123.0,
                                      "Justering under nattlig import", created_by="controller")
    out, _ = proc.communicate(timeout=120)
    import_s = time.monotonic() - started
    time.sleep(0.5)
    stop.set()
    for r in readers:
        r.join()
    assert proc.returncode == 0, out
    assert not errors, errors[:3]
    counts = {n for n, _ in seen}
    assert counts <= {0, expected_new_rows}, counts  # before or after, never half a month
    assert expected_new_rows in counts and 0 in counts
    slowest = max(s for _, s in seen)
    print(f"\nsamtidighet: {len(seen)} läsningar under importen ({import_s:.1f} s), långsammaste "
          f"{slowest * 1000:.0f} ms; {out.strip().splitlines()[-1]}")
    assert "Skrivfönster" in out
    with app.session():
        adj = prognosis.adjustments(app, 2026, 9)
    assert adj_id in adj["adjustment_id"].to_list()
    assert app.query("import_log_all")["file_name"].to_list().count("utfall_2026-10.csv") == 1
    app.close()


def test_a_run_pinned_before_an_import_is_told_to_start_over(september_db):
    from iof.pipeline.importer import import_files

    db, october, _units = september_db
    app = Store(db, hold=False)
    app.pin()
    assert app.units()  # a fact of the pinned generation
    other = Store(db, hold=False)  # another process, as far as the gate can tell (own descriptors)
    assert import_files(other, [october], user="nattlig-import").ok
    with pytest.raises(StaleData):
        app.actual()
    app.pin()  # the next run pins the new generation and reads the new month
    assert app.actual().filter(app.actual()["month"] == 10).height > 0
    app.unpin()
    with pytest.raises(StoreError):
        with app.session():
            with app.transaction():
                pass  # a write inside a read of the same thread is refused, not a deadlock
    other.close()
    app.close()


def test_a_quiet_click_opens_nothing(september_db):
    db, _october, _units = september_db
    app = Store(db, hold=False)
    app.pin()
    first = (app.units(), app.is_demo(), app.is_empty(), app.cache_version())
    opened = app.opened
    for _ in range(50):
        assert (app.units(), app.is_demo(), app.is_empty(), app.cache_version()) == first
    assert app.opened == opened  # remembered per generation: the file was not opened again
    app.close()


def test_an_audit_write_restarts_no_run_and_reopens_nothing(september_db):
    """A sign-in or an export is only logged: it must not move the generation. It did, so each new
    visitor's sign-in threw away every other session's run in progress (StaleData) and made every
    session read its facts again (≈ 40 ms a visitor at city scale). A data write still moves it."""
    from iof.pipeline import prognosis
    from iof.store import audit

    db, _october, units = september_db
    app = Store(db, hold=False)
    other = Store(db, hold=False)  # opening a store checks the schema in a write window of its own
    app.pin()
    first = (app.units(), app.cache_version())
    gen = other.generation()
    audit.log_event(other, "ny besökare", "inloggning", "inloggad")
    audit.log_event(other, "ny besökare", "export", "rapport prognos (csv)")
    assert other.generation() == gen
    opened = app.opened
    assert (app.units(), app.cache_version()) == first and app.opened == opened  # nothing read again
    app.actual()  # the pinned run goes on: no StaleData
    assert other.query("audit_all").filter(other.query("audit_all")["who"] == "ny besökare").height == 2
    prognosis.add_comment(other, 2025, 9, units[0], "Följ upp", created_by="controllern")
    assert other.generation() != gen
    with pytest.raises(StaleData):
        app.actual()
    other.close()
    app.close()
