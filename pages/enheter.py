"""Enheter: find a unit's page by searching (at city scale the units are not listed in the sidebar)."""

import streamlit as st

from iof.web import frame, nav, session

frame.context(with_period=False)  # outside the frame (a first-request deep link) this runs the frame instead
st.title("Enheter")
units = session.units()
st.caption(f"{len(units)} enheter. Skriv en del av namnet (t.ex. stadsdelen) för att söka; valet öppnar enhetens sida "
           "med prognos, brygga och mål. Översikten visar alla enheter i en tabell.")
unit = st.selectbox("Enhet", units, index=None, placeholder="Sök enhet …", key="enhet_sok")
if unit is not None:
    page = nav.unit_page(unit)
    if page is not None:
        st.switch_page(page, query_params=nav.nav_params())
