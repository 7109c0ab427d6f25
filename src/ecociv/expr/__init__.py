"""The language of target and value cells: parse, render, explain (``docs/expr.md``)."""
