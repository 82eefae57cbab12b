"""``powerkit diff OLD NEW``: what changed between two versions of a deal and what it did."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from . import app, err, out


def _show(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, dict):
        return ", ".join(f"{k}: {w}" for k, w in v.items()) or "—"
    if isinstance(v, list):
        return " → ".join(map(str, v)) or "—"
    return str(v)


@app.command("diff")
def diff_command(
        old: Annotated[Path, typer.Argument(help="the earlier version: deal folder or .xlsx")],
        new: Annotated[Path, typer.Argument(help="the later version: deal folder or .xlsx")],
        as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of tables")] = False):
    """Every input change between two versions of a deal, its effect on every headline, and the
    change in the balance and the predicted price attributed to the input changes (Shapley)."""
    from ..deal import load_deal
    from ..errors import DealError
    from ..text import money
    from ..versions import diff

    deals, failed = [], False
    for p in (old, new):
        try:
            deals.append(load_deal(p))
        except DealError as exc:
            err.print(str(exc), markup=False)
            failed = True
    if failed:
        raise typer.Exit(2)
    d = diff(*deals)
    if as_json:
        out.print(json.dumps(d.to_json(), indent=2, ensure_ascii=False), markup=False)
        return
    if d.unchanged:
        out.print(f"no change between {old} and {new}", markup=False)
        return
    cur = deals[1].meta.currency
    t = Table(title=f"{len(d.changes)} input change(s): {old} → {new}")
    for c in ("input", "old", "new"):
        t.add_column(c)
    for r in d.changes.itertuples():
        t.add_row(r.label, _show(r.old) if r.change == "changed" else r.change,
                  _show(r.new) if r.change == "changed" else "")
    out.print(t)
    h = Table(title="headlines")
    for c in ("headline", "old", "new", "changed"):
        h.add_column(c)
    for r in d.headlines.itertuples():
        fmt = (lambda v: money(v, cur)) if r.headline == "predicted_price" and r.old is not None \
            else _show
        h.add_row(r.headline, fmt(r.old), fmt(r.new) if r.new is not None else "—",
                  "yes" if r.changed else "")
    out.print(h)
    a = Table(title=f"what moved the balance and the price (Shapley, by {d.grouping})")
    for c in ("input", "balance", "price"):
        a.add_column(c)
    for r in d.attribution.itertuples():
        a.add_row(r.player, f"{r.balance:+.4f}",
                  "—" if r.predicted_price is None else money(r.predicted_price, cur))
    tp = d.totals["predicted_price"]
    a.add_row("total", f"{d.totals['balance']:+.4f}", "—" if tp is None else money(tp, cur))
    out.print(a)
    for n in d.notes:
        out.print(f"note: {n}", markup=False)
