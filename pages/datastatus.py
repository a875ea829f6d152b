"""Datastatus: which months of which extracts are loaded, and the import log."""

import streamlit as st

from iof.present import status
from iof.web import frame, ui

frame.guard()  # outside the frame (a first-request deep link): run the frame instead

st.title("Datastatus och importlogg")

version = ui.data_version()
st.subheader("Inlästa månader per extrakt")
st.dataframe(status.loaded_months(ui.query("loaded_periods", version)), hide_index=True)

st.subheader("Register")
st.dataframe(status.register_extent(ui.load("placements"), ui.load("cases")), hide_index=True)

st.subheader("Importlogg")
st.caption("Varje importerad fil: när, av vem, period och antal rader. Själva uppgifterna loggas aldrig.")
st.dataframe(status.import_log_view(ui.query("import_log_all", version)), hide_index=True)
