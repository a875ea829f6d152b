"""A real sign-in: headless Chromium clicks "Logga in", signs in at a local OIDC provider, comes back.

The app runs as its own Streamlit server with an `[auth]` secrets file pointing at the mock
provider (tests/browser/oidc_mock.py) and a roles file; the database holds the demo extracts
imported as real (non-demo) data, so nothing is shown without sign-in. Loopback only.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.conftest import ROOT, SHOTS, _free_port, no_exception, screenshot, wait_idle
from tests.browser.oidc_mock import OidcMock
from tests.conftest import real_database

pytestmark = pytest.mark.browser

FHE, BOU = "Familjehemsenheten", "Barn och ungdom"
USERS = {  # e-mail -> (role, units); the roles file the app reads through $IOF_ROLLER
    "anna@stad.se": ("controller", []),
    "cecilia@stad.se": ("enhetschef", [FHE]),
    "dora@stad.se": ("controller", []),  # signs in once only, in the audit test
}
STEP = 60_000  # ms: the bound of every single wait in the browser
SIGNED_IN: Counter = Counter()  # sign-ins that reached the app, per user, in this module


class AppServer:
    """`streamlit run app.py` with its own env (IOF_DB, IOF_ROLLER) and [auth] secrets."""

    def __init__(self, root: Path, db: Path, roles: Path, oidc: OidcMock):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"  # the origin of redirect_uri: the browser must use it
        self.db = db
        self.secrets = root / "secrets.toml"
        self.secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "{self.url}/oauth2callback"\n'
            'cookie_secret = "en-lang-hemlighet-bara-for-webbtestet"\n'
            f'client_id = "{oidc.client_id}"\n'
            f'client_secret = "{oidc.client_secret}"\n'
            f'server_metadata_url = "{oidc.metadata_url}"\n',
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("IOF_")}
        self.env = dict(env, IOF_DB=str(db), IOF_ROLLER=str(roles))
        self.log = root / "streamlit.log"
        self.proc: subprocess.Popen | None = None

    def ensure_running(self) -> str:
        if self.proc is not None and self.proc.poll() is None:
            return self.url
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "iof.web.serve",  # what run.sh app starts
                 "--server.headless", "true", "--server.port", str(self.port),
                 "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                 "--secrets.files", str(self.secrets)],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).status == 200:
                    return self.url
            except OSError:
                time.sleep(0.3)
            if self.proc.poll() is not None:
                break
        self.stop()
        raise RuntimeError("Streamlit-servern startade inte:\n" + self.log.read_text(errors="replace"))

    def stop(self) -> None:
        """Stop the server (it holds the DuckDB file; stop it before reading the database)."""
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture(scope="module")
def oidc():
    mock = OidcMock(client_id="iof", client_secret="hemligt").start()
    yield mock
    mock.stop()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory, oidc):
    root = tmp_path_factory.mktemp("sign_in")
    db, roles = real_database(root, USERS)  # the demo extracts imported as real data
    srv = AppServer(root, db, roles, oidc)
    yield srv
    srv.stop()


@pytest.fixture
def app(app_server) -> AppServer:
    app_server.ensure_running()
    return app_server


@pytest.fixture
def new_page(browser):
    contexts = []

    def _open():
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
        ctx.set_default_timeout(STEP)
        contexts.append(ctx)
        return ctx.new_page()

    yield _open
    for c in contexts:
        c.close()


def sign_in(page, app: AppServer, oidc: OidcMock, user: dict) -> None:
    """Open the app, click "Logga in", let the provider approve `user`, wait until back in the app."""
    oidc.user = user
    before = len(oidc.issued)
    page.goto(app.url + "/")
    wait_idle(page, STEP)
    no_exception(page)
    assert page.get_by_text("visas bara för inloggade med behörighet").is_visible()
    assert page.get_by_text("Inloggad:").count() == 0
    # st.login sends the browser to /auth/login; three 302s later (provider /authorize, the app's
    # /oauth2callback, which sets the auth cookie) it loads the app again
    with page.expect_navigation(url=re.compile(re.escape(app.url) + r"/(\?.*)?$"), timeout=STEP):
        page.get_by_role("button", name="Logga in").click()
    wait_idle(page, STEP)
    assert len(oidc.issued) == before + 1, "the provider issued no id_token: the sign-in never reached /token"
    request = oidc.authorize_requests[-1]
    assert request["redirect_uri"] == f"{app.url}/oauth2callback"
    assert request.get("nonce") and request.get("state") and request.get("code_challenge_method") == "S256"


@contextlib.contextmanager
def diagnose(page, app: AppServer, name: str):
    """On failure: a screenshot of the page and the end of the server log, attached to the error."""
    try:
        yield
    except BaseException as exc:
        try:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"FEL_{name}.png"))
        except Exception:
            pass
        log = app.log.read_text(errors="replace")[-3000:] if app.log.exists() else ""
        exc.add_note(f"url: {page.url}\nstreamlit.log (end):\n{log}")
        raise


def nav(page):
    return page.locator('[data-testid="stSidebarNav"]')


def test_controller_signs_in_and_sees_import_and_audit_log(app, oidc, new_page):
    page = new_page()
    with diagnose(page, app, "inloggning_controller"):
        sign_in(page, app, oidc, {"sub": "sub-anna", "email": "anna@stad.se", "name": "Anna Controller"})
        SIGNED_IN["anna@stad.se"] += 1
        page.get_by_text("Inloggad: anna@stad.se, controller").wait_for()
        no_exception(page)
        page.get_by_role("heading", name="IoF-översikt").wait_for()
        assert page.get_by_text("Demodata.").count() == 0  # real data, not the demo
        nav(page).get_by_text("Importera", exact=True).wait_for()
        nav(page).get_by_text("Granskningslogg", exact=True).wait_for()
        assert page.get_by_role("button", name="Logga ut").count() >= 1
        screenshot(page, "inloggning_controller")


def test_unit_manager_has_no_import_and_other_units_are_locked(app, oidc, new_page):
    page = new_page()
    with diagnose(page, app, "inloggning_enhetschef"):
        sign_in(page, app, oidc, {"sub": "sub-cecilia", "email": "cecilia@stad.se", "name": "Cecilia Chef"})
        SIGNED_IN["cecilia@stad.se"] += 1
        page.get_by_text(f"Inloggad: cecilia@stad.se, enhetschef ({FHE})").wait_for()
        no_exception(page)
        nav(page).get_by_text("Placeringar", exact=True).wait_for()
        assert nav(page).get_by_text("Importera", exact=True).count() == 0
        assert nav(page).get_by_text("Granskningslogg", exact=True).count() == 0

        # a deep link to another unit's placements: a new page load (a new Streamlit session),
        # still signed in by the cookie — the same sign-in, not logged again (issue 10)
        page.goto(f"{app.url}/placeringar?enhet={quote(BOU)}")
        wait_idle(page, STEP)
        no_exception(page)
        page.get_by_text("Inloggad: cecilia@stad.se").wait_for()
        note = page.get_by_text("Listor med enskilda placeringar och ärenden visas bara för dina egna enheter")
        note.wait_for()
        note.scroll_into_view_if_needed()
        screenshot(page, "inloggning_enhetschef_placeringar_annan_enhet")


def test_unknown_user_is_signed_in_but_has_no_access(app, oidc, new_page):
    page = new_page()
    with diagnose(page, app, "inloggning_okand"):
        sign_in(page, app, oidc, {"sub": "sub-okand", "email": "okand@stad.se", "name": "Okänd Person"})
        page.get_by_text("ingen behörighet").wait_for()
        no_exception(page)
        assert page.get_by_text("Inloggad:").count() == 0
        assert nav(page).count() == 0  # no navigation at all
        assert page.get_by_role("button", name="Logga ut").is_visible()
        screenshot(page, "inloggning_okand_anvandare")


def test_an_unverified_email_is_refused(app, oidc, new_page):
    """Issue 10, finding 6: a provider that says email_verified = false does not vouch for the address."""
    page = new_page()
    with diagnose(page, app, "inloggning_overifierad"):
        sign_in(page, app, oidc, {"sub": "sub-falsk", "email": "anna@stad.se", "email_verified": False,
                                  "name": "Inte Anna"})
        page.get_by_text("inte bekräftat din e-postadress").wait_for()
        no_exception(page)
        assert page.get_by_text("Inloggad:").count() == 0 and nav(page).count() == 0
        screenshot(page, "inloggning_overifierad_epost")


def test_a_subject_equal_to_a_configured_address_is_refused(app, oidc, new_page):
    """Issue 10, finding 6: no e-mail, a `sub` equal to the controller's address — not the controller."""
    page = new_page()
    with diagnose(page, app, "inloggning_bara_sub"):
        sign_in(page, app, oidc, {"sub": "anna@stad.se", "name": "Bara Sub"})
        page.get_by_text("skickade inte den uppgift (email)").wait_for()
        no_exception(page)
        assert page.get_by_text("Inloggad:").count() == 0 and nav(page).count() == 0


def test_tables_have_no_download_in_their_toolbar(app, oidc, new_page):
    """Issue 10, finding 4: the table toolbar's "Download as CSV" bypassed the export log."""
    page = new_page()
    with diagnose(page, app, "tabell_utan_nedladdning"):
        sign_in(page, app, oidc, {"sub": "sub-anna", "email": "anna@stad.se", "name": "Anna Controller"})
        SIGNED_IN["anna@stad.se"] += 1
        page.get_by_text("Inloggad: anna@stad.se, controller").wait_for()
        nav(page).get_by_text("Granskningslogg", exact=True).click()
        wait_idle(page, STEP)
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for()
        table.hover()
        page.wait_for_timeout(800)
        toolbar = page.locator('[data-testid="stElementToolbar"]').first
        toolbar.wait_for(state="attached")
        labels = [b.get_attribute("aria-label") or b.inner_text() for b in toolbar.locator("button").all()]
        assert labels, "the toolbar did not render"
        assert not [x for x in labels if "ownload" in x or "Ladda ner" in x], labels
        screenshot(page, "tabell_utan_nedladdning")


def test_every_sign_in_is_in_the_audit_log(app, oidc, new_page):
    page = new_page()
    with diagnose(page, app, "inloggning_granskningslogg"):
        sign_in(page, app, oidc, {"sub": "sub-dora", "email": "dora@stad.se", "name": "Dora Controller"})
        SIGNED_IN["dora@stad.se"] += 1
        page.get_by_text("Inloggad: dora@stad.se, controller").wait_for()
        nav(page).get_by_text("Granskningslogg", exact=True).click()
        wait_idle(page, STEP)
        no_exception(page)
        page.get_by_role("heading", name="Granskningslogg").wait_for()
    page.context.close()

    app.stop()  # the server holds the DuckDB file
    from iof.store.db import Store

    with Store(app.db) as s:
        events = s.query("audit_all").filter(event="inloggning")
    by_user = Counter(events["who"].to_list())
    assert by_user["dora@stad.se"] == 1, events  # one sign-in, one session, one event
    refused = events.filter(outcome="nekad")
    for user, n in SIGNED_IN.items():  # the other tests' sign-ins: one event per sign-in, not per page load
        assert by_user[user] - refused.filter(who=user).height == n, (user, n, events)
    role_of = {u: r for u, (r, _) in USERS.items()}
    reasons = {"okand@stad.se": "ingen behörighet i rollfilen"}
    for who, what, outcome in events.select("who", "what", "outcome").iter_rows():
        if outcome == "nekad":  # refused sign-ins are logged too, with the reason
            assert what == reasons.get(who, what) and what in (
                "ingen behörighet i rollfilen", "e-postadressen är inte verifierad", "saknar identitetsuppgiften email")
            continue
        assert outcome == "lyckad"
        assert what == f"roll {role_of[who]}", what
