"""web: Streamlit only — the frame every page runs in (`frame`), the session, cached loaders, widgets
and actions (`ui`). Pages in pages/ call this layer and the present layer, nothing else.

Rule: the only layer (with pages/ and app.py) that imports Streamlit; imports any layer below.
"""
