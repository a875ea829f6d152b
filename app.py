"""IoF ledningsdashboard — the frame: sign-in and role, data bootstrap, navigation, shared period."""

import streamlit as st

from iof import access, ui
from iof.core import unitnames
from iof.store import StoreError
from views import enhet

st.set_page_config(page_title="IoF ledningsdashboard", page_icon=":material/monitoring:", layout="wide")
ui.swedish_chrome()
try:
    store = ui.store()  # opens the database; in local mode an empty database gets demo data
    who = ui.sign_in()  # the principal, or a sign-in page / refusal (st.stop)
    units = store.units()
except StoreError as exc:  # e.g. a damaged database file: a Swedish message, not a traceback
    st.error(str(exc))
    st.stop()

# Page addresses unique by construction: odd or colliding unit names never break the navigation.
paths = unitnames.page_paths(units)
unit_pages = {u: st.Page(enhet.page_for(u, paths[u]), title=u, url_path=paths[u], icon=":material/groups:")
              for u in paths}
ui.register_unit_pages(unit_pages)
named = {
    "oversikt": st.Page("views/oversikt.py", title="IoF-översikt", icon=":material/dashboard:",
                        default=who.role != "apt"),
    "placeringar": st.Page("views/placeringar.py", title="Placeringar", icon=":material/home:", url_path="placeringar"),
    "handlaggningstider": st.Page("views/handlaggningstider.py", title="Handläggningstider",
                                  icon=":material/schedule:", url_path="handlaggningstider"),
    "personal": st.Page("views/personal.py", title="Personal", icon=":material/badge:", url_path="personal"),
    "prognossakerhet": st.Page("views/prognossakerhet.py", title="Prognossäkerhet", icon=":material/target:",
                               url_path="prognossakerhet"),
    "apt": st.Page("views/apt.py", title="APT-läge", icon=":material/co_present:", url_path="apt",
                   default=who.role == "apt"),
    "import": st.Page("views/importera.py", title="Importera", icon=":material/upload_file:", url_path="importera"),
    "datastatus": st.Page("views/datastatus.py", title="Datastatus och importlogg", icon=":material/database:",
                          url_path="datastatus"),
    "granskning": st.Page("views/granskningslogg.py", title="Granskningslogg", icon=":material/policy:",
                          url_path="granskningslogg"),
}
ui.register_named_pages(named)
if who.role == "apt":  # aggregates only: the APT walkthrough and nothing else
    nav = {"APT": [named["apt"]]}
else:
    nav = {
        "Ledning": [named["oversikt"], named["prognossakerhet"], named["apt"]],
        "Enheter": list(unit_pages.values()),
        "Verksamhet": [named["placeringar"], named["handlaggningstider"], named["personal"]],
        "Data": [named["import"]] * (access.may_import(who) or who.local)
        + [named["datastatus"]] + [named["granskning"]] * access.may_audit(who),
    }
page = st.navigation(nav, expanded=True)
ui.user_box()
ui.period_picker()
ui.demo_banner()  # every page says so when it shows demo data
try:
    page.run()
except StoreError as exc:  # a damaged database file found while reading: a Swedish message, no traceback
    st.error(str(exc))
