"""The standards catalog: versioned demonstration-zone indicator standards, loaded from data.

Each ``data/*.yaml`` file is one version of one standard (国家 2019, its 2021 revision,
浙江 2019 …); the registry of versions is simply the set of files in that folder, so adding a
revision is adding a file (``docs/standards.md``).  Files are validated with pydantic when
loaded and become frozen objects; a threshold the facts do not give is ``unknown`` and stays
so (the verdict engine then answers ``needs_review``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache, cached_property
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ecociv.errors import InputError

Attribute = Literal["约束性", "参考性", "预期性"]
Applicability = bool | Literal["unknown"]
UNKNOWN = "unknown"
CODE_PATTERN = r"^[a-z0-9]+(\.[a-z0-9_]+)+$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Frozen):
    """The required value for one region class (``when``), or for all when ``when`` is empty.

    ``requirement`` is a cell of the expression language (``≥18``, ``完成上级管控目标``) or
    ``"unknown"`` when no source gives it; ``evidence`` says where the value comes from.
    """

    requirement: str
    evidence: str
    when: dict[str, str] = Field(default_factory=dict)

    @property
    def known(self) -> bool:
        return self.requirement != UNKNOWN

    def matches(self, classes: Mapping[str, str]) -> bool | None:
        """True/False when *classes* decide this threshold's ``when``; None when a class is missing."""
        for dimension, wanted in self.when.items():
            have = classes.get(dimension)
            if have is None:
                return None
            if have != wanted:
                return False
        return True


class Applies(_Frozen):
    """Applicability (适用范围) by administrative level, and a coastal-only flag."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    city: Applicability = Field(alias="市")
    county: Applicability = Field(alias="县")
    coastal_only: bool = False
    evidence: str

    def at_level(self, level: str) -> Applicability:
        return self.city if level == "市" else self.county


class Indicator(_Frozen):
    """One indicator of a standard (or one ①②③ item of a composite indicator)."""

    code: str = Field(pattern=CODE_PATTERN)
    name: str
    seq: int | None = None
    mark: str | None = None
    domain: str | None = None
    task: str | None = None
    aliases: tuple[str, ...] = ()
    unit: str | None = None
    attribute: Attribute | None = None
    direction: Literal["higher", "lower"] | None = None
    definition: str | None = None
    applies: Applies | None = None
    thresholds: tuple[Threshold, ...] = ()
    items: tuple[Indicator, ...] = ()

    @field_validator("unit")
    @classmethod
    def _no_dash_unit(cls, unit: str | None) -> str | None:
        return None if unit in ("-", "") else unit

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class Version(_Frozen):
    """The header of a standard version: identity, document number, class dimensions."""

    id: str = Field(pattern=r"^[a-z0-9]+$")
    title: str
    document_no: str
    issued: str
    jurisdiction: str
    indicator_count: int
    evidence: str
    supersedes: str | None = None
    dimensions: dict[str, tuple[str, ...]] = Field(default_factory=dict)


class Standard(_Frozen):
    """A version of a standard with its indicators; lookups by code are O(1)."""

    version: Version
    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _check(self) -> Standard:
        if len(self.indicators) != self.version.indicator_count:
            raise ValueError(
                f"{self.version.id}: {len(self.indicators)} indicators, header says "
                f"{self.version.indicator_count}"
            )
        seen: set[str] = set()
        for indicator in self.walk():
            if not indicator.code.startswith(self.version.id + "."):
                raise ValueError(f"code {indicator.code} does not start with {self.version.id}.")
            if indicator.code in seen:
                raise ValueError(f"duplicate code {indicator.code}")
            seen.add(indicator.code)
            for threshold in indicator.thresholds:
                for dimension, value in threshold.when.items():
                    if value not in self.version.dimensions.get(dimension, ()):
                        raise ValueError(
                            f"{indicator.code}: class {dimension}={value} is not declared"
                        )
        return self

    def walk(self) -> Iterator[Indicator]:
        """Every indicator and every item, depth first."""
        stack = list(reversed(self.indicators))
        while stack:
            indicator = stack.pop()
            yield indicator
            stack.extend(reversed(indicator.items))

    @cached_property
    def by_code(self) -> dict[str, Indicator]:
        return {indicator.code: indicator for indicator in self.walk()}

    @cached_property
    def parent_of(self) -> dict[str, Indicator]:
        return {item.code: parent for parent in self.walk() for item in parent.items}


class UnknownStandardError(InputError):
    """A version id or an indicator code that the catalog does not hold."""


def _data_files() -> list[tuple[str, str]]:
    folder = resources.files("ecociv.standards").joinpath("data")
    return sorted(
        (entry.name, entry.read_text("utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    )


def parse_standard(text: str, *, source: str) -> Standard:
    """Validate one version file; a malformed file raises a bilingual :class:`InputError`."""
    try:
        return Standard.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError, TypeError) as exc:
        raise InputError(
            f"标准数据文件无效，请按 docs/standards.md 修正：{exc}",
            f"invalid standard data file, fix it as docs/standards.md describes: {exc}",
            where=source,
        ) from None


@cache
def versions() -> dict[str, Standard]:
    """Every standard version in the data folder, keyed by version id."""
    loaded: dict[str, Standard] = {}
    for name, text in _data_files():
        standard = parse_standard(text, source=f"ecociv/standards/data/{name}")
        loaded[standard.version.id] = standard
    return loaded


def get_standard(version: str) -> Standard:
    try:
        return versions()[version]
    except KeyError:
        known = ", ".join(sorted(versions()))
        raise UnknownStandardError(
            f"没有标准版本“{version}”；可用：{known}",
            f"no standard version {version!r}; known: {known}",
        ) from None


def get_indicator(code: str) -> Indicator:
    """The indicator (or item) with this code, in whichever version holds it."""
    version = code.split(".", 1)[0]
    indicator = get_standard(version).by_code.get(code)
    if indicator is None:
        raise UnknownStandardError(
            f"标准“{version}”中没有指标代码“{code}”",
            f"standard {version!r} has no indicator code {code!r}",
        )
    return indicator


def thresholds_of(code: str) -> tuple[Threshold, ...]:
    """The thresholds of an indicator; an item without its own inherits its parent's."""
    version = code.split(".", 1)[0]
    standard = get_standard(version)
    indicator = get_indicator(code)
    while not indicator.thresholds and indicator.code in standard.parent_of:
        indicator = standard.parent_of[indicator.code]
    return indicator.thresholds


def applies_of(code: str) -> Applies | None:
    """The applicability of an indicator; items inherit their parent's."""
    version = code.split(".", 1)[0]
    standard = get_standard(version)
    indicator = get_indicator(code)
    while indicator.applies is None and indicator.code in standard.parent_of:
        indicator = standard.parent_of[indicator.code]
    return indicator.applies
