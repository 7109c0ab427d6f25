"""Turn normalised cell text into grammar tokens, driven by the vocabulary.

At each position the longest match over all token classes wins (ties: the class listed
first in :func:`ecociv.expr.vocab.vocabulary`, then the fixed token shapes below).  Text that
no class matches accumulates into a ``TEXT`` token (a label such as ``水质优良率`` or an object
such as ``黑臭水体``).  Two tokens are context-sensitive: ``UNIT`` is only read right after a
number (glued to it, except ``%``), ``ZHONG`` (中) only right after a milestone word.  Short vocabulary words glued to
free text (``优`` in ``水质优良率``, ``劣V类`` in ``劣V类水体比例``) are folded back into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from lark import Token

from ecociv.expr.vocab import Vocabulary, vocabulary

SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("YEAR_RANGE", re.compile(r"(?:19|20)\d{2}\s*[-—~至到]\s*(?:19|20)\d{2}年")),
    ("YEAR", re.compile(r"(?:19|20)\d{2}年")),
    ("RANGE", re.compile(r"\d+(?:\.\d+)?\s*[-~～—至]\s*\d+(?:\.\d+)?(?![\d年.])")),
    # A leading minus belongs to the number (-5) unless it follows a digit (a range 5-10).
    (
        "NUMBER",
        re.compile(r"(?:(?<![\d.])-)?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"),
    ),
    ("CIRCLED", re.compile(r"[①-⑳]")),
    ("GRADE", re.compile(r"劣(?:Ⅴ|V|五)类?|(?:Ⅳ|Ⅴ|Ⅰ|Ⅱ|Ⅲ|IV|V|III|II|I)类?|[一二三四五]类")),
    ("ABSENCE", re.compile(r"(?:无|不发生)[^\s,;:。、()\[\]【】①-⑳]+")),
    ("NOTE", re.compile(r"\([^()]*\)")),
)
# A unit is read only glued to its number (25μg/m3), except these after a space (90 %):
# after a space a word is the label of what follows (城区街道 26.6 涉农街道 31.6).
_SPACED_UNITS = {"%", "‰"}
# Tokens folded into adjacent free text when glued to it (no space between).
_WEAK = {"GRADE", "QUAL", "SCOPE"}


@cache
def _matchers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(terminal, pattern) in priority order: vocabulary classes first, then fixed shapes."""
    pairs = [(cls.terminal, m) for cls in vocabulary().token_classes for m in cls.matchers]
    return (*pairs, *SHAPES)


def _longest(text: str, pos: int) -> tuple[str, int]:
    best_type, best_len = "", 0
    for terminal, pattern in _matchers():
        m = pattern.match(text, pos)
        if m and m.end() - pos > best_len:
            best_type, best_len = terminal, m.end() - pos
    return best_type, best_len


def _unit_match(vocab: Vocabulary, text: str, pos: int) -> int:
    m = vocab.unit_pattern.match(text, pos)
    return m.end() - pos if m else 0


def start_of(token: Token) -> int:
    """Start index of a token this lexer made (always set)."""
    return token.start_pos or 0


def end_of(token: Token) -> int:
    """End index of a token this lexer made (always set)."""
    return token.end_pos or 0


def _tok(kind: str, text: str, start: int, end: int) -> Token:
    return Token(kind, text[start:end], start_pos=start, end_pos=end)


def _raw_tokens(text: str, vocab: Vocabulary) -> Iterator[Token]:
    pos, text_start = 0, -1
    previous = ""
    while pos < len(text):
        char = text[pos]
        glued = pos > 0 and text[pos - 1] not in " \n"
        kind, length = "", 0
        if char in " \n":
            pass
        elif (
            previous in ("NUMBER", "RANGE")
            and (glued or char in _SPACED_UNITS)
            and (n := _unit_match(vocab, text, pos))
        ):
            kind, length = "UNIT", n
        elif previous == "MILESTONE" and char == "中":
            kind, length = "ZHONG", 1
        else:
            kind, length = _longest(text, pos)
        if kind or char in " \n":
            if text_start >= 0:
                yield _tok("TEXT", text, text_start, pos)
                text_start = -1
            if kind:
                yield _tok(kind, text, pos, pos + length)
                previous = kind
                pos += length
            else:
                pos += 1
                if previous not in ("NUMBER", "RANGE"):
                    previous = ""
            continue
        if text_start < 0:
            text_start = pos
        previous = "TEXT"
        pos += 1
    if text_start >= 0:
        yield _tok("TEXT", text, text_start, len(text))


def _weak(token: Token) -> bool:
    return token.type in _WEAK and (token.type == "GRADE" or len(token) == 1)


def _fold_weak(tokens: list[Token], text: str) -> list[Token]:
    """Fold weak tokens glued to free text into that text (repeat until stable)."""
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        while len(out) >= 2:
            a, b = out[-2], out[-1]
            glued = a.end_pos == b.start_pos
            if glued and (
                (a.type == "TEXT" and (b.type == "TEXT" or _weak(b)))
                or (_weak(a) and b.type == "TEXT")
            ):
                out[-2:] = [_tok("TEXT", text, start_of(a), end_of(b))]
            else:
                break
    return out


_VERBS = {"MILESTONE", "ACHIEVE", "ZHONG"}


def _objects(tokens: list[Token]) -> list[Token]:
    """Free text or a class glued to a milestone or achievement word is its object
    (``全面消除黑臭水体``); after a space it is the label of what follows instead."""
    out = list(tokens)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        if a.type in _VERBS and b.type in ("TEXT", "GRADE") and end_of(a) == start_of(b):
            out[i] = Token("OBJECT", str(b), start_pos=start_of(b), end_pos=end_of(b))
    return out


def tokenize(text: str) -> list[Token]:
    """Tokens of normalised ``text``; never raises."""
    vocab = vocabulary()
    return _objects(_fold_weak(list(_raw_tokens(text, vocab)), text))
