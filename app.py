"""IoF ledningsdashboard — the frame: page setup, data bootstrap, navigation, shared period."""

import streamlit as st

from iof import ui
from views import enhet

st.set_page_config(page_title="IoF ledningsdashboard", page_icon=":material/monitoring:", layout="wide")
ui.swedish_chrome()
store = ui.store()  # opens the database; creates demo data on an empty database

units = store.units()
unit_pages = {u: st.Page(enhet.page_for(u), title=u, url_path=ui.slug(u), icon=":material/groups:") for u in units}
ui.register_unit_pages(unit_pages)
named = {
    "oversikt": st.Page("views/oversikt.py", title="IoF-översikt", icon=":material/dashboard:", default=True),
    "placeringar": st.Page("views/placeringar.py", title="Placeringar", icon=":material/home:", url_path="placeringar"),
    "handlaggningstider": st.Page("views/handlaggningstider.py", title="Handläggningstider",
                                  icon=":material/schedule:", url_path="handlaggningstider"),
    "personal": st.Page("views/personal.py", title="Personal", icon=":material/badge:", url_path="personal"),
    "prognossakerhet": st.Page("views/prognossakerhet.py", title="Prognossäkerhet", icon=":material/target:",
                               url_path="prognossakerhet"),
    "apt": st.Page("views/apt.py", title="APT-läge", icon=":material/co_present:", url_path="apt"),
    "import": st.Page("views/importera.py", title="Importera", icon=":material/upload_file:", url_path="importera"),
    "datastatus": st.Page("views/datastatus.py", title="Datastatus och importlogg", icon=":material/database:",
                          url_path="datastatus"),
}
ui.register_named_pages(named)
page = st.navigation({
    "Ledning": [named["oversikt"], named["prognossakerhet"], named["apt"]],
    "Enheter": list(unit_pages.values()),
    "Verksamhet": [named["placeringar"], named["handlaggningstider"], named["personal"]],
    "Data": [named["import"], named["datastatus"]],
}, expanded=True)
ui.period_picker()
ui.demo_banner()  # every page says so when it shows demo data
page.run()
