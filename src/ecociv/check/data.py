"""The rules' vocabularies and limits (``data/vocab.yaml``), loaded once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def vocab() -> dict[str, Any]:
    """Every section of ``vocab.yaml``; each has a ``source`` saying where its words come from."""
    text = resources.files("ecociv.check").joinpath("data/vocab.yaml").read_text("utf-8")
    return yaml.safe_load(text)
