"""Prognossäkerhet shows which method each line used and how it did, in Swedish (issue 15 items 4–5)."""

from __future__ import annotations


def test_method_per_line_and_swedish_method_names(app):
    at = app().run()
    at.switch_page("pages/prognossakerhet.py").run()
    assert not at.exception, [e.value for e in at.exception]
    summary = at.dataframe[1].value
    assert "naiv_budgetrest" not in set(summary["Metod"])
    assert "Utfall + budget för resten av året" in set(summary["Metod"])
    assert {"Mot bästa enkla metod", "Inom 80 % intervall"} <= set(summary.columns)
    lines = at.dataframe[2].value
    assert {"Enhet", "Kostnadsslag", "Metod", "Fel", "Fel %"} <= set(lines.columns)
    assert lines["Metod"].str.contains("vald på").any()
    assert lines["Fel"].str.startswith("+").any() and lines["Fel"].str.startswith("\u2212").any()
