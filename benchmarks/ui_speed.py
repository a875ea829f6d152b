"""Issue 13's table, measured as ratios: `python benchmarks/ui_speed.py [--db CITY.duckdb] [--only a,b] [--pairs N]`.

Builds the city demo (`iof demo --scale city`, 14 förvaltningar × 5 units × 10 years) in a temp
database (or uses --db), then measures every row of the issue's table against a reference run
in the same process, interleaved (one measure, one reference, one measure, …); each figure is a
median over the pairs and the ratio is median(measure) ÷ median(reference). Prints the table and
writes it to benchmarks/out/ui_speed.txt (git-ignored). No assertions: the numbers are the output.

Sections (--only): warm, month, cold, browser, first, intervals, import, start.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TODAY = date(2026, 11, 23)
OUT = ROOT / "benchmarks" / "out" / "ui_speed.txt"

# The reference page: 4 metrics, 6 Plotly charts, 2 dataframes (the overview's shape, no computation).
BARE_PAGE = textwrap.dedent('''
    import random
    import plotly.graph_objects as go
    import polars as pl
    import streamlit as st

    st.set_page_config(page_title="bar sida", layout="wide")
    st.title("Bar sida")
    rnd = random.Random(1)
    units = [f"Enhet {i:02d}" for i in range(70)]
    months = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    c = st.columns(4)
    for i, col in enumerate(c):
        col.metric(f"Mått {i}", f"{rnd.random() * 1000:.1f} mnkr", f"{rnd.random():.1f}")
    table = pl.DataFrame({"Enhet": units, **{f"K{j}": [rnd.random() * 1e4 for _ in units] for j in range(8)}})
    st.dataframe(table, hide_index=True)
    for k in range(6):
        fig = go.Figure()
        for t in range(8):
            fig.add_trace(go.Scatter(x=months, y=[rnd.random() for _ in months], name=f"Serie {t}"))
        fig.update_layout(title=f"Diagram {k}", height=380)
        st.plotly_chart(fig, key=f"d{k}")
    st.dataframe(table.head(24), hide_index=True)
''')


def median(xs):
    return statistics.median(xs)


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms".replace(",", " ") if seconds < 2 else f"{seconds:.2f} s"


class Table:
    def __init__(self):
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, measure: str, value: float, reference_label: str, reference: float, goal: str,
            faster: bool = False) -> None:
        if faster:
            ratio = f"{reference / value:.1f}× faster" if value else "-"
        else:
            ratio = f"{value / reference:.2f}×" if reference else "-"
        self.rows.append((measure, fmt_s(value), f"{reference_label}: {fmt_s(reference)}", ratio, goal))
        print(f"  {measure}: {fmt_s(value)} vs {reference_label} {fmt_s(reference)} -> {ratio} (goal {goal})",
              flush=True)

    def note(self, measure: str, text: str, goal: str = "") -> None:
        self.rows.append((measure, text, "", "", goal))
        print(f"  {measure}: {text}", flush=True)

    def markdown(self) -> str:
        out = ["| measure | now | reference | ratio | goal |", "|---|---|---|---|---|"]
        out += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(out)


def pairs(n: int, measure, reference) -> tuple[list[float], list[float]]:
    """n interleaved pairs (alternating which goes first); returns the two lists of seconds."""
    a, b = [], []
    for i in range(n):
        order = [(measure, a), (reference, b)] if i % 2 == 0 else [(reference, b), (measure, a)]
        for fn, acc in order:
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
    return a, b


# -- the city database ---------------------------------------------------------------------------
def build_city(tmp: Path) -> tuple[Path, Path]:
    from iof.pipeline.importer import load_demo
    from iof.store.db import Store

    db, files = tmp / "city.duckdb", tmp / "files"
    t0 = time.perf_counter()
    with Store(db) as store:
        res = load_demo(store, scale="city", today=TODAY, out_dir=files)
        assert res.ok, res.report()
        store.con.execute("checkpoint").fetchall()
    print(f"city demo built in {time.perf_counter() - t0:.1f} s: {db}", flush=True)
    return db, files


def write_bare(tmp: Path) -> Path:
    path = tmp / "bare_page.py"
    path.write_text(BARE_PAGE, encoding="utf-8")
    return path


# -- AppTest: warm rerun and change of month ------------------------------------------------------
def apptests(db: Path, bare: Path):
    from streamlit.testing.v1 import AppTest

    os.environ["IOF_DB"] = str(db)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    ref = AppTest.from_file(str(bare), default_timeout=900)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    ref.run()
    return app, ref


def section_warm(t: Table, app, ref, n: int) -> None:
    app.run(), ref.run()  # both warm
    a, b = pairs(n, app.run, ref.run)
    assert not app.exception, [e.value for e in app.exception]
    t.add("overview, warm rerun (AppTest)", median(a), "bare page, 4 metrics + 6 Plotly + 2 dataframes",
          median(b), "≤ 1,5×")


def section_month(t: Table, app, ref, n: int) -> None:
    """The meeting's flow: a year's December shown, then earlier months one by one (each new)."""
    years = sorted({y for y in app.selectbox(key="år").options}, reverse=True)
    years = [int(y) for y in years][1:]  # closed years: twelve months each
    steps = []
    for y in years:
        steps += [(y, 12, False)] + [(y, m, True) for m in range(11, 0, -1)]
    a, b = [], []
    for y, m, timed in steps:
        if len(a) >= n:
            break
        if not timed:  # a new year: choose it first (its months become the options), untimed
            app.selectbox(key="år").set_value(y)
            app.run()
        app.selectbox(key="månad").set_value(m)
        t0 = time.perf_counter()
        app.run()
        dt = time.perf_counter() - t0
        assert not app.exception, [e.value for e in app.exception]
        if timed:
            a.append(dt)
            t0 = time.perf_counter()
            ref.run()
            b.append(time.perf_counter() - t0)
    t.add("overview, change of month", median(a), "bare rerun", median(b), "≤ 3×")


# -- cold first run in a fresh process -------------------------------------------------------------
COLD = textwrap.dedent('''
    import sys, time, json
    t0 = time.perf_counter()
    sys.path.insert(0, sys.argv[2])  # the checkout measured (not whatever `iof` is installed)
    from streamlit.testing.v1 import AppTest
    if len(sys.argv) > 3:  # what the app's server does before it listens
        from iof.web import serve
        serve.preload()
    at = AppTest.from_file(sys.argv[1], default_timeout=900)
    t1 = time.perf_counter()
    at.run()
    t2 = time.perf_counter()
    assert not at.exception, [e.value for e in at.exception]
    print(json.dumps({"run": t2 - t1, "process_inner": t2 - t0}))
''')


def private_copy(db: Path, name: str) -> Path:
    """A copy of the database for another process (this process may hold the file's lock)."""
    copy = db.with_name(f"{db.stem}_{name}.duckdb")
    shutil.copy(db, copy)
    return copy


def section_cold(t: Table, db: Path, bare: Path, tmp: Path, n: int) -> None:
    db = private_copy(db, "cold")
    script = tmp / "cold.py"
    script.write_text(COLD, encoding="utf-8")
    env = dict(os.environ, IOF_DB=str(db))

    def one(path: Path, acc: dict, *preload: str):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, str(script), str(path), str(ROOT), *preload], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True).stdout
        whole = time.perf_counter() - t0
        got = json.loads(out.strip().splitlines()[-1])
        acc.setdefault("run", []).append(got["run"])
        acc.setdefault("whole", []).append(whole)

    a, b = {}, {}
    pairs(n, lambda: one(ROOT / "app.py", a), lambda: one(bare, b))
    t.add("overview, cold first run in a fresh process", median(a["run"]), "bare", median(b["run"]), "≤ 1,5×")
    t.add("  … whole process (python start to page done)", median(a["whole"]), "bare", median(b["whole"]), "")
    c, d = {}, {}
    pairs(n, lambda: one(ROOT / "app.py", c, "preload"), lambda: one(bare, d))
    t.add("  … the first run after iof.web.serve's preload (what the app's server does before it listens)",
          median(c["run"]), "bare", median(d["run"]), "")


# -- Chromium ----------------------------------------------------------------------------------------
# A page is done when its script run has ended, its title shows and `charts` Plotly charts are drawn.
PAGE_DONE = """([title, charts]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning') return false;
    if (![...document.querySelectorAll('h1')].some(h => h.textContent.includes(title))) return false;
    const c = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return c.length >= charts && c.every(x => x.querySelector('.main-svg'));
}"""


def _chromium(pw):
    from tests.browser.conftest import CHROMIUM

    return pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])


def section_browser(t: Table, db: Path, bare: Path, n: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import run_server
    from iof.store.db import Store
    from iof.web import nav

    with Store(db) as s:
        unit = s.units()[0]
    db = private_copy(db, "browser")
    with run_server(db) as url, _bare_server(bare) as bare_url, sync_playwright() as pw:
        browser = _chromium(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})

        def visit(address: str, title: str, charts: int):
            def go():
                page.goto("about:blank")
                page.goto(address)
                page.wait_for_function(PAGE_DONE, arg=[title, charts], timeout=300_000, polling=50)
            return go

        targets = [("overview", f"{url}/", "IoF-översikt", 2),
                   ("Placeringar", f"{url}/placeringar", "Placeringar", 1),
                   ("unit page", f"{url}/{nav.slug(unit)}", unit, 1)]
        bare_visit = visit(f"{bare_url}/", "Bar sida", 6)
        for _, address, title, charts in targets:  # warm the server's caches (first visits not timed)
            visit(address, title, charts)()
        bare_visit()
        for name, address, title, charts in targets:
            a, b = pairs(n, visit(address, title, charts), bare_visit)
            t.add(f"{name} rendered in Chromium", median(a), "bare page", median(b), "≤ 1,2×")
        # The bare page runs with Streamlit's defaults; the app's server does not watch its source
        # files (.streamlit/config.toml). What that option alone gives a bare page, for reading the rows:
        with _bare_server(bare, "--server.fileWatcherType", "none") as quiet_url:
            quiet_visit = visit(f"{quiet_url}/", "Bar sida", 6)
            quiet_visit()
            a, b = pairs(n, quiet_visit, bare_visit)
            t.add("  … bare page without file watcher (the app's server option)", median(a), "bare page",
                  median(b), "")
        browser.close()


def section_first_visit(t: Table, db: Path, bare: Path, n: int) -> None:
    """The first visitor after a server start: each pair starts both servers anew (our server
    imports the pages' modules before it listens, iof.web.serve.preload); the visit is timed from
    the moment the server answers its health check, as a visitor who was waiting would arrive."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import run_server

    db = private_copy(db, "first")
    with sync_playwright() as pw:
        browser = _chromium(pw)

        def first(server, title: str, charts: int) -> float:
            with server as url:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                t0 = time.perf_counter()
                page.goto(f"{url}/")
                page.wait_for_function(PAGE_DONE, arg=[title, charts], timeout=300_000, polling=50)
                dt = time.perf_counter() - t0
                page.close()
            return dt

        a, b = [], []  # the visits alone (pairs() also times each server's start and stop)
        pairs(n, lambda: a.append(first(run_server(db), "IoF-översikt", 2)),
              lambda: b.append(first(_bare_server(bare), "Bar sida", 6)))
        browser.close()
    t.add("overview, first visit after a server start (Chromium)", median(a), "bare page's first visit",
          median(b), "")


def _bare_server(bare: Path, *options: str):
    import contextlib

    from tests.browser.conftest import _free_port

    @contextlib.contextmanager
    def cm():
        import urllib.request

        port = _free_port()
        log = bare.with_name(f"{bare.stem}-{port}.log")
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(bare), "--server.headless", "true",
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--browser.gatherUsageStats", "false", *options], cwd=bare.parent,
                                stdout=log.open("wb"), stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        try:
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return cm()


# -- interval arithmetic ------------------------------------------------------------------------------
def day_reference(p, months):
    """One row per placement and day in care: vårddygn + cost per unit × form × month, month-end stock."""
    import polars as pl

    first, last = months["month_start"].min(), months["month_end"].max()
    days = (
        p.select("unit", "placement_type", "daily_cost_kr",
                 lo=pl.max_horizontal("start_date", pl.lit(first)),
                 hi=pl.min_horizontal(pl.col("end_date").fill_null(pl.lit(last)), pl.lit(last)))
        .filter(pl.col("lo") <= pl.col("hi"))
        .with_columns(day=pl.date_ranges("lo", "hi"))
        .explode("day")
    )
    cost = (days.group_by("unit", "placement_type", month_start=pl.col("day").dt.month_start())
            .agg(care_days=pl.len(), cost_kr=pl.col("daily_cost_kr").sum()))
    stock = (days.filter(pl.col("day") == pl.col("day").dt.month_end())
             .group_by("unit", "placement_type", month_start=pl.col("day").dt.month_start())
             .agg(placements=pl.len()))
    return cost, stock, days.height


DUCK_CARE_DAYS = """
with p as (
  select unit, placement_type, daily_cost_kr, greatest(start_date, $first) lo,
         least(coalesce(end_date, $last), $last) hi
  from frame),
m as (
  select unit, placement_type, daily_cost_kr, lo, hi,
         unnest(generate_series(year(lo) * 12 + month(lo) - 1, year(hi) * 12 + month(hi) - 1)) k
  from p where lo <= hi),
d as (
  select *, make_date((k // 12)::int, (k % 12 + 1)::int, 1) ms from m)
select unit, placement_type, ms as month_start,
       sum(date_diff('day', greatest(lo, ms), least(hi, last_day(ms))) + 1) care_days,
       sum((date_diff('day', greatest(lo, ms), least(hi, last_day(ms))) + 1) * daily_cost_kr) cost_kr
from d group by all
"""


def duck_care_days(con, p, months):
    """The same care days and cost per unit × form × month in DuckDB, on the same Polars frame."""
    cur = con.cursor()
    cur.register("frame", p.select("unit", "placement_type", "daily_cost_kr", "start_date", "end_date"))
    try:
        return cur.sql(DUCK_CARE_DAYS, params={"first": months["month_start"].min(),
                                               "last": months["month_end"].max()}).pl()
    finally:
        cur.close()


def polars_care_days(p, months):
    from iof.compute import trends

    return trends.care_days_cost(p, months, by=("unit", "placement_type"))


def ours(p, months):
    from iof.compute import trends

    return (trends.care_days_cost(p, months, by=("unit", "placement_type")),
            trends.month_end_by_form(p, months))


def section_intervals(t: Table, db: Path, n: int) -> None:
    import polars as pl

    from iof.core.periods import month_grid
    from iof.store.db import Store

    with Store(db) as s:  # same configuration as the app's connection in this process
        p = s.placements()
        months = month_grid(p["start_date"].min().replace(day=1), date(2026, 10, 1))
        cost, stock, n_days = day_reference(p, months)
        got_cost, got_stock = ours(p, months)
        # the same numbers both ways (a cheap sanity check, not a test)
        key = ["unit", "placement_type", "month_start"]
        chk = got_cost.filter(pl.col("care_days") > 0).join(cost, on=key, how="full", coalesce=True)
        assert chk.filter(pl.col("care_days") != pl.col("care_days_right")).is_empty()
        chk = got_stock.join(stock, on=key, how="full", coalesce=True)
        assert chk.filter(pl.col("placements") != pl.col("placements_right")).is_empty()
        print(f"  {p.height} placements, {months.height} months, reference {n_days:,} day rows", flush=True)
        a, b = pairs(n, lambda: ours(p, months), lambda: day_reference(p, months))
        t.add("vårddygn + cost per unit × form × month and month-end stock, all years", median(a),
              f"one-row-per-day Polars reference ({n_days / 1e6:.1f} M rows)", median(b), "≥ 25× faster",
              faster=True)
        a, c = pairs(n, lambda: ours(p, months), s.placements)
        t.add("  … the same against reading the placements frame", median(a), "store.placements()", median(c),
              "≤ 3×")
        import duckdb

        con = duckdb.connect()
        got = duck_care_days(con, p, months)
        chk = polars_care_days(p, months).filter(pl.col("care_days") > 0).join(got, on=key, how="full", coalesce=True)
        assert chk.filter(pl.col("care_days") != pl.col("care_days_right")).is_empty()
        a, c = pairs(n, lambda: polars_care_days(p, months), lambda: duck_care_days(con, p, months))
        t.add("  vårddygn + cost alone: Polars (iof.compute.trends) vs DuckDB SQL on the same frame", median(a),
              "DuckDB", median(c), "measure both")


# -- import of one month --------------------------------------------------------------------------------
def section_import(t: Table, db: Path, files: Path, tmp: Path, n: int) -> None:
    import duckdb

    from iof.pipeline.importer import import_files
    from iof.store.db import Store
    from benchmarks.city import month_files

    month = month_files(files, tmp / "month", 2026, 10)
    # One delivery per pair: the same rows in another order (a new checksum, so every import
    # stores its files; an identical file would be skipped after validation).
    deliveries = []
    for i in range(n):
        out = []
        for f in month:
            lines = f.read_bytes().decode("utf-8-sig").splitlines()
            body = lines[1:]
            k = (i + 1) % max(len(body), 1)
            new = tmp / f"delivery{i}" / f.name
            new.parent.mkdir(exist_ok=True)
            new.write_bytes(("\r\n".join([lines[0], *body[k:], *body[:k]]) + "\r\n").encode("utf-8-sig"))
            out.append(new)
        deliveries.append(out)
    work = tmp / "import.duckdb"
    shutil.copy(db, work)
    scratch = duckdb.connect(str(tmp / "scratch.duckdb"))
    turn = {"ours": 0, "duck": 0}

    def duck():
        for i, f in enumerate(deliveries[turn["duck"]]):
            scratch.execute(f"create or replace table t{i} as select * from read_csv(?, delim=';', header=true)",
                            [str(f)]).fetchall()
        scratch.execute("checkpoint").fetchall()
        turn["duck"] += 1

    with Store(work) as store:
        def ours():
            r = import_files(store, deliveries[turn["ours"]], user="bench", is_demo=True)
            turn["ours"] += 1
            assert r.ok, r.report()
            assert all(e.ok for e in r.stored) and len(r.stored) == len(month), r.report()
        a, b = pairs(n, ours, duck)
    rows = sum(len(f.read_bytes().splitlines()) - 1 for f in month)
    t.add(f"iof import of one month ({len(month)} files, {rows:,} rows)", median(a),
          "DuckDB read_csv of the same files", median(b), "≤ 2×")


# -- first start: bytecode -------------------------------------------------------------------------------
def section_start(t: Table, n: int) -> None:
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    pyc = sum(1 for _ in (site / "streamlit").rglob("*.pyc"))
    own = sum(1 for _ in (ROOT / "iof").rglob("*.pyc"))  # run.sh compiles them (compileall)
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            "import streamlit, plotly.graph_objects, polars, duckdb, iof.web.frame, iof.web.loaders")
    env = dict(os.environ)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
        times.append(time.perf_counter() - t0)
    base = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], cwd=ROOT, env=env, check=True)
        base.append(time.perf_counter() - t0)
    t.add(f"first start: import the app's modules in a new process ({pyc} .pyc files under streamlit/, "
          f"{own} under iof/, "
          f"PYTHONDONTWRITEBYTECODE={'set' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'unset'})",
          median(times), "python -c pass", median(base), "precompiled at install")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, help="an existing city database (else one is built in a temp dir)")
    ap.add_argument("--only", default="warm,month,cold,browser,first,intervals,import,start")
    ap.add_argument("--pairs", type=int, default=9)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    only = set(args.only.split(","))
    t = Table()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = None
        if args.db:
            db = tmp / "city.duckdb"
            shutil.copy(args.db, db)
        else:
            db, files = build_city(tmp)
        bare = write_bare(tmp)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        if only & {"warm", "month"}:
            app, ref = apptests(db, bare)
            if "warm" in only:
                section_warm(t, app, ref, args.pairs)
            if "month" in only:
                section_month(t, app, ref, args.pairs)
            del app, ref
        if "cold" in only:
            section_cold(t, db, bare, tmp, max(3, args.pairs // 3))
        if "browser" in only:
            section_browser(t, db, bare, max(3, args.pairs // 2))
        if "first" in only:
            section_first_visit(t, db, bare, max(3, args.pairs // 3))
        if "intervals" in only:
            section_intervals(t, db, args.pairs)
        if "import" in only:
            if files is None:
                from iof.ingest.demo import write_demo_extracts

                files = tmp / "files"
                write_demo_extracts(files, scale="city", today=TODAY)
            section_import(t, db, files, tmp, max(3, args.pairs // 2))
        if "start" in only:
            section_start(t, max(3, args.pairs // 3))
    head = (f"# benchmarks/ui_speed.py --pairs {args.pairs} --only {args.only}  "
            f"({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, {time.perf_counter() - started:.0f} s)")
    text = head + "\n\n" + t.markdown() + "\n"
    print("\n" + text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
