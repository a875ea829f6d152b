"""One page per unit (generated from the units in the database): prognosis, bridge, KPIs, adjustments."""

from __future__ import annotations

import streamlit as st

from iof.present import dashboard, fmt
from iof.core import config, domain
from iof.web import actions, frame, loaders, nav, session, views, widgets

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

    r, brow = views.unit_summary(year, month, unit)
    if r is None:
        st.info(f"{unit} har ingen budget eller utfall för {year}.")
        return

    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Budget netto", fmt.mnkr(r["budget_tkr"]))
    c2.metric("Helårsprognos", fmt.mnkr(r["prognos_tkr"]))
    c3.metric("Avvikelse", fmt.signed(r["avvikelse_tkr"], "mnkr"), **widgets.delta_style(r["förändring_tkr"]),
              help="Pilen visar förändringen sedan förra månadens prognos (upp = bättre).")
    c4.metric("Status", r["status"])
    st.info(views.unit_analysis(year, month, unit), icon=":material/description:")

    st.subheader("Prognos per kostnadsslag")
    st.caption("Modell = beräknad prognos; Justering = chefens egna, kommenterade justeringar. "
               "Välj en rad för att se placeringarna eller personalen bakom avvikelsen.")
    shown = views.unit_lines_display(year, month, unit)
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
        widgets.plot(views.unit_accumulated(year, month, unit), key=f"ack_{nav.slug(unit)}")
    with right:
        if brow is not None:
            widgets.plot(views.unit_waterfall(year, month, unit), key=f"brygga_{nav.slug(unit)}")
        else:
            st.info("Bryggan från förra månaden visas från februari.")

    st.subheader("Mål i verksamhetsplanen")
    kpis = views.unit_kpis_display(year, month, unit, session.small_threshold(unit))
    if kpis.is_empty():
        st.caption("Enheten har inga uppföljda mål för perioden.")
    else:
        st.dataframe(widgets.styled(kpis), hide_index=True)

    adjustments_section(unit, year, month)


def adjustments_section(unit: str, year: int, month: int) -> None:
    from iof.core import access
    from iof.core.errors import ForecastError

    st.subheader("Chefens justeringar")
    st.caption("En justering ändrar aldrig modellen: den sparas som en egen rad med belopp, kommentar, "
               "vem och när, och syns separat i prognosen. Positivt belopp = mer kostnad (eller mer intäkt "
               "på ett intäktsslag).")
    adj = loaders.adjustments(year, month, unit)
    if adj.is_empty():
        st.caption(f"Inga justeringar för {fmt.year_month(year, month)}.")
    else:
        st.dataframe(adj, hide_index=True)
    if month == 12:
        st.caption("I december är prognosen lika med utfallet; inga justeringar.")
        return
    if not access.may_adjust(session.principal(), unit):
        st.caption("Justeringar görs av enhetens chef eller controllern.")
        return
    latest = session.latest_period()
    if (year, month) != latest:
        st.caption(f"Justeringar görs i den aktuella prognosen ({fmt.year_month(*latest)}). En tidigare månads "
                   "prognos ändras inte i efterhand.")
        return
    with st.form(key=f"justering_{nav.slug(unit)}", clear_on_submit=True):
        c1, c2 = st.columns([2, 1])
        cost_type = c1.selectbox("Kostnadsslag", domain.ALL_COST_TYPES, key=f"just_ks_{nav.slug(unit)}")
        amount_text = c2.text_input("Belopp (tkr)", placeholder="t.ex. 1 000 eller −250,5",
                                    key=f"just_belopp_{nav.slug(unit)}")
        comment = st.text_input("Kommentar (varför?)", key=f"just_kommentar_{nav.slug(unit)}")
        if st.form_submit_button("Spara justering", type="primary"):
            amount = fmt.parse_number(amount_text)
            if amount is None or amount == 0:
                st.error("Ange beloppet i tkr som ett tal skilt från noll, t.ex. 1 000 eller −250,5.")
            else:
                try:
                    actions.add_adjustment(year, month, unit, cost_type, amount, comment)
                    st.success(f"Justeringen på {fmt.signed(amount)} sparades.")
                    st.rerun()
                except ForecastError as exc:
                    st.error(str(exc))


if __name__ == "__main__":  # run as a script (a first-request deep link to /enhet): the frame instead
    frame.guard()
