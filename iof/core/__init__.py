"""core: what every layer may use — domain terms (`domain`), the one typed configuration (`config`),
calendar helpers (`periods`), small statistics (`stats`), roles (`access`) and privacy helpers
(`privacy`: the personnummer check, redaction, who is acting).

Rule: imports nothing else from iof; no I/O except reading the configuration and roles files.
"""
