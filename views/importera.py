"""Import: upload extract files, read the Swedish validation report, confirm, see the history."""

import streamlit as st

from iof import access, status, ui
from iof.importer import import_files, upload_refusal, validate_files

st.title("Importera extrakt")
who = ui.principal()
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
refusal = upload_refusal([(u.name, u.size) for u in uploads or []])
if refusal:
    st.error(refusal)
    uploads = [u for u in uploads if u.name not in refusal]
if uploads:
    paths, names = ui.uploads_to_files(uploads)
    result = validate_files(paths, display_names=names, store=ui.store())  # new units: reported, not errors
    st.subheader("Kontroll")
    st.dataframe(ui.extract_summary(result), hide_index=True)
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
        outcome = import_files(
            ui.store(), paths, user=ui.user_name(), display_names=names, new_units=confirmed,
            progress=lambda f, t: bar.progress(min(f, 1.0), text=t),
        )
        if outcome.ok:
            st.success(outcome.report().splitlines()[-1])
            st.caption("Alla sidor visar nu de nya uppgifterna.")
        else:
            st.error(outcome.report())

st.subheader("Importhistorik")
st.dataframe(status.import_log_view(ui.query("import_log_all", ui.data_version())), hide_index=True)
