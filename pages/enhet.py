"""One page per unit (generated from the units in the database): prognosis, bridge, KPIs, adjustments."""

from __future__ import annotations

import streamlit as st

from iof.present import charts, dashboard, fmt
from iof.core import config, domain
from iof.web import actions, frame, loaders, nav, session, widgets

def page_for(unit: str):
    """A page function for `unit` (st.Page needs a distinct callable per page)."""
    def _page() -> None:
        render(unit)

    _page.__name__ = nav.slug(unit).replace("-", "_")
    return _page


def render(unit: str) -> None:
    ctx = frame.context()
    year, month = ctx.year, ctx.month
    st.title(unit)
    st.caption(f"Helårsprognos {year} efter utfall t.o.m. {fmt.year_month(year, month)}")

    table = loaders.prognos_table(year, month)
    ov = loaders.overview(year, month)
    row = ov.filter(ov["enhet"] == unit)
    if row.is_empty():
        st.info(f"{unit} har ingen budget eller utfall för {year}.")
        return
    r = row.row(0, named=True)
    bridge = loaders.bridge(year, month)
    brow = None
    if bridge is not None and unit in bridge["enhet"].to_list():
        brow = bridge.filter(bridge["enhet"] == unit).row(0, named=True)

    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Budget netto", fmt.mnkr(r["budget_tkr"]))
    c2.metric("Helårsprognos", fmt.mnkr(r["prognos_tkr"]))
    c3.metric("Avvikelse", fmt.signed(r["avvikelse_tkr"], "mnkr"), **widgets.delta_style(r["förändring_tkr"]),
              help="Pilen visar förändringen sedan förra månadens prognos (upp = bättre).")
    c4.metric("Status", r["status"])
    st.info(dashboard.analysis_text(unit, table, brow, year, month), icon=":material/description:")

    st.subheader("Prognos per kostnadsslag")
    st.caption("Modell = beräknad prognos; Justering = chefens egna, kommenterade justeringar. "
               "Välj en rad för att se placeringarna eller personalen bakom avvikelsen.")
    shown = dashboard.lines_display(table, unit)
    event = st.dataframe(widgets.styled(shown), hide_index=True, on_select="rerun",
                         selection_mode="single-row", key=f"rader_{nav.slug(unit)}")
    if event is not None and event.selection.rows:
        line = shown["Kostnadsslag"][event.selection.rows[0]]
        target = dashboard.drill_target(line, config.load())
        if target:
            st.switch_page(nav.named_page(target), query_params=nav.nav_params(enhet=unit))
        else:
            st.caption(f"{line} har ingen detaljnivå att gå vidare till (prognos: {line.lower()} enligt metod).")

    left, right = st.columns(2)
    with left:
        widgets.plot(charts.accumulated(loaders.monthly_net(year, unit), r["prognos_tkr"], month), key=f"ack_{nav.slug(unit)}")
    with right:
        if brow is not None:
            widgets.plot(charts.waterfall(brow, dashboard.DRIVER_LABELS), key=f"brygga_{nav.slug(unit)}")
        else:
            st.info("Bryggan från förra månaden visas från februari.")

    st.subheader("Mål i verksamhetsplanen")
    kpis = dashboard.unit_kpis_display(loaders.scorecard(year, month), unit, session.small_threshold(unit))
    if kpis.is_empty():
        st.caption("Enheten har inga uppföljda mål för perioden.")
    else:
        st.dataframe(widgets.styled(kpis), hide_index=True)

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
