"""Adjustments and frozen snapshots in DuckDB."""

from datetime import date

import polars as pl
import pytest

from iof.pipeline import prognosis as fs
from iof.compute.forecast import ForecastError
from iof.store.db import Store

from .forecast_fixtures import fill
from .test_forecast import ACTUAL, BUDGET, ENTR, TWO, UNIT, params, placements


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "t.duckdb")
    fill(s, BUDGET, ACTUAL, TWO)
    yield s
    s.close()


def test_adjustment_is_stored_with_who_and_when_and_added(store):
    before = fs.compute(store, 2025, 4, params()).lines
    aid = fs.add_adjustment(store, 2025, 4, UNIT, ENTR, 250.0, "Ny SiS-placering beslutad 28/4", created_by="anna")
    fs.add_adjustment(store, 2025, 4, UNIT, ENTR, -50.0, "Rättelse: lägre dygnskostnad", created_by="anna")
    rows = fs.adjustments(store, 2025, 4)
    assert rows["adjustment_id"][0] == aid
    assert rows.select("unit", "cost_type", "amount_tkr", "comment", "created_by").row(0) == (
        UNIT, ENTR, 250.0, "Ny SiS-placering beslutad 28/4", "anna")
    assert rows["created_at"].null_count() == 0
    after = fs.compute(store, 2025, 4, params()).lines
    e0 = before.filter(pl.col("cost_type") == ENTR).row(0, named=True)
    e1 = after.filter(pl.col("cost_type") == ENTR).row(0, named=True)
    assert e1["model_tkr"] == e0["model_tkr"]  # the model is untouched
    assert e1["adjustment_tkr"] == 200.0
    assert e1["prognos_tkr"] == e0["model_tkr"] + 200.0
    # another month is not affected
    assert fs.compute(store, 2025, 3, params()).lines["adjustment_tkr"].sum() == 0.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(month=12), "december"),
        (dict(cost_type="Kaffe"), "Okänt kostnadsslag"),
        (dict(unit="Okänd"), "Okänd enhet"),
        (dict(comment="  "), "kommentar"),
    ],
)
def test_bad_adjustments_are_refused_in_swedish(store, kwargs, message):
    args = dict(year=2025, month=4, unit=UNIT, cost_type=ENTR, amount_tkr=1.0, comment="x") | kwargs
    with pytest.raises(ForecastError, match=message):
        fs.add_adjustment(store, **args)


def test_snapshot_freezes_the_prognosis_as_it_was(store):
    fs.add_adjustment(store, 2025, 4, UNIT, ENTR, 100.0, "känd kostnad", created_by="anna")
    live = fs.compute(store, 2025, 4, params())
    sid = fs.freeze(store, 2025, 4, params(), created_by="anna")
    # the register changes afterwards: a new expensive placement in April
    with store.transaction() as cur:
        cur.register("incoming", placements([("P9", "B9", UNIT, "HVB", date(2025, 4, 20), None, None, 9000.0, None)]))
        cur.execute("insert into placement by name select *, '2025-05' as source_period, 2 as import_id from incoming")
    frozen, source = fs.prognosis(store, 2025, 4, params())
    assert source == "fryst"
    cols = ["unit", "cost_type", "model_tkr", "adjustment_tkr", "prognos_tkr"]
    assert frozen.lines.select(cols).equals(live.lines.select(cols))
    assert sorted(frozen.placements["placement_id"].to_list()) == ["P1", "P2"]
    assert fs.compute(store, 2025, 4, params()).lines["model_tkr"].sum() > live.lines["model_tkr"].sum()
    assert fs.snapshots(store).row(0, named=True)["snapshot_id"] == sid
    with pytest.raises(ForecastError, match="redan fryst"):
        fs.freeze(store, 2025, 4, params())
    with pytest.raises(ForecastError, match="redan fryst"):
        fs.add_adjustment(store, 2025, 4, UNIT, ENTR, 1.0, "för sent")


def test_a_frozen_prognosis_keeps_its_interval(tmp_path):
    """The 80 % interval was lost when a month was frozen (a frozen month showed none). It is stored
    with the snapshot and read back exactly; a snapshot made before schema 8 has none (None)."""
    from polars.testing import assert_frame_equal

    from iof.pipeline.importer import load_demo

    with Store(tmp_path / "demo.duckdb") as s:
        assert load_demo(s, today=date(2026, 11, 23)).ok
        year, month = fs.latest_month(s)
        live, source = fs.prognosis(s, year, month)
        assert source == "beräknad" and live.interval is not None
        assert live.interval["interval_low_tkr"].is_not_null().any()
        sid = fs.freeze(s, year, month, created_by="anna")
        frozen, source = fs.prognosis(s, year, month)
        assert source == "fryst"
        # the freeze computes the prognosis again: Polars' parallel sums may differ in the last bit
        assert_frame_equal(frozen.interval, live.interval.sort(pl.col("unit") == "IoF totalt", "unit"),
                           rel_tol=1e-12, abs_tol=1e-9)
        with s.transaction() as cur:  # as a snapshot from before schema 8
            cur.execute("delete from forecast_snapshot_interval where snapshot_id = ?", [sid])
        assert fs.load_snapshot(s, year, month).interval is None


def _schema_2_database(path):
    """A database file as schema 2 left it."""
    import duckdb

    from iof.store import queries

    con = duckdb.connect(str(path))
    con.execute("create table schema_version (version integer not null)")
    for version, text in queries.migrations():
        if version <= 2:
            con.execute(text)
            con.execute("insert into schema_version values (?)", [version])
    con.close()
    return path


def test_a_database_from_schema_2_is_upgraded_and_can_freeze(tmp_path):
    path = _schema_2_database(tmp_path / "old.duckdb")
    with Store(path) as s:
        fill(s, BUDGET, ACTUAL, TWO)
        fs.freeze(s, 2025, 4, params())
        frozen = fs.load_snapshot(s, 2025, 4)
        assert "expected_endings_tkr" in frozen.lines.columns


def test_a_process_start_migrates_an_old_schema_and_only_reads_a_current_one(tmp_path):
    """The app's store (hold=False) checks the schema in a read; an old file is still upgraded,
    and a current one is opened without a write window (the generation does not move, so no other
    process's caches are thrown away, and no reader is waited for)."""
    path = _schema_2_database(tmp_path / "old.duckdb")
    from iof.store import queries

    first = Store(path, hold=False)
    with first.session() as con:
        have = {r[0] for r in con.execute("select version from schema_version").fetchall()}
    assert have == {v for v, _ in queries.migrations()}
    before = first.generation()
    second = Store(path, hold=False)
    assert second.is_empty() and second.generation() == before  # facts read in that connection
    first.close()
    second.close()


def test_the_demo_has_the_years_earlier_months_frozen_as_the_monthly_routine_would(tmp_path):
    """A database run month by month has every earlier month of the year frozen (each when the next
    month's utfall arrived); the demo, imported in one go, is given the same, so pages read the
    year's path instead of computing it. Each snapshot is the month's prognosis, with its interval;
    the latest month stays open for the meeting."""
    from datetime import datetime

    from polars.testing import assert_frame_equal

    from iof.pipeline.importer import load_demo

    with Store(tmp_path / "demo.duckdb") as s:
        assert load_demo(s, today=date(2026, 11, 23)).ok
        year, last = fs.latest_month(s)
        snaps = fs.snapshots(s).filter(pl.col("year") == year)
        assert snaps["month"].to_list() == list(range(1, last))
        assert set(snaps["created_by"]) == {"demo"}
        for r in snaps.iter_rows(named=True):
            m = r["month"]
            due = datetime(year, m + 2, 10, 6) if m <= 10 else datetime(year + 1, m - 10, 10, 6)
            assert r["created_at"] == min(due, datetime.now().replace(microsecond=0)) or r["created_at"] == due
        assert fs.frozen_info(s, year, last) is None  # the current month is open
        cols = ["unit", "cost_type", "model_tkr", "prognos_tkr"]
        for m in (1, last - 1):
            frozen, source = fs.prognosis(s, year, m)
            assert source == "fryst" and frozen.interval is not None
            assert_frame_equal(frozen.lines.select(cols), fs.compute(s, year, m).lines.select(cols),
                               rel_tol=1e-12, abs_tol=1e-9)
        assert s.query("audit_all").filter(pl.col("event") == "frysning").height == 1
        assert fs.freeze_earlier_months(s, created_by="demo") == []  # nothing twice
