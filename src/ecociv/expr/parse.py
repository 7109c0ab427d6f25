"""Parse a cell: ``parse(text)`` for requirements, ``parse_value(text)`` for observed values.

Neither ever raises on user text.  Whatever cannot be read becomes a
:class:`~ecociv.expr.ast.Text` node (raw text kept) with a diagnostic that points at the
position in the raw cell, in display columns (a Chinese character is two columns wide).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, VisitError
from lark.lexer import Lexer

from ecociv.expr import ast
from ecociv.expr.cells import CIRCLED, Line, digit_label, layout
from ecociv.expr.lexer import end_of, start_of, tokenize
from ecociv.expr.normalize import caret_line, display_position, normalize
from ecociv.expr.transform import ToAst, Unreadable
from ecociv.expr.values import as_value
from ecociv.expr.walk import children
from ecociv.model import Diagnostic

_TRAILING = {"SEMI", "COMMA", "DUN"}


@dataclass(frozen=True, slots=True)
class ExprDiagnostic:
    """Why (part of) a cell was not fully understood, and where: ``offset`` is the raw
    character index, ``line``/``column`` are 1-based, the column in display cells."""

    code: str
    message_zh: str
    message_en: str
    offset: int
    line: int
    column: int
    length: int = 1
    severity: str = "warning"

    def caret(self, raw: str) -> str:
        """The raw line with a caret under the position (CJK characters two columns wide)."""
        return caret_line(raw, self.offset, self.length)

    def to_model(self, raw: str, **where: object) -> Diagnostic:
        """As an :class:`ecociv.model.Diagnostic` (the position goes into the messages)."""
        pos_zh, pos_en = (
            f"第{self.line}行第{self.column}列",
            f"line {self.line}, column {self.column}",
        )
        return Diagnostic(
            code=self.code,
            severity=self.severity,  # type: ignore[arg-type]
            message_zh=f"{pos_zh}：{self.message_zh}",
            message_en=f"{pos_en}: {self.message_en}",
            text=raw,
            **where,  # type: ignore[arg-type]
        )


@dataclass(frozen=True, slots=True)
class ParseResult:
    expr: ast.Expr
    diagnostics: tuple[ExprDiagnostic, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when no part of the cell was left as :class:`~ecociv.expr.ast.Text`."""
        return not contains_text(self.expr)


def contains_text(expr: ast.Expr) -> bool:
    """Whether any node of ``expr`` is a :class:`~ecociv.expr.ast.Text`."""
    return isinstance(expr, ast.Text) or any(contains_text(c) for c in children(expr))


class _TokenList(Lexer):
    """Lark 'lexer' that hands on the tokens our vocabulary lexer already made."""

    def __init__(self, conf: object) -> None:
        pass

    def lex(self, data):  # type: ignore[override]
        yield from data


@cache
def _parser() -> Lark:
    grammar = resources.files("ecociv.expr").joinpath("grammar.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", lexer=_TokenList, maybe_placeholders=False)


_TRANSFORMER = ToAst()  # stateless


class _Cell:
    """One parse of one cell: raw text, origin map and the diagnostics collected."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.diagnostics: list[ExprDiagnostic] = []

    def diag(self, code: str, zh: str, en: str, offset: int, length: int = 1, severity="warning"):
        line, column = display_position(self.raw, offset)
        self.diagnostics.append(
            ExprDiagnostic(code, zh, en, offset, line, column, max(1, length), severity)
        )

    def text_node(
        self, line: Line, start: int, end: int, zh: str, en: str, at: int, length: int = 1
    ) -> ast.Text:
        """A Text node for ``line.text[start:end]`` with a diagnostic at index ``at``."""
        raw_at = line.origin[min(at, len(line.origin) - 1)] if line.origin else 0
        if at >= len(line.origin) and line.origin:
            raw_at = line.origin[-1] + 1
        lo = line.origin[start] if start < len(line.origin) else raw_at
        hi = line.origin[end - 1] + 1 if 0 < end <= len(line.origin) else raw_at
        self.diag("expr.unreadable", zh, en, raw_at, length)
        return ast.Text(self.raw[lo:hi].strip(), f"{zh} / {en}")

    def tokens_to_expr(self, line: Line, tokens: list[Token], start: int, end: int) -> ast.Expr:
        while tokens and tokens[-1].type in _TRAILING:
            tokens = tokens[:-1]
            end = end_of(tokens[-1]) if tokens else start
        if not tokens:
            return self.text_node(line, start, end, "没有内容", "nothing to read", start)
        try:
            tree = _parser().parse(tokens)
            return _TRANSFORMER.transform(tree)
        except UnexpectedInput as err:
            token = getattr(err, "token", None)
            if isinstance(token, Token) and token.type != "$END" and token.start_pos is not None:
                where, length = start_of(token), len(token)
                zh, en = f"此处无法理解：“{token}”", f"cannot read “{token}” here"
            elif tokens[-1].type in ("TEXT", "NOTE"):
                where, length = start_of(tokens[-1]), len(tokens[-1])
                zh = f"“{tokens[-1]}”不是已知的写法（可在 vocab.yaml 中补充）"
                en = f"“{tokens[-1]}” is not a known form (vocab.yaml may be extended)"
            else:
                where, length = end, 1
                zh, en = "内容不完整，意外结束", "the cell ends before the value is complete"
            return self.text_node(line, start, end, zh, en, where, length)
        except VisitError as err:
            exc = err.orig_exc
            if isinstance(exc, Unreadable):
                return self.text_node(line, start, end, exc.zh, exc.en, start)
            # A fault of ours must not lose the cell or stop an ingest: keep it, say so.
            zh = f"解析器内部错误（{type(exc).__name__}），请报告此单元格"
            en = f"internal parser error ({type(exc).__name__}); please report this cell"
            return self.text_node(line, start, end, zh, en, start)

    def parse_line(self, line: Line) -> ast.Expr:
        tokens = tokenize(line.text)
        cuts = [i for i, t in enumerate(tokens) if t.type == "CIRCLED"]
        if not cuts:
            return self.tokens_to_expr(line, tokens, 0, len(line.text))
        items: list[tuple[str, ast.Expr]] = []
        bounds = [*cuts, len(tokens)]
        for a, b in pairwise(bounds):
            seg = tokens[a + 1 : b]
            s = end_of(tokens[a])
            e = start_of(tokens[b]) if b < len(tokens) else len(line.text)
            items.append((str(tokens[a]), self.tokens_to_expr(line, seg, s, e)))
        self._check_sequence([label for label, _ in items], line)
        result: ast.Expr = ast.Items(tuple(items))
        if cuts[0] > 0:
            head = self.tokens_to_expr(line, tokens[: cuts[0]], 0, start_of(tokens[cuts[0]]))
            result = ast.AllOf((head, result))
        return result

    def _check_sequence(self, labels: list[str], line: Line) -> None:
        expected = list(CIRCLED[: len(labels)])
        if len(labels) > 1 and labels != expected:
            self.diag(
                "expr.item_labels",
                f"分项标号 {''.join(labels)} 不连续，按出现顺序读取",
                f"item labels {''.join(labels)} are not in sequence; read in order",
                line.origin[0] if line.origin else 0,
                severity="info",
            )


def _parse(raw: str) -> tuple[ast.Expr, _Cell]:
    cell = _Cell(raw)
    cell_layout = layout(normalize(raw))
    if not cell_layout.lines:
        cell.diag("expr.empty", "单元格为空", "the cell is empty", 0, severity="info")
        return ast.Text(raw.strip(), "没有内容 / nothing to read"), cell
    joined = cell.parse_line(cell_layout.joined())
    if not contains_text(joined) or cell_layout.labelled:
        return joined, cell
    if len(cell_layout.lines) == 1:
        return _single_label(raw, cell_layout.lines[0]) or (joined, cell)
    if any(char in CIRCLED for line in cell_layout.lines for char in line.text):
        return joined, cell  # labels in some lines only: no reading by lines
    trial = _Cell(raw)
    per_line = [trial.parse_line(line) for line in cell_layout.lines]
    if any(contains_text(e) for e in per_line):
        return joined, cell
    trial.diag(
        "expr.items_from_lines",
        "各行分别读作分项（①②③…）",
        "each line read as one item (①②③…)",
        0,
        severity="info",
    )
    return ast.Items(tuple(zip(CIRCLED, per_line, strict=False))), trial


def _single_label(raw: str, line: Line) -> tuple[ast.Expr, _Cell] | None:
    """``2 298.95``: read the leading number as a lost item label, and say so."""
    relabelled = digit_label(line)
    if relabelled is None:
        return None
    trial = _Cell(raw)
    expr = trial.parse_line(relabelled)
    if contains_text(expr):
        return None
    label = raw.lstrip()[: len(raw.lstrip()) - len(raw.lstrip().lstrip("0123456789"))]
    trial.diag(
        "expr.digit_label",
        f"开头的“{label}”按分项标号读取（{relabelled.text[0]}）；若它属于数值，请核对原文",
        f"the leading “{label}” is read as an item label ({relabelled.text[0]}); "
        "if it belongs to the number, check the source",
        line.origin[0],
    )
    return expr, trial


def _whole(raw: str) -> tuple[ast.Expr, _Cell]:
    """Parse, and keep a cell that is not fully understood whole, as one Text node.

    A cell is either read completely or kept verbatim: the diagnostics still point at each
    unreadable part, and ``render`` gives the raw text back, so re-reading it gives the same.
    """
    expr, cell = _parse(raw)
    if isinstance(expr, ast.Text) or not contains_text(expr):
        return expr, cell
    first = next(_texts(expr))
    return ast.Text(raw.strip(), first.reason), cell


def _texts(expr: ast.Expr) -> Iterator[ast.Text]:
    if isinstance(expr, ast.Text):
        yield expr
    for child in children(expr):
        yield from _texts(child)


def parse(text: str) -> ParseResult:
    """Parse a requirement cell (a target or a standard threshold); never raises.

    Results are immutable and cached (plans repeat ``100``, ``≥90``, ``持续提高`` often).
    """
    return _parse_requirement(str(text))


@lru_cache(maxsize=8192)
def _parse_requirement(text: str) -> ParseResult:
    expr, cell = _whole(text)
    return ParseResult(expr, tuple(cell.diagnostics))


_FOOTNOTE_NUMBER = re.compile(r"^\s*(\d+\.\d*\d)\s*$")


@dataclass(frozen=True, slots=True)
class FootnoteSplit:
    """A number read without its trailing footnote mark, and the other reading."""

    value: Decimal
    mark: str
    unsplit: Decimal


def split_footnote(text: str, marks: tuple[str, ...]) -> FootnoteSplit | None:
    """If ``text`` is a decimal number ending in one of the footnote ``marks`` (the caller knows
    the table has such notes, e.g. ``注：1该指标为2018年数据``), the number without the mark.

    ``8.481`` with marks ``("1",)`` → 8.48 + mark ``1`` (the other reading, 8.481, is kept).
    """
    m = _FOOTNOTE_NUMBER.match(normalize(text).text)
    if not m:
        return None
    number = m.group(1)
    for mark in sorted(marks, key=len, reverse=True):
        head = number[: -len(mark)]
        if number.endswith(mark) and "." in head and not head.endswith("."):
            return FootnoteSplit(Decimal(head), mark, Decimal(number))
    return None


def parse_value(text: str, footnote_marks: tuple[str, ...] = ()) -> ParseResult:
    """Parse an observed-value cell (a baseline, a stated current value); never raises.

    Quota phrases here are claims (``完成上级规定的考核任务`` → met); a value followed by a
    claim becomes a :class:`~ecociv.expr.ast.Statement`.  With ``footnote_marks``, a trailing
    mark is split off a number and flagged (see :func:`split_footnote`).
    """
    return _parse_value(str(text), tuple(str(m) for m in footnote_marks))


@lru_cache(maxsize=8192)
def _parse_value(raw: str, footnote_marks: tuple[str, ...]) -> ParseResult:
    split = split_footnote(raw, footnote_marks) if footnote_marks else None
    if split is not None:
        cell = _Cell(raw)
        at = len(raw.rstrip()) - len(split.mark)
        cell.diag(
            "expr.footnote_mark",
            f"末尾的“{split.mark}”按脚注标记读取，值为 {split.value}；若它属于数值，值为 {split.unsplit}",
            f"the trailing “{split.mark}” is read as a footnote mark, value {split.value}; "
            f"if it belongs to the number, the value is {split.unsplit}",
            at,
            len(split.mark),
        )
        note = ast.Annotated(ast.Number(split.value), f"注{split.mark}")
        return ParseResult(note, tuple(cell.diagnostics))
    expr, cell = _whole(raw)
    return ParseResult(as_value(expr), tuple(cell.diagnostics))
