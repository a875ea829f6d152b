"""Plotly figures with Swedish numbers (`1 234,5`), Swedish month labels and readable sizes.

Every function takes frames from iof (dashboard, forecast, trends) and returns a Figure.
`big=True` is the APT/projector variant: larger type, fewer elements.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from iof.domain import MONTH_ABBR

RED = "#c0392b"
GREEN = "#2e7d32"
BLUE = "#1f5fa8"
GREY = "#8a8f98"
AMBER = "#d68910"
PALETTE = ["#1f5fa8", "#d68910", "#2e7d32", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#b7950b"]


def _layout(fig: go.Figure, title: str, big: bool = False, height: int | None = None, yunit: str = "") -> go.Figure:
    size = 22 if big else 13
    fig.update_layout(
        title={"text": title, "font": {"size": size + 6 if big else size + 3}},
        separators=", ",
        font={"size": size, "family": "Source Sans Pro, DejaVu Sans, sans-serif"},
        height=height or (560 if big else 380),
        margin={"l": 10, "r": 30, "t": 60 if big else 50, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        plot_bgcolor="white",
        hoverlabel={"font_size": size},
    )
    fig.update_yaxes(gridcolor="#e5e7eb", zerolinecolor="#9ca3af", ticksuffix=yunit, separatethousands=True,
                     automargin=True)
    fig.update_xaxes(gridcolor="#f3f4f6", automargin=True)
    return fig


def deviation_by_unit(ov: pl.DataFrame, big: bool = False) -> go.Figure:
    """Horizontal bars: each unit's avvikelse (mnkr), red for underskott, green for överskott."""
    df = ov.filter(pl.col("enhet") != "IoF totalt").sort("avvikelse_tkr")
    values = (df["avvikelse_tkr"] / 1000).to_list()
    fig = go.Figure(
        go.Bar(
            x=values,
            y=df["enhet"].to_list(),
            orientation="h",
            marker_color=[RED if v < 0 else GREEN for v in values],
            text=[f"{v:+.1f}".replace(".", ",").replace("-", "−") + " mnkr" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.1f} mnkr<extra></extra>",
        )
    )
    span = max([abs(v) for v in values] + [0.1])
    fig.update_xaxes(title="Avvikelse mot budget, mnkr (positivt = överskott)", range=[-span * 1.45, span * 1.45])
    return _layout(fig, "Prognostiserad avvikelse per enhet", big, height=120 + 55 * max(df.height, 1))


def prognosis_over_year(hist: pl.DataFrame, units: list[str] | None = None, big: bool = False) -> go.Figure:
    """Lines: each unit's avvikelse (mnkr) in the prognosis made each month of the year."""
    fig = go.Figure()
    for i, (unit, g) in enumerate(hist.sort("month").group_by("unit", maintain_order=True)):
        unit = unit[0]
        if units is not None and unit not in units:
            continue
        fig.add_trace(
            go.Scatter(
                x=[MONTH_ABBR[m - 1] for m in g["month"]],
                y=(g["avvikelse_tkr"] / 1000).to_list(),
                name=unit,
                mode="lines+markers",
                line={"width": 4 if unit == "IoF totalt" else 2, "color": PALETTE[i % len(PALETTE)],
                      "dash": "solid"},
                hovertemplate=f"{unit}<br>%{{x}}: %{{y:.1f}} mnkr<extra></extra>",
            )
        )
    fig.add_hline(y=0, line_color=GREY)
    fig.update_xaxes(title="Prognos gjord i månaden", categoryorder="array", categoryarray=list(MONTH_ABBR))
    fig.update_yaxes(title="Avvikelse, mnkr")
    return _layout(fig, "Så har prognosen rört sig under året", big)


def accumulated(monthly: pl.DataFrame, prognos_tkr: float, last_month: int, big: bool = False) -> go.Figure:
    """Accumulated Netto utfall against accumulated budget, and the prognosis to December."""
    months = [MONTH_ABBR[m - 1] for m in monthly["month"]]
    actual = monthly.filter(pl.col("month") <= last_month)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=months, y=(monthly["budget_ack_tkr"] / 1000).to_list(), name="Budget (ackumulerad)",
                             line={"color": GREY, "dash": "dot", "width": 3}))
    fig.add_trace(go.Scatter(x=months[: actual.height], y=(actual["utfall_ack_tkr"] / 1000).to_list(),
                             name="Utfall (ackumulerat)", line={"color": BLUE, "width": 4}, mode="lines+markers"))
    if last_month < 12 and actual.height:
        start = actual["utfall_ack_tkr"][-1] / 1000
        fig.add_trace(go.Scatter(x=[months[last_month - 1], months[11]], y=[start, prognos_tkr / 1000],
                                 name="Prognos till december", line={"color": AMBER, "dash": "dash", "width": 3},
                                 mode="lines+markers"))
    fig.update_yaxes(title="mnkr (netto)")
    fig.update_xaxes(categoryorder="array", categoryarray=months)
    return _layout(fig, "Utfall mot budget under året", big)


def waterfall(row: dict, labels: dict[str, str], big: bool = False) -> go.Figure:
    """The bridge from last month's prognosis to this month's (Netto, mnkr)."""
    drivers = [(labels[k], (row.get(k) or 0.0) / 1000) for k in labels if abs(row.get(k) or 0.0) >= 0.05]
    x = ["Förra månadens prognos"] + [d[0] for d in drivers] + ["Denna månads prognos"]
    y = [row["prognos_föregående_tkr"] / 1000] + [d[1] for d in drivers] + [row["prognos_ny_tkr"] / 1000]
    measure = ["absolute"] + ["relative"] * len(drivers) + ["total"]
    fig = go.Figure(
        go.Waterfall(
            x=x,
            y=y,
            measure=measure,
            increasing={"marker": {"color": RED}},
            decreasing={"marker": {"color": GREEN}},
            totals={"marker": {"color": BLUE}},
            text=[f"{v:.1f}".replace(".", ",").replace("-", "−") for v in y],
            textposition="outside",
            connector={"line": {"color": GREY}},
            hovertemplate="%{x}: %{y:.1f} mnkr<extra></extra>",
        )
    )
    levels = [y[0]]
    for d in y[1:-1]:
        levels.append(levels[-1] + d)
    levels.append(y[-1])
    lo, hi = min(levels), max(levels)
    pad = max((hi - lo) * 0.35, abs(hi) * 0.01, 0.05)
    fig.update_yaxes(title="Nettokostnad, mnkr (rött = dyrare)", range=[lo - pad, hi + pad])
    return _layout(fig, "Varför prognosen ändrats sedan förra månaden", big)


def monthly_series(frame: pl.DataFrame, x: str, y: str, series: str | None, title: str, ytitle: str,
                   big: bool = False, kind: str = "line", target: float | None = None) -> go.Figure:
    """A simple monthly trend (x = 'YYYY-MM' labels), one trace per `series` value."""
    fig = go.Figure()
    groups = frame.group_by(series, maintain_order=True) if series else [((None,), frame)]
    for i, (key, g) in enumerate(groups):
        name = key[0] if series else ytitle
        g = g.sort(x)
        common = {"x": g[x].to_list(), "y": g[y].to_list(), "name": name}
        if kind == "bar":
            fig.add_trace(go.Bar(marker_color=PALETTE[i % len(PALETTE)], **common))
        else:
            fig.add_trace(go.Scatter(mode="lines+markers", line={"color": PALETTE[i % len(PALETTE)]}, **common))
    if target is not None:
        fig.add_hline(y=target, line_dash="dash", line_color=RED, annotation_text="mål")
    if kind == "bar":
        fig.update_layout(barmode="stack")
    fig.update_yaxes(title=ytitle)
    fig.update_xaxes(type="category")
    return _layout(fig, title, big)


def accuracy_heatmap(acc: pl.DataFrame, big: bool = False) -> go.Figure:
    """Unit × month: the prognosis error in % of the outcome (signed), red = too pessimistic/optimistic."""
    units = sorted(acc["enhet"].unique().to_list(), key=lambda u: (u == "IoF totalt", u), reverse=True)
    months = list(range(1, 13))
    z, text = [], []
    for u in units:
        g = acc.filter(pl.col("enhet") == u)
        by_m = {r["månad"]: r for r in g.iter_rows(named=True)}
        row, trow = [], []
        for m in months:
            r = by_m.get(m)
            if r is None or not r["utfall_helår_tkr"]:
                row.append(None)
                trow.append("")
                continue
            pct = r["fel_tkr"] / abs(r["utfall_helår_tkr"]) * 100
            row.append(pct)
            trow.append(f"{pct:+.1f}".replace(".", ",").replace("-", "−"))
        z.append(row)
        text.append(trow)
    fig = go.Figure(go.Heatmap(
        z=z, x=[MONTH_ABBR[m - 1] for m in months], y=units, text=text, texttemplate="%{text}",
        colorscale=[[0, GREEN], [0.5, "#ffffff"], [1, RED]], zmid=0, zmin=-10, zmax=10,
        colorbar={"title": "Fel %"}, hovertemplate="%{y}, %{x}: %{z:.1f} %<extra></extra>",
    ))
    fig.update_xaxes(title="Prognos gjord i månaden")
    return _layout(fig, "Prognosfel i procent av årets utfall", big, height=140 + 50 * max(len(units), 1))


def deviation_by_line(table: pl.DataFrame, unit: str, big: bool = False) -> go.Figure:
    """One unit's avvikelse per kostnadsslag (mnkr), largest first; red = underskott."""
    df = table.filter((pl.col("enhet") == unit) & (pl.col("kostnadsslag") != "Netto"))
    df = df.filter(pl.col("avvikelse_tkr").abs() >= 50).sort(pl.col("avvikelse_tkr"))
    values = (df["avvikelse_tkr"] / 1000).to_list()
    span = max([abs(v) for v in values] + [0.1])
    fig = go.Figure(go.Bar(
        x=values, y=df["kostnadsslag"].to_list(), orientation="h",
        marker_color=[RED if v < 0 else GREEN for v in values],
        text=[f"{v:+.1f}".replace(".", ",").replace("-", "−") + " mnkr" for v in values],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.1f} mnkr<extra></extra>",
    ))
    fig.update_xaxes(title="Avvikelse mot budget, mnkr (positivt = överskott)", range=[-span * 1.5, span * 1.5])
    return _layout(fig, "Var avvikelsen finns", big, height=(200 if big else 140) + (70 if big else 45) * max(df.height, 1))
