"""Import: upload extract files, read the Swedish validation report, confirm, see the history."""

import streamlit as st

from iof.core import access
from iof.present import status
from iof.web import actions, frame, loaders, session, widgets

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
refusal = actions.upload_refusal([(u.name, u.size) for u in uploads or []])
if refusal:
    st.error(refusal)
    uploads = [u for u in uploads if u.name not in refusal]
if uploads:
    paths, names = actions.uploads_to_files(uploads)
    result = actions.validate_uploads(paths, names)
    st.subheader("Kontroll")
    widgets.table(actions.extract_summary(result))
    for e in result.extracts:  # a ledger file: what was left out by rule, and the reconciliation
        for line in e.details:
            st.caption(f"{e.file_name}: {line}")
    for problem in result.problems:
        (st.error if problem.is_error else st.info)(str(problem))
    confirmed: list[str] = []
    if result.unconfirmed_units:
        st.warning(
            "Filerna innehåller enheter som inte finns i databasen. Kontrollera stavningen; en ny enhet "
            "får en egen sida och egna rader i alla rapporter. Bekräfta varje ny enhet för att importera.",
            icon=":material/new_label:",
        )
        for i, u in enumerate(result.unconfirmed_units):
            if st.checkbox(f"Ny enhet: {u}", key=f"ny_enhet_{i}_{u}"):
                confirmed.append(u)
    waiting = [u for u in result.unconfirmed_units if u not in confirmed]
    if not result.ok:
        st.error("Filerna har fel och kan inte importeras. Rätta dem och ladda upp igen.")
    elif not may_import:
        st.success("Filerna klarade kontrollen.")
    elif waiting:
        st.info(f"Bekräfta de nya enheterna ({', '.join(waiting)}) eller rätta filerna.")
    elif st.button(f"Importera {len(paths)} {'fil' if len(paths) == 1 else 'filer'}", type="primary", key="bekräfta"):
        bar = st.progress(0.0, text="Startar …")
        outcome = actions.import_uploads(paths, names, progress=lambda f, t: bar.progress(min(f, 1.0), text=t),
                                         new_units=confirmed)
        if outcome.ok:
            st.success(outcome.report().splitlines()[-1])
            for e in outcome.stored:
                for line in e.details:
                    st.caption(f"{e.file_name}: {line}")
            st.caption("Alla sidor visar nu de nya uppgifterna.")
        else:
            st.error(outcome.report())

st.subheader("Importhistorik")
widgets.table(status.import_log_view(loaders.query("import_log_all")))
