"""Which rows name the same quantity: a folded core of the name, widened by the alias groups
of ``vocab.yaml`` (``环境空气质量优良率`` and ``空气质量优良天数比率`` are one quantity)."""

from __future__ import annotations

import re

from ecociv.check.data import vocab
from ecociv.check.text import fold, strip_brackets

_MARKS = "*＊★☆#"
# a bracket that only spells a unit or an abbreviation: （%）, （EI）, （PM2.5）, （μg/m3）
_TECHNICAL = re.compile(r"[(（][A-Za-z0-9.%‰/µμ³²\-]*[)）]")


def core_name(name: str) -> str:
    """The name folded, without brackets, markers or the optional qualifiers of vocab.yaml."""
    text = strip_brackets(fold(name)).strip(_MARKS)
    for part in vocab()["prose"]["optional_name_parts"]:
        text = text.replace(part, "")
    return text


def alias_group(name: str) -> str | None:
    """The alias group a row name belongs to (its ``row`` term), if any."""
    folded = fold(name)
    for group in vocab()["prose"]["aliases"]:
        if group["row"] in folded or any(term in folded for term in group["text"]):
            return group["row"]
    return None


def identity(name: str) -> str:
    """The key under which rows of different tables are the same quantity: the alias group,
    or the name without markers, units or abbreviations in brackets and optional qualifiers.
    Other brackets stay: 生活垃圾分类覆盖率（城市） and （农村） are two quantities."""
    group = alias_group(name)
    if group:
        return f"alias:{group}"
    text = _TECHNICAL.sub("", fold(name)).strip(_MARKS)
    for part in vocab()["prose"]["optional_name_parts"]:
        text = text.replace(part, "")
    return text


def text_terms(name: str) -> list[str]:
    """The terms by which body text may name the row *name*, longest first."""
    terms = {core_name(name), strip_brackets(fold(name))}
    group = alias_group(name)
    if group:
        for entry in vocab()["prose"]["aliases"]:
            if entry["row"] == group:
                terms.update(entry["text"])
    return sorted((t for t in terms if len(t) >= 3), key=len, reverse=True)
