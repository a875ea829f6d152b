"""Swedish all the way down: the words Streamlit and Plotly put on the page themselves.

- Plotly's toolbar: a Swedish locale passed with each chart (`config["locales"]`), so the tooltips
  ("Zooma", "Ladda ner diagrammet som PNG" …) and date formats are Swedish without a script file.
- Streamlit's own labels (the uploader, the table toolbar, the sidebar's buttons, "Help for …"),
  which have no parameter: a small same-origin script translates them where they appear (text and
  the aria-label/title/placeholder a screen reader or tooltip reads) and keeps them translated when
  Streamlit redraws.
- `<html lang="sv">`: Streamlit's page shell hard-codes lang="en" (streamlit issue 15726); the same
  script sets document.documentElement.lang, so the browser offers no translation and screen
  readers read Swedish with a Swedish voice.
"""

from __future__ import annotations

import json

import streamlit as st

# English text (exact, after trimming) → Swedish. Streamlit 1.67 and Plotly 7.
STREAMLIT_WORDS = {
    # sidebar and navigation
    "Sidebar": "Sidopanel",
    "Collapse sidebar": "Fäll ihop sidopanelen",
    "Expand sidebar": "Visa sidopanelen",
    "App pages": "Sidor",
    "View more": "Visa fler",
    "View less": "Visa färre",
    "Main menu": "Huvudmeny",
    # inputs
    "Choose an option": "Välj ett alternativ",
    "Choose options": "Välj alternativ",
    "No results": "Inga träffar",
    "Clear value": "Rensa värdet",
    "Clear all": "Rensa alla",
    "Open": "Öppna",
    "Close": "Stäng",
    "Press Enter to apply": "Tryck Enter för att använda",
    "Press Enter to submit form": "Tryck Enter för att skicka",
    "Press ⌘+Enter to apply": "Tryck ⌘+Enter för att använda",
    "Press Ctrl+Enter to apply": "Tryck Ctrl+Enter för att använda",
    "Link to heading": "Länk till rubriken",
    # file upload
    "file upload": "filuppladdning",
    "Browse files": "Välj filer",
    "Upload": "Välj filer",  # the uploader's button (streamlit 1.67)
    "Drag and drop files here": "Dra och släpp filer här",
    "Drag and drop file here": "Dra och släpp en fil här",
    "Delete": "Ta bort",
    "Remove file": "Ta bort filen",
    # table toolbar and menus
    "Show/hide columns": "Visa/dölj kolumner",
    "Download as CSV": "Ladda ner som CSV",
    "Search": "Sök",
    "Fullscreen": "Helskärm",
    "Close fullscreen": "Stäng helskärm",
    "Sort ascending": "Sortera stigande",
    "Sort descending": "Sortera fallande",
    "Format": "Format",
    "Autosize": "Anpassa bredden",
    "Pin column": "Lås kolumnen",
    "Unpin column": "Lås upp kolumnen",
    "Hide column": "Dölj kolumnen",
    "Copy": "Kopiera",
    # toasts, dialogs, page not found
    "Page not found": "Sidan finns inte",
    "Dismiss": "Stäng",
    "Running...": "Körs …",
    "Stop": "Stoppa",
    "Rerun": "Kör igen",
    "Settings": "Inställningar",
    "Print": "Skriv ut",
    "Clear cache": "Töm cachen",
    "Record a screencast": "Spela in skärmen",
}
# "Help for Avvikelse" → "Hjälp för Avvikelse", "Limit 200MB per file • CSV" → "Högst 200 MB per fil • CSV"
STREAMLIT_PATTERNS = [
    [r"^Help for (.*)$", "Hjälp för $1"],
    [r"^Limit (\d+)\s?MB per file(.*)$", "Högst $1 MB per fil$2"],
    [r"^(\d+)\s?MB per file(.*)$", "Högst $1 MB per fil$2"],
    [r"^You have requested page (.*), but no corresponding file was found.*$",
     "Sidan $1 finns inte. Startsidan visas i stället."],
]

PLOTLY_SV = {
    "dictionary": {
        "Autoscale": "Anpassa skalan",
        "Box Select": "Rektangelmarkering",
        "Click to enter Colorscale title": "Klicka för att ange färgskalans rubrik",
        "Click to enter Component A title": "Klicka för att ange komponent A:s rubrik",
        "Click to enter Plot title": "Klicka för att ange diagrammets rubrik",
        "Click to enter X axis title": "Klicka för att ange x-axelns rubrik",
        "Click to enter Y axis title": "Klicka för att ange y-axelns rubrik",
        "Compare data on hover": "Jämför värden vid hovring",
        "Double-click on legend to isolate one trace": "Dubbelklicka på förklaringen för att visa en serie",
        "Double-click to zoom back out": "Dubbelklicka för att zooma ut igen",
        "Download plot": "Ladda ner diagrammet",
        "Download plot as a png": "Ladda ner diagrammet som PNG",
        "Download plot as a PNG": "Ladda ner diagrammet som PNG",
        "Download plot as a svg": "Ladda ner diagrammet som SVG",
        "Download plot as a jpeg": "Ladda ner diagrammet som JPEG",
        "Download plot as a webp": "Ladda ner diagrammet som WebP",
        "Edit in Chart Studio": "Redigera i Chart Studio",
        "Lasso Select": "Lassomarkering",
        "Orbital rotation": "Rotera runt",
        "Pan": "Panorera",
        "Produced with Plotly.js": "Skapat med Plotly.js",
        "Reset": "Återställ",
        "Reset axes": "Återställ axlarna",
        "Reset camera to default": "Återställ kameran",
        "Reset camera to last save": "Återställ kameran till senast sparade",
        "Reset view": "Återställ vyn",
        "Reset views": "Återställ vyerna",
        "Show closest data on hover": "Visa närmaste värde vid hovring",
        "Snapshot succeeded": "Bilden är sparad",
        "Sorry, there was a problem downloading your snapshot!": "Bilden kunde inte laddas ner.",
        "Taking snapshot - this may take a few seconds": "Sparar bilden – det kan ta några sekunder",
        "Toggle Spike Lines": "Visa/dölj hjälplinjer",
        "Toggle show closest data on hover": "Visa/dölj närmaste värde vid hovring",
        "Turntable rotation": "Rotera som skivtallrik",
        "Zoom": "Zooma",
        "Zoom in": "Zooma in",
        "Zoom out": "Zooma ut",
        "Fullscreen": "Helskärm",
        "Close fullscreen": "Stäng helskärm",
    },
    "format": {
        "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
        "months": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                   "oktober", "november", "december"],
        "shortMonths": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
        "date": "%Y-%m-%d",
        "decimal": ",",
        "thousands": "\u00a0",
    },
}

PLOTLY_CONFIG = {"displaylogo": False, "locale": "sv", "locales": {"sv": PLOTLY_SV}}

_SCRIPT = """<script>
(function () {
  const doc = window.document;
  doc.documentElement.lang = "sv";
  if (window.__iofSwedish) return;  // one observer per browser tab, whatever the number of reruns
  window.__iofSwedish = true;
  const WORDS = __WORDS__;
  const PATTERNS = (__PATTERNS__).map(([re, to]) => [new RegExp(re), to]);
  const ATTRS = ["aria-label", "title", "data-title", "placeholder", "alt"];
  function sv(text) {
    if (!text) return null;
    const t = text.trim();
    if (Object.prototype.hasOwnProperty.call(WORDS, t)) return text.replace(t, WORDS[t]);
    for (const [re, to] of PATTERNS) { if (re.test(t)) return text.replace(t, t.replace(re, to)); }
    return null;
  }
  function fixElement(el) {
    if (el.closest && el.closest('[data-testid="stIconMaterial"], .material-symbols-rounded')) return;
    for (const a of ATTRS) {
      const v = el.getAttribute && el.getAttribute(a);
      const s = v && sv(v);
      if (s && s !== v) el.setAttribute(a, s);
    }
  }
  function fixText(node) {
    const p = node.parentElement;
    if (!p || p.closest('[data-testid="stIconMaterial"], .material-symbols-rounded, script, style, code, pre')) return;
    // the app's own text (markdown) is Swedish already; only Streamlit's buttons inside it are translated
    const md = p.closest('[data-testid="stMarkdownContainer"]');
    if (md && !md.closest('[data-testid="stFileUploaderDropzone"]')) return;
    const s = sv(node.nodeValue);
    if (s && s !== node.nodeValue) node.nodeValue = s;
  }
  // A chart's SVG (thousands of nodes) holds the app's own text and Plotly's, which has its own
  // locale: one pass over elements and text that skips it (most of the script's time went there).
  const NOT_SVG = {acceptNode: (n) => n instanceof SVGElement ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT};
  function walk(root) {
    if (root.nodeType === 3) { fixText(root); return; }
    if (root.nodeType !== 1 || root instanceof SVGElement) return;
    fixElement(root);
    const tw = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, NOT_SVG);
    let n; while ((n = tw.nextNode())) { if (n.nodeType === 3) fixText(n); else fixElement(n); }
  }
  // Streamlit's sidebar navigation with sections puts div sections with li items inside one ul
  // (axe: "list", "listitem"; streamlit 1.67). Each section becomes a list of its own.
  // (No angle brackets in this script: the page's HTML sanitiser drops a script whose text has a tag.)
  function fixNav() {
    for (const ul of doc.querySelectorAll('ul[data-testid="stSidebarNavItems"]')) {
      if (ul.getAttribute("role") !== "none" && ul.querySelector(":scope > div")) ul.setAttribute("role", "none");
      for (const d of ul.querySelectorAll(":scope > div")) {
        if (d.querySelector(":scope > li") && d.getAttribute("role") !== "list") d.setAttribute("role", "list");
        for (const h of d.querySelectorAll(":scope > :not(li)")) {
          if (h.getAttribute("role") !== "presentation") h.setAttribute("role", "presentation");
        }
      }
    }
  }
  walk(doc.body);
  fixNav();
  new MutationObserver((records) => {
    fixNav();
    if (doc.documentElement.lang !== "sv") doc.documentElement.lang = "sv";
    for (const r of records) {
      if (r.type === "attributes") { if (!(r.target instanceof SVGElement)) fixElement(r.target); }
      else if (r.type === "characterData") fixText(r.target);
      else for (const n of r.addedNodes) walk(n);
    }
  }).observe(doc.documentElement, {subtree: true, childList: true, characterData: true, attributes: true,
                                   attributeFilter: ATTRS.concat(["lang"])});
})();
</script>"""


def swedish_chrome() -> None:
    """Swedish for Streamlit's own labels and `<html lang="sv">` (see the module's doc)."""
    script = (_SCRIPT.replace("__WORDS__", json.dumps(STREAMLIT_WORDS, ensure_ascii=False))
              .replace("__PATTERNS__", json.dumps(STREAMLIT_PATTERNS, ensure_ascii=False)))
    st.html(
        """<style>
        /* WCAG 2.1 AA contrast (4.5:1): Streamlit's captions are a faded grey (#828180, 3.9:1 on white) */
        [data-testid="stCaptionContainer"] { color: #56555a; opacity: 1; }
        [data-testid="stWidgetLabel"] p { color: inherit; }
        /* the script's own element takes no room */
        [data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) { display: none; }
        </style>""" + script,
        unsafe_allow_javascript=True,
    )
