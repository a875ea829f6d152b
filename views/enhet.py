"""One page per unit (generated from the units in the database): prognosis, bridge, KPIs, adjustments."""

from __future__ import annotations

import streamlit as st

from iof import charts, dashboard, domain, fmt, ui

PLACEMENT_LINES = ("Entreprenader och köp av verksamhet", "Övriga kostnader")
STAFF_LINES = ("Personalkostnader", "Övriga personalkostnader")


def page_for(unit: str, path: str | None = None):
    """A page function for `unit` (st.Page needs a distinct callable per page)."""
    def _page() -> None:
        render(unit)

    _page.__name__ = (path or ui.slug(unit)).replace("-", "_")
    return _page


def render(unit: str) -> None:
    year, month = ui.period()
    v = ui.data_version()
    st.title(unit)
    st.caption(f"Helårsprognos {year} efter utfall t.o.m. {fmt.year_month(year, month)}")

    table = ui.prognos_table(v, year, month)
    previous = ui.prognos_table(v, year, month - 1) if month > 1 else None
    ov = dashboard.overview(table, previous)
    row = ov.filter(ov["enhet"] == unit)
    if row.is_empty():
        st.info(f"{unit} har ingen budget eller utfall för {year}.")
        return
    r = row.row(0, named=True)
    bridge = ui.bridge(v, year, month)
    brow = None
    if bridge is not None and unit in bridge["enhet"].to_list():
        brow = bridge.filter(bridge["enhet"] == unit).row(0, named=True)

    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Budget netto", fmt.mnkr(r["budget_tkr"]))
    c2.metric("Helårsprognos", fmt.mnkr(r["prognos_tkr"]))
    c3.metric("Avvikelse", fmt.signed(r["avvikelse_tkr"], "mnkr"), **ui.delta_style(r["förändring_tkr"]),
              help="Pilen visar förändringen sedan förra månadens prognos (upp = bättre).")
    c4.metric("Status", r["status"])
    st.info(dashboard.analysis_text(unit, table, brow, year, month), icon=":material/description:")

    st.subheader("Prognos per kostnadsslag")
    st.caption("Modell = beräknad prognos; Justering = chefens egna, kommenterade justeringar. "
               "Välj en rad för att se placeringarna eller personalen bakom avvikelsen.")
    shown = dashboard.lines_display(table, unit)
    event = st.dataframe(ui.styled(shown), hide_index=True, on_select="rerun",
                         selection_mode="single-row", key=f"rader_{ui.slug(unit)}")
    if event is not None and event.selection.rows:
        line = shown["Kostnadsslag"][event.selection.rows[0]]
        target = "placeringar" if line in PLACEMENT_LINES else "personal" if line in STAFF_LINES else None
        if target:
            st.switch_page(ui.named_page(target), query_params=ui.nav_params(enhet=unit))
        else:
            st.caption(f"{line} har ingen detaljnivå att gå vidare till (prognos: {line.lower()} enligt metod).")

    left, right = st.columns(2)
    with left:
        ui.plot(charts.accumulated(ui.monthly_net(v, year, unit), r["prognos_tkr"], month), key=f"ack_{ui.slug(unit)}")
    with right:
        if brow is not None:
            ui.plot(charts.waterfall(brow, dashboard.DRIVER_LABELS), key=f"brygga_{ui.slug(unit)}")
        else:
            st.info("Bryggan från förra månaden visas från februari.")

    st.subheader("Mål i verksamhetsplanen")
    kpis = dashboard.unit_kpis_display(ui.scorecard(v, year, month), unit, ui.small_threshold(unit))
    if kpis.is_empty():
        st.caption("Enheten har inga uppföljda mål för perioden.")
    else:
        st.dataframe(ui.styled(kpis), hide_index=True)

    adjustments_section(unit, year, month)


def adjustments_section(unit: str, year: int, month: int) -> None:
    from iof import access, forecast_store
    from iof.forecast import ForecastError

    st.subheader("Chefens justeringar")
    st.caption("En justering ändrar aldrig modellen: den sparas som en egen rad med belopp, kommentar, "
               "vem och när, och syns separat i prognosen. Positivt belopp = mer kostnad (eller mer intäkt "
               "på ett intäktsslag).")
    adj = ui.adjustments(ui.data_version(), year, month, unit)
    if adj.is_empty():
        st.caption(f"Inga justeringar för {fmt.year_month(year, month)}.")
    else:
        st.dataframe(adj, hide_index=True)
    if month == 12:
        st.caption("I december är prognosen lika med utfallet; inga justeringar.")
        return
    if not access.may_adjust(ui.principal(), unit):
        st.caption("Justeringar görs av enhetens chef eller controllern.")
        return
    latest = ui.latest_period()
    if (year, month) != latest:
        st.caption(f"Justeringar görs i den aktuella prognosen ({fmt.year_month(*latest)}). En tidigare månads "
                   "prognos ändras inte i efterhand.")
        return
    with st.form(key=f"justering_{ui.slug(unit)}", clear_on_submit=True):
        c1, c2 = st.columns([2, 1])
        cost_type = c1.selectbox("Kostnadsslag", domain.ALL_COST_TYPES, key=f"just_ks_{ui.slug(unit)}")
        amount_text = c2.text_input("Belopp (tkr)", placeholder="t.ex. 1 000 eller −250,5",
                                    key=f"just_belopp_{ui.slug(unit)}")
        comment = st.text_input("Kommentar (varför?)", key=f"just_kommentar_{ui.slug(unit)}")
        if st.form_submit_button("Spara justering", type="primary"):
            amount = fmt.parse_number(amount_text)
            if amount is None or amount == 0:
                st.error("Ange beloppet i tkr som ett tal skilt från noll, t.ex. 1 000 eller −250,5.")
            else:
                try:
                    forecast_store.add_adjustment(ui.store(), year, month, unit, cost_type, amount, comment,
                                                  created_by=ui.user_name())
                    st.success(f"Justeringen på {fmt.signed(amount)} sparades.")
                    st.rerun()
                except ForecastError as exc:
                    st.error(str(exc))
