"""Match a plan's indicator name to a standard indicator, with a confidence and a reason.

Plans write the same indicator many ways: 森林覆盖率 for 林草覆盖率, ``城镇污水处理率（%）``,
``*生态环境状况指数（EI）``, full-width letters, line breaks inside the name.  The matcher
folds those variants and then tries, in order: the exact name or an alias, the name without
bracketed qualifiers, containment, and character-bigram similarity (Dice coefficient).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from ecociv.standards.catalog import Indicator, get_standard

_BRACKETS = re.compile(r"[(\[【][^)\]】]*[)\]】]")
_MARKERS = re.compile(r"^[*＊★☆#]+|[*＊★☆#]+$")
_ITEM_PREFIX = re.compile(r"^(?:[①-⑳]|\d{1,2}[.、 ]?(?=\D))")
_PUNCT = re.compile(r"[：:，,。；;、\"“”'‘’]")
_CHANGE_WORDS = ("降低", "下降", "减少", "削减", "提高", "增长", "幅度")
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class Match:
    """The indicator a name was matched to (``None`` if none), how sure, and why."""

    indicator: Indicator | None
    confidence: float
    reason: str


def fold(name: str) -> str:
    """NFKC-fold, drop whitespace, ``*`` markers, item numbers and punctuation."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    text = _MARKERS.sub("", text)
    text = _ITEM_PREFIX.sub("", text)
    text = text.replace("％", "%")
    return _PUNCT.sub("", text)


def strip_brackets(folded: str) -> str:
    """Drop bracketed qualifiers: ``城镇污水处理率(%)`` → ``城镇污水处理率``."""
    return _BRACKETS.sub("", folded)


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset({text})


def dice(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of *a* and *b* (1.0 = same bigrams)."""
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


@cache
def _variants(version: str) -> tuple[tuple[str, str, Indicator, bool], ...]:
    """(folded, folded without brackets, indicator, is_alias) for every name of every indicator."""
    rows = []
    for indicator in get_standard(version).walk():
        for position, name in enumerate(indicator.names):
            folded = fold(name)
            rows.append((folded, strip_brackets(folded), indicator, position > 0))
    return tuple(rows)


@cache
def match(name: str, version: str = "nat2021") -> Match:
    """The standard indicator of *version* that *name* denotes, with a confidence in [0, 1].

    >>> match("森林覆盖率（%）", "nat2021").indicator.code
    'nat2021.eco.forest_grass_cover'
    """
    folded = fold(name)
    bare = strip_brackets(folded)
    if not bare:
        return Match(None, 0.0, "empty name")
    rows = _variants(version)
    for full, _short, indicator, alias in rows:
        if folded == full:
            kind = "alias" if alias else "name"
            return Match(indicator, 1.0 if not alias else 0.95, f"exact {kind}: {full}")
    for full, short, indicator, _alias in rows:
        if bare == short or bare == full:
            return Match(indicator, 0.9, f"same name without bracketed qualifiers: {short}")
    best: Match = Match(None, 0.0, f"no indicator of {version} resembles {bare}")
    for _, short, indicator, _alias in rows:
        candidate = _resemblance(bare, short, indicator)
        if candidate.confidence > best.confidence:
            best = candidate
    if best.confidence < MIN_CONFIDENCE:
        return Match(None, best.confidence, f"no indicator of {version} resembles {bare}")
    return best


def _resemblance(bare: str, short: str, indicator: Indicator) -> Match:
    """Containment or bigram similarity; a change word only one side has caps the score."""
    if min(len(short), len(bare)) >= 4 and (short in bare or bare in short):
        score = 0.6 + 0.3 * min(len(short), len(bare)) / max(len(short), len(bare))
        reason = f"one name contains the other: {bare} / {short}"
    else:
        score = 0.9 * dice(bare, short)
        reason = f"similar characters (Dice {score / 0.9:.2f}): {bare} / {short}"
    if any((word in bare) != (word in short) for word in _CHANGE_WORDS):
        score = min(score, 0.55)
        reason = f"{bare} and {short} differ by a change word: maybe not the same quantity"
    return Match(indicator, round(score, 3), reason)
