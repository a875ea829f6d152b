"""The prognosis round on the pages: adjustments (add, withdraw, replace), "lämnad" per unit, the
meeting's comments, and freezing the month after a confirmation that lists who has not submitted.

Everything here writes through iof.pipeline.prognosis as the signed-in person (session.user_name),
in the forms' on_click callbacks (before the page is built, so a run that starts over cannot lose a
save); the run that follows reads the new state (the cache version moves with every such write).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from iof.core import access, domain
from iof.core.errors import ForecastError
from iof.pipeline import prognosis as rounds
from iof.present import fmt
from iof.web import loaders, nav, session, views, widgets


# -- state of the month ----------------------------------------------------------------------------
def frozen(year: int, month: int) -> dict | None:
    """{created_by, created_at} when the month's prognosis is frozen, else None."""
    return loaders.frozen_info(year, month)


def frozen_text(year: int, month: int, info: dict) -> str:
    return (f"Prognosen för {fmt.year_month(year, month)} frystes {fmt.when(info['created_at'])} "
            f"av {info['created_by']}.")


def _open(year: int, month: int) -> bool:
    return (year, month) == session.latest_period() and frozen(year, month) is None


# -- adjustments -------------------------------------------------------------------------------------
def adjustments_display(adj: pl.DataFrame) -> pl.DataFrame:
    """The unit's adjustments for reading: number, line, signed amount, why, who, when (Swedish), status."""
    rows = []
    for r in adj.iter_rows(named=True):
        if r["reverses_id"] is not None:
            status = f"återkallar nr {r['reverses_id']}"
        elif r["reversed_by"] is not None:
            status = f"återkallad (nr {r['reversed_by']})"
        else:
            status = "gäller"
        rows.append({"Nr": str(r["adjustment_id"]), "Status": status, "Kostnadsslag": r["cost_type"],
                     "Belopp": fmt.signed_tkr(r["amount_tkr"]), "Kommentar": r["comment"],
                     "Av": r["created_by"], "När": fmt.when(r["created_at"])})
    cols = ["Nr", "Status", "Kostnadsslag", "Belopp", "Kommentar", "Av", "När"]  # status visible at 1280
    return pl.DataFrame(rows, schema={c: pl.String for c in cols}) if rows else pl.DataFrame(
        schema={c: pl.String for c in cols})


def _active(adj: pl.DataFrame) -> pl.DataFrame:
    return adj.filter(pl.col("reverses_id").is_null() & pl.col("reversed_by").is_null())


def adjustments_section(unit: str, year: int, month: int) -> None:
    st.subheader("Chefens justeringar")
    st.caption("En justering ändrar aldrig modellen: den sparas som en egen rad med belopp, kommentar, "
               "vem och när, och syns separat i prognosen. Positivt belopp = mer kostnad (eller mer intäkt "
               "på ett intäktsslag). En justering som återkallas eller ersätts står kvar; en ny rad med "
               "motsatt belopp tar ut den.")
    adj = rounds.adjustments(session.store(), year, month).filter(pl.col("unit") == unit)
    if adj.is_empty():
        st.caption(f"Inga justeringar för {fmt.year_month(year, month)}.")
    else:
        widgets.table(adjustments_display(adj), key=f"justeringar_{nav.slug(unit)}")
        st.caption(f"Justeringar som gäller, summa: {fmt.signed_tkr(float(adj['amount_tkr'].sum()))}.")
    if month == 12:
        st.caption("I december är prognosen lika med utfallet; inga justeringar.")
        return
    if not access.may_adjust(session.principal(), unit):
        st.caption("Justeringar görs av enhetens chef eller controllern.")
        return
    latest = session.latest_period()
    if (year, month) != latest:
        st.caption(f"Justeringar görs i den aktuella prognosen ({fmt.year_month(*latest)}). En tidigare månads "
                   "prognos ändras inte i efterhand.")
        return
    info = frozen(year, month)
    if info is not None:
        st.info(frozen_text(year, month, info) + " Justeringar görs i nästa månads prognos.", icon=":material/lock:")
        return
    slug = nav.slug(unit)
    new_tab, withdraw_tab = st.tabs(["Ny justering", "Återkalla eller ersätt"])
    with new_tab, st.form(key=f"justering_{slug}", clear_on_submit=True):
        c1, c2 = st.columns([2, 1])
        c1.selectbox("Kostnadsslag", domain.ALL_COST_TYPES, key=f"just_ks_{slug}")
        c2.text_input("Belopp (tkr)", placeholder="t.ex. 1 000 eller −250,5", key=f"just_belopp_{slug}")
        st.text_input("Kommentar (varför?)", key=f"just_kommentar_{slug}")
        st.form_submit_button("Spara justering", type="primary",
                              on_click=_on_submit(f"justering_{slug}", _add_adjustment, unit, year, month, slug))
        _show_refusal(f"justering_{slug}")
    with withdraw_tab:
        active = _active(adj)
        if active.is_empty():
            st.caption("Det finns ingen justering som gäller att återkalla.")
            return
        labels = {int(r["adjustment_id"]): f"Nr {r['adjustment_id']}: {r['cost_type']}, "
                  f"{fmt.signed_tkr(r['amount_tkr'])} – {r['comment']}" for r in active.iter_rows(named=True)}
        with st.form(key=f"aterkalla_{slug}", clear_on_submit=True):
            st.selectbox("Justering", list(labels), format_func=labels.get, key=f"aterkalla_nr_{slug}")
            st.text_input("Nytt belopp (tkr) – tomt för att bara återkalla",
                          placeholder="t.ex. 800", key=f"aterkalla_belopp_{slug}")
            st.text_input("Varför återkallas eller ersätts den?", key=f"aterkalla_kommentar_{slug}")
            st.form_submit_button("Återkalla justeringen", type="primary",
                                  on_click=_on_submit(f"aterkalla_{slug}", _withdraw, slug))
            _show_refusal(f"aterkalla_{slug}")


def _add_adjustment(unit: str, year: int, month: int, slug: str) -> str:
    state = st.session_state
    amount = fmt.parse_number(state.get(f"just_belopp_{slug}") or "")
    if amount is None or amount == 0:
        raise ForecastError("Ange beloppet i tkr som ett tal skilt från noll, t.ex. 1 000 eller −250,5.")
    cost_type = state.get(f"just_ks_{slug}")
    rounds.add_adjustment(session.store(), year, month, unit, cost_type, amount,
                          state.get(f"just_kommentar_{slug}") or "", created_by=session.user_name())
    return f"Justeringen på {fmt.signed_tkr(amount)} ({cost_type}) sparades."


def _withdraw(slug: str) -> str:
    state = st.session_state
    aid = state.get(f"aterkalla_nr_{slug}")
    new_text = (state.get(f"aterkalla_belopp_{slug}") or "").strip()
    new_amount = fmt.parse_number(new_text) if new_text else None
    if new_text and not new_amount:
        raise ForecastError("Ange det nya beloppet i tkr som ett tal skilt från noll, eller lämna fältet tomt.")
    rounds.withdraw_adjustment(session.store(), aid, state.get(f"aterkalla_kommentar_{slug}") or "",
                               replacement_tkr=new_amount, created_by=session.user_name())
    return (f"Justering nr {aid} återkallades"
            + (f" och ersattes med {fmt.signed_tkr(new_amount)}." if new_amount is not None else "."))


def _on_submit(form: str, write, *args):
    """The on_click of a form's submit button: the write happens in the callback, before the page is
    built again. Written in the page body instead, a run that starts over because an import landed
    meanwhile (StaleData) had lost the click — and the save with it (the nightly-import test saw it).
    `write(*args)` returns the confirmation, or raises ForecastError with the Swedish refusal."""

    def callback() -> None:
        try:
            message = write(*args)
        except ForecastError as exc:
            st.session_state[f"_avvisad_{form}"] = str(exc)
            return
        session.flash(message)

    return callback


def _show_refusal(form: str) -> None:
    refusal = st.session_state.pop(f"_avvisad_{form}", None)
    if refusal:
        st.error(refusal)


# -- lämnad ------------------------------------------------------------------------------------------
def submission_section(unit: str, year: int, month: int) -> None:
    """The unit's "lämnad" status for the month, and the chef's button to mark it."""
    st.subheader("Månadens prognos lämnad?")
    subs = loaders.submissions(year, month).filter(pl.col("unit") == unit)
    if subs.is_empty():
        st.markdown(f"**Ej lämnad** – {unit} har inte markerat prognosen för {fmt.year_month(year, month)} som lämnad.")
    else:
        r = subs.row(0, named=True)
        said = f" Kommentar: {r['comment']}" if r["comment"] else ""
        st.markdown(f"**Lämnad** {fmt.when(r['created_at'])} av {r['created_by']}.{said}")
    if not access.may_adjust(session.principal(), unit) or not _open(year, month):
        return
    with st.form(key=f"lamna_{nav.slug(unit)}", clear_on_submit=True):
        st.text_input("Kommentar till prognosen (valfri)", key=f"lamna_kommentar_{nav.slug(unit)}",
                      placeholder="t.ex. Klar efter genomgång av placeringarna")
        label = "Markera som lämnad igen" if not subs.is_empty() else "Markera prognosen som lämnad"
        st.form_submit_button(label, type="primary", icon=":material/task_alt:",
                              on_click=_on_submit(f"lamna_{nav.slug(unit)}", _submit, unit, year, month))
        _show_refusal(f"lamna_{nav.slug(unit)}")


def _submit(unit: str, year: int, month: int) -> str:
    rounds.submit(session.store(), year, month, unit,
                  st.session_state.get(f"lamna_kommentar_{nav.slug(unit)}") or "", created_by=session.user_name())
    return f"Prognosen för {fmt.year_month(year, month)} är lämnad för {unit}."


def round_status(year: int, month: int) -> None:
    """The overview's list: which units have submitted the month's prognosis."""
    shown = views.submissions_overview(year, month)
    missing = shown.filter(pl.col("Prognosen") == "ej lämnad").height
    st.caption(f"{shown.height - missing} av {shown.height} enheter har lämnat prognosen för "
               f"{fmt.year_month(year, month)}." + (" Enhetens chef markerar den som lämnad på enhetens sida."
                                                    if missing else ""))
    widgets.status_table(shown, widgets.SUBMITTED_PILL_COLOURS, "Prognosen", key="lamnad_tabell")


# -- freezing ----------------------------------------------------------------------------------------
def freeze_section(year: int, month: int) -> None:
    """Freeze the month's prognosis after a confirmation that lists who has not submitted; who froze and when."""
    info = frozen(year, month)
    if info is not None:
        st.success(frozen_text(year, month, info) + " Den visas som den gjordes; justeringar görs i nästa "
                   "månads prognos.", icon=":material/lock:")
        return
    latest = session.latest_period()
    if not access.may_adjust(session.principal()):
        st.caption("Controllern fryser månadens prognos efter prognosmötet; den fryses också automatiskt "
                   "när nästa månads utfall importeras.")
        return
    if (year, month) != latest:
        st.caption(f"Bara den aktuella prognosen ({fmt.year_month(*latest)}) kan frysas. Prognosen fryses "
                   "också automatiskt när nästa månads utfall importeras.")
        return
    st.caption("När månadens prognosmöte är klart fryses prognosen: modell, justeringar och vilka importer den "
               "byggde på sparas som de är, så att senare månader kan jämföras med den (prognossäkerhet, brygga). "
               "Det går inte att ångra.")
    st.button(f"Frys prognosen för {fmt.year_month(year, month)} …", icon=":material/lock:", key="frys",
              on_click=_ask_freeze)
    if st.session_state.get("_frys_fraga") == (year, month):
        _confirm_freeze(year, month)


def _ask_freeze() -> None:
    st.session_state["_frys_fraga"] = (st.session_state.get("år"), st.session_state.get("månad"))


def _dismiss_freeze() -> None:
    st.session_state.pop("_frys_fraga", None)


@st.dialog("Frys månadens prognos?", on_dismiss=_dismiss_freeze)
def _confirm_freeze(year: int, month: int) -> None:
    missing = rounds.not_submitted(session.store(), year, month)
    st.markdown(f"Prognosen för **{fmt.year_month(year, month)}** sparas som den är nu. Det går inte att ångra, "
                "och inga fler justeringar kan göras i den.")
    if missing:
        st.warning(f"{len(missing)} {'enhet har' if len(missing) == 1 else 'enheter har'} inte lämnat prognosen:",
                   icon=":material/warning:")
        st.markdown("\n".join(f"- {u}" for u in missing))
    else:
        st.markdown("Alla enheter har lämnat prognosen.")
    c1, c2 = st.columns(2)
    # (a dialog is a fragment: its buttons rerun it alone, unpinned, so an import landing cannot
    # restart the run and lose the click; st.rerun then shows the whole page frozen)
    if c1.button("Ja, frys prognosen", type="primary", icon=":material/lock:", key="frys_ja"):
        _dismiss_freeze()
        try:
            rounds.freeze(session.store(), year, month, created_by=session.user_name())
        except ForecastError as exc:
            st.error(str(exc))
            return
        session.flash(f"Prognosen för {fmt.year_month(year, month)} är fryst.")
        st.rerun()
    if c2.button("Avbryt", key="frys_avbryt"):
        _dismiss_freeze()
        st.rerun()


# -- the meeting's comments --------------------------------------------------------------------------
def comments_section(unit: str, year: int, month: int) -> None:
    """What was said and decided last month beside this month's comments (and a field for a new one)."""
    st.subheader("Kommentarer från prognosmötet")
    store = session.store()
    py, pm = rounds.previous_month(year, month)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Förra mötet ({fmt.year_month(py, pm)})**")
        _comment_list(rounds.comments(store, py, pm, unit), f"Inga kommentarer från mötet i {fmt.year_month(py, pm)}.")
    with right:
        st.markdown(f"**Det här mötet ({fmt.year_month(year, month)})**")
        _comment_list(rounds.comments(store, year, month, unit), "Inga kommentarer ännu.")
        if access.may_adjust(session.principal(), unit) and (year, month) == session.latest_period():
            with st.form(key=f"kommentar_{nav.slug(unit)}", clear_on_submit=True):
                st.text_area("Ny kommentar (vad sades och beslutades?)", key=f"kommentar_text_{nav.slug(unit)}",
                             height=80)
                st.form_submit_button("Spara kommentaren", icon=":material/chat:",
                                      on_click=_on_submit(f"kommentar_{nav.slug(unit)}", _comment, unit, year, month))
                _show_refusal(f"kommentar_{nav.slug(unit)}")


def _comment(unit: str, year: int, month: int) -> str:
    rounds.add_comment(session.store(), year, month, unit,
                       st.session_state.get(f"kommentar_text_{nav.slug(unit)}") or "", created_by=session.user_name())
    return "Kommentaren sparades."


def _comment_list(frame: pl.DataFrame, empty: str) -> None:
    if frame.is_empty():
        st.caption(empty)
        return
    for r in frame.iter_rows(named=True):
        with st.container(border=True):
            st.markdown(r["comment"])
            st.caption(f"{r['created_by']}, {fmt.when(r['created_at'])}")



# -- for the APT walkthrough (what we do about it) -----------------------------------------------------
def meeting_comments(unit: str, year: int, month: int) -> list[str]:
    """The meeting's comments on `unit` for (year, month), as plain lines (no names: for all staff)."""
    return [f"{unit}: {c}" for c in rounds.comments(session.store(), year, month, unit)["comment"].to_list()]


def active_adjustments(year: int, month: int, unit: str | None) -> list[str]:
    """The adjustments in force (not withdrawn) as `Kostnadsslag +1,0 mnkr – why`, largest first."""
    adj = rounds.adjustments(session.store(), year, month)
    adj = adj.filter(pl.col("reverses_id").is_null() & pl.col("reversed_by").is_null())
    if unit is not None:
        adj = adj.filter(pl.col("unit") == unit)
    adj = adj.sort(pl.col("amount_tkr").abs(), descending=True)
    return [f"{r['unit'] + ', ' if unit is None else ''}{r['cost_type']} {fmt.signed(r['amount_tkr'], 'mnkr')} – "
            f"{r['comment']}" for r in adj.iter_rows(named=True)]
