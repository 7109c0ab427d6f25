"""The GEP accounts and the method sets, loaded from data and validated once.

``data/accounts.yaml`` holds accounts → indicators → items (each item's physical formula, unit,
valuation method and price key); ``data/methods/*.yaml`` holds one method set per document and
edition (which items it counts, which of them are verified against the document's text).  A new
edition is a new method-set file; a malformed file raises :class:`ecociv.errors.ConfigError`
naming the file and the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ecociv.errors import ConfigError
from ecociv.gep.formulas import FORMULAS, Formula
from ecociv.gep.units import MONEY, scale

_ACCOUNTS = "gep/data/accounts.yaml"
_COMPONENT_KINDS = {"ecosystem", "name"}
COEF_PREFIX = "coef."


@dataclass(frozen=True, slots=True)
class Input:
    """One input a bureau fills in: ``by`` is ``ecosystem``/``name`` for one row per component."""

    code: str
    zh: str
    unit: str
    canonical: str
    by: str | None


@dataclass(frozen=True, slots=True)
class Calc:
    """A formula with its parameters bound to input codes or ``coef.<key>`` coefficients."""

    formula: Formula
    args: dict[str, str]

    def inputs(self) -> set[str]:
        return {ref for ref in self.args.values() if not ref.startswith(COEF_PREFIX)}

    def coefficients(self) -> set[str]:
        return {
            ref[len(COEF_PREFIX) :] for ref in self.args.values() if ref.startswith(COEF_PREFIX)
        }


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the account table."""

    code: str
    zh: str
    en: str
    account: str
    indicator: str
    quantity: Calc
    unit: str
    valuation: str
    price: str | None
    value: Calc | None
    source: str


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    zh: str
    en: str
    account: str
    inputs: dict[str, Input]
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Account:
    code: str
    zh: str
    en: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Catalog:
    accounts: tuple[Account, ...]
    valuation_methods: dict[str, tuple[str, str]]
    ecosystem_types: tuple[str, ...]

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        return {i.code: i for a in self.accounts for i in a.indicators}

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.code: item for i in self.indicators.values() for item in i.items}


@dataclass(frozen=True, slots=True)
class MethodItem:
    """An item as a method set counts it: verified against the document's text or not."""

    item: Item
    verified: bool
    valuation: str
    note_zh: str
    note_en: str


@dataclass(frozen=True)
class MethodSet:
    code: str
    zh: str
    en: str
    document: str
    edition: str
    verified: bool
    source: str
    external_deduction: bool
    items: tuple[MethodItem, ...]
    not_covered: tuple[dict[str, str], ...]

    def unverified(self) -> tuple[MethodItem, ...]:
        return tuple(m for m in self.items if not m.verified)


def _need(entry: Any, key: str, where: str) -> Any:
    if not isinstance(entry, dict) or entry.get(key) in (None, ""):
        raise ConfigError(
            f"缺少字段 {key}：{entry}", f"field {key} is missing: {entry}", where=where
        )
    return entry[key]


def _unit(text: str, where: str) -> str:
    found = scale(str(text))
    if found is None:
        raise ConfigError(f"未知单位 {text}", f"unknown unit {text}", where=where)
    return found.canonical


def _calc(raw: Any, inputs: dict[str, Input], where: str) -> Calc:
    name = _need(raw, "formula", where)
    formula = FORMULAS.get(name)
    if formula is None:
        raise ConfigError(
            f"未知公式 {name}（可用：{sorted(FORMULAS)}）",
            f"unknown formula {name} (known: {sorted(FORMULAS)})",
            where=where,
        )
    args = {str(k): str(v) for k, v in (raw.get("args") or {}).items()}
    if set(args) != set(formula.params):
        raise ConfigError(
            f"公式 {name} 的参数应为 {list(formula.params)}，写的是 {sorted(args)}",
            f"formula {name} takes {list(formula.params)}, bound {sorted(args)}",
            where=where,
        )
    for param, ref in args.items():
        if ref.startswith(COEF_PREFIX):
            if param in formula.per_component:
                raise ConfigError(
                    f"参数 {param} 按分项取值，不能绑定系数 {ref}",
                    f"parameter {param} is per component and cannot take coefficient {ref}",
                    where=where,
                )
            continue
        if ref not in inputs:
            raise ConfigError(
                f"参数 {param} 引用了未声明的输入项 {ref}",
                f"parameter {param} refers to undeclared input {ref}",
                where=where,
            )
        if (inputs[ref].by is not None) != (param in formula.per_component):
            raise ConfigError(
                f"输入项 {ref} 是否分项与公式 {name} 的参数 {param} 不一致",
                f"input {ref} and parameter {param} of {name} disagree on being per component",
                where=where,
            )
    return Calc(formula, args)


def _item(raw: Any, indicator: str, account: str, inputs, methods, where: str) -> Item:
    code = f"{indicator}.{_need(raw, 'code', where)}"
    where = f"{where} {code}"
    valuation = _need(raw, "valuation", where)
    if valuation not in methods:
        raise ConfigError(
            f"未知核算方法 {valuation}", f"unknown valuation method {valuation}", where=where
        )
    price, value = raw.get("price"), raw.get("value")
    if (price is None) == (value is None):
        raise ConfigError(
            "条目须有且只有 price（单价键）或 value（价值公式）之一",
            "an item needs exactly one of price (a price key) or value (a money formula)",
            where=where,
        )
    return Item(
        code=code,
        zh=_need(raw, "zh", where),
        en=_need(raw, "en", where),
        account=account,
        indicator=indicator,
        quantity=_calc(_need(raw, "quantity", where), inputs, where),
        unit=_unit(_need(raw, "unit", where), where),
        valuation=valuation,
        price=price,
        value=_calc(value, inputs, where) if value is not None else None,
        source=_need(raw, "source", where),
    )


def _indicator(raw: Any, account: str, methods, where: str) -> Indicator:
    code = _need(raw, "code", where)
    where = f"{where} {code}"
    inputs: dict[str, Input] = {}
    for entry in _need(raw, "inputs", where):
        by = entry.get("by")
        if by is not None and by not in _COMPONENT_KINDS:
            raise ConfigError(
                f"by 只能是 {_COMPONENT_KINDS}",
                f"by must be one of {_COMPONENT_KINDS}",
                where=where,
            )
        unit = str(_need(entry, "unit", where))
        inputs[_need(entry, "code", where)] = Input(
            entry["code"], _need(entry, "zh", where), unit, _unit(unit, where), by
        )
    items = tuple(
        _item(e, code, account, inputs, methods, where) for e in _need(raw, "items", where)
    )
    for item in items:
        if item.value is not None and any(
            inputs[ref].canonical != MONEY for ref in item.value.inputs()
        ):
            raise ConfigError(
                f"条目 {item.code} 的价值公式只能引用货币输入项（{MONEY}）",
                f"the value formula of {item.code} may only use money inputs ({MONEY})",
                where=where,
            )
    return Indicator(code, _need(raw, "zh", where), _need(raw, "en", where), account, inputs, items)


def _read(path: Path | str, name: str) -> dict[str, Any]:
    try:
        text = (
            path.read_text(encoding="utf-8")
            if isinstance(path, Path)
            else resources.files("ecociv").joinpath(path).read_text(encoding="utf-8")
        )
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"无法读取：{exc}", f"cannot read: {exc}", where=name) from None
    if not isinstance(data, dict):
        raise ConfigError("文件内容不是映射", "the file is not a mapping", where=name)
    return data


@cache
def catalog() -> Catalog:
    """The packaged accounts, loaded and validated once."""
    data = _read(_ACCOUNTS, _ACCOUNTS)
    methods = {
        k: (v["zh"], v["en"]) for k, v in _need(data, "valuation_methods", _ACCOUNTS).items()
    }
    accounts = []
    for raw in _need(data, "accounts", _ACCOUNTS):
        code = _need(raw, "code", _ACCOUNTS)
        indicators = tuple(
            _indicator(i, code, methods, _ACCOUNTS) for i in _need(raw, "indicators", _ACCOUNTS)
        )
        accounts.append(
            Account(code, _need(raw, "zh", _ACCOUNTS), _need(raw, "en", _ACCOUNTS), indicators)
        )
    codes = [item.code for a in accounts for i in a.indicators for item in i.items]
    if len(codes) != len(set(codes)):
        raise ConfigError("条目代码重复", "item codes repeat", where=_ACCOUNTS)
    return Catalog(tuple(accounts), methods, tuple(_need(data, "ecosystem_types", _ACCOUNTS)))


DEFAULT_METHOD = "ouyang_ganzi_2017"
"""The method set used when none is named (the only one checked against its text, GEP.md §2.2)."""


def method_codes() -> list[str]:
    """The codes of the packaged method sets."""
    folder = resources.files("ecociv").joinpath("gep/data/methods")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_method_set(ref: str | Path) -> MethodSet:
    """A packaged method set by code, or a method-set YAML file by path."""
    if isinstance(ref, Path) or str(ref).endswith((".yaml", ".yml")):
        path: Path | str = Path(ref)
        name = str(ref)
    elif ref in method_codes():
        path = name = f"gep/data/methods/{ref}.yaml"
    else:
        raise ConfigError(
            f"未知核算方法集 {ref}（可用：{method_codes()}，或给出 YAML 文件路径）",
            f"unknown method set {ref} (known: {method_codes()}, or give a YAML file path)",
        )
    return _method_set(_read(path, name), name)


def _method_set(data: dict[str, Any], name: str) -> MethodSet:
    known = catalog()
    verified = bool(_need(data, "verified", name) is True)
    items: list[MethodItem] = []
    for entry in _need(data, "items", name):
        raw = {"item": entry} if isinstance(entry, str) else entry
        code = _need(raw, "item", name)
        item = known.items.get(code)
        if item is None:
            raise ConfigError(f"未知条目 {code}", f"unknown item {code}", where=name)
        valuation = raw.get("valuation", item.valuation)
        if valuation not in known.valuation_methods:
            raise ConfigError(
                f"条目 {code} 的核算方法 {valuation} 未知",
                f"item {code} has an unknown valuation method {valuation}",
                where=name,
            )
        if bool(raw.get("note")) != bool(raw.get("note_en")):
            raise ConfigError(
                f"条目 {code} 的说明须中英文都有（note 与 note_en）",
                f"item {code} needs its note in both languages (note and note_en)",
                where=name,
            )
        items.append(
            MethodItem(
                item=item,
                verified=bool(raw.get("verified", verified)),
                valuation=valuation,
                note_zh=raw.get("note", ""),
                note_en=raw.get("note_en", ""),
            )
        )
    return MethodSet(
        code=_need(data, "code", name),
        zh=_need(data, "zh", name),
        en=_need(data, "en", name),
        document=_need(data, "document", name),
        edition=str(_need(data, "edition", name)),
        verified=verified,
        source=_need(data, "source", name),
        external_deduction=bool(data.get("external_deduction", False)),
        items=tuple(items),
        not_covered=tuple(
            {k: str(_need(entry, k, name)) for k in ("zh", "en", "note", "note_en")}
            for entry in data.get("not_covered") or ()
        ),
    )
