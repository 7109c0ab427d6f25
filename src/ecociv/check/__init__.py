"""Check a plan before it is published: contradictions between tables, prose, totals, units,
targets, standards and projects (``ecociv check``, ``docs/check-json.md``).

The checks read what ingestion produced — the classified :class:`~ecociv.model.Plan` and the
body text of its :class:`~ecociv.ingest.document.Document` — and never the file itself; this
package is core (values in, findings out) and does not import ``ecociv.ingest``: reading the
file is the caller's (``ecociv.cli.check.check_file``, the platform's import).  Each rule
family is one module with a ``RULES`` tuple of pure functions ``CheckInput -> [Finding]``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ecociv.check.findings import CheckReport, Finding
from ecociv.check.view import CheckInput, ProseLine
from ecociv.model import Plan

_SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


def rules():
    """Every rule function, in the order their findings are listed."""
    from ecociv.check import (
        arithmetic,
        boxes,
        lists,
        projects,
        prose_claims,
        same_quantity,
        targets,
        totals,
        units,
    )

    modules = (
        totals,
        same_quantity,
        prose_claims,
        lists,
        units,
        targets,
        projects,
        boxes,
        arithmetic,
    )
    return tuple(rule for module in modules for rule in module.RULES)


def prose_lines(document) -> list[ProseLine]:
    """The paragraphs and headings of *document* (an ingest ``Document``), in order."""
    return [
        ProseLine(block.text, block.where)
        for block in document.blocks
        if block.kind in ("heading", "paragraph") and block.text.strip()
    ]


def check_plan(plan: Plan, prose: Iterable[ProseLine] = ()) -> list[Finding]:
    """Every finding of every rule on *plan* and its body text, errors first, then by place;
    one finding per id."""
    data = CheckInput(plan=plan, prose=list(prose))
    seen: dict[str, Finding] = {}
    for rule in rules():
        for item in rule(data):
            seen.setdefault(item.id, item)
    return sorted(seen.values(), key=_order)


def _order(item: Finding) -> tuple:
    first = item.locations[0] if item.locations else None
    line = first.line_start if first and first.line_start is not None else 0
    return (_SEVERITY_ORDER[item.severity], line, item.kind)


def report(plan: Plan, prose: Iterable[ProseLine], *, accepted: Iterable[str] = ()) -> CheckReport:
    """The report of :func:`check_plan` without the *accepted* ids, with counts by severity."""
    hidden = set(accepted)
    shown = [f for f in check_plan(plan, prose) if f.id not in hidden]
    counts = {s: sum(1 for f in shown if f.severity == s) for s in _SEVERITY_ORDER}
    return CheckReport(
        source=plan.source.path,
        findings=shown,
        accepted=sorted(hidden),
        counts=counts,
    )
