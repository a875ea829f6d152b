"""One page per unit (generated from the units in the database): prognosis, bridge, KPIs, adjustments."""

from __future__ import annotations

import streamlit as st

from iof.present import dashboard, fmt
from iof.core import domain
from iof.web import actions, frame, loaders, nav, session, views, widgets

def page_for(unit: str, path: str | None = None):
    """A page function for `unit` (st.Page needs a distinct callable per page)."""
    def _page() -> None:
        render(unit)

    _page.__name__ = (path or nav.slug(unit)).replace("-", "_")
    return _page


def render(unit: str) -> None:
    ctx = frame.context()
    year, month = ctx.year, ctx.month
    st.title(unit)
    st.caption(f"Helårsprognos {year} efter utfall t.o.m. {fmt.year_month(year, month)}")

    r, brow = views.unit_summary(year, month, unit)
    if r is None:
        st.info(f"{unit} har ingen budget eller utfall för {year}.")
        return

    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Budget netto", fmt.mnkr(r["budget_tkr"]))
    c2.metric("Helårsprognos", fmt.mnkr(r["prognos_tkr"]),
              help="80 % intervall: helårsprognosen hamnar i intervallet 8 gånger av 10 enligt tidigare års "
                   "prognosfel.")
    if r["intervall_låg_tkr"] is not None:
        c2.caption(f"80 % intervall {dashboard.interval_text(r['intervall_låg_tkr'], r['intervall_hög_tkr'])}")
    c3.metric("Avvikelse", fmt.amount(r["avvikelse_tkr"], True), **widgets.delta_style(r["förändring_tkr"]),
              help="Pilen visar förändringen sedan förra månadens prognos (upp = bättre).")
    c4.metric("Status", r["status"])
    st.info(views.unit_analysis(year, month, unit), icon=":material/description:")
    actions.month_report_button(unit, year, month, key=f"pdf_{nav.slug(unit)}")

    st.subheader("Prognos per kostnadsslag")
    st.caption("Modell = beräknad prognos; Justering = chefens egna, kommenterade justeringar. "
               "Klicka på ett kostnadsslag för att se vad som förklarar avvikelsen (placeringarna eller "
               "personalen bakom den).")
    shown = views.unit_lines_display(year, month, unit)
    click_key = f"rader_klick_{nav.slug(unit)}"
    widgets.table(shown, key=f"rader_{nav.slug(unit)}", column_config={
        "Kostnadsslag": st.column_config.ButtonColumn("Kostnadsslag", type="tertiary", alignment="left",
                                                      pinned=True, key=click_key,
                                                      help="Vad förklarar avvikelsen?")})
    click = st.session_state.get(click_key)
    if click:
        line = shown["Kostnadsslag"][click["row"]]
        if line != domain.NET:
            st.switch_page(nav.named_page("avvikelse"),
                           query_params={"enhet": unit, "kostnadsslag": line, "från": nav.slug(unit)})

    if brow is not None:
        widgets.plot(views.unit_waterfall(year, month, unit), key=f"brygga_{nav.slug(unit)}")
    else:
        st.info("Bryggan från förra månaden visas från februari.")

    widgets.plot(views.unit_accumulated(year, month, unit), key=f"ack_{nav.slug(unit)}")
    widgets.plot(views.unit_lines(year, month, unit), key=f"linjer_{nav.slug(unit)}")

    st.subheader("Mål i verksamhetsplanen")
    kpis = views.unit_kpis_display(year, month, unit, session.small_threshold(unit),
                                   tuple(sorted(session.principal().units)))
    if kpis.is_empty():
        st.caption("Enheten har inga uppföljda mål för perioden.")
    else:
        widgets.status_table(kpis, key=f"mal_{nav.slug(unit)}")

    adjustments_section(unit, year, month)


def adjustments_section(unit: str, year: int, month: int) -> None:
    """The prognosis round on the unit page: last month's and this month's meeting comments, the chef's
    adjustments (add, withdraw, replace) and the "lämnad" mark."""
    from iof.web import prognosrunda

    prognosrunda.comments_section(unit, year, month)
    prognosrunda.adjustments_section(unit, year, month)
    prognosrunda.submission_section(unit, year, month)


if __name__ == "__main__":  # run as a script (a first-request deep link to /enhet): the frame instead
    frame.guard()
