"""Datastatus: which months of which extracts are loaded, and the import log."""

import streamlit as st

from iof.present import status
from iof.web import frame, loaders, widgets

frame.context(with_period=False)  # outside the frame (a first-request deep link) this runs the frame instead

st.title("Datastatus och importlogg")
st.subheader("Inlästa månader per extrakt")
widgets.table(status.loaded_months(loaders.query("loaded_periods")))

st.subheader("Register")
widgets.table(status.register_extent(loaders.load("placements"), loaders.load("cases")))

st.subheader("Importlogg")
st.caption("Varje importerad fil: när, av vem, period och antal rader. Själva uppgifterna loggas aldrig.")
widgets.table(status.import_log_view(loaders.query("import_log_all")))
