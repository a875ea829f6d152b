"""Every page renders on demo data without an exception, and says it shows demo data."""

from __future__ import annotations


def test_data_status_shows_demo_marker_and_loaded_months(app):
    at = app().run()
    at.switch_page("views/datastatus.py").run()
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
