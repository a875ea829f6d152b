"""No page renders outside the frame: every deep link as the very first request to a fresh server.

Streamlit runs `pages/X.py` directly (without app.py) on the first request to `/X` after a server
start. Each case here starts its own server and makes that link its first request, in local mode
(demo data: the frame must run, so the demo banner and our navigation appear) and with sign-in
configured (nothing of the page may appear before the visitor has signed in).
"""

from __future__ import annotations

import shutil

import pytest

from tests.browser.conftest import SHOTS, no_exception, run_server, wait_idle
from tests.browser.test_sign_in import AppServer, oidc  # noqa: F401 (the module-scoped OIDC mock)
from tests.conftest import real_database

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# path -> the page's own title (what must not appear without sign-in). `enhet` and `oversikt` are
# what Streamlit's v1 pages/ folder would make of pages/enhet.py and pages/oversikt.py.
DEEP_LINKS = {
    "placeringar": "Placeringar",
    "handlaggningstider": "Handläggningstider",
    "personal": "Personal",
    "prognossakerhet": "Prognossäkerhet",
    "apt": "ekonomin efter",
    "importera": "Importera extrakt",
    "datastatus": "Datastatus och importlogg",
    "granskningslogg": "Granskningslogg",
    "oversikt": "IoF-översikt",
    "enhet": "Enheter",  # the unit search (an alias; pages/enhet.py is the unit page template)
    "enhet-familjehemsenheten": "Familjehemsenheten",
}


def _first_request(browser, url: str, path: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="sv-SE")
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    page.goto(f"{url}/{path}")
    wait_idle(page)
    return ctx, page


@pytest.mark.parametrize("path", DEEP_LINKS)
def test_a_deep_link_as_the_first_request_runs_the_frame_in_local_mode(browser, demo_db, tmp_path, path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)  # a server of its own: this link is its very first request
    with run_server(db) as url:
        ctx, page = _first_request(browser, url, path)
        try:
            no_exception(page)
            main = page.locator('[data-testid="stMain"]').inner_text()
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "Demodata" in main, f"/{path}: the frame's demo banner is missing"
            assert "IoF-översikt" in nav and "Datastatus och importlogg" in nav, f"/{path}: not our navigation: {nav!r}"
            # no "page not found" dialog over the page (a unit address is not a file in pages/); /oversikt
            # is the one address Streamlit reserves for the default page (served at /) and answers so
            if path != "oversikt":
                assert page.get_by_role("dialog").count() == 0, f"/{path}: {page.get_by_role('dialog').first.inner_text()}"
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"deep_link_local_{path}.png"))
        finally:
            ctx.close()


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("deep_links")
    return real_database(root, {"anna@stad.se": ("controller", [])})


@pytest.mark.parametrize("path", DEEP_LINKS)
def test_a_deep_link_as_the_first_request_shows_nothing_before_sign_in(browser, oidc, real_db, tmp_path,  # noqa: F811
                                                                        path):
    db, roles = real_db
    shutil.copy(db, tmp_path / "real.duckdb")
    srv = AppServer(tmp_path, tmp_path / "real.duckdb", roles, oidc)
    try:
        ctx, page = _first_request(browser, srv.ensure_running(), path)
        try:
            no_exception(page)
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert page.get_by_role("button", name="Logga in").count() == 1, f"/{path}: no sign-in: {main[:300]!r}"
            assert DEEP_LINKS[path] not in main, f"/{path}: page content shown before sign-in"
            if path != "enhet-familjehemsenheten":
                # A unit's address is no file in pages/: on a server's very first request Streamlit's own
                # pages/ navigation says "not found" before the frame runs (which then shows sign-in).
                assert "Page not found" not in page.locator("body").inner_text(), f"/{path}: 'not found'"
            assert page.locator('[data-testid="stDataFrame"], .js-plotly-plot').count() == 0
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0, f"/{path}: navigation before sign-in"
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"deep_link_signin_{path}.png"))
        finally:
            ctx.close()
    finally:
        srv.stop()
