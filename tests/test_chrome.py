"""The Swedish chrome script and the chart colours (issue 12, items 6 and 8), without a browser."""

from __future__ import annotations

import re


def test_the_script_survives_the_html_sanitiser():
    # Streamlit's st.html runs DOMPurify, which drops a <script> whose text contains a tag-like "<x"
    from iof.web import chrome

    script = chrome._SCRIPT.removeprefix("<script>").removesuffix("</script>")
    assert not re.findall(r"<[/\w!]", script)


def test_every_plotly_toolbar_word_has_a_swedish_translation():
    from iof.web import chrome

    words = chrome.PLOTLY_SV["dictionary"]
    for english in ("Zoom", "Pan", "Autoscale", "Reset axes", "Download plot as a png", "Zoom in", "Zoom out"):
        assert words[english] and words[english] != english
    assert chrome.PLOTLY_CONFIG["locale"] == "sv" and "sv" in chrome.PLOTLY_CONFIG["locales"]


def _luminance(hex_colour: str) -> float:
    def ch(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_red_and_green_differ_in_lightness_and_stand_out_on_white():
    from iof.present.charts import GREEN, RED

    assert _contrast(RED, "#ffffff") >= 3 and _contrast(GREEN, "#ffffff") >= 3  # WCAG 1.4.11 graphics
    assert _contrast(RED, GREEN) >= 2  # not only hue: readable without colour vision


def test_caption_colour_meets_aa_on_white_and_the_sidebar():
    from iof.web import chrome

    colour = re.search(r'stCaptionContainer"\] \{ color: (#[0-9a-f]{6})', chrome._CSS if hasattr(chrome, "_CSS")
                       else open(chrome.__file__, encoding="utf-8").read()).group(1)
    assert _contrast(colour, "#ffffff") >= 4.5 and _contrast(colour, "#f0f2f6") >= 4.5
