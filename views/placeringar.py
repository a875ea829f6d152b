"""Under arbete."""

import streamlit as st

st.title("placeringar")
st.info("Sidan byggs just nu.")
