"""Compile once, run many: the SQL of a monitoring computation on a DuckDB table, reused.

Building and compiling the Ibis expression of the daily report costs about as much as running
it on a 500-station year (1–4 s, whatever the data size: ~100 KB of SQL), and the same for the
annual statistics.  The SQL depends only on the function, the input table's name and schema
and the arguments (rules, options), so :func:`reuse_compiled` keeps it per process and a second
computation of the same kind — the next file, the next request, the dashboard refreshing —
runs the stored SQL instead of building and compiling again.  The result is a temporary view
of the connection over that SQL (``ecociv_<function>_<digest>``; DuckDB binds a view's table
names when it is read), so what follows compiles ``SELECT … FROM`` the view, not 100 KB of SQL
again (wrapping the text with ``con.sql`` would have Ibis parse it each time: 1–2 s).

Only DuckDB tables (named, in any schema) take this path; anything else (a filtered or
in-memory table, Spark, whose cost lies in its own planning) is built and compiled as before.
The result is the same Ibis table either way: the stored SQL is what Ibis compiled for it.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
from pydantic import BaseModel

CACHE_SIZE = 64
_compiled: OrderedDict[tuple, tuple[str, ibis.Schema]] = OrderedDict()


def reuse_compiled(
    build: Callable[..., ir.Table],
) -> Callable[..., ir.Table]:
    """Wrap ``build(table, *args, **kwargs) -> table`` so that its SQL is compiled once per
    (function, table name, schema, arguments) and reused (see the module docstring)."""

    @functools.wraps(build)
    def wrapper(table: ir.Table, *args: Any, **kwargs: Any) -> ir.Table:
        op = table.op()
        if not (isinstance(op, ops.DatabaseTable) and op.source.name == "duckdb"):
            return build(table, *args, **kwargs)
        where = {"catalog": op.namespace.catalog, "database": op.namespace.database}
        key = (
            build.__module__,
            build.__qualname__,
            op.name,
            tuple(where.values()),
            op.schema,
            _key(args),
            _key(kwargs),
        )
        stored = _compiled.get(key)
        if stored is None:
            unbound = ibis.table(op.schema, name=op.name, **where)
            expr = build(unbound, *args, **kwargs)
            stored = _compiled[key] = (str(ibis.to_sql(expr, dialect="duckdb")), expr.schema())
            if len(_compiled) > CACHE_SIZE:
                _compiled.popitem(last=False)
        else:
            _compiled.move_to_end(key)
        sql, schema = stored
        con = op.source
        view = f"ecociv_{build.__name__}_{hashlib.sha256(sql.encode()).hexdigest()[:16]}"
        con.raw_sql(f'CREATE OR REPLACE TEMP VIEW "{view}" AS {sql}')
        result = con.table(view)
        # DuckDB names some types more widely than Ibis declared them (year() → BIGINT, a sum
        # of integers → HUGEINT): keep the declared ones, as a freshly built expression has.
        differ = {n: t for n, t in schema.items() if result.schema()[n] != t}
        return result.mutate(**{n: result[n].cast(t) for n, t in differ.items()})

    return wrapper


def _key(value: Any) -> Any:
    """A hashable stand-in for an argument (validated rules are pydantic models with dicts)."""
    if isinstance(value, BaseModel):
        return (type(value).__qualname__, value.model_dump_json())
    if isinstance(value, dict):
        return tuple(sorted((k, _key(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_key(v) for v in value)
    hash(value)  # anything else must be hashable as it is (frozen options, strings, None)
    return value


def clear() -> None:
    """Forget every stored SQL (tests, or after changing rule files in a running process)."""
    _compiled.clear()


__all__ = ["clear", "reuse_compiled"]
