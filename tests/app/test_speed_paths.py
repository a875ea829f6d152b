"""The fast paths of issue 13 behave like the slow ones: cached views, the search page for many units."""

from __future__ import annotations

import json
import os

import pytest

from tests.app.conftest import ROOT, open_tab


def test_many_units_are_searched_not_listed(app, monkeypatch):
    from iof.web import frame, nav

    monkeypatch.setattr(frame, "UNIT_MENU_LIMIT", 2)  # the district demo's 5 units count as many
    at = app().run()
    assert not at.exception, [e.value for e in at.exception]
    hidden = [p for p in nav._unit_pages.values() if p.visibility == "hidden"]
    assert len(hidden) == len(nav._unit_pages) == 5, "every unit page keeps its address, none in the menu"
    at.switch_page("pages/enheter.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Enheter"
    at.selectbox(key="enhet_sok").select("Familjehemsenheten").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Familjehemsenheten", "the search opens the unit's page"


def test_few_units_are_listed(app):
    from iof.web import nav

    at = app().run()
    assert not at.exception, [e.value for e in at.exception]
    assert all(p.visibility == "visible" for p in nav._unit_pages.values())


def test_a_cached_figure_is_the_figure(app):
    """The overview's charts reach the browser whole, and a rerun (from the cache) sends the same."""
    at = app().run()
    assert not at.exception, [e.value for e in at.exception]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert {s["layout"]["title"]["text"] for s in specs} == {"Prognostiserad avvikelse per enhet",
                                                              "Så har prognosen rört sig under året"}
    assert all(s["data"] for s in specs)
    at.run()  # a rerun draws from the cache
    assert not at.exception, [e.value for e in at.exception]
    assert [json.loads(c.proto.spec) for c in at.get("plotly_chart")] == specs


@pytest.mark.parametrize("page", ["pages/placeringar.py", "pages/personal.py", "pages/handlaggningstider.py",
                                  "pages/apt.py", "pages/prognossakerhet.py"])
def test_cached_pages_rerun_the_same(app, page):
    at = app().run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    first = [c.proto.spec for c in at.get("plotly_chart")]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [c.proto.spec for c in at.get("plotly_chart")] == first and first


def test_many_units_the_year_chart_shows_the_largest():
    import polars as pl

    from iof.present import charts

    units = [f"Enhet {i:02d}" for i in range(20)]
    hist = pl.DataFrame({"unit": [u for u in units for _ in (1, 2)] + ["IoF totalt"] * 2,
                         "month": [1, 2] * 21,
                         "avvikelse_tkr": [float(v) for i in range(20) for v in (0, (i - 10) * 100)] + [0.0, -5.0]})
    shown = charts.largest_movers(hist, n=3)
    assert shown == ["IoF totalt", "Enhet 00", "Enhet 01", "Enhet 19"]  # |−1000|, then |−900| = |900| by name
    fig = charts.prognosis_over_year(hist, shown)
    assert {t.name for t in fig.data} == set(shown)
    assert len({t.line.color for t in fig.data}) == len(shown), "a colour of its own for each line shown"


def test_an_import_landing_during_a_fragment_reruns_the_page_not_an_error(app, monkeypatch):
    """The what-if is a fragment; Streamlit shows a fragment's exceptions in place, so StaleData (an
    import landed during the run) raised there showed as a traceback (found by the nightly-import
    browser test). frame.fragment turns it into a rerun of the whole page."""
    from iof.store.db import StaleData
    from iof.web import loaders

    real = loaders.move_to_own_care
    calls = {"n": 0}

    def once_stale(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise StaleData()
        return real(*args, **kwargs)

    monkeypatch.setattr(loaders, "move_to_own_care", once_stale)
    at = app().run()
    at.switch_page("pages/placeringar.py").run()
    assert calls["n"] == 0, "the what-if runs only in its tab"
    open_tab(at, "Tänk om")
    assert not at.exception, [e.value for e in at.exception]
    assert calls["n"] >= 2, "the page ran again after the stale read"
    assert any(m.label == "Barn som flyttas" for m in at.metric)


def test_a_new_session_draws_from_the_caches_of_the_first(app, monkeypatch):
    """A second visitor (a new session) gets the overview from the
    caches the first filled: no prognosis is computed again (each one is ~0,5 s at city scale)."""
    from iof.pipeline import prognosis as rounds

    first = app().run()
    assert not first.exception, [e.value for e in first.exception]
    computed = []
    real = rounds.compute
    monkeypatch.setattr(rounds, "compute", lambda *a, **k: computed.append(a[1:3]) or real(*a, **k))
    second = app().run()
    assert not second.exception, [e.value for e in second.exception]
    assert computed == [], f"recomputed for a new session: {computed}"


def test_a_first_run_opens_the_database_a_few_times_not_once_per_read(demo_db_path, tmp_path, monkeypatch):
    """Each open of the file costs 12 ms or more (36 ms on a busy machine): a first run of the
    overview reads the prognosis's frames and the year's snapshots in one connection, checks the
    schema in the read that also takes the first facts, and so opens the file six times (the
    sign-in's audit row, a write, among them) — it opened it thirteen times."""
    import shutil

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from iof.web import session

    path = tmp_path / "first.duckdb"
    shutil.copy(demo_db_path, path)
    monkeypatch.setenv("IOF_DB", str(path))
    monkeypatch.setenv("IOF_USER", "apptest")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "IoF-översikt"
    assert session._store(str(path)).opened <= 6


def _in_a_fresh_process(demo_db_path, tmp_path, source: str, *args: str):
    """Runs `source` in a new Python process (argv: app.py, *args) on a copy of the demo database;
    returns the JSON of its last printed line."""
    import shutil
    import subprocess
    import sys

    path = tmp_path / "fresh.duckdb"
    shutil.copy(demo_db_path, path)
    script = tmp_path / "fresh_process.py"
    script.write_text(source, encoding="utf-8")
    env = {**os.environ, "IOF_DB": str(path), "IOF_USER": "apptest", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, str(script), str(ROOT / "app.py"), *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_first_page_of_a_process_does_not_walk_the_stack(demo_db_path, tmp_path):
    """Streamlit's once-per-process "are we in a REPL?" probe (inspect.stack over every frame, ≈ 0,46 s
    of the first page after a server start) is skipped (frame._skip_streamlit_repl_probe): in a fresh
    process, the first run of the overview never calls inspect.stack."""
    got = _in_a_fresh_process(
        demo_db_path, tmp_path,
        "import inspect, json, sys\n"
        "calls = []\n"
        "real = inspect.stack\n"
        "inspect.stack = lambda *a, **k: calls.append(1) or real(*a, **k)\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file(sys.argv[1], default_timeout=300).run()\n"
        "assert not at.exception, [e.value for e in at.exception]\n"
        "print(json.dumps({'title': at.title[0].value, 'stack_walks': len(calls)}))\n")
    assert got == {"title": "IoF-översikt", "stack_walks": 0}, got


_FIRST_RUN_IMPORTS = """
import json, sys
from iof.web import serve
if sys.argv[2] == "preload":
    serve.preload()
from streamlit.testing.v1 import AppTest
heavy = ("iof", "polars", "duckdb", "numpy", "pyarrow", "plotly", "xlsxwriter", "stdnum", "pandas")
before = set(sys.modules)
at = AppTest.from_file(sys.argv[1], default_timeout=300).run()
assert not at.exception, [e.value for e in at.exception]
for page in ("pages/placeringar.py", "pages/personal.py", "pages/handlaggningstider.py"):
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
new = sorted(set(sys.modules) - before)
print(json.dumps([m for m in new if m.split(".")[0] in heavy or m.startswith("streamlit.emojis")]))
"""


@pytest.mark.parametrize("preload", [True, False], ids=["preloaded", "control"])
def test_a_started_server_has_imported_what_the_first_pages_need(demo_db_path, tmp_path, preload):
    """`iof.web.serve` imports the pages' modules before it listens (serve.preload), so the first
    visitor after a start does not wait for them: in a fresh process that preloaded, the first runs
    of four pages import no module of ours, of the data libraries or Streamlit's emoji catalogue.
    The control (no preload) shows that the check sees such imports."""
    imported = _in_a_fresh_process(demo_db_path, tmp_path, _FIRST_RUN_IMPORTS, "preload" if preload else "-")
    if preload:
        assert imported == [], imported
    else:
        assert any(m.startswith("iof.") for m in imported) and "polars" in imported, imported
