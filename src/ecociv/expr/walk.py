"""Generic traversal of expression trees: the child expressions of a node, and rebuilding a
node with its children mapped.  Node shapes are read from the dataclass fields, so a new node
type needs no change here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields, replace
from typing import Any

from ecociv.expr import ast

_NODES = ast.NODE_TYPES


def _is_node(value: Any) -> bool:
    return isinstance(value, _NODES)


def _children_of(value: Any) -> Iterator[ast.Expr]:
    if _is_node(value):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _children_of(item)


def children(expr: ast.Expr) -> Iterator[ast.Expr]:
    """The direct child expressions of ``expr``, in field order."""
    for f in fields(expr):  # type: ignore[arg-type]
        yield from _children_of(getattr(expr, f.name))


def _map(value: Any, fn: Callable[[ast.Expr], ast.Expr]) -> Any:
    if _is_node(value):
        return fn(value)
    if isinstance(value, tuple):
        return tuple(_map(item, fn) for item in value)
    return value


def map_children(expr: ast.Expr, fn: Callable[[ast.Expr], ast.Expr]) -> ast.Expr:
    """``expr`` with every direct child expression replaced by ``fn(child)``."""
    changes = {f.name: _map(getattr(expr, f.name), fn) for f in fields(expr)}  # type: ignore[arg-type]
    return replace(expr, **changes)  # type: ignore[type-var]
