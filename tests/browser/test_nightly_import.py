"""The nightly import while the dashboard serves (issue 14, part 2), with real servers and Chromium.

The database holds the district demo extracts imported as real data through september 2026;
`iof import` (a separate process, as the systemd timer runs it) imports oktober while signed-in
sessions work. Asserted:

- one server, two signed-in sessions: both see oktober after their next click, no error on any
  page, and an adjustment the controller saves while the import runs is kept;
- two app processes on the same database file, both serving signed-in sessions while the import
  runs: both see oktober after their next click, no error.

The figures (time of the import, its write window, the slowest click during it) are printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date

import pytest

from tests.browser.conftest import ROOT, SHOTS, wait_idle
from tests.conftest import write_csv

pytestmark = pytest.mark.browser

USER = {"sub": "sub-natt", "email": "natt@stad.se", "name": "Natt Controller"}
FHE = "Familjehemsenheten"
STEP = 120_000
MONTH_INPUT = '[data-testid="stSidebar"] input[aria-label="Månad (utfall t.o.m.)"]'


@pytest.fixture(scope="module")
def september(tmp_path_factory):
    """Real data through september 2026 and an oktober utfall file (september's rows, as oktober)."""
    from iof.ingest.demo import write_demo_extracts
    from iof.pipeline.importer import import_files
    from iof.store.db import Store

    root = tmp_path_factory.mktemp("natt")
    (root / "roller.toml").write_text(f'["användare"."{USER["email"]}"]\nroll = "controller"\n', encoding="utf-8")
    files = write_demo_extracts(root / "extrakt", seed=7, today=date(2026, 10, 23))
    db = root / "iof.duckdb"
    with Store(db) as s:
        assert import_files(s, files, user="kontroller").ok
        sept = s.actual().filter((s.actual()["year"] == 2026) & (s.actual()["month"] == 9))
    october = write_csv(root / "utfall_2026-10.csv", [["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]] + [
        ["2026", "10", u, k, f"{float(v) * 1.02:.1f}".replace(".", ",")]
        for u, k, v in sept.select("unit", "cost_type", "amount_tkr").iter_rows()])
    return root, db, october


def _fresh_copy(root, db, name):
    """Each test gets its own copy of the september database (an import changes it)."""
    import shutil

    target = root / f"{name}.duckdb"
    shutil.copy(db, target)
    return target


def _month(page) -> str:
    return page.locator(MONTH_INPUT).input_value()


def _problems(page) -> list[str]:
    out = []
    for sel in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
        loc = page.locator(sel)
        out += [loc.nth(i).inner_text() for i in range(loc.count())]
    return out


def _sign_in(browser, url: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    ctx.set_default_timeout(STEP)
    page = ctx.new_page()
    page.goto(url + "/")
    wait_idle(page, STEP)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text(f"Inloggad: {USER['email']}").first.wait_for(timeout=STEP)
    wait_idle(page, STEP)
    return ctx, page


def _click(page, title: str, log: list, who: str) -> float:
    t = time.monotonic()
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    wait_idle(page, STEP)
    took = time.monotonic() - t
    log.append((who, title, _month(page), _problems(page), took))
    return took


def _start_import(db, october) -> tuple[subprocess.Popen, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOF_")}
    env.update(IOF_DB=str(db), IOF_USER="nattlig-import")
    proc = subprocess.Popen([sys.executable, "-m", "iof", "import", str(october)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, time.monotonic()


def _servers(root, db, n: int, oidc):
    from tests.browser.test_sign_in import AppServer

    servers = []
    for i in range(n):
        sub = root / f"server{i}-{db.stem}"
        sub.mkdir(exist_ok=True)
        servers.append(AppServer(sub, db, root / "roller.toml", oidc))
    return servers


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_two_sessions_see_the_new_month_and_an_adjustment_during_the_import_is_kept(browser, september):
    from iof.store.db import Store
    from tests.browser.oidc_mock import OidcMockProcess

    root, base, october = september
    db = _fresh_copy(root, base, "en_server")
    oidc = OidcMockProcess(USER)
    (app,) = _servers(root, db, 1, oidc)
    log: list = []
    contexts = []
    try:
        url = app.ensure_running()
        ctx1, p1 = _sign_in(browser, url)
        ctx2, p2 = _sign_in(browser, url)
        contexts += [ctx1, ctx2]
        _click(p1, FHE, log, "s1")
        _click(p2, "IoF-översikt", log, "s2")
        assert _month(p1) == _month(p2) == "september"
        before = [_click(p2, t, log, "s2") for t in ("Placeringar", "IoF-översikt")]  # without an import
        # The controller prepares an adjustment of september's prognosis …
        p1.get_by_label("Belopp (tkr)", exact=True).fill("123")
        p1.get_by_label("Kommentar (varför?)", exact=True).fill("Sparad under nattlig import")
        proc, started = _start_import(db, october)
        # … and saves it while the import runs; the other session clicks on.
        p1.get_by_role("button", name="Spara justering").click()
        wait_idle(p1, STEP)
        log.append(("s1", "justering", _month(p1), _problems(p1), time.monotonic() - started))
        during = [_click(p2, t, log, "s2") for t in ("Placeringar", "IoF-översikt")]
        out, _ = proc.communicate(timeout=180)
        import_s = time.monotonic() - started
        assert proc.returncode == 0, out
        # The next click of each session shows oktober.
        _click(p1, "IoF-översikt", log, "s1")
        _click(p2, "Placeringar", log, "s2")
        _shot(p1, "nattlig_import_session1")
        assert _month(p1) == "oktober" and _month(p2) == "oktober", log
        problems = [(w, t, p) for w, t, _m, p, _s in log if p]
        assert not problems, problems
        server_log = app.log.read_text(errors="replace")
        assert "Traceback" not in server_log, server_log[-3000:]
        window = [line for line in out.splitlines() if line.startswith("Skrivfönster")]
        print(f"\nnattlig import, en server, två sessioner: import {import_s:.1f} s ({window[0] if window else '–'}); "
              f"klick under importen {', '.join(f'{s:.1f} s' for s in during)}; "
              f"samma klick utan import {', '.join(f'{s:.1f} s' for s in before)}")
    finally:
        for c in contexts:
            c.close()
        app.stop()
        oidc.stop()
    with Store(db, read_only=True) as s:
        adj = s.query("forecast_adjustments", year=2026, month=9, adjustment_id=None)
        assert "Sparad under nattlig import" in adj["comment"].to_list()
        assert s.query("import_log_all")["file_name"].to_list().count("utfall_2026-10.csv") == 1


def test_two_app_processes_serve_one_database_while_an_import_runs(browser, september):
    from iof.store.db import Store
    from tests.browser.oidc_mock import OidcMockProcess

    root, base, october = september
    db = _fresh_copy(root, base, "två_servrar")
    oidc = OidcMockProcess(USER)
    apps = _servers(root, db, 2, oidc)
    log: list = []
    contexts = []
    try:
        urls = [a.ensure_running() for a in apps]
        pages = []
        for n, url in enumerate(urls):
            ctx, page = _sign_in(browser, url)
            contexts.append(ctx)
            pages.append(page)
            _click(page, "IoF-översikt", log, f"server{n}")
            assert _month(page) == "september"
        before = [_click(page, t, log, f"server{n}") for t in ("Placeringar", "IoF-översikt")
                  for n, page in enumerate(pages)]  # the same clicks without an import, to compare
        proc, started = _start_import(db, october)
        during = []
        while proc.poll() is None and time.monotonic() - started < 180:  # both serve during the import
            for n, page in enumerate(pages):
                during.append(_click(page, ("Placeringar", "IoF-översikt")[len(during) % 2], log, f"server{n}"))
        out, _ = proc.communicate(timeout=180)
        import_s = time.monotonic() - started
        assert proc.returncode == 0, out
        for n, page in enumerate(pages):
            _click(page, "IoF-översikt", log, f"server{n}")
            assert _month(page) == "oktober", (n, log)
        problems = [(w, t, p) for w, t, _m, p, _s in log if p]
        assert not problems, problems
        for a in apps:
            text = a.log.read_text(errors="replace")
            assert "Traceback" not in text, text[-3000:]
        window = [line for line in out.splitlines() if line.startswith("Skrivfönster")]
        print(f"\nnattlig import, två appprocesser: import {import_s:.1f} s ({window[0] if window else '–'}); "
              f"{len(during)} klick under importen, långsammaste {max(during, default=0):.1f} s; "
              f"samma klick utan import: långsammaste {max(before):.1f} s")
    finally:
        for c in contexts:
            c.close()
        for a in apps:
            a.stop()
        oidc.stop()
    with Store(db, read_only=True) as s:
        assert s.query("import_log_all")["file_name"].to_list().count("utfall_2026-10.csv") == 1
