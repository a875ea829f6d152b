"""Granskningslogg: every sign-in, import, adjustment, export and restore — who, when, what (controller)."""

import streamlit as st

from iof.core import access
from iof.web import actions, frame, loaders, session, widgets

frame.context(with_period=False)  # outside the frame (a first-request deep link) this runs the frame instead

st.title("Granskningslogg")
access.require(access.may_audit(session.principal()), "läsa granskningsloggen")
st.caption("Varje inloggning, import, justering, export och återställning: vem, när och vad – aldrig själva "
           "uppgifterna.")
log = loaders.audit_log()
widgets.table(log)
st.download_button("Exportera granskningsloggen (CSV)", data=actions.audit_exporter(), on_click="ignore",
                   file_name="granskningslogg.csv", mime="text/csv", icon=":material/download:", key="audit_csv")
