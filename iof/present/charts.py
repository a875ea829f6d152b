"""Plotly figures with Swedish numbers (`1 234,5`), Swedish month labels and readable sizes.

Every function takes frames from iof (dashboard, forecast, trends) and returns a Figure.
`big=True` is the APT/projector variant: larger type, fewer elements.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from iof.core.domain import MONTH_ABBR

RED = "#9b1c1c"  # dark red and a lighter green: they differ in lightness too (colour-blind readers), each ≥ 3:1 on white
GREEN = "#3d9a40"
BLUE = "#1f5fa8"
GREY = "#8a8f98"
AMBER = "#d68910"
PALETTE = ["#1f5fa8", "#d68910", "#2e7d32", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#b7950b"]


def _layout_spec(title: str, big: bool = False, height: int | None = None, yunit: str = "") -> dict:
    """The house layout as a plain dict (what `_layout` applies; `_fast_figure` takes it as is)."""
    size = 22 if big else 13
    return {
        "title": {"text": title, "font": {"size": size + 6 if big else size + 3}},
        "separators": ", ",
        "font": {"size": size, "family": "Source Sans Pro, DejaVu Sans, sans-serif"},
        "height": height or (560 if big else 380),
        "margin": {"l": 10, "r": 30, "t": 60 if big else 50, "b": 10},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"size": size}},
        "yaxis": {"gridcolor": "#e5e7eb", "zerolinecolor": "#9ca3af", "ticksuffix": yunit, "separatethousands": True,
                  "automargin": True},
        "xaxis": {"gridcolor": "#f3f4f6", "automargin": True},
    }


def _layout(fig: go.Figure, title: str, big: bool = False, height: int | None = None, yunit: str = "") -> go.Figure:
    spec = _layout_spec(title, big, height, yunit)
    yaxis, xaxis = spec.pop("yaxis"), spec.pop("xaxis")
    fig.update_layout(spec)
    fig.update_yaxes(yaxis)
    fig.update_xaxes(xaxis)
    return fig


def _merge(base: dict, extra: dict) -> dict:
    """base updated by extra, nested dicts merged (as Plotly's update_layout does)."""
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _fast_figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts without Plotly's property validation (≈ 7× cheaper: the overview's
    two city-scale charts took 40 ms of a change of month to validate). Only for specs that
    tests/test_charts_valid.py builds again with validation and finds identical."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def deviation_by_unit(ov: pl.DataFrame, big: bool = False) -> go.Figure:
    """Horizontal bars: each unit's avvikelse (mnkr), red for underskott, green for överskott, with
    the 80 % interval of the prognosis as a whisker when there is one."""
    df = ov.filter(pl.col("enhet") != "IoF totalt").sort("avvikelse_tkr")
    values = (df["avvikelse_tkr"] / 1000).to_list()
    has_band = "intervall_låg_tkr" in df.columns and df["intervall_låg_tkr"].is_not_null().any()
    error = None
    span = max([abs(v) for v in values] + [0.1])
    if has_band:
        # avvikelse = budget − prognos: the prognosis's high end is the deviation's low end
        plus = ((df["intervall_hög_tkr"] - df["prognos_tkr"]) / 1000).fill_null(0.0).to_list()
        minus = ((df["prognos_tkr"] - df["intervall_låg_tkr"]) / 1000).fill_null(0.0).to_list()
        error = {"type": "data", "symmetric": False, "array": minus, "arrayminus": plus, "color": "#374151",
                 "thickness": 1.5, "width": 6}
        span = max([abs(v) + max(p, m) for v, p, m in zip(values, plus, minus)] + [0.1])
    labels = [f"{v:+.1f}".replace(".", ",").replace("-", "−") + " mnkr" for v in values]
    bar = {"type": "bar", "x": values, "y": df["enhet"].to_list(), "orientation": "h",
           "marker": {"color": [RED if v < 0 else GREEN for v in values]},
           "textposition": "outside", "cliponaxis": False, "hovertemplate": "%{y}: %{x:.1f} mnkr<extra></extra>"}
    if error is not None:
        bar["error_x"] = error
    if not has_band:
        bar["text"] = labels
    extra: dict = {}
    if has_band:  # the amount beyond the whisker's end, so the two never cross
        extra["annotations"] = [
            {"x": v + p if v >= 0 else v - m, "y": unit, "text": label, "showarrow": False,
             "xanchor": "left" if v >= 0 else "right", "xshift": 6 if v >= 0 else -6,
             "font": {"size": 20 if big else 13}}
            for unit, v, p, m, label in zip(df["enhet"].to_list(), values, plus, minus, labels)]
        span = span * 1.2
    title = "Avvikelse mot budget, mnkr (positivt = överskott)"
    if has_band:
        title += "; strecket = 80 % intervall"
    per_bar = 55 if df.height <= 12 else 26  # city scale: 70 bars stay readable without a 4 000 px chart
    layout = _merge(_layout_spec("Prognostiserad avvikelse per enhet", big, height=140 + per_bar * max(df.height, 1)),
                    {"xaxis": {"title": {"text": title}, "range": [-span * 1.25, span * 1.25]}, **extra})
    return _fast_figure([bar], layout)


def largest_movers(hist: pl.DataFrame, n: int = 7) -> list[str]:
    """IoF totalt and the n units with the largest avvikelse (either sign) in the latest month of `hist`."""
    last = hist.filter(pl.col("month") == pl.col("month").max(), pl.col("unit") != "IoF totalt")
    top = last.sort(pl.col("avvikelse_tkr").abs(), "unit", descending=[True, False]).head(n)["unit"].to_list()
    return ["IoF totalt", *top]


def prognosis_over_year(hist: pl.DataFrame, units: list[str] | None = None, big: bool = False) -> go.Figure:
    """Lines: each unit's avvikelse (mnkr) in the prognosis made each month of the year; IoF totalt
    drawn last (on top), dark and thick; the legend right of the plot, clear of the axes."""
    groups = [(u[0], g) for u, g in hist.sort("month").group_by("unit", maintain_order=True)
              if units is None or u[0] in units]
    groups.sort(key=lambda kv: (kv[0] == "IoF totalt", kv[0]))
    colours = [c for c in PALETTE if c not in (GREY,)]
    data = []
    for i, (unit, g) in enumerate(groups):  # colours by the lines shown
        total = unit == "IoF totalt"
        data.append({
            "type": "scatter",
            "x": [MONTH_ABBR[m - 1] for m in g["month"]],
            "y": (g["avvikelse_tkr"] / 1000).to_list(),
            "name": unit,
            "mode": "lines+markers",
            "line": {"width": 5 if total else 2, "color": "#111827" if total else colours[i % len(colours)],
                     "dash": "solid"},
            "marker": {"size": 9 if total else 6},
            "hovertemplate": f"{unit}<br>%{{x}}: %{{y:.1f}} mnkr<extra></extra>",
        })
    layout = _merge(_layout_spec("Så har prognosen rört sig under året", big), {
        "shapes": [{"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": 0, "y1": 0,
                    "line": {"color": GREY}}],
        "xaxis": {"title": {"text": "Prognos gjord i månaden"}, "categoryorder": "array",
                  "categoryarray": list(MONTH_ABBR)},
        "yaxis": {"title": {"text": "Avvikelse, mnkr"}},
        "legend": {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top",
                   "traceorder": "reversed"},
    })
    return _fast_figure(data, layout)


def accumulated(monthly: pl.DataFrame, prognos_tkr: float, last_month: int, big: bool = False,
                interval: tuple[float | None, float | None] | None = None) -> go.Figure:
    """Accumulated Netto utfall against accumulated budget, and the prognosis to December (with its
    80 % interval as a whisker at December when `interval` = (low, high) tkr is given)."""
    months = [MONTH_ABBR[m - 1] for m in monthly["month"]]
    actual = monthly.filter(pl.col("month") <= last_month)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=months, y=(monthly["budget_ack_tkr"] / 1000).to_list(), name="Budget (ackumulerad)",
                             line={"color": GREY, "dash": "dot", "width": 3}))
    fig.add_trace(go.Scatter(x=months[: actual.height], y=(actual["utfall_ack_tkr"] / 1000).to_list(),
                             name="Utfall (ackumulerat)", line={"color": BLUE, "width": 4}, mode="lines+markers"))
    if last_month < 12 and actual.height:
        start = actual["utfall_ack_tkr"][-1] / 1000
        band = interval if interval and None not in interval else None
        error = None
        if band:
            error = {"type": "data", "symmetric": False, "array": [0, (band[1] - prognos_tkr) / 1000],
                     "arrayminus": [0, (prognos_tkr - band[0]) / 1000], "color": AMBER, "thickness": 2, "width": 8}
        fig.add_trace(go.Scatter(x=[months[last_month - 1], months[11]], y=[start, prognos_tkr / 1000],
                                 name="Prognos till december" + (" (med 80 % intervall)" if band else ""),
                                 line={"color": AMBER, "dash": "dash", "width": 3}, error_y=error,
                                 mode="lines+markers"))
    fig.update_yaxes(title="mnkr (netto)")
    fig.update_xaxes(categoryorder="array", categoryarray=months)
    return _layout(fig, "Utfall mot budget under året", big)


def waterfall(row: dict, labels: dict[str, str] | None = None, big: bool = False) -> go.Figure:
    """The bridge from last month's prognosis to this month's (Netto) as a horizontal waterfall:
    one bar per driver (small ones grouped in övrigt, dashboard.bridge_view), the change last;
    amounts in tkr for a small unit, else mnkr; hovering a bar shows that driver's own change.
    `labels`: the drivers' words (APT's plain Swedish), default dashboard.DRIVER_LABELS."""
    from iof.present.dashboard import bridge_view

    view = bridge_view(row, labels)
    steps = view["steps"]
    div = view["divisor"]
    total_label = "Förändring totalt"
    names = [s["label"] for s in steps] + [total_label]
    values = [s["tkr"] / div for s in steps] + [view["change_tkr"] / div]
    texts = [s["text"] for s in steps] + [view["change_text"]]
    levels, run = [0.0], 0.0
    for v in values[:-1]:
        run += v
        levels.append(run)
    lo, hi = min(levels + [0.0]), max(levels + [0.0])
    span = max(hi - lo, 1e-9)
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=names,
            x=values,
            measure=["relative"] * len(steps) + ["total"],
            increasing={"marker": {"color": RED}},
            decreasing={"marker": {"color": GREEN}},
            totals={"marker": {"color": BLUE}},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=texts,
            connector={"line": {"color": GREY}},
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", ticksuffix="  ")
    fig.update_xaxes(title=f"Förändring, {view['unit']} (rött = dyrare, grönt = billigare)",
                     range=[lo - span * 0.5, hi + span * 0.45], zeroline=True, zerolinecolor=GREY,
                     separatethousands=True)
    rows = len(names)
    height = max(560 if big else 380, (200 if big else 150) + (64 if big else 42) * rows)
    fig = _layout(fig, "Varför prognosen ändrats sedan förra månaden", big, height=height)
    fig.update_layout(
        title={"subtitle": {"text": f"Från {view['start_text']} till {view['end_text']} ({view['change_text']})",
                            "font": {"size": 20 if big else 13}}},
        margin={"t": 90 if big else 75}, showlegend=False,
    )
    return fig


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


# ---------------------------------------------------------------------------------------------
# Verksamhet pages (placeringar, handläggningstider, personal)
# ---------------------------------------------------------------------------------------------
def _month_labels(months: pl.Series) -> list[str]:
    """`okt 2026` for each date of the series (category axis labels, Swedish month names)."""
    return [f"{MONTH_ABBR[d.month - 1]} {d.year}" for d in months]


def _month_axis(fig: go.Figure, labels: list[str], every: int | None = None) -> None:
    """Category axis of month labels; with many months only every `every`-th label is written
    (counted back from the latest month, so the chosen month always has its label)."""
    step = every or (6 if len(labels) > 13 else 3 if len(labels) > 6 else 1)
    ticks = labels[::-1][::step][::-1]
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels, tickangle=0,
                     tickmode="array", tickvals=ticks, ticktext=ticks)


def _num(v: float | None, decimals: int = 0) -> str:
    from iof.present import fmt

    return fmt.number(v, decimals)


def stock_by_form(stock: pl.DataFrame, big: bool = False) -> go.Figure:
    """Stacked bars: placements active on each month's last day, per placeringsform."""
    from iof.core.domain import PLACEMENT_TYPES

    labels = _month_labels(stock["month_start"].unique().sort())
    order = {f: i for i, f in enumerate(PLACEMENT_TYPES)}  # the contract's order, one colour per form
    fig = go.Figure()
    for form in sorted(stock["placement_type"].unique().to_list(), key=lambda f: order.get(f, 99)):
        g = stock.filter(pl.col("placement_type") == form).sort("month_start")
        fig.add_trace(go.Bar(
            x=_month_labels(g["month_start"]), y=g["placements"].to_list(), name=form,
            marker_color=PALETTE[order.get(form, 6) % len(PALETTE)],
            hovertemplate=f"{form}<br>%{{x}}: %{{y}} placeringar<extra></extra>",
        ))
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    _month_axis(fig, labels, every=3)
    fig.update_yaxes(title="Aktiva placeringar vid månadens slut")
    return _layout(fig, "Placeringar vid månadens slut per placeringsform", big, height=440)


def placement_flows(monthly: pl.DataFrame, big: bool = False) -> go.Figure:
    """Grouped bars per month: new and ended placements, and the sammanbrott among the ended."""
    m = monthly.sort("month_start")
    labels = _month_labels(m["month_start"])
    fig = go.Figure()
    for name, col, colour in (("Nya", "started", BLUE), ("Avslutade", "ended", GREY), ("Sammanbrott", "breakdowns", RED)):
        fig.add_trace(go.Bar(x=labels, y=m[col].to_list(), name=name, marker_color=colour,
                             hovertemplate=f"{name}<br>%{{x}}: %{{y}}<extra></extra>"))
    fig.update_layout(barmode="group")
    _month_axis(fig, labels)
    fig.update_yaxes(title="Antal placeringar")
    return _layout(fig, "Nya, avslutade och sammanbrott per månad", big)


def care_days_and_cost(monthly: pl.DataFrame, big: bool = False) -> go.Figure:
    """Bars of vårddygn per month and a line of the mean cost per dygn (kr, right axis)."""
    m = monthly.sort("month_start")
    labels = _month_labels(m["month_start"])
    fig = go.Figure()
    fig.add_trace(go.Bar(x=labels, y=m["care_days"].to_list(), name="Vårddygn", marker_color="#9dbbe0",
                         hovertemplate="%{x}: %{y:,.0f} vårddygn<extra></extra>"))
    fig.add_trace(go.Scatter(x=labels, y=m["cost_per_day_kr"].to_list(), name="Snittkostnad per dygn (kr)",
                             yaxis="y2", mode="lines+markers", line={"color": AMBER, "width": 3},
                             hovertemplate="%{x}: %{y:,.0f} kr per dygn<extra></extra>"))
    fig.update_layout(yaxis2={"title": "kr per dygn", "overlaying": "y", "side": "right", "showgrid": False,
                              "separatethousands": True, "rangemode": "tozero",
                              "tickmode": "auto"})
    _month_axis(fig, labels)
    fig.update_layout(yaxis_title="Vårddygn")
    return _layout(fig, "Vårddygn och snittkostnad per dygn", big)


def own_share(monthly: pl.DataFrame, big: bool = False) -> go.Figure:
    """Line: share of children in egen regi of egen regi + konsulentstött, at each month end (%)."""
    m = monthly.sort("month_start")
    labels = _month_labels(m["month_start"])
    fig = go.Figure(go.Scatter(
        x=labels, y=m["own_share_pct"].to_list(), mode="lines+markers", name="Andel egen regi",
        line={"color": GREEN, "width": 3},
        customdata=list(zip(m["children_own"].to_list(), m["children_agency"].to_list())),
        hovertemplate="%{x}: %{y:.1f} %<br>egen regi %{customdata[0]}, konsulentstött %{customdata[1]} barn<extra></extra>",
    ))
    _month_axis(fig, labels)
    fig.update_yaxes(title="Andel egen regi, %", range=[0, 100])
    return _layout(fig, "Barn i egen regi av egen regi + konsulentstött", big, yunit=" %")


def processing_vs_limit(monthly: pl.DataFrame, case_type: str, limit_days: float | None, limit_label: str,
                        big: bool = False) -> go.Figure:
    """Median and 90th percentile days per month for one ärendetyp, with the limit as a line."""
    m = monthly.filter(pl.col("case_type") == case_type).sort("month_start")
    labels = _month_labels(m["month_start"])
    fig = go.Figure()
    fig.add_trace(go.Bar(x=labels, y=m["median_days"].to_list(), name="Median, dagar", marker_color=BLUE,
                         customdata=m["closed"].to_list(),
                         hovertemplate="%{x}: median %{y} dagar (%{customdata} avslutade)<extra></extra>"))
    fig.add_trace(go.Scatter(x=labels, y=m["p90_days"].to_list(), name="90:e percentil, dagar", mode="markers+lines",
                             line={"color": AMBER, "width": 2, "dash": "dot"}, marker={"size": 8},
                             hovertemplate="%{x}: 90:e percentil %{y} dagar<extra></extra>"))
    if limit_days is not None:
        approx = "" if "dag" in limit_label else f" ≈ {_num(limit_days)} dagar"
        fig.add_hline(y=limit_days, line_dash="dash", line_color=RED, line_width=2,
                      annotation_text=f"gräns {limit_label}{approx}", annotation_position="top left",
                      annotation_font_color=RED, annotation_bgcolor="rgba(255,255,255,0.85)")
    _month_axis(fig, labels)
    fig.update_yaxes(title="Dagar", rangemode="tozero")
    title = f"{case_type}: handläggningstid mot gränsen" if limit_days is not None else \
        f"{case_type}: handläggningstid (ingen gräns i lag)"
    return _layout(fig, title, big, height=340)


def share_within_limit(monthly: pl.DataFrame, big: bool = False) -> go.Figure:
    """Lines: share closed within the limit per month, one line per ärendetyp with a limit."""
    m = monthly.filter(pl.col("share_within_pct").is_not_null()).sort("case_type", "month_start")
    labels = _month_labels(monthly["month_start"].unique().sort())
    fig = go.Figure()
    for i, (ct, g) in enumerate(m.group_by("case_type", maintain_order=True)):
        fig.add_trace(go.Scatter(
            x=_month_labels(g["month_start"]), y=g["share_within_pct"].to_list(), name=ct[0], mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)], "width": 2},
            customdata=list(zip(g["within"].to_list(), g["closed"].to_list())),
            hovertemplate=f"{ct[0]}<br>%{{x}}: %{{y:.1f}} % (%{{customdata[0]}} av %{{customdata[1]}})<extra></extra>",
        ))
    _month_axis(fig, labels)
    fig.update_yaxes(title="Andel inom gränsen, %", range=[0, 105])
    return _layout(fig, "Andel avslutade inom gränsen", big, yunit=" %")


def staff_fte(frame: pl.DataFrame, big: bool = False) -> go.Figure:
    """Budgeted vs filled FTE per month (lines; the axis does not start at zero, so the gap shows)."""
    m = frame.sort("month_start")
    labels = _month_labels(m["month_start"])
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=labels, y=m["budgeted_fte"].to_list(), name="Budgeterade åa", mode="lines",
                             line={"color": GREY, "dash": "dash", "width": 3},
                             hovertemplate="%{x}: %{y:.1f} budgeterade åa<extra></extra>"))
    fig.add_trace(go.Scatter(x=labels, y=m["filled_fte"].to_list(), name="Bemannade åa", mode="lines+markers",
                             line={"color": BLUE, "width": 3}, fill="tonexty", fillcolor="rgba(192,57,43,0.10)",
                             hovertemplate="%{x}: %{y:.1f} bemannade åa<extra></extra>"))
    values = [v for v in m["budgeted_fte"].to_list() + m["filled_fte"].to_list() if v is not None] or [0.0]
    _month_axis(fig, labels)
    fig.update_yaxes(title="Årsarbetare (axeln börjar inte på noll)",
                     range=[min(values) * 0.85, max(values) * 1.05])
    return _layout(fig, "Budgeterade och bemannade årsarbetare", big)


def staff_gaps(frame: pl.DataFrame, big: bool = False) -> go.Figure:
    """Vacancies and consultants (FTE) per month, side by side."""
    m = frame.sort("month_start")
    labels = _month_labels(m["month_start"])
    fig = go.Figure()
    fig.add_trace(go.Bar(x=labels, y=m["vacancies"].to_list(), name="Vakanta tjänster", marker_color=RED,
                         hovertemplate="%{x}: %{y:.1f} vakanta tjänster<extra></extra>"))
    fig.add_trace(go.Bar(x=labels, y=m["consultant_fte"].to_list(), name="Konsulter (åa)", marker_color=AMBER,
                         hovertemplate="%{x}: %{y:.1f} åa konsulter<extra></extra>"))
    fig.update_layout(barmode="group")
    _month_axis(fig, labels)
    fig.update_yaxes(title="Antal / årsarbetare", rangemode="tozero")
    return _layout(fig, "Vakanser och konsulter", big)


def sick_leave(frame: pl.DataFrame, big: bool = False) -> go.Figure:
    """Sjukfrånvaro total and dag 1–14 per month (%), with each year's targets as dashed steps."""
    m = frame.sort("month_start")
    labels = _month_labels(m["month_start"])
    fig = go.Figure()
    for name, col, target, colour in (
        ("Sjukfrånvaro totalt", "sick_leave_pct", "sick_leave_target_pct", BLUE),
        ("Dag 1–14", "sick_leave_short_pct", "sick_leave_short_target_pct", AMBER),
    ):
        fig.add_trace(go.Scatter(x=labels, y=m[col].to_list(), name=name, mode="lines+markers",
                                 line={"color": colour, "width": 3},
                                 hovertemplate=f"{name}<br>%{{x}}: %{{y:.1f}} %<extra></extra>"))
        if m[target].is_not_null().any():
            fig.add_trace(go.Scatter(x=labels, y=m[target].to_list(), name=f"Mål {name.lower()}", mode="lines",
                                     line={"color": colour, "width": 2, "dash": "dash", "shape": "hv"},
                                     hovertemplate=f"Mål {name.lower()}<br>%{{x}}: högst %{{y:.1f}} %<extra></extra>"))
    _month_axis(fig, labels)
    fig.update_yaxes(title="Sjukfrånvaro, %", rangemode="tozero")
    return _layout(fig, "Sjukfrånvaro mot mål", big, yunit=" %")


def turnover(frame: pl.DataFrame, big: bool = False) -> go.Figure:
    """Personalomsättning over the last 12 months (%), with the number of leavers in the hover."""
    m = frame.sort("month_start")
    labels = _month_labels(m["month_start"])
    fig = go.Figure(go.Scatter(
        x=labels, y=m["turnover_12m_pct"].to_list(), name="Personalomsättning 12 mån", mode="lines+markers",
        line={"color": PALETTE[3], "width": 3}, customdata=m["leavers_12m"].to_list(),
        hovertemplate="%{x}: %{y:.1f} % (%{customdata} avgångar)<extra></extra>",
    ))
    _month_axis(fig, labels)
    fig.update_yaxes(title="Personalomsättning, %", rangemode="tozero")
    return _layout(fig, "Personalomsättning, rullande 12 månader", big, yunit=" %")


def caseload(frame: pl.DataFrame, big: bool = False) -> go.Figure:
    """Ärenden per handläggare per month, with the band (e.g. 12–16) shaded."""
    m = frame.sort("month_start")
    labels = _month_labels(m["month_start"])
    low, high = m["caseload_low"][-1], m["caseload_high"][-1]
    fig = go.Figure()
    fig.add_hrect(y0=low, y1=high, fillcolor=GREEN, opacity=0.12, line_width=0,
                  annotation_text=f"intervall {_num(low)}–{_num(high)}", annotation_position="bottom right",
                  annotation_font_color=GREEN)
    fig.add_trace(go.Scatter(x=labels, y=m["cases_per_caseworker"].to_list(), name="Ärenden per handläggare",
                             mode="lines+markers", line={"color": BLUE, "width": 3},
                             customdata=list(zip(m["open_cases"].to_list(), m["caseworker_fte"].to_list())),
                             hovertemplate="%{x}: %{y:.1f} (%{customdata[0]} ärenden / %{customdata[1]:.1f} åa)"
                                           "<extra></extra>"))
    top = max([v for v in m["cases_per_caseworker"].to_list() if v is not None] + [high]) * 1.15
    _month_axis(fig, labels)
    fig.update_yaxes(title="Ärenden per handläggare", range=[0, top])
    return _layout(fig, "Ärenden per handläggare mot intervallet", big)
