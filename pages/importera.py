"""Import: upload extract files, read the Swedish validation report, confirm, see the history."""

import streamlit as st

from iof.core import access
from iof.present import status
from iof.web import actions, frame, loaders, session

frame.context(with_period=False)  # outside the frame (a first-request deep link) this runs the frame instead

st.title("Importera extrakt")
who = session.principal()
may_import = access.may_import(who)
if not may_import:
    st.info("Här kan filerna kontrolleras. Att spara dem kräver inloggning med controllerns roll "
            + ("(i lokalt läge utan inloggning sparas aldrig något)." if who.local else "."),
            icon=":material/lock:")
st.markdown(
    "Ladda upp månadens filer (CSV eller xlsx som Excel sparar dem). Filerna kontrolleras först; "
    "inget sparas förrän du bekräftar, och en import är allt eller inget."
)

uploads = st.file_uploader(
    "Extraktfiler", type=["csv", "xlsx", "txt"], accept_multiple_files=True, key="uppladdning"
)
if uploads:
    paths, names = actions.uploads_to_files(uploads)
    result = actions.validate_uploads(paths, names)
    st.subheader("Kontroll")
    st.dataframe(actions.extract_summary(result), hide_index=True)
    for problem in result.problems:
        (st.error if problem.is_error else st.info)(str(problem))
    if not result.ok:
        st.error("Filerna har fel och kan inte importeras. Rätta dem och ladda upp igen.")
    elif not may_import:
        st.success("Filerna klarade kontrollen.")
    elif st.button(f"Importera {len(paths)} {'fil' if len(paths) == 1 else 'filer'}", type="primary", key="bekräfta"):
        bar = st.progress(0.0, text="Startar …")
        outcome = actions.import_uploads(paths, names, progress=lambda f, t: bar.progress(min(f, 1.0), text=t))
        if outcome.ok:
            st.success(outcome.report().splitlines()[-1])
            st.caption("Alla sidor visar nu de nya uppgifterna.")
        else:
            st.error(outcome.report())

st.subheader("Importhistorik")
st.dataframe(status.import_log_view(loaders.query("import_log_all")), hide_index=True)
