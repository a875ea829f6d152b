"""present: what a person reads — Swedish number formats (`fmt`), Plotly figures (`charts`), the
report files (`files`: the one CSV/xlsx writer), workbooks (`exports`), and one module per view that
turns computed frames into display tables and text (`dashboard`, `verksamhet`, `accuracy`, `status`).

Rule: imports core and compute only (never store or pipeline: it gets frames, it does no I/O);
Swedish labels are made here.
"""
