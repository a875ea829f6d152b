"""Prognossäkerhet: for closed years, how far each month's prognosis was from the outcome."""

import streamlit as st

from iof.present import fmt, accuracy as views_accuracy
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
widgets.table(views_accuracy.accuracy_display(acc))

st.subheader("Metoden mot enkla alternativ, månad för månad")
st.caption("Genomsnittligt absolut fel per enhet över alla avslutade år, när prognosen görs i månaden (T1 = "
           "april, T2 = augusti): vår metod mot utfall/M × 12, utfall + budget för resten av året och budget. "
           "Mot bästa enkla metod under 1 = vår metod felar mindre. Inom 80 % intervall: andelen utfall som hamnade "
           "i prognosens intervall (ska vara omkring 80 %).")
_, summary = loaders.backtest()
widgets.table(views_accuracy.backtest_display(summary))

st.subheader("Vilken metod varje kostnadsslag använde, och hur det gick")
pick = st.selectbox("Prognos gjord i", list(range(2, 12)), index=2, key="säkerhet_metod_månad",
                    format_func=lambda m: fmt.year_month(year, m) + {4: " (T1)", 8: " (T2)"}.get(m, ""))
st.caption("Metoden väljs per enhet och kostnadsslag efter vilken som felade minst samma månad tidigare år. "
           "Fel = prognos − utfall för helåret (positivt = prognosen väntade sig mer än det blev). "
           "Månaden räknas om med det som var känt då.")
widgets.table(views_accuracy.line_methods_display(loaders.line_methods(year, pick)),
             key="säkerhet_metoder")
