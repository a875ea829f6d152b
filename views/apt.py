"""Under arbete."""

import streamlit as st

st.title("apt")
st.info("Sidan byggs just nu.")
