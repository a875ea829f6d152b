"""cli: the command line (`main`: import, demo, status, report, ...; `reports`: the registry of
reports; `admin`: audit, backup, restore).

Rule: imports any layer below except web; never Streamlit.
"""
