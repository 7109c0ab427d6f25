"""JSON form of expressions: ``to_json(expr) -> dict`` and ``from_json(d) -> Expr``.

Each node is an object with ``"type"`` (the node class name) and its fields; decimals are
strings (``"90"``, ``"25.40"`` — exact, trailing zeros kept), pairs are two-element arrays.
``from_json(to_json(e)) == e`` for every expression.  Used by ``ecociv ingest --json``
(``Cell.expr``) and the platform API; documented in ``docs/expr.md``.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any, get_type_hints

from ecociv.errors import InputError
from ecociv.expr import ast

_BY_NAME = {cls.__name__: cls for cls in ast.NODE_TYPES}


def to_json(expr: ast.Expr) -> dict[str, Any]:
    """The JSON object of ``expr`` (only str, int, bool, None, lists and objects inside)."""
    out: dict[str, Any] = {"type": type(expr).__name__}
    for f in fields(expr):  # type: ignore[arg-type]
        out[f.name] = _encode(getattr(expr, f.name))
    return out


def _encode(value: Any) -> Any:
    if isinstance(value, ast.NODE_TYPES):
        return to_json(value)  # type: ignore[arg-type]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


@cache
def _decimal_fields(cls: type) -> frozenset[str]:
    hints = get_type_hints(cls, vars(ast))
    return frozenset(name for name, hint in hints.items() if "Decimal" in str(hint))


def _bad(zh: str, en: str) -> InputError:
    return InputError(f"表达式 JSON 无效：{zh}", f"invalid expression JSON: {en}", where="expr")


def from_json(data: Any) -> ast.Expr:
    """Rebuild an expression from :func:`to_json` output; raises :class:`InputError` (zh/en)
    naming the problem when ``data`` is not such an object."""
    if not isinstance(data, dict) or data.get("type") not in _BY_NAME:
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise _bad(f"未知的节点类型 {kind!r}", f"unknown node type {kind!r}")
    cls = _BY_NAME[data["type"]]
    names = {f.name for f in fields(cls)}
    extra = set(data) - names - {"type"}
    if extra:
        raise _bad(
            f"{cls.__name__} 没有字段 {sorted(extra)}",
            f"{cls.__name__} has no fields {sorted(extra)}",
        )
    kwargs: dict[str, Any] = {}
    for name in names & set(data):
        value = data[name]
        if name in _decimal_fields(cls) and value is not None:
            try:
                kwargs[name] = Decimal(str(value))
            except InvalidOperation:
                raise _bad(
                    f"{cls.__name__}.{name} 不是数值：{value!r}",
                    f"{cls.__name__}.{name} is not a number: {value!r}",
                ) from None
        else:
            kwargs[name] = _decode(value)
    try:
        return cls(**kwargs)
    except TypeError as err:
        raise _bad(f"{cls.__name__} 缺少字段", f"{cls.__name__}: {err}") from None


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return from_json(value)
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


@cache
def parser_stamp() -> str:
    """A digest of everything that decides how a text parses (the grammar, the vocabulary,
    the units table and the parser's code): a syntax tree stored with another stamp was made
    by another parser and is parsed afresh instead of trusted."""
    digest = hashlib.sha256()
    folder = resources.files("ecociv.expr")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".py", ".lark", ".yaml")):
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]
