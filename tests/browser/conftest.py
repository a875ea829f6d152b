"""A real Streamlit server on loopback and real headless Chromium (Debian's), for browser tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DEMO_TODAY = date(2026, 11, 23)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    from iof.pipeline.importer import load_demo
    from iof.store.db import Store

    path = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    with Store(path) as s:
        assert load_demo(s, today=DEMO_TODAY).ok
    return path


class ServerURL(str):
    log: Path


@contextlib.contextmanager
def run_server(db: Path, **env_extra: str):
    """A Streamlit server of app.py on a free loopback port over `db`; yields its URL."""
    port = _free_port()
    env = dict(os.environ, IOF_DB=str(db), IOF_USER="webbtest", **env_extra)
    # The server's output goes to a file next to the database (a pipe nobody reads would fill up
    # and stall the server under load); `url.log` names it for tests that read it.
    log = Path(str(db) + f".streamlit-{port}.log")
    proc = subprocess.Popen(
        [sys.executable, "-m", "iof.web.serve", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    url = ServerURL(f"http://127.0.0.1:{port}")
    url.log = log
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("Streamlit-servern startade inte: " + log.read_text(errors="replace"))
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def server(demo_db):
    with run_server(demo_db) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium saknas ({CHROMIUM}); run.sh test installerar den med apt-get.")
        pytest.skip("Chromium saknas; installera Debians chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page_at(browser, server):
    """Opens a path of the app at a given viewport; returns the Playwright page."""
    contexts = []

    def _open(path: str = "", width: int = 1280, height: int = 800):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="sv-SE",
                                  accept_downloads=True)
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto(f"{server}/{path}")
        wait_idle(page)
        return page

    yield _open
    for c in contexts:
        c.close()


# What Streamlit shows until the browser has loaded an element's code (drawn once none is left).
_SKELETON = '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]'
_DRAWN = f"() => !document.querySelector('{_SKELETON}')"


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished the script run the last action started, and the browser has
    drawn what it sent: an element whose code the browser loads on first use (st.html, a chart, a
    data grid) stands as a skeleton for a while after the run — seconds on a busy machine."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(_DRAWN, timeout=timeout, polling=50)
    page.wait_for_timeout(200)


_SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    if (document.querySelector('SKELETON')) return false;
    return !document.getAnimations().some(a => a instanceof CSSTransition && a.playState === 'running');
}""".replace("SKELETON", _SKELETON)


def settle(page, timeout: float = 30_000) -> None:
    """Idle and drawn: no script run, no element faded as stale, no CSS transition running — twice,
    300 ms apart (a run can end and the next begin in between). For checks of what the eye sees
    (colour contrast): a stale element is drawn faded while a run is under way."""
    for _ in range(2):
        page.wait_for_function(_SETTLED, timeout=timeout, polling=50)
        page.wait_for_timeout(300)
    page.wait_for_function(_SETTLED, timeout=timeout, polling=50)


def screenshot(page, name: str) -> Path:
    """Save a screenshot once tables and charts have drawn (they render after the script ends)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.wait_for_selector('[data-testid="stSkeleton"]', state="detached", timeout=15_000)
    except Exception:
        pass
    if page.locator(".js-plotly-plot").count():
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=15_000)
    page.wait_for_timeout(1500)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def each_other_tab(page):
    """Click each tab of the page but the first (open when it loads) and yield its label once its
    run is done: a lazy tab (widgets.lazy_tabs) draws its content only when opened."""
    tabs = page.get_by_role("tab")
    for i in range(1, tabs.count()):
        tabs.nth(i).click()
        wait_idle(page)
        no_exception(page)
        yield tabs.nth(i).inner_text()


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()
