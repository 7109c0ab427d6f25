"""GB/T 2260 administrative division codes (行政区划代码): their layout and level.

The rules and the provincial prefixes are data (``data/divisions.yaml``, with its source):
six digits ``PPCCDD`` — province ``PP0000``, city ``PPCC00``, county ``PPCCDD`` — and a town's
nine digits, its county's code followed by three (统计用区划代码).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

from ecociv.errors import InputError

LEVELS = ("province", "city", "county", "town")
LEVEL_ZH = {
    "province": "省级",
    "city": "地级（市）",
    "county": "县级（县/区）",
    "town": "乡级（乡镇/街道）",
}
_DIGITS = re.compile(r"[0-9]{6}|[0-9]{9}")


@cache
def provinces() -> dict[str, str]:
    """Provincial prefix (two digits) → province name."""
    path = resources.files("ecociv.geo") / "data" / "divisions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(key): str(name) for key, name in data["provinces"].items()}


def level_of(code: str) -> str | None:
    """The level a well-formed code names (``330000`` province, ``330500`` city, ``330502``
    county, ``330502001`` town); None for anything else, unknown provinces included."""
    if not _DIGITS.fullmatch(code) or code[:2] not in provinces():
        return None
    if len(code) == 9:
        return "town" if code[4:6] != "00" and code[6:] != "000" else None
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


def check_division_code(code: str, level: str | None = None) -> str:
    """*code* when it is a GB/T 2260 code (of *level*, when given); else :class:`InputError`
    saying what is wrong."""
    found = level_of(code)
    if found is None:
        raise InputError(
            f"行政区划代码 {code!r} 无效：应为 GB/T 2260 的 6 位数字（乡镇为 9 位），"
            "前两位为省级代码（如 330502）",
            f"invalid division code {code!r}: GB/T 2260 codes are six digits (nine for a town) "
            "starting with a province's two (e.g. 330502)",
            where="division_code",
        )
    if level is not None and found != level:
        raise InputError(
            f"行政区划代码 {code} 是{LEVEL_ZH[found]}代码，而该行政区是{LEVEL_ZH[level]}",
            f"division code {code} is a {found} code but the region is a {level}",
            where="division_code",
        )
    return code


def parent_code(code: str) -> str | None:
    """The code one level up (``330502`` → ``330500``); None for a province."""
    level = level_of(code)
    if level == "town":
        return code[:6]
    if level == "county":
        return code[:4] + "00"
    if level == "city":
        return code[:2] + "0000"
    return None
