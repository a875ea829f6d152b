"""Under arbete."""

import streamlit as st

st.title("prognossakerhet")
st.info("Sidan byggs just nu.")
