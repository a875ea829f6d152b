"""The prognosis round in the app (issue 12, item 5): withdraw an adjustment, submit, freeze with one
unit missing (the confirmation lists it), who froze and when; the author in local mode."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from iof.pipeline import prognosis as fs
from iof.store.db import Store
from tests.app.conftest import DEMO_TODAY, ROOT

UNIT = "Familjehemsenheten"
YEAR, MONTH = DEMO_TODAY.year, DEMO_TODAY.month - 1  # the demo's latest month with utfall


@pytest.fixture(scope="module")
def fresh_demo(tmp_path_factory):
    from iof.pipeline.importer import load_demo

    path = tmp_path_factory.mktemp("runda") / "demo.duckdb"
    with Store(path) as s:
        assert load_demo(s, today=DEMO_TODAY).ok
    return path


@pytest.fixture
def db(fresh_demo, tmp_path, monkeypatch):
    """A copy of the demo database of our own (these tests write to it)."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(fresh_demo, path)
    monkeypatch.setenv("IOF_DB", str(path))
    monkeypatch.delenv("IOF_USER", raising=False)  # local mode must not fall back to the OS user
    monkeypatch.chdir(ROOT)
    return path


def _unit_script():
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path.cwd()))
    from iof.web import frame, session, widgets
    from pages import enhet

    session.sign_in([])
    session.begin_run()
    session.period_picker()
    widgets.show_flash()
    with frame.running():
        enhet.render("Familjehemsenheten")


def _unit_page() -> AppTest:
    return AppTest.from_function(_unit_script, default_timeout=120).run()


def _texts(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "success", "info", "warning", "error") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def test_withdraw_an_adjustment_on_the_unit_page(db):
    with Store(db) as s:
        aid = fs.add_adjustment(s, YEAR, MONTH, UNIT, "Övriga kostnader", 300.0, "Ny hyra", created_by="chefen")
    at = _unit_page()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="aterkalla_nr_enhet-familjehemsenheten").set_value(aid)
    at.text_input(key="aterkalla_kommentar_enhet-familjehemsenheten").input("Hyran blev oförändrad")
    at.button(key="FormSubmitter:aterkalla_enhet-familjehemsenheten-Återkalla justeringen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"Justering nr {aid} återkallades" in s.value for s in at.success)  # the message stays
    table = next(d.value for d in at.dataframe if "Status" in d.value.columns and "Nr" in d.value.columns)
    assert table["Status"].tolist() == [f"återkallad (nr {aid + 1})", f"återkallar nr {aid}"]
    assert table["Av"].tolist() == ["chefen", "lokal användare (demo)"]  # never "root"
    assert table["Belopp"].tolist()[1].startswith("\u2212300")
    with Store(db) as s:
        rows = fs.adjustments(s, YEAR, MONTH)
    assert rows["amount_tkr"].sum() == 0.0 and rows.height == 2
    assert "kl." in table["När"].tolist()[0] and "-" not in table["När"].tolist()[0]  # Swedish, not ISO


def test_submit_the_units_prognosis_with_a_comment(db):
    at = _unit_page()
    assert "Ej lämnad" in _texts(at)
    at.text_input(key="lamna_kommentar_enhet-familjehemsenheten").input("Klar efter genomgång")
    at.button(key="FormSubmitter:lamna_enhet-familjehemsenheten-Markera prognosen som lämnad").click().run()
    assert not at.exception, [e.value for e in at.exception]
    text = _texts(at)
    assert "är lämnad för Familjehemsenheten" in text
    assert "**Lämnad**" in text and "lokal användare (demo)" in text and "Klar efter genomgång" in text


def test_comment_is_shown_at_the_next_months_meeting(db):
    py, pm = fs.previous_month(YEAR, MONTH)
    with Store(db) as s:
        fs.add_comment(s, py, pm, UNIT, "Beslut: följ upp HVB-kostnaden nästa månad", created_by="controllern")
    at = _unit_page()
    text = _texts(at)
    assert "Förra mötet" in text and "Beslut: följ upp HVB-kostnaden nästa månad" in text


def test_freeze_with_one_unit_missing_lists_it_and_records_who(db):
    with Store(db) as s:
        units = s.units()
        for u in units[1:]:
            fs.submit(s, YEAR, MONTH, u, "klar", created_by="chef")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    lamnad = next(d.value for d in at.dataframe if "Prognosen" in d.value.columns)
    assert list(lamnad.set_index("Enhet")["Prognosen"].to_dict()[units[0]]) == ["ej lämnad"]  # a coloured label
    at.button(key="frys").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("1 enhet har inte lämnat" in w.value for w in at.warning)
    assert f"- {units[0]}" in _texts(at)
    with Store(db) as s:
        assert fs.frozen_info(s, YEAR, MONTH) is None  # nothing frozen before the confirmation
    at.button(key="frys_ja").click().run()
    assert not at.exception, [e.value for e in at.exception]
    text = _texts(at)
    assert "frystes" in text and "av lokal användare (demo)" in text and "kl." in text
    with Store(db) as s:
        assert fs.frozen_info(s, YEAR, MONTH)["created_by"] == "lokal användare (demo)"


def test_after_freezing_the_unit_page_hides_the_forms_with_a_swedish_date(db):
    with Store(db) as s:
        fs.freeze(s, YEAR, MONTH, created_by="controllern")
    at = _unit_page()
    assert not at.exception, [e.value for e in at.exception]
    info = " ".join(i.value for i in at.info)
    assert "frystes" in info and "av controllern" in info and "Justeringar görs i nästa månads prognos" in info
    assert f"{YEAR}-{MONTH:02d}" not in info  # a Swedish date, not ISO
    assert not [b for b in at.button if "Spara justering" in str(b.label) or "lämnad" in str(b.label)]


def test_each_kpi_tile_on_the_overview_says_its_period(db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    captions = [c.value for c in at.caption]
    assert "Period: januari–oktober 2026, snitt av enheterna" in captions  # sjukfrånvaro, the year so far
    assert "Period: i slutet av oktober 2026" in captions  # barn i jourhem, a month-end count
    assert at.query_params["år"] == "2026" and at.query_params["månad"] == "oktober"  # always in the link


def test_apt_walkthrough_one_part_per_screen_with_goals_glossary_and_decisions(db):
    py, pm = YEAR, MONTH
    with Store(db) as s:
        fs.add_comment(s, py, pm, "Barn och ungdom", "Vi ses över HVB-placeringarna i november", created_by="chef")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/apt.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.label for m in at.metric] == ["Budget för året", "Prognos för helåret", "Avvikelse"]  # part 1 only
    at.button(key="apt_framåt").click().run()  # 2. Varför: the glossary explains the model's words
    glossary = " ".join(e.value for e in at.markdown)
    assert "förväntade avslut och förlängningar" in glossary and "Vi tror slutar eller förlängs" in glossary
    at.button(key="apt_framåt").click().run()  # 3. Sedan förra månaden: the bridge in plain words
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="apt_framåt").click().run()  # 4. Vad vi gör
    assert any("Vi ses över HVB-placeringarna i november" in e.value for e in at.markdown)
    at.button(key="apt_framåt").click().run()  # 5. Våra mål: each goal with its target and a status badge
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Mål: ") for c in captions)
    assert any(c.startswith("Period: ") for c in captions)
    assert "apt_framåt" not in [b.key for b in at.button]  # the last part


def test_a_save_survives_a_run_that_starts_over(db, monkeypatch):
    """The click that saves is not lost when the run it starts is thrown away: an import landing
    mid-run (StaleData) makes the page start over, and a form submit read in the page body is gone by
    then (the nightly-import browser test lost an adjustment that way). The forms write in their
    on_click callback, before the page is built."""
    from iof.store.db import StaleData
    from iof.web import views

    real = views.unit_summary  # the first thing the unit page reads, long before its forms
    armed = {"on": False, "raised": 0}

    def stale_once(*args, **kwargs):
        if armed["on"] and not armed["raised"]:
            armed["raised"] += 1
            raise StaleData()
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "unit_summary", stale_once)
    at = _unit_page()
    assert not at.exception, [e.value for e in at.exception]
    for form, fill in (("justering", {"just_belopp": "−125", "just_kommentar": "Under importen"}),
                       ("kommentar", {"kommentar_text": "Beslut under importen"}),
                       ("lamna", {"lamna_kommentar": "Lämnad under importen"})):
        for key, value in fill.items():
            widget = at.text_area(key=f"{key}_enhet-familjehemsenheten") if key == "kommentar_text" else \
                at.text_input(key=f"{key}_enhet-familjehemsenheten")
            widget.input(value)
        submit = next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}_enhet-familjehemsenheten"))
        armed.update(on=True, raised=0)
        try:
            submit.click().run()
        except Exception:  # the page body raising StaleData outside the frame is this harness's rerun
            pass
        armed["on"] = False
        assert armed["raised"] == 1, "the run after the click was thrown away"
        at.run()
    with Store(db) as s:
        assert "Under importen" in fs.adjustments(s, YEAR, MONTH)["comment"].to_list()
        assert "Beslut under importen" in fs.comments(s, YEAR, MONTH, UNIT)["comment"].to_list()
        assert fs.submissions(s, YEAR, MONTH).filter(fs.pl.col("unit") == UNIT)["comment"].to_list() == \
            ["Lämnad under importen"]
