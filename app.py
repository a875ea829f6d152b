"""IoF ledningsdashboard — the frame: sign-in and role, data bootstrap, navigation, shared period.

Everything is in iof.web.frame, so that a page reached directly (Streamlit's first-request
behaviour for pages/) can run the same frame; see that module.
"""

from iof.web import frame

frame.run()
