"""Issue 10 through the real app (AppTest with at.user and [auth] secrets on real, non-demo data):
findings 4 (audit: who exported, one sign-in per sign-in, no toolbar export), 5 (APT shows
nothing small, zero included), 6 (identity: verified e-mail, no fallback to `sub`) and 7 (an
upload never reaches the disk; the database is owner-only)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from iof.core.personnummer import contains
from iof.store.db import Store
from tests.app.test_roles import AUTH, USERS, app, texts
from tests.conftest import real_database


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dataskydd")
    real_database(root, USERS)
    return root


@pytest.fixture
def env(real_db, monkeypatch):
    from tests.app.conftest import ROOT

    monkeypatch.setenv("IOF_DB", str(real_db / "real.duckdb"))
    monkeypatch.setenv("IOF_ROLLER", str(real_db / "roller.toml"))
    monkeypatch.delenv("IOF_USER", raising=False)
    monkeypatch.chdir(ROOT)


def audit_rows(event: str | None = None) -> list[dict]:
    with Store(Path(os.environ["IOF_DB"])) as s:  # the app's connection is open in this process: same config
        rows = s.query("audit_all").to_dicts()
    return [r for r in rows if event is None or r["event"] == event]


@pytest.fixture
def downloads(monkeypatch):
    """Every download button's data, by label: a callable is called later, the way Streamlit's
    server calls it when the browser fetches the file — outside the script run."""
    found: dict[str, object] = {}
    original = DeltaGenerator.download_button
    original_st = st.download_button

    def record(label, data):
        found[label] = data

    def dg_download(self, label, data=None, *args, **kwargs):
        record(label, data)
        return original(self, label, data, *args, **kwargs)

    def st_download(label, data=None, *args, **kwargs):
        record(label, data)
        return original_st(label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", dg_download)
    monkeypatch.setattr(st, "download_button", st_download)
    return found


def fetch(data) -> bytes:
    """What the browser gets: the deferred callable run in a thread of its own (no session)."""
    import threading

    out = {}
    t = threading.Thread(target=lambda: out.setdefault("v", data() if callable(data) else data))
    t.start()
    t.join(60)
    return out["v"]


# -- finding 4: audit ----------------------------------------------------------------------------
def test_app_exports_are_logged_as_the_signed_in_person(env, downloads):
    at = app("anna@stad.se").run()  # the controller's overview: the prognosis downloads
    assert not at.exception
    at.switch_page("pages/granskningslogg.py").run()
    assert not at.exception
    before = len(audit_rows("export"))
    for label in ("Prognosen som Excel (T1/T2/VB)", "Prognosen som CSV", "Exportera granskningsloggen (CSV)"):
        assert fetch(downloads[label])
    apt = app("skarm@stad.se").run()
    assert not apt.exception
    assert fetch(downloads["Utskriftsvänlig månadsrapport (öppna och skriv ut)"])
    exports = audit_rows("export")[: len(audit_rows("export")) - before]
    assert len(exports) == 4
    who = {r["what"].split(" ")[0]: r["who"] for r in exports}
    assert who == {"prognos": "anna@stad.se", "granskningslogg": "anna@stad.se", "månadsrapport": "skarm@stad.se"}, exports


def test_a_sign_in_is_logged_once_not_per_page_load(env):
    """Every page load is a new Streamlit session; with the same ID token it is the same sign-in."""
    before = len([r for r in audit_rows("inloggning") if r["who"] == "bo@stad.se"])
    for _ in range(3):
        at = app("bo@stad.se")
        at.user["iat"] = 1_790_000_000  # one ID token, three page loads
        at.run()
        assert not at.exception
    at = app("bo@stad.se")
    at.user["iat"] = 1_790_000_999  # a new sign-in
    at.run()
    after = len([r for r in audit_rows("inloggning") if r["who"] == "bo@stad.se"])
    assert after - before == 2


def test_local_mode_logs_its_sign_in_once_per_database_not_per_page_load(tmp_path, monkeypatch):
    """Local mode (demo data, IOF_USER) has no token: its sign-in is the server started for one
    user, logged once in each database (each new here), however many browser sessions open pages."""
    from streamlit.testing.v1 import AppTest

    from iof.pipeline.importer import load_demo
    from tests.app.conftest import DEMO_TODAY, ROOT

    user = "lokal"  # local mode's principal (iof.core.access.local_principal)
    counts = []
    for name in ("a.duckdb", "b.duckdb"):
        db = tmp_path / name
        with Store(db) as s:
            assert load_demo(s, today=DEMO_TODAY).ok
        monkeypatch.setenv("IOF_DB", str(db))
        for _ in range(3):  # three page loads: three Streamlit sessions
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
            assert not at.exception
        with Store(db) as s:
            events = s.query("audit_all").filter(event="inloggning", who=user)
        counts.append((events.height, events["what"].to_list()))
    assert counts == [(1, ["roll controller (lokalt läge)"])] * 2, counts


def test_the_table_toolbar_cannot_export(env):
    at = app("anna@stad.se").run()
    assert not at.exception
    assert st.get_option("client.disableDataExport") is True
    import tomllib

    from tests.app.conftest import ROOT

    with open(ROOT / ".streamlit" / "config.toml", "rb") as fh:
        assert tomllib.load(fh)["client"]["disableDataExport"] is True


# -- finding 6: identity -------------------------------------------------------------------------
def test_an_unverified_email_is_refused_and_logged(env):
    at = app("anna@stad.se")
    at.user["email_verified"] = False
    at.run()
    assert "inte bekräftat din e-postadress" in texts(at)
    assert not at.metric and not at.dataframe
    assert audit_rows("inloggning")[0]["outcome"] == "nekad"
    assert audit_rows("inloggning")[0]["what"] == "e-postadressen är inte verifierad"


def test_a_subject_equal_to_a_configured_address_is_not_that_person(env):
    at = AppTestWithSubOnly("anna@stad.se")
    at.run()
    assert "skickade inte den uppgift (email)" in texts(at)
    assert not at.metric and not at.dataframe
    assert audit_rows("inloggning")[0]["outcome"] == "nekad"


def AppTestWithSubOnly(sub: str):
    at = app(None)
    at.user["is_logged_in"] = True
    at.user["sub"] = sub
    at.user["email"] = None  # AppTest's default user has an e-mail; this provider sends none
    return at


# -- finding 5: APT --------------------------------------------------------------------------------
def test_apt_shows_no_small_count_and_no_goal_that_gives_one_away(env):
    at = app("skarm@stad.se").run()
    for unit in ("IoF totalt", "Barn och ungdom", "Familjehemsenheten", "Vuxenenheten/RVC"):
        at.selectbox(key="apt_enhet").set_value(unit).run()
        assert not at.exception
        tiles = {m.label: m.value for m in at.metric}
        for label in ("Sammanbrott i år", "Barn i kons. jourhem", "Placerade barn"):
            if label in tiles:
                v = tiles[label]
                assert v == "dolt" or int(v.replace("\u00a0", "").replace(" ", "")) >= 5, (unit, label, v)
        assert "högst 0,9" not in texts(at)
        assert "– också 0 – visas som" in texts(at)


# -- finding 7: files --------------------------------------------------------------------------------
def test_an_upload_never_reaches_the_disk(env, tmp_path, monkeypatch):
    from iof.web import actions

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where an upload would have gone
    monkeypatch.setenv("TMPDIR", str(tmp_path))

    class Upload:
        def __init__(self, name, data):
            self.name, self._data = name, data

        def getvalue(self):
            return self._data

    bad = ("år;månad;enhet;kostnadsslag;belopp_tkr\r\n2026;9;Enhet 850101\u20131234;Lokalkostnader;10\r\n").encode()
    files_, names = actions.uploads_to_files([Upload("utfall_2026-09.csv", bad)])
    result = actions.validate_uploads(files_, names)
    assert not result.ok and not contains(result.report())
    assert list(tmp_path.iterdir()) == []
    assert not list(Path(tempfile.gettempdir()).glob("iof-upload-*"))


def test_the_database_and_its_wal_are_owner_only(tmp_path):
    from iof.pipeline.importer import load_demo

    path = tmp_path / "ny.duckdb"
    os.umask(0o022)  # as a server or shell usually starts
    with Store(path) as s:
        assert load_demo(s).ok
        wal = path.with_name(path.name + ".wal")
        for p in (path, wal):
            if p.exists():
                assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # a database created before the rule is made owner-only when it is opened
    path.chmod(0o644)
    Store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    backups = list(Path(str(path) + ".backups").glob("*")) if Path(str(path) + ".backups").exists() else []
    assert all(stat.S_IMODE(b.stat().st_mode) & 0o077 == 0 for b in backups)


def test_a_cli_report_file_is_owner_only(tmp_path):
    from iof.cli.main import main

    db = tmp_path / "demo.duckdb"
    os.umask(0o022)
    assert main(["--db", str(db), "demo", "--idag", "2026-11-01"]) == 0
    os.umask(0o022)  # a new shell
    out = tmp_path / "placeringar.xlsx"
    assert main(["--db", str(db), "report", "placeringar", "--datum", "2026-10-31", "--format", "xlsx",
                 "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


# -- finding 3: no live formulas in the app's downloads ------------------------------------------------
PAYLOAD_UNIT = '=HYPERLINK("http://example.invalid","Vuxen")'
PAYLOAD_COMMENTS = ['=HYPERLINK("http://example.invalid","Klicka")', "@SUM(A1)", "-1+1", "+1"]


@pytest.fixture(scope="module")
def formula_db(tmp_path_factory) -> Path:
    """Real data where one unit is named like a formula (as from before the import rule) and the
    adjustments' comments are formulas (an enhetschef's form or the CLI)."""
    import duckdb

    from iof.pipeline import prognosis

    root = tmp_path_factory.mktemp("formler")
    db, _ = real_database(root, USERS)
    con = duckdb.connect(str(db))
    for (table,) in con.sql("select distinct table_name from information_schema.columns "
                            "where column_name = 'unit'").fetchall():
        con.execute(f'update "{table}" set unit = ? where unit = ?', [PAYLOAD_UNIT, "Vuxenenheten/RVC"])
    con.close()
    with Store(db) as s:
        year, month = prognosis.latest_month(s)
        for c in PAYLOAD_COMMENTS:
            prognosis.add_adjustment(s, year, month, PAYLOAD_UNIT, "Lokalkostnader", 1.0, c, created_by="anna@stad.se")
    return root


def test_the_apps_downloads_hold_no_formula(formula_db, monkeypatch, downloads):
    import csv
    import io

    import openpyxl

    from iof.core.spreadsheet import is_formula
    from tests.app.conftest import ROOT

    monkeypatch.setenv("IOF_DB", str(formula_db / "real.duckdb"))
    monkeypatch.setenv("IOF_ROLLER", str(formula_db / "roller.toml"))
    monkeypatch.chdir(ROOT)
    at = app("anna@stad.se").run()
    assert not at.exception
    xlsx = fetch(downloads["Prognosen som Excel (T1/T2/VB)"])
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    strings = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                strings.append(cell.value)
    assert PAYLOAD_UNIT in strings and set(PAYLOAD_COMMENTS) <= set(strings)  # kept, as text
    text = fetch(downloads["Prognosen som CSV"]).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
    assert "'" + PAYLOAD_UNIT in cells
    assert not [c for c in cells if is_formula(c)]
    at.switch_page("pages/granskningslogg.py").run()
    log = fetch(downloads["Exportera granskningsloggen (CSV)"]).decode("utf-8-sig")
    assert not [c for row in csv.reader(io.StringIO(log), delimiter=";") for c in row if is_formula(c)]
