"""Every page renders on demo data without an exception, and says it shows demo data."""

from __future__ import annotations


def test_data_status_shows_demo_marker_and_loaded_months(app):
    at = app().run()
    at.switch_page("pages/datastatus.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Demodata" in w.value for w in at.warning)
    months = at.dataframe[0].value
    row = months[(months["Extrakt"] == "Utfall") & (months["År"] == 2026)]
    assert row["Månader"].iloc[0] == "jan–okt (10 mån)"
    log = at.dataframe[2].value
    assert set(log["Av"]) == {"demo"}
    assert "placeringar_2026-10.csv" in set(log["Fil"])


def test_period_picker_defaults_to_latest_month(app):
    at = app().run()
    assert at.selectbox(key="år").value == 2026
    assert at.selectbox(key="månad").value == 10


# -- Verksamhet pages: each renders on demo data, and a number shown equals the CLI report's ------
from datetime import date  # noqa: E402

import pytest  # noqa: E402

from iof.present import fmt  # noqa: E402
from tests.app.conftest import each_tab, open_tab  # noqa: E402

OCT_END = date(2026, 10, 31)


def _store_frame(path, build):
    from iof.store.db import Store

    with Store(path) as s:
        return build(s)


def _metric(at, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return values[0]


def _open(app, page: str, **params):
    at = app()
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("unit", ["Familjehemsenheten", "Barn och ungdom"])
def test_placeringar_page_counts_active_placements_as_the_report(app, demo_db_path, unit):
    from iof.pipeline.reports import placeringar_report

    report = _store_frame(demo_db_path, lambda s: placeringar_report(s, OCT_END, unit))
    at = _open(app, "pages/placeringar.py", enhet=unit)  # the unit pages' drill-down link
    assert at.selectbox(key="enhet").value == unit
    assert _metric(at, "Aktiva placeringar") == fmt.count(report.height)
    assert at.get("plotly_chart"), "the first tab draws the charts"
    open_tab(at, "Aktiva placeringar")
    assert not at.exception and _metric(at, "Aktiva placeringar") == fmt.count(report.height)
    assert not at.get("plotly_chart"), "a closed tab's charts are not drawn"
    active = next(d.value for d in at.dataframe if "Kvarvarande kostnad i år" in d.value.columns
                  and "Barn-id" in d.value.columns)
    assert sorted(active["Placerings-id"]) == sorted(report["placerings_id"].to_list())
    assert not any("Enhet" == c for c in active.columns)


def test_placeringar_page_unit_select_and_empty_unit_message(app, demo_db_path):
    from iof.pipeline.reports import placeringar_report

    at = _open(app, "pages/placeringar.py")
    assert at.selectbox(key="enhet").value == "Alla enheter"
    everyone = _store_frame(demo_db_path, lambda s: placeringar_report(s, OCT_END))
    assert _metric(at, "Aktiva placeringar") == fmt.count(everyone.height)
    at.selectbox(key="enhet").set_value("Familjerätt").run()  # a unit without placements
    assert not at.exception, [e.value for e in at.exception]
    assert any("Familjerätt har inga placeringar" in i.value for i in at.info)


def test_placeringar_whatif_shows_the_effect_on_the_prognosis(app, demo_db_path):
    from iof.pipeline.forecast_reports import flytt_report

    unit = "Familjehemsenheten"
    at = open_tab(_open(app, "pages/placeringar.py", enhet=unit), "Tänk om")
    at.selectbox(key="flytt_form").set_value("Familjehem konsulentstött").run()
    at.number_input(key="flytt_antal").set_value(3).run()
    assert not at.exception, [e.value for e in at.exception]
    move = at.date_input(key="flytt_datum").value
    report = _store_frame(demo_db_path, lambda s: flytt_report(s, 2026, 10, 3, move, "Familjehem konsulentstött", unit))
    net = report.filter(report["kostnadsslag"] == "Netto").row(0, named=True)
    assert _metric(at, "Förändring av helårsprognosen") == fmt.signed(net["förändring_tkr"])
    assert _metric(at, "Barn som flyttas") == fmt.count(net["antal_barn"])


def test_handlaggningstider_page_median_equals_the_report(app, demo_db_path):
    from iof.pipeline.trend_reports import arenden_over_grans_report, handlaggningstider_report

    unit = "Barn och ungdom"
    report = _store_frame(demo_db_path, lambda s: handlaggningstider_report(s, "2026-10", "2026-10", unit))
    overdue = _store_frame(demo_db_path, lambda s: arenden_over_grans_report(s, OCT_END, unit))
    at = _open(app, "pages/handlaggningstider.py", enhet=unit)
    shown = next(d.value for d in at.dataframe if "Mäts" in d.value.columns)
    assert len(shown) == report.height > 0
    for r in report.iter_rows(named=True):
        row = shown[shown["Ärendetyp"] == r["ärendetyp"]].iloc[0]
        assert row["Median, dagar"] == r["median_dagar"]
        assert row["Avslutade"] == r["avslutade"]
        assert row["Andel inom gränsen"] == fmt.pct(r["andel_inom_gräns_pct"])
    passed = overdue.filter(overdue["status"] == "passerad").height
    assert _metric(at, "Över gränsen") == fmt.count(passed)
    assert _metric(at, "Passerar inom 14 dagar") == fmt.count(overdue.height - passed)
    assert len(at.get("plotly_chart")) >= 1 + report.height


def test_handlaggningstider_page_filters_by_arendetyp(app):
    at = _open(app, "pages/handlaggningstider.py")
    at.multiselect(key="ärendetyp").set_value(["Förhandsbedömning"]).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = next(d.value for d in at.dataframe if "Mäts" in d.value.columns)
    assert set(shown["Ärendetyp"]) == {"Förhandsbedömning"}


@pytest.mark.parametrize("unit", ["Familjerätt", None])
def test_personal_page_sick_leave_equals_the_trender_report(app, demo_db_path, unit):
    from iof.pipeline.trend_reports import trender_report

    rep = _store_frame(demo_db_path, lambda s: trender_report(s, "2026-10", "2026-10", unit))
    scope = unit or "IoF totalt"
    value = lambda kpi: rep.filter((rep["enhet"] == scope) & (rep["mått"] == kpi))["värde"][0]  # noqa: E731
    at = _open(app, "pages/personal.py", **({"enhet": unit} if unit else {}))
    assert _metric(at, "Sjukfrånvaro oktober 2026")  # the label names its period == fmt.pct(value("sjukfrånvaro_pct"))
    assert _metric(at, "Ärenden/handläggare") == fmt.number(value("ärenden_per_handläggare"), 1)
    table = next(d.value for d in at.dataframe if "Dag 1–14" in d.value.columns and "Enhet" in d.value.columns)
    row = table[table["Enhet"] == scope].iloc[0]
    assert row["Dag 1–14"] == fmt.pct(value("sjukfrånvaro_dag1_14_pct"))
    assert len(at.get("plotly_chart")) == 5


@pytest.mark.parametrize("page", ["pages/oversikt.py", "pages/enhet.py", "pages/apt.py", "pages/placeringar.py",
                                  "pages/handlaggningstider.py", "pages/personal.py", "pages/prognossakerhet.py",
                                  "pages/datastatus.py", "pages/granskningslogg.py", "pages/avvikelse.py"])
def test_no_table_cell_shows_a_format_marker_or_a_raw_structure(app, page):
    """A display column is formatted by fmt.finish from a marker (fmt.text); a marker used inside
    another expression reached the screen as its own spelling (Personal's 'Intervall' showed
    '{12.0,"iof.present.fmt.number(0,)"}–…'). No cell of any table on any page may look like that."""
    import re

    at = _open(app, page)
    bad = re.compile(r"iof\.present|__format|__value|^\{.*\}$|^\[.*\]$")
    seen = 0
    for _ in each_tab(at):  # every tab's tables (a lazy tab draws them only while open)
        for frame in at.dataframe:
            df = frame.value
            for col in df.columns:
                for v in df[col].tolist():
                    if isinstance(v, str):
                        seen += 1
                        assert not bad.search(v), f"{page}: {col} = {v!r}"
    assert seen or page in ("pages/apt.py", "pages/avvikelse.py", "pages/enhet.py")


def test_the_lazy_tab_bars_read_from_the_source_are_those_the_page_draws(app):
    """conftest.LAZY_TABS (what open_tab and each_tab open) is read from the widgets.lazy_tabs
    calls; Placeringar's bar is found there with the labels the page shows, in order."""
    from tests.app.conftest import LAZY_TABS

    at = _open(app, "pages/placeringar.py")
    assert LAZY_TABS["placeringar_flik"] == tuple(t.label for t in at.tabs)
