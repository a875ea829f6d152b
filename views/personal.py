"""Under arbete."""

import streamlit as st

st.title("personal")
st.info("Sidan byggs just nu.")
