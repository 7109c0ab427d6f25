"""The Document model every reader produces: ordered blocks, tables as cell grids.

A table is a rectangular grid once the reader is done: ``rows[r][c]`` exists for every
position.  A merged region keeps its text in the top-left (origin) cell, which carries
``row_span``/``col_span``; every other position it covers is a cell with empty text and
``merged_into`` set to the origin's ``(row, col)``.  Readers that cannot see merges (Tika
text) leave spans at 1 and the classifier infers fill-down from empty cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ecociv.model import Diagnostic, SourceSpan

BlockKind = Literal["heading", "paragraph", "table"]


@dataclass
class DocCell:
    text: str
    where: SourceSpan
    row_span: int = 1
    col_span: int = 1
    merged_into: tuple[int, int] | None = None
    nested: list[DocTable] = field(default_factory=list)

    @property
    def is_merge_continuation(self) -> bool:
        return self.merged_into is not None


@dataclass
class DocTable:
    rows: list[list[DocCell]]
    where: SourceSpan
    caption: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Block:
    kind: BlockKind
    where: SourceSpan
    text: str = ""
    level: int | None = None
    table: DocTable | None = None


@dataclass
class Document:
    path: str
    format: Literal["docx", "tika", "xlsx"]
    blocks: list[Block] = field(default_factory=list)
    encoding: str | None = None
    sha256: str | None = None
    size_bytes: int | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    title: str | None = None
    """The document's own title property (.docx core properties), when it has one."""

    @property
    def tables(self) -> list[DocTable]:
        return [b.table for b in self.blocks if b.table is not None]
