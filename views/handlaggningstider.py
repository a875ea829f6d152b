"""Under arbete."""

import streamlit as st

st.title("handlaggningstider")
st.info("Sidan byggs just nu.")
