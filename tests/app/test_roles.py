"""What each role can and cannot see, through the real app (AppTest with at.user and [auth] secrets).

The database holds the demo extracts imported as real (non-demo) data, so local mode is refused
and every view goes through sign-in and the roles file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from iof.store.db import Store
from tests.app.conftest import ROOT, each_tab, open_tab
from tests.conftest import real_database

FHE, BOU = "Familjehemsenheten", "Barn och ungdom"
USERS = {
    "anna@stad.se": ("controller", []),
    "bo@stad.se": ("ledningsgrupp", []),
    "cecilia@stad.se": ("enhetschef", [FHE]),
    "skarm@stad.se": ("apt", []),
}
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-hemlighet",
        "client_id": "iof", "client_secret": "hemligt",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
PSEUDONYM = re.compile(r"^(P|B|Ä)-[0-9a-f]{4,}$")


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("roles")
    real_database(root, USERS)
    return root


@pytest.fixture
def env(real_db, monkeypatch):
    monkeypatch.setenv("IOF_DB", str(real_db / "real.duckdb"))
    monkeypatch.setenv("IOF_ROLLER", str(real_db / "roller.toml"))
    monkeypatch.chdir(ROOT)


def app(user: str | None, auth: bool = True, script=None, args: tuple = ()) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120) if script is None else \
        AppTest.from_function(script, default_timeout=120, args=args)
    if auth:
        at.secrets["auth"] = AUTH
    if user:
        at.user["is_logged_in"] = True
        at.user["email"] = user
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.markdown, *at.caption, *at.info, *at.error, *at.warning, *at.subheader)]
    return "\n".join(str(p) for p in parts)


def pseudonyms_shown(at: AppTest) -> list[str]:
    found = []
    for df in at.dataframe:
        for col in df.value.columns:
            found += [v for v in df.value[col].astype(str) if PSEUDONYM.match(v)]
    return found


def test_real_data_without_sign_in_configured_is_refused(env):
    at = app(None, auth=False).run()
    assert "Databasen innehåller verkliga uppgifter och inloggning är inte konfigurerad" in texts(at)
    assert not at.metric and not at.dataframe


def test_not_signed_in_sees_only_the_sign_in_button(env):
    at = app(None).run()
    assert [b.label for b in at.button] == ["Logga in"]
    assert not at.metric and not at.dataframe


def test_unknown_user_gets_no_access(env):
    at = app("okand@stad.se").run()
    assert "ingen behörighet i IoF-dashboarden" in texts(at)
    assert not at.metric and not at.dataframe


def test_apt_viewer_sees_the_walkthrough_and_never_a_pseudonym(env):
    at = app("skarm@stad.se").run()
    assert not at.exception
    assert "ekonomin efter oktober 2026" in texts(at)
    assert not pseudonyms_shown(at)
    # Barn och ungdom had 2 sammanbrott this year: on the projector that is hidden ("dolt"), never
    # the count (iof.compute.disclosure; zero is hidden too).
    at.session_state["apt_del"] = "5. Våra mål"  # the walkthrough's goals part
    at.run()
    assert not at.exception and not pseudonyms_shown(at)
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Sammanbrott i år"] == "dolt"
    assert all(v not in ("0", "1", "2", "3", "4") for v in tiles.values())
    for path in ("pages/placeringar.py", "pages/handlaggningstider.py", "pages/oversikt.py", "pages/importera.py"):
        with pytest.raises(ValueError, match=r"Known pages: \['[^']*pages/apt.py'\]"):
            at.switch_page(path)  # the APT viewer's navigation holds the APT page only


def test_enhetschef_sees_own_unit_in_detail_and_other_units_without_pseudonyms(env):
    at = app("cecilia@stad.se").run()
    at.switch_page("pages/placeringar.py").run()
    at.selectbox(key="enhet").set_value(FHE).run()
    open_tab(at, "Aktiva placeringar")
    assert not at.exception and pseudonyms_shown(at)
    at.selectbox(key="enhet").set_value(BOU).run()
    for tab in each_tab(at):  # no tab of another unit's page lists a child
        assert not at.exception, tab
        assert not pseudonyms_shown(at), tab
    assert "Listor med enskilda placeringar och ärenden visas bara för dina egna enheter" in texts(at)
    at.switch_page("pages/handlaggningstider.py").run()
    at.selectbox(key="enhet").set_value(BOU).run()
    assert not pseudonyms_shown(at)


def test_ledningsgrupp_sees_every_unit_in_detail_but_cannot_import(env):
    at = app("bo@stad.se").run()
    at.switch_page("pages/placeringar.py").run()
    at.selectbox(key="enhet").set_value(BOU).run()
    open_tab(at, "Aktiva placeringar")
    assert not at.exception and pseudonyms_shown(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/importera.py")  # not in the ledningsgrupp's navigation


def _unit_page(unit: str):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path.cwd()))
    from iof.web import frame, session
    from pages import enhet

    session.sign_in([])
    session.begin_run()
    session.period_picker()
    with frame.running():  # the frame's part done by hand: this renders one unit page only
        enhet.render(unit)


@pytest.mark.parametrize("user, unit, may", [
    ("cecilia@stad.se", FHE, True), ("cecilia@stad.se", BOU, False),
    ("anna@stad.se", BOU, True), ("bo@stad.se", FHE, False),
])
def test_who_may_adjust_a_units_prognosis(env, user, unit, may):
    at = app(user, script=_unit_page, args=(unit,)).run()
    assert not at.exception, [e.value for e in at.exception]
    has_form = any(b.label == "Spara justering" for b in at.button) or bool(at.get("form_submit_button"))
    assert has_form is may
    if not may:
        assert "Justeringar görs av enhetens chef eller controllern." in texts(at)


def test_controller_imports_and_reads_the_audit_log_with_every_sign_in(env):
    for user in ("bo@stad.se", "anna@stad.se"):
        app(user).run()
    at = app("anna@stad.se").run()
    at.switch_page("pages/importera.py").run()
    assert not at.exception and at.file_uploader
    assert "kräver inloggning med controllerns roll" not in texts(at)
    at.switch_page("pages/granskningslogg.py").run()
    assert not at.exception
    log = at.dataframe[0].value
    signins = log[log["händelse"] == "inloggning"]
    assert {"bo@stad.se", "anna@stad.se"} <= set(signins["vem"])
    assert "roll ledningsgrupp" in set(signins["vad"])


def test_only_the_controller_has_the_audit_log(env):
    for user in ("bo@stad.se", "cecilia@stad.se"):
        at = app(user).run()
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("pages/granskningslogg.py")
    from iof.core import access
    from iof.store import audit

    with Store(Path(__import__("os").environ["IOF_DB"])) as s, pytest.raises(access.AccessDenied):
        audit.audit_frame(s, access.Principal("bo@stad.se", "ledningsgrupp"))  # enforced in the package too


def _drill(at: AppTest, unit: str) -> AppTest:
    at.run()
    at.switch_page("pages/avvikelse.py")
    at.query_params["enhet"] = unit
    at.query_params["kostnadsslag"] = "Entreprenader och köp av verksamhet"
    at.query_params["från"] = "oversikt"
    return at.run()


def test_drill_through_lists_placements_only_of_the_chefs_own_unit(env):
    own = _drill(app("cecilia@stad.se"), FHE)
    assert not own.exception, [e.value for e in own.exception]
    assert own.dataframe and all(PSEUDONYM.match(v) for v in own.dataframe[0].value["Placering"])
    other = _drill(app("cecilia@stad.se"), BOU)
    assert not other.exception, [e.value for e in other.exception]
    assert not other.dataframe  # no list of another unit's placements; the totals still show
    assert "placeringar kostar" in texts(other)
    assert any("bara för dina egna enheter" in i.value for i in other.info)
