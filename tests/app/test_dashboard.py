"""The dashboard's pages on demo data: no exception, and the numbers equal the CLI reports'."""

from __future__ import annotations


import polars as pl
import pytest

from iof.present import dashboard, fmt
from iof.pipeline.forecast_reports import prognos_report
from iof.store.db import Store
from tests.app.conftest import each_tab


def cli_report(path, year: int, month: int) -> pl.DataFrame:
    """The CLI's prognos report (same process as the app, so the same connection settings)."""
    with Store(path) as s:
        return prognos_report(s, year, month)


@pytest.fixture(scope="module")
def report(demo_db_path):
    return cli_report(demo_db_path, 2026, 10)


def _net(report: pl.DataFrame, unit: str) -> dict:
    return report.filter((pl.col("enhet") == unit) & (pl.col("kostnadsslag") == "Netto")).row(0, named=True)


def test_overview_shows_the_cli_prognosis(app, report):
    at = app().run()
    assert not at.exception, [e.value for e in at.exception]
    total = _net(report, "IoF totalt")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Helårsprognos netto"] == fmt.mnkr(total["prognos_tkr"])
    assert metrics["Budget netto"] == fmt.mnkr(total["budget_tkr"])
    table = at.dataframe[0].value
    fhe = table[table["Enhet"] == "Familjehemsenheten"].iloc[0]
    assert list(fhe["Status"]) == ["Underskott"]
    assert fhe["Helårsprognos"] == fmt.mnkr(_net(report, "Familjehemsenheten")["prognos_tkr"])
    assert fhe["Avvikelse"] == fmt.signed(_net(report, "Familjehemsenheten")["avvikelse_tkr"], "mnkr")
    # the worst deviation first, IoF totalt last; the interval as text
    avv = [_net(report, e)["avvikelse_tkr"] for e in table["Enhet"][:-1]]
    assert avv == sorted(avv) and table["Enhet"].iloc[-1] == "IoF totalt"
    total = _net(report, "IoF totalt")
    assert table["80 % intervall"].iloc[-1] == dashboard.interval_text(total["intervall_låg_tkr"],
                                                                       total["intervall_hög_tkr"])
    assert "–" in table["80 % intervall"].iloc[-1] and "mnkr" in table["80 % intervall"].iloc[-1]


def test_every_page_renders_without_exception(app):
    at = app().run()
    for page in ("pages/prognossakerhet.py", "pages/apt.py", "pages/placeringar.py",
                 "pages/handlaggningstider.py", "pages/personal.py", "pages/importera.py",
                 "pages/datastatus.py"):
        at.switch_page(page).run()
        for tab in each_tab(at):  # and every lazy tab of it
            assert not at.exception, (page, tab, [e.value for e in at.exception])


def _unit_script():
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path.cwd()))
    from iof.web import frame, session
    from pages import enhet

    session.sign_in([])
    session.begin_run()
    session.period_picker()
    with frame.running():  # the frame's part done by hand: this renders one unit page only
        enhet.render("Familjehemsenheten")


def test_unit_page_lines_equal_the_cli_report(demo_db_path, monkeypatch, report):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import ROOT

    monkeypatch.setenv("IOF_DB", str(demo_db_path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_unit_script, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    net = _net(report, "Familjehemsenheten")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Helårsprognos"] == fmt.mnkr(net["prognos_tkr"])
    assert metrics["Avvikelse"] == fmt.signed(net["avvikelse_tkr"], "mnkr")
    lines = at.dataframe[0].value
    expected = report.filter(pl.col("enhet") == "Familjehemsenheten")
    assert list(lines["Kostnadsslag"]) == expected["kostnadsslag"].to_list()
    for r in expected.iter_rows(named=True):
        shown = lines[lines["Kostnadsslag"] == r["kostnadsslag"]].iloc[0]
        assert shown["Helårsprognos"] == fmt.tkr(r["prognos_tkr"])
        assert shown["Modell"] == fmt.tkr(r["modell_tkr"])
    assert "Familjehemsenheten" in at.info[0].value  # the analysis text names the unit


def test_month_change_changes_the_prognosis(app, report):
    at = app().run()
    before = {m.label: m.value for m in at.metric}["Helårsprognos netto"]
    at.selectbox(key="månad").set_value(4).run()
    assert not at.exception
    after = {m.label: m.value for m in at.metric}["Helårsprognos netto"]
    april = cli_report(at_db(app), 2026, 4)
    assert after == fmt.mnkr(_net(april, "IoF totalt")["prognos_tkr"])
    assert before != after


def at_db(app):
    import os

    return os.environ["IOF_DB"]
