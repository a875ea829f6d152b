"""Whole under load: 20 simultaneous browser sessions click through every page while one imports.

One Streamlit server on loopback, one headless Chromium with 20 contexts driven concurrently
(asyncio). The database holds the district demo files imported as real data, through October
2026. Every session signs in for real (OIDC code flow against the local mock provider, as a
controller), then clicks through every page of the sidebar once; meanwhile session 0 opens
Importera, uploads an utfall file for November and imports it. Asserted:
- no session ever shows an exception or an error box, and the server log has no traceback (but for
  Streamlit's OAuth client timing out on the provider, after which the session signs in again);
- the month a session shows never goes back: once a session's page says november it never says
  oktober again (a session keeps its own chosen month; it may stay on oktober);
- every page a session shows during the load says oktober or november, nothing else;
- after the import, a fresh visit by every session shows november, and the import log has the
  file exactly once.
Bounded: 20 sessions, a fixed click path, a hard overall timeout; loopback only. On a slow or busy
machine no single wait has a wall-clock limit of its own: a watchdog fails the test only when no
session has made progress (a page finished, a sign-in completed) for STALL_S seconds.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from datetime import date

import pytest

from tests.browser.conftest import CHROMIUM, SHOTS
from tests.conftest import write_csv

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(3000)]  # a backstop; the watchdog is the real bound

LOAD_USER = {"sub": "sub-last", "email": "last@stad.se", "name": "Lasttest Controller"}
SESSIONS = int(os.environ.get("IOF_LOAD_SESSIONS", "20"))
ROUNDS = 1
TODAY = date(2026, 11, 23)
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MONTHS = ("oktober", "november")
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SIGN_IN_TRIES = 5
STALL_S = float(os.environ.get("IOF_LOAD_STALL_S", "300"))  # no progress in any session this long = stuck
WAIT_MS = 1_200_000  # a single wait is bounded by the watchdog and the test's timeout, not by itself
_progress = {"t": time.monotonic()}


def _mark() -> None:
    _progress["t"] = time.monotonic()


async def _watchdog() -> None:
    """Fails when no session made progress for STALL_S seconds (measures progress, not wall time)."""
    while True:
        await asyncio.sleep(5)
        if time.monotonic() - _progress["t"] > STALL_S:
            raise TimeoutError(f"ingen session kom vidare på {STALL_S:.0f} s")


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    """District demo files imported as real data (through oktober 2026), and a november file."""
    from iof.ingest.demo import write_demo_extracts
    from iof.pipeline.importer import import_files
    from iof.store.db import Store

    root = tmp_path_factory.mktemp("load")
    (root / "roller.toml").write_text('["användare"."last@stad.se"]\nroll = "controller"\n', encoding="utf-8")
    files = write_demo_extracts(root / "extrakt", scale="district", seed=5, today=TODAY)
    db = root / "iof.duckdb"
    with Store(db) as s:
        assert import_files(s, files, user="kontroller").ok
        units = s.units()
    november = write_csv(root / "utfall_2026-11.csv",
                         [["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]]
                         + [["2026", "11", u, "Personalkostnader", "1000"] for u in units])
    return root, db, november


async def _idle(page, timeout: float = WAIT_MS) -> None:
    """Wait for the script run to end; if it never does, keep a screenshot to look at."""
    await page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    await page.wait_for_timeout(300)
    try:
        await page.wait_for_selector(IDLE, timeout=timeout)
    except Exception:
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"last_stuck_{id(page)}.png"
        await page.screenshot(path=str(shot))
        raise AssertionError(f"{page.url}: the script run did not end (screenshot {shot})") from None
    await page.wait_for_timeout(150)


async def _sign_in(page, url: str) -> int:
    """Open the app and sign in; returns the number of tries. On a busy machine the server's own
    request to the provider can time out (httpx gives it 5 s): Streamlit logs the ConnectTimeout
    and answers "Authentication error" or comes back signed out. A person clicks again; so does
    the session (it waited forever for a sign-in that had already failed)."""
    signed_in = page.get_by_text("Inloggad: last@stad.se")
    for attempt in range(1, SIGN_IN_TRIES + 1):
        await page.goto(url)
        await _idle(page)
        async with page.expect_navigation(timeout=WAIT_MS):  # three 302s, back to the app or an error
            await page.get_by_role("button", name="Logga in").click()
        if "Authentication error" in await page.locator("body").inner_text():
            continue
        await signed_in.or_(page.get_by_role("button", name="Logga in")).first.wait_for(timeout=WAIT_MS)
        if await signed_in.count():
            return attempt
    raise AssertionError(f"inloggningen misslyckades {SIGN_IN_TRIES} gånger")


def _app_tracebacks(server_log: str) -> list[str]:
    """The server log's records with a traceback, less Streamlit's OAuth client timing out on the
    provider (a busy machine's, not the app's: the session signs in again, see _sign_in)."""
    records = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", server_log)
    oauth = ("OAuth token exchange failed", "Error during OAuth authorization redirect")
    return [r for r in records if "Traceback" in r
            and not (any(m in r.split("\n", 1)[0] for m in oauth) and re.search(r"httpx\.\w*Timeout", r))]


async def _month(page) -> str:
    """The month the sidebar's picker shows (its combobox input's value)."""
    return await page.locator('[data-testid="stSidebar"] input[aria-label="Månad (utfall t.o.m.)"]').input_value()


async def _problems(page) -> list[str]:
    out = []
    for sel in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
        for i in range(await page.locator(sel).count()):
            out.append(await page.locator(sel).nth(i).inner_text())
    return out


async def _session(browser, url: str, n: int, log: list, november=None, imported: asyncio.Event | None = None):
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="sv-SE")
    page = await ctx.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        # A real sign-in per session (OIDC code flow against the local mock provider).
        log.append((n, "inloggning", time.monotonic(), f"försök {await _sign_in(page, url)}", []))
        _mark()
        await _idle(page)
        links = page.locator('[data-testid="stSidebarNav"] a')
        titles = [t.split("\n")[-1].strip() for t in await links.all_inner_texts()]  # after the icon's name
        assert len(titles) >= 8, titles
        for round_ in range(ROUNDS):
            for i, title in enumerate(titles):
                if n == 0 and round_ == 0 and title == "Importera":
                    await links.nth(i).click()
                    await _idle(page)
                    await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(november))
                    await _idle(page)
                    await page.get_by_role("button", name="Importera 1 fil").click()
                    await _idle(page)
                    await page.get_by_text("Importen klar").first.wait_for(timeout=WAIT_MS)
                    imported.set()
                    _mark()
                    log.append((n, "import", time.monotonic(), await _month(page), await _problems(page)))
                    continue
                await links.nth(i).click()
                await _idle(page)
                _mark()
                log.append((n, title, time.monotonic(), await _month(page), await _problems(page)))
        if imported is not None:
            await imported.wait()
        await page.goto(url)  # a fresh visit after the import
        await _idle(page)
        _mark()
        log.append((n, "efter importen", time.monotonic(), await _month(page), await _problems(page)))
    finally:
        await ctx.close()


async def _load(url: str, november) -> list:
    from playwright.async_api import async_playwright

    log: list = []
    imported = asyncio.Event()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            _mark()
            sessions = asyncio.gather(*[
                _session(browser, url, n, log, november if n == 0 else None, imported)
                for n in range(SESSIONS)
            ])
            watchdog = asyncio.ensure_future(_watchdog())
            done, _ = await asyncio.wait({sessions, watchdog}, return_when=asyncio.FIRST_COMPLETED)
            watchdog.cancel()
            if watchdog in done:
                sessions.cancel()
                watchdog.result()  # raises the watchdog's TimeoutError
            sessions.result()
        finally:
            await browser.close()
    return log


def _in_own_thread(fn):
    """Run `fn` in a fresh thread: the sync Playwright of the other browser tests keeps an event
    loop running in this one, and asyncio.run refuses to start a second."""
    import threading

    out: dict = {}

    def target():
        try:
            out["value"] = fn()
        except BaseException as exc:  # re-raised in the test's thread
            out["error"] = exc

    t = threading.Thread(target=target, name="lasttest")
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_twenty_sessions_and_one_import(real_db):
    from tests.browser.oidc_mock import OidcMockProcess
    from tests.browser.test_sign_in import AppServer

    root, db, november = real_db
    oidc = OidcMockProcess(LOAD_USER)
    app = AppServer(root, db, root / "roller.toml", oidc)
    started = time.monotonic()
    try:
        url = app.ensure_running()
        log = _in_own_thread(lambda: asyncio.run(_load(url, november)))
    finally:
        app.stop()
        oidc.stop()
    elapsed = time.monotonic() - started
    server_log = app.log.read_text(errors="replace")
    retried = [r for r in log if r[1] == "inloggning" and r[3] != "försök 1"]
    log = [r for r in log if r[1] != "inloggning"]
    print(f"\nlasttest: {SESSIONS} sessioner, {len(log)} sidvisningar, {elapsed:.0f} s, "
          f"{len([r for r in log if r[4]])} fel, {len(retried)} inloggningar gjordes om")
    tracebacks = _app_tracebacks(server_log)
    assert not tracebacks, tracebacks[0][-3000:]
    problems = [(n, where, p) for n, where, _t, _m, p in log if p]
    assert not problems, problems[:5]
    assert len({n for n, *_ in log}) == SESSIONS
    for n in range(SESSIONS):
        seen = [m for s, _w, _t, m, _p in sorted(log, key=lambda r: r[2]) if s == n]
        assert set(seen) <= set(MONTHS), (n, seen)
        if "november" in seen:  # never back to oktober once november was shown
            assert "oktober" not in seen[seen.index("november"):], (n, seen)
        assert seen[-1] == "november", (n, seen)
    from iof.store.db import Store

    with Store(db, read_only=True) as s:
        names = s.query("import_log_all")["file_name"].to_list()
    assert names.count("utfall_2026-11.csv") == 1
