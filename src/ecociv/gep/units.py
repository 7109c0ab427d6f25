"""Units of the GEP accounts: a written unit to its canonical unit and exact factor.

The table is ``data/units.yaml`` in the schema of ``ecociv/expr/units.yaml`` and is read by the
same loader (:func:`ecociv.expr.vocab.unit_table`).  A price unit is a money unit over a
quantity unit (``元/m³``, ``万元/t``, ``元/hm²``); its canonical form is ``万元/<canonical>``, so
a value is always ``quantity [canonical] × price [万元/canonical] = 万元``.  With P, R and ET
in mm and areas in m², the conversion mm → m makes ``(P − R − ET)·A`` a volume in m³.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

import yaml

from ecociv.expr.vocab import Unit, unit_table

MONEY = "万元"


@dataclass(frozen=True, slots=True)
class Scale:
    """How to bring a value written in some unit to ``canonical``: multiply by ``factor``."""

    canonical: str
    factor: Decimal

    @property
    def is_price(self) -> bool:
        return self.canonical.startswith(MONEY + "/")


@cache
def table() -> dict[str, Unit]:
    """The packaged GEP unit table, loaded and validated once."""
    text = resources.files("ecociv.gep").joinpath("data/units.yaml").read_text(encoding="utf-8")
    return unit_table(yaml.safe_load(text), "gep/data/units.yaml")


def scale(unit: str) -> Scale | None:
    """The canonical unit and factor of *unit*, or ``None`` when it is not known."""
    text = unit.strip()
    known = table().get(text)
    if known is not None:
        return Scale(known.canonical, known.factor)
    money, slash, per = text.partition("/")
    numerator, denominator = table().get(money.strip()), table().get(per.strip())
    if slash and numerator and denominator and numerator.canonical == MONEY:
        return Scale(f"{MONEY}/{denominator.canonical}", numerator.factor / denominator.factor)
    return None


def written_units() -> list[str]:
    """Every unit a bureau may write (for the template's drop-down lists)."""
    return sorted(table())
