"""The shortcuts the dashboard takes for speed give exactly what the plain functions give."""

from __future__ import annotations

from datetime import date

import pytest
from polars.testing import assert_frame_equal

from iof.compute import scorecard
from iof.pipeline.importer import load_demo

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    from iof.store.db import Store

    with Store(tmp_path_factory.mktemp("eq") / "demo.duckdb") as s:
        assert load_demo(s, today=TODAY).ok
        return s.placements(), s.cases(), s.staffing()


@pytest.mark.parametrize("year, month", [(2026, 10), (2026, 1), (2025, 12), (2024, 6), (2023, 2)])
def test_scorecard_with_precomputed_times_and_staff(frames, year, month):
    p, c, s = frames
    plain = scorecard.scorecard(p, c, s, year, month)
    fast = scorecard.scorecard(p, c, s, year, month, times=scorecard.processing_times(c),
                               staff=scorecard.staff_all_months(s))
    assert_frame_equal(plain, fast)


@pytest.mark.parametrize("year", [2026, 2025, 2021])
def test_scorecard_from_the_years_trends_equals_each_months_own(frames, year):
    """The web makes the placement trends, the jourhem placements and the year's handläggningstider
    once per year and reads every month's scorecard from them; each month's own computation stops
    at that month and reads every placement and ärende. Every month must agree."""
    p, c, s = frames
    year_trends = scorecard.placement_year_trends(p, year)
    times = scorecard.year_times(scorecard.processing_times(c), year)
    for month in range(1, 13):
        own = scorecard.kpi_values(p, c, s, year, month)
        shared = scorecard.kpi_values(p, c, s, year, month, times=times, year_trends=year_trends)
        assert_frame_equal(own, shared, check_exact=True)
        assert own.height > 0


def test_prognosis_with_a_shared_cache_and_frames(tmp_path):
    """The web's path (cached frames, one raw-forecast cache for every month) equals the CLI's."""
    from iof.pipeline import prognosis
    from iof.store.db import Store

    with Store(tmp_path / "demo.duckdb") as s:
        assert load_demo(s, today=TODAY).ok
        frames = {n: getattr(s, n)() for n in ("budget", "actual", "placements", "staffing")}
        cache: dict = {}
        for year, month in [(2026, 3), (2025, 3), (2026, 2), (2025, 12)]:
            fast, src = prognosis.prognosis(s, year, month, frames=frames, cache=cache)
            plain, src2 = prognosis.prognosis(s, year, month)
            assert src == src2
            assert_frame_equal(fast.lines, plain.lines)
            assert_frame_equal(fast.placements, plain.placements)


def test_a_years_snapshots_read_together_equal_each_months_own(tmp_path):
    """The web reads the year's frozen prognoses in one connection; each equals the month's own read."""
    from iof.pipeline import prognosis
    from iof.store.db import Store

    with Store(tmp_path / "demo.duckdb") as s:
        assert load_demo(s, today=TODAY).ok
    with Store(tmp_path / "demo.duckdb", hold=False) as s:  # as the app opens it: a connection per read
        together = prognosis.load_snapshots(s, 2026)
        assert sorted(together) == list(range(1, 10))
        opened = s.opened
        prognosis.load_snapshots(s, 2026)
        assert s.opened - opened == 1  # one open of the file for the whole year
        with s.transaction() as cur:  # one month frozen before schema 8: no interval
            cur.execute("delete from forecast_snapshot_interval where snapshot_id = "
                        "(select snapshot_id from forecast_snapshot where year = 2026 and month = 4)")
        together = prognosis.load_snapshots(s, 2026)
        for month, fc in together.items():
            own = prognosis.load_snapshot(s, 2026, month)
            assert (fc.year, fc.month) == (own.year, own.month) == (2026, month)
            for part in ("lines", "placements", "intake"):
                assert_frame_equal(getattr(fc, part), getattr(own, part), check_exact=True)
            if month == 4:
                assert fc.interval is None and own.interval is None
            else:
                assert_frame_equal(fc.interval, own.interval, check_exact=True)
        assert prognosis.load_snapshots(s, 2025) == {}


def test_the_cache_version_follows_what_pages_show_not_every_write(tmp_path):
    """A sign-in or an export is logged (a write), but pages show the same: the version the views are
    cached on must not move (it did: every new session recomputed every view, 6 s at city scale).
    What pages do show — an adjustment, a lämnad mark, a comment, a frozen month — must move it."""
    from iof.pipeline import prognosis as rounds
    from iof.store import audit
    from iof.store.db import Store

    with Store(tmp_path / "v.duckdb") as s:
        assert load_demo(s, today=TODAY).ok
    s = Store(tmp_path / "v.duckdb", hold=False)  # as the app holds it: facts remembered per generation
    first = s.cache_version()
    audit.log_event(s, "någon", "inloggning", "test")
    audit.log_event(s, "någon", "export", "prognos 2026-10 (csv)")
    assert s.cache_version() == first
    seen = {first}
    for write in (lambda: rounds.add_adjustment(s, 2026, 10, "Familjerätt", "Övriga kostnader", 10.0, "test",
                                                created_by="t"),
                  lambda: rounds.submit(s, 2026, 10, "Familjerätt", "", created_by="t"),
                  lambda: rounds.add_comment(s, 2026, 10, "Familjerätt", "Beslut", created_by="t"),
                  lambda: rounds.freeze(s, 2026, 10, created_by="t")):
        write()
        now = s.cache_version()
        assert now not in seen, "a change pages show must give a new version"
        seen.add(now)
