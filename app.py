"""IoF ledningsdashboard — the frame: page setup, data bootstrap, navigation, shared period."""

import streamlit as st

from iof import ui

st.set_page_config(page_title="IoF ledningsdashboard", page_icon=":material/monitoring:", layout="wide")

ui.store()  # opens the database; creates demo data on an empty database

pages = {
    "Data": [
        st.Page("views/datastatus.py", title="Datastatus och importlogg", icon=":material/database:",
                url_path="datastatus", default=True),
        st.Page("views/importera.py", title="Importera", icon=":material/upload_file:", url_path="importera"),
    ],
}
page = st.navigation(pages)
ui.period_picker()
page.run()
