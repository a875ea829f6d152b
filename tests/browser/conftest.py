"""A real Streamlit server on loopback and real headless Chromium (Debian's), for browser tests."""

from __future__ import annotations

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
    from iof.importer import load_demo
    from iof.store import Store

    path = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    with Store(path) as s:
        assert load_demo(s, today=DEMO_TODAY).ok
    return path


@pytest.fixture(scope="session")
def server(demo_db):
    port = _free_port()
    env = dict(os.environ, IOF_DB=str(demo_db), IOF_USER="webbtest")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("Streamlit-servern startade inte: " + proc.stdout.read().decode(errors="replace"))
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


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


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished the script run the last action started."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_timeout(200)


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


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()
