"""The public entry points of ingestion: read a file, classify it, load a plan.

``load_plan(path)`` is what the rest of ecociv calls (``ecociv audit``, the platform's
import); ``read_document`` and ``plan_from_document`` are its two halves.  Both fill
``Cell.expr`` of every value cell (:mod:`ecociv.ingest.cell_exprs`) unless ``exprs=False``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from ecociv.ingest.assemble import plan_table
from ecociv.ingest.classify import classify_table, classify_with_rule
from ecociv.ingest.column_map import ColumnMap, load_column_map
from ecociv.ingest.columns import YearContext
from ecociv.ingest.continuation import join_continued_tables
from ecociv.ingest.document import DocTable, Document
from ecociv.ingest.metadata import extract_metadata, near_and_far_years
from ecociv.model import Diagnostic, Plan, PlanSource, PlanTable


def read_document(path: str | Path) -> Document:
    """Read a .docx, .xlsx or Tika text file into a :class:`Document`.

    The content decides the reader, not the suffix: :func:`ecociv.ingest.limits.check_input`
    checks size and first bytes and says whether the file is a Word document, a workbook or
    text; a bad file is an :class:`~ecociv.errors.InputError` with a one-line message.
    """
    from ecociv.ingest.limits import check_input

    kind = check_input(path)
    if kind == "docx":
        from ecociv.ingest.docx import read_docx

        return read_docx(path)
    if kind == "xlsx":
        from ecociv.ingest.xlsx import read_xlsx

        return read_xlsx(path)
    from ecociv.ingest.tika import read_tika

    return read_tika(path)


def plan_from_document(
    document: Document, *, exprs: bool = True, column_map: ColumnMap | None = None
) -> Plan:
    """Classify every table of *document* and assemble the :class:`Plan`.

    With *exprs* (the default) the value cells of indicator and review tables carry their
    parsed expression; without, ``Cell.expr`` stays null (faster).  A *column_map* (the
    user's corrections, :mod:`ecociv.ingest.column_map`) overrides the roles it names.
    """
    base, near, far = near_and_far_years(document)
    years = YearContext(base_year=base, near_year=near, far_year=far)
    tables: list[PlanTable] = []
    doc_tables, joins = join_continued_tables(document.blocks)
    diagnostics: list[Diagnostic] = [*document.diagnostics, *joins]
    attach = _expr_attacher() if exprs else None
    for index, table in enumerate(doc_tables):
        classification = classify_table(table, years)
        rule = column_map.for_table(index, table.caption) if column_map else None
        if rule is not None and column_map is not None:
            classification = classify_with_rule(table, years, classification, rule, column_map.path)
        result, found = plan_table(table, index, classification)
        tables.append(result)
        diagnostics.extend(found)
        if attach is not None and result.kind in ("indicator", "review"):
            diagnostics.extend(attach(result, table, found))
    source = PlanSource(
        path=document.path,
        format=document.format,
        encoding=document.encoding,
        sha256=document.sha256,
        size_bytes=document.size_bytes,
    )
    metadata = extract_metadata(document, tables)
    return Plan(source=source, metadata=metadata, tables=tables, diagnostics=diagnostics)


def _expr_attacher() -> Callable[[PlanTable, DocTable, list[Diagnostic]], list[Diagnostic]]:
    """``attach_exprs`` with one cache for the plan (the parser is imported only when used)."""
    from ecociv.ingest.cell_exprs import CellReader, attach_exprs

    return partial(attach_exprs, reader=CellReader())


def load_plan(path: str | Path, *, exprs: bool = True, columns: str | Path | None = None) -> Plan:
    """Read and classify the plan document at *path* (``exprs``: see :func:`plan_from_document`;
    *columns*: a mapping file of column roles, ``docs/plan-json.md``)."""
    column_map = load_column_map(columns) if columns is not None else None
    return plan_from_document(read_document(path), exprs=exprs, column_map=column_map)
