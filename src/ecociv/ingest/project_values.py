"""Read the values of a project row: investment, period, units.

* **Investment** is normalised to 万元: a header or cell in 亿元 is multiplied by 10 000.
  ``/``, ``——``, ``-``, ``待定`` and an empty cell mean *no figure* (``None``, never 0).
  A figure followed by its working in brackets (``4186（34880*12%）``) keeps the working as
  a note.
* **Period**: ``2021-2025``, ``2019-2030年``, ``2021年—2025年``, a single year ``2021``, a
  date ``2020.12`` (a start or end column), ``待定`` (no years).
* **Units** (牵头单位, 实施单位) are split on 、，,；; and line breaks between whole names,
  never inside brackets: ``宁波生态环境局慈溪分局、各镇（街道、园区）`` is two units.  When
  the header reads ``牵头单位（实施单位）`` a unit written ``A（B）`` is lead A with
  implementing unit B.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NO_FIGURE = frozenset({"", "/", "／", "-", "--", "—", "——", "－", "待定", "无", "\\"})
_NUMBER = re.compile(r"^[约近]?\s*(-?\d[\d,，]*(?:\.\d+)?)\s*(亿元|万元|亿|万)?")
_BRACKET_NOTE = re.compile(r"^[（(](.+)[）)]$")
_YEAR_RANGE = re.compile(
    r"((?:19|20)\d{2})(?:[.．/]\d{1,2})?\s*年?\s*[-—–～~至到]+\s*((?:19|20)\d{2})(?:[.．/]\d{1,2})?"
)
_YEAR = re.compile(r"((?:19|20)\d{2})")
_OPEN = "（(【[《“"
_CLOSE = "）)】]》”"
_SEPARATORS = "、，,；;"
_UNIT_END = re.compile(
    r"[局委办会院所站队处室司部厅中心镇乡街道区县市村组馆园场社团校]$|公司$|政府$"
)


@dataclass(frozen=True)
class Investment:
    wan_yuan: float | None
    note: str | None = None
    understood: bool = True


def parse_investment(text: str, header_unit: str = "万元") -> Investment:
    """The investment in 万元 (``None`` when the cell gives no figure)."""
    compact = text.strip().replace(" ", "")
    if compact in NO_FIGURE:
        return Investment(None)
    match = _NUMBER.match(compact)
    if not match:
        return Investment(None, understood=False)
    value = float(match.group(1).replace(",", "").replace("，", ""))
    unit = match.group(2) or header_unit
    if unit.startswith("亿"):
        value *= 10_000
    rest = compact[match.end() :]
    note = None
    if rest:
        bracket = _BRACKET_NOTE.match(rest)
        note = bracket.group(1) if bracket else rest
    return Investment(round(value, 6), note)


def header_money_unit(header: str) -> str:
    """``亿元`` when the investment header says so, else ``万元``."""
    return "亿元" if "亿" in header else "万元"


def parse_period(text: str) -> tuple[int | None, int | None]:
    """Start and end year of a period cell (``(None, None)`` for 待定 or no year)."""
    compact = text.strip()
    match = _YEAR_RANGE.search(compact)
    if match:
        return int(match.group(1)), int(match.group(2))
    years = _YEAR.findall(compact)
    if len(years) == 1:
        return int(years[0]), int(years[0])
    return None, None


def year_of(text: str) -> int | None:
    """The year of a date cell (``2020.12``, ``2021``, ``2021年6月``), or ``None``."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def split_units(text: str) -> list[str]:
    """Split a unit cell into unit names, never inside brackets, joining wrapped lines."""
    joined = _join_wrapped_lines(text)
    units: list[str] = []
    depth = 0
    current = ""
    for char in joined:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and (char in _SEPARATORS or char == "\n"):
            units.append(current)
            current = ""
        else:
            current += char
    units.append(current)
    return [unit.strip() for unit in units if unit.strip()]


def _join_wrapped_lines(text: str) -> str:
    """Keep a line break only where the line before it ends a unit name (局, 委, 街道 …)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        out += ("\n" if _UNIT_END.search(out) else "") + line
    return out


def split_lead_and_implementing(unit: str) -> tuple[str, list[str]]:
    """``A（B、C）`` → ``("A", ["B", "C"])``; a unit without brackets → ``(unit, [])``."""
    match = re.match(r"^(.+?)[（(](.+)[）)]$", unit)
    if not match:
        return unit, []
    return match.group(1).strip(), split_units(match.group(2))
