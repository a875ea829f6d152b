"""Prognossäkerhet: for closed years, how far each month's prognosis was from the outcome."""

import streamlit as st

from iof.present import accuracy as views_accuracy
from iof.web import frame, loaders, views, widgets

frame.context(with_period=False)  # outside the frame (a first-request deep link) this runs the frame instead
st.title("Prognossäkerhet")
st.markdown(
    "Hur långt från årets faktiska utfall låg varje månads prognos? Frysta prognoser används där de "
    "finns (så som de gjordes); andra månader räknas om med det som var känt i slutet av månaden."
)
years = loaders.closed_years()
if not years:
    st.info("Det finns inget avslutat år ännu (utfall för december saknas).")
    st.stop()
year = st.selectbox("Avslutat år", sorted(years, reverse=True), key="säkerhet_år")
acc = loaders.accuracy(year)
st.subheader(f"Prognosfel per enhet och månad {year}")
st.caption("Fel = prognos − utfall (netto). Positivt = prognosen väntade sig mer kostnad än det blev.")
widgets.plot(views.accuracy_heatmap(year), key="säkerhet_karta")
st.dataframe(views_accuracy.accuracy_display(acc), hide_index=True)

st.subheader("Metoden mot enkla alternativ (T1 och T2)")
st.caption("Genomsnittligt absolut fel per enhet över alla avslutade år, när prognosen görs i april (T1) "
           "och augusti (T2): vår metod mot utfall/M × 12 och mot budget.")
_, summary = loaders.backtest()
st.dataframe(views_accuracy.backtest_display(summary), hide_index=True)
