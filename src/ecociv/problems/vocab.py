"""Vocabularies of problems (sources, categories, severities) and who is told of each step,
read once from ``data/problems.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: str


@cache
def _data() -> dict[str, Any]:
    text = resources.files("ecociv.problems").joinpath("data/problems.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _terms(section: str) -> dict[str, Term]:
    items = _data()[section]["items"]
    return {code: Term(code, item["zh"], item["en"]) for code, item in items.items()}


@cache
def sources() -> dict[str, Term]:
    return _terms("sources")


@cache
def categories() -> dict[str, Term]:
    return _terms("categories")


@cache
def severities() -> dict[str, Term]:
    return _terms("severities")


@cache
def notify_side() -> dict[str, str]:
    """Transition name → the role told when it is taken (``unit`` or ``assigner``)."""
    return dict(_data()["notify"]["items"])
