"""The drill-through page (pages/avvikelse.py): from a line's deviation to what explains it, and back."""

from __future__ import annotations

from iof.present import fmt

CT = "Entreprenader och köp av verksamhet"


def _open(app, **params):
    at = app()
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/avvikelse.py")
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_placement_line_lists_the_placements_ranked_with_flags(app):
    at = _open(app, enhet="Familjehemsenheten", kostnadsslag=CT, från="enhet-familjehemsenheten")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == f"{CT} – Familjehemsenheten"
    metrics = {m.label: m.value for m in at.metric}
    def mnkr(text: str) -> float:
        return float(text.replace("\u2212", "-").replace("\u00a0mnkr", "").replace("\u00a0", "").replace(",", "."))

    # the line's deviation as shown = budget − prognosis as shown (± rounding), and the demo's deficit
    deviation = mnkr(metrics["Avvikelse"])
    assert abs(deviation - (mnkr(metrics["Budget"]) - mnkr(metrics["Helårsprognos"]))) <= 0.11
    assert deviation < -1.0
    table = at.dataframe[0].value
    assert list(table["Rang"][:3]) == [1, 2, 3]
    costs = [float(v.replace("\u00a0tkr", "").replace("\u00a0", "")) for v in table["Kostnad i år"]]
    assert costs == sorted(costs, reverse=True)
    assert {"ja", ""} >= set(table["Ny i år"]) and "ja" in set(table["Efter sammanbrott"])
    assert any("följer på ett sammanbrott" in m.value for m in at.markdown)


def test_staff_line_lists_the_months_with_vacancies(app):
    at = _open(app, enhet="Barn och ungdom", kostnadsslag="Personalkostnader", från="oversikt")
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert len(table) == 10 and "Vakanser" in table.columns and "Konsulter åa" in table.columns
    assert table["Avvikelse"].iloc[0] == fmt.signed(3.1, "tkr", 0)  # September, the smallest surplus


def test_without_a_line_the_page_says_how_to_get_there(app):
    at = _open(app)
    assert not at.exception
    assert any("Välj ett kostnadsslag" in i.value for i in at.info)
