"""``ecociv.gep`` is core: none of its modules imports ``store``, ``web``, ``cli`` or
``report`` (its report chapter lives in ``ecociv.report.chapters.gep``)."""

from __future__ import annotations

import ast
from pathlib import Path

import ecociv.gep

EDGES = ("ecociv.store", "ecociv.web", "ecociv.cli", "ecociv.report", "fastapi", "sqlalchemy")


def test_gep_imports_no_edge():
    folder = Path(ecociv.gep.__file__).parent
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [(path.name, n) for n in names if n.startswith(EDGES)]
    assert len(list(folder.glob("*.py"))) >= 8
    assert not found
