"""Installed stand-ins for the official fonts (``data/fonts.yaml``), put into a copy of the
.docx before LibreOffice converts it, so that the PDF uses a CJK serif for 仿宋 and 小标宋 and
a CJK sans for 黑体 instead of whatever fontconfig picks for an unknown name."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

FONT_ATTRIBUTE = re.compile(r'(w:(?:eastAsia|ascii|hAnsi|cs|name)=")([^"]+)(")')


@cache
def fallbacks() -> dict[str, list[str]]:
    path = resources.files("ecociv.report") / "data" / "fonts.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def installed_families() -> frozenset[str]:
    """Every family name fontconfig knows (empty when ``fc-list`` is absent)."""
    program = shutil.which("fc-list")
    if program is None:
        return frozenset()
    listed = subprocess.run(
        [program, ":", "family"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    return frozenset(name.strip() for line in listed.splitlines() for name in line.split(","))


def substitutions(installed: frozenset[str]) -> dict[str, str]:
    """Official name → the first installed family of its list (none when it is installed)."""
    chosen = {}
    for official, candidates in fallbacks().items():
        if official in installed:
            continue
        found = next((family for family in candidates if family in installed), None)
        if found is not None:
            chosen[official] = found
    return chosen


def substitute_fonts(source: Path, target: Path, mapping: dict[str, str]) -> None:
    """Copy the .docx *source* to *target* with the font names of *mapping* replaced."""
    with (
        zipfile.ZipFile(source) as reader,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in reader.infolist():
            data = reader.read(item)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                text = data.decode("utf-8")
                text = FONT_ATTRIBUTE.sub(
                    lambda m: m.group(1) + mapping.get(m.group(2), m.group(2)) + m.group(3), text
                )
                data = text.encode("utf-8")
            out.writestr(item, data)
