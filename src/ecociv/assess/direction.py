"""Which side of an indicator is better (指标方向), read from ``data/direction.yaml``.

Whether lower is better is knowledge about the indicator, not syntax of the cell: a bare
``35`` means "at most 35" for a PM2.5 concentration and "at least 35" for a coverage.  The
rules live in one data file; this module only loads and applies them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

Better = Literal["higher", "lower"]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    contains: str
    better: Better
    share: bool = False
    why: str


@dataclass(frozen=True, slots=True)
class Direction:
    """The better side of an indicator and why; ``share`` marks a 0–100 % proportion."""

    better: Better | None
    share: bool = False
    why: str = ""

    @property
    def known(self) -> bool:
        return self.better is not None


UNKNOWN = Direction(better=None, why="no direction rule matches the name")


def normalise_name(name: str) -> str:
    """NFKC-fold (full-width → ASCII, Ⅴ → V), drop whitespace: the form rules are matched on."""
    folded = unicodedata.normalize("NFKC", name)
    return "".join(folded.split())


@cache
def _rules() -> tuple[_Rule, ...]:
    text = resources.files("ecociv.assess").joinpath("data/direction.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)["rules"]
    return tuple(_Rule(**{**item, "contains": normalise_name(item["contains"])}) for item in raw)


@cache
def infer_direction(name: str) -> Direction:
    """The better side of the indicator called *name*, by the first matching rule.

    >>> infer_direction("PM2.5浓度下降幅度").better
    'higher'
    >>> infer_direction("单位地区生产总值能耗").better
    'lower'
    """
    key = normalise_name(name)
    for rule in _rules():
        if rule.contains in key:
            return Direction(better=rule.better, share=rule.share, why=rule.why)
    return UNKNOWN
