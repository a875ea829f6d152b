"""Granskningslogg: every sign-in, import, adjustment, export and restore — who, when, what (controller)."""

import streamlit as st

from iof.core import access
from iof.web import frame, ui

frame.guard()  # outside the frame (a first-request deep link): run the frame instead

st.title("Granskningslogg")
access.require(access.may_audit(ui.principal()), "läsa granskningsloggen")
st.caption("Varje inloggning, import, justering, export och återställning: vem, när och vad – aldrig själva "
           "uppgifterna.")
log = ui.audit_log(ui.data_version())
st.dataframe(log, hide_index=True)
st.download_button("Exportera granskningsloggen (CSV)", data=ui.audit_export, on_click="ignore",
                   file_name="granskningslogg.csv", mime="text/csv", icon=":material/download:", key="audit_csv")
