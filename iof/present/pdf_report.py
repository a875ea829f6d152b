"""The month report as a real PDF (issue 12 item 9): one unit or IoF totalt — key numbers with the
80 % interval, the analysis text, the bridge drawn as vector graphics, the lines, the goals.

Made with fpdf2 (no browser on the server): frames in, bytes out. Text in DejaVu Sans when the
system has it (every Swedish character and the minus sign), else in the PDF core font Helvetica
with the few characters it lacks replaced.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from fpdf import FPDF

from iof.core.domain import IOF_TOTAL, NET
from iof.present import dashboard, fmt

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
              Path("/usr/local/share/fonts"), Path("/Library/Fonts"), Path("C:/Windows/Fonts"))
RED, GREEN, BLUE, GREY, INK = (192, 57, 43), (46, 125, 50), (31, 95, 168), (138, 143, 152), (31, 41, 55)


def _font_files() -> tuple[Path, Path] | None:
    for d in _FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


class _Report(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        files = _font_files()
        self.unicode = files is not None
        if files:
            self.add_font("DejaVu", "", str(files[0]))
            self.add_font("DejaVu", "B", str(files[1]))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=16)

    def t(self, text: str) -> str:
        """The text as the font can write it."""
        if self.unicode:
            return text
        for a, b in (("\u2212", "-"), ("\u00a0", " "), ("\u2013", "-"), ("\u2014", "-"), ("\u2026", "...")):
            text = text.replace(a, b)
        return text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False, colour=INK) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def footer(self) -> None:
        self.set_y(-12)
        self.font(8, colour=GREY)
        self.cell(0, 5, self.t(f"{self.footer_text} · sida {self.page_no()}"), align="C")

    def heading(self, text: str) -> None:
        if self.get_y() > 250:
            self.add_page()
        self.ln(3)
        self.font(13, bold=True)
        self.cell(0, 8, self.t(text), new_x="LMARGIN", new_y="NEXT")


def _key_numbers(pdf: _Report, r: dict) -> None:
    boxes = [("Budget netto", fmt.mnkr(r["budget_tkr"]), ""),
             ("Helårsprognos", fmt.mnkr(r["prognos_tkr"]),
              f"80 %: {dashboard.interval_text(r.get('intervall_låg_tkr'), r.get('intervall_hög_tkr'))}"
              if r.get("intervall_låg_tkr") is not None else ""),
             ("Avvikelse", fmt.amount(r["avvikelse_tkr"], True), r.get("status") or ""),
             ("Utfall hittills", fmt.mnkr(r["utfall_tkr"]), "")]
    x0, y0, w = pdf.l_margin, pdf.get_y() + 2, (pdf.w - pdf.l_margin - pdf.r_margin) / 4
    for i, (label, value, note) in enumerate(boxes):
        x = x0 + i * w
        pdf.set_xy(x, y0)
        pdf.font(9, colour=GREY)
        pdf.cell(w - 2, 5, pdf.t(label))
        pdf.set_xy(x, y0 + 5)
        colour = RED if label == "Avvikelse" and r["avvikelse_tkr"] < -0.5 else INK
        pdf.font(16, bold=True, colour=colour)
        pdf.cell(w - 2, 9, pdf.t(value))
        if note:
            pdf.set_xy(x, y0 + 14)
            pdf.font(7.5, colour=GREY)
            pdf.cell(w - 3, 4, pdf.t(note))
    pdf.set_xy(x0, y0 + 21)


def _table(pdf: _Report, frame: pl.DataFrame, widths: list[float], right: set[str] = frozenset(),
           bold_first: str | None = None) -> None:
    """A simple ruled table; a row whose first cell is `bold_first` is bold."""
    pdf.set_draw_color(203, 213, 225)
    pdf.font(8.5, bold=True)
    pdf.set_fill_color(232, 238, 246)
    for c, w in zip(frame.columns, widths):
        pdf.cell(w, 6, pdf.t(c), border=1, fill=True, align="R" if c in right else "L")
    pdf.ln()
    for row in frame.iter_rows():
        if pdf.get_y() > 275:
            pdf.add_page()
        pdf.font(8.5, bold=bold_first is not None and row[0] == bold_first)
        for c, w, v in zip(frame.columns, widths, row):
            text = "" if v is None else str(v)
            while text and pdf.get_string_width(pdf.t(text)) > w - 2:
                text = text[:-2] + "…" if len(text) > 2 else ""
            pdf.cell(w, 5.5, pdf.t(text), border=1, align="R" if c in right else "L")
        pdf.ln()


def _bridge(pdf: _Report, row: dict) -> None:
    """The bridge as a horizontal waterfall in vector graphics: one bar per driver (grouped as on
    the page), the change last, each with its amount."""
    view = dashboard.bridge_view(row)
    steps = [(s["label"], s["tkr"], s["text"]) for s in view["steps"]]
    steps.append(("Förändring totalt", view["change_tkr"], view["change_text"]))
    pdf.font(9, colour=GREY)
    pdf.cell(0, 5, pdf.t(f"Från {view['start_text']} till {view['end_text']} ({view['change_text']}). "
                         "Rött = dyrare, grönt = billigare."), new_x="LMARGIN", new_y="NEXT")
    levels, run = [0.0], 0.0
    for _, v, _ in steps[:-1]:
        run += v
        levels.append(run)
    lo, hi = min(levels + [view["change_tkr"], 0.0]), max(levels + [view["change_tkr"], 0.0])
    label_w, text_w = 62.0, 22.0
    x_plot = pdf.l_margin + label_w + text_w
    w_plot = pdf.w - pdf.r_margin - x_plot - text_w
    span = (hi - lo) or 1.0
    sx = lambda v: x_plot + (v - lo) / span * w_plot  # noqa: E731
    row_h = 7.0
    if pdf.get_y() + row_h * len(steps) + 8 > 280:
        pdf.add_page()
    y = pdf.get_y() + 2
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.2)
    pdf.line(sx(0), y - 1, sx(0), y + row_h * len(steps) + 1)
    start = 0.0
    for i, (label, v, text) in enumerate(steps):
        total = i == len(steps) - 1
        a, b = (0.0, v) if total else (start, start + v)
        colour = BLUE if total else (RED if v > 0 else GREEN)
        pdf.set_fill_color(*colour)
        x0, x1 = sorted((sx(a), sx(b)))
        pdf.rect(x0, y + i * row_h + 1, max(x1 - x0, 0.4), row_h - 2, style="F")
        pdf.set_xy(pdf.l_margin, y + i * row_h)
        pdf.font(8.5, bold=total)
        pdf.cell(label_w, row_h, pdf.t(label[:44]), align="R")
        pdf.font(8.5, bold=total)
        if v >= 0:
            pdf.set_xy(x1 + 1, y + i * row_h)
            pdf.cell(text_w, row_h, pdf.t(text))
        else:
            pdf.set_xy(x0 - text_w - 1, y + i * row_h)
            pdf.cell(text_w, row_h, pdf.t(text), align="R")
        if not total:
            start += v
    pdf.set_xy(pdf.l_margin, y + row_h * len(steps) + 3)


def month_report_pdf(
    unit: str,
    year: int,
    month: int,
    analysis: str,
    overview: pl.DataFrame,
    table: pl.DataFrame,
    bridge_row: dict | None,
    kpis: pl.DataFrame,
    is_demo: bool,
    comments: list[str] | None = None,
) -> bytes:
    """A month report (A4, a page or two, aggregates only) for `unit` or IoF totalt.

    `overview`: dashboard.overview (all units); `table`: the month's prognos table; `kpis`: a
    display frame of the goals (dashboard.unit_kpis_display or tiles_display); `comments`: the
    meeting's notes for the unit, if any."""
    period = fmt.year_month(year, month)
    pdf = _Report(f"{unit} · {period}" + (" · DEMODATA" if is_demo else ""))
    pdf.set_title(f"{unit} – ekonomin efter {period}")
    pdf.set_author("IoF ledningsdashboard")
    pdf.add_page()
    pdf.font(18, bold=True)
    pdf.multi_cell(0, 9, pdf.t(f"{unit} – ekonomin efter {period}"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.font(9.5, colour=GREY)
    pdf.multi_cell(0, 5, pdf.t(f"Helårsprognos {year} efter utfall t.o.m. {period}. Belopp netto "
                               "(kostnader − intäkter); positiv avvikelse = överskott."), align="L",
                   new_x="LMARGIN", new_y="NEXT")
    if is_demo:
        pdf.font(9.5, bold=True, colour=(138, 83, 0))
        pdf.cell(0, 5, pdf.t("Demodata – påhittade uppgifter."), new_x="LMARGIN", new_y="NEXT")
    row = overview.filter(pl.col("enhet") == unit).row(0, named=True)
    _key_numbers(pdf, row)

    pdf.heading("Analys")
    pdf.font(10.5)
    pdf.multi_cell(0, 5.2, pdf.t(analysis), align="L", new_x="LMARGIN", new_y="NEXT")

    if unit == IOF_TOTAL:
        pdf.heading("Enheterna, störst underskott först")
        shown = dashboard.overview_display(dashboard.sort_overview(overview))
        cols = ["Enhet", "Status", "Avvikelse", "Helårsprognos", "80 % intervall", "Budget"]
        _table(pdf, shown.select(cols), [40, 22, 24, 26, 40, 28], right=set(cols[2:]), bold_first=IOF_TOTAL)

    pdf.heading("Varför prognosen ändrats sedan förra månaden")
    if bridge_row is not None:
        _bridge(pdf, bridge_row)
    else:
        pdf.font(9.5, colour=GREY)
        pdf.cell(0, 6, pdf.t("Bryggan visas från februari."), new_x="LMARGIN", new_y="NEXT")

    pdf.heading("Prognos per kostnadsslag (tkr)")
    t = table.filter(pl.col("enhet") == unit)
    lines = pl.DataFrame({
        "Kostnadsslag": t["kostnadsslag"],
        "Budget": [fmt.number(v, 0) for v in t["budget_tkr"]],
        "Utfall hittills": [fmt.number(v, 0) for v in t["utfall_tkr"]],
        "Justering": [fmt.number(v, 0) for v in t["justering_tkr"]],
        "Helårsprognos": [fmt.number(v, 0) for v in t["prognos_tkr"]],
        "Avvikelse": [fmt.signed(v, "tkr", 0).replace("\u00a0tkr", "") for v in t["avvikelse_tkr"]],
    })
    _table(pdf, lines, [62, 22, 26, 22, 26, 22], right=set(lines.columns[1:]), bold_first=NET)

    if kpis.height:
        pdf.heading("Mål i verksamhetsplanen")
        preferred = {"Mått": 52, "Värde": 22, "Förra året": 22, "Mål": 62, "Status": 22, "Enheternas status": 84}
        widths = [float(preferred.get(c, 30)) for c in kpis.columns]
        scale = (pdf.w - pdf.l_margin - pdf.r_margin) / sum(widths)
        _table(pdf, kpis, [w * scale for w in widths])
    if comments:
        pdf.heading("Kommentarer från mötet")
        pdf.font(10)
        for c in comments:
            pdf.multi_cell(0, 5, pdf.t(f"• {c}"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.font(8, colour=GREY)
    pdf.multi_cell(0, 4, pdf.t("Rapporten visar bara summor; små antal visas som <5. Siffrorna kommer från "
                               "prognosen som den såg ut när rapporten skapades."), align="L",
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
