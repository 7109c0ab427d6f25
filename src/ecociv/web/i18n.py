"""Message catalogs of the web pages (界面文字): ``i18n/zh.yaml`` first, ``i18n/en.yaml`` second.

An area of the platform may keep its own messages in ``i18n/<area>.<lang>.yaml`` (for example
``projects.zh.yaml``); they are merged into the language's catalog, and a key defined twice
is an error, so two areas can never silently overwrite each other's text.

A page asks for a message by key (``t("nav.regions")``); a key missing from the English
catalog falls back to Chinese, and a key missing from both is shown as the key itself so that
a gap is visible instead of an empty label.  Catalogs are read once per app
(:func:`load_catalogs`), never at import.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Literal

import yaml

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


def load_catalogs() -> dict[str, dict[str, str]]:
    """Read every ``i18n/<lang>.yaml`` shipped with the package into flat ``{key: text}`` maps."""
    folder = resources.files("ecociv.web") / "i18n"
    catalogs: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        names = sorted(
            entry.name
            for entry in folder.iterdir()
            if entry.name.endswith(f".{lang}.yaml") or entry.name == f"{lang}.yaml"
        )
        merged: dict[str, str] = {}
        for name in names:
            raw = yaml.safe_load((folder / name).read_text(encoding="utf-8")) or {}
            for key, text in _flatten(raw):
                if key in merged:
                    raise ValueError(f"i18n/{name}: message key {key!r} is already defined")
                merged[key] = text
        catalogs[lang] = merged
    return catalogs


def _flatten(tree: dict, prefix: str = ""):
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, full + ".")
        else:
            yield full, str(value)


def translator(catalogs: dict[str, dict[str, str]], lang: str) -> Callable[..., str]:
    """``t(key, **fields)`` for *lang*, falling back to Chinese, then to the key."""
    own = catalogs.get(lang, {})
    zh = catalogs["zh"]

    def t(key: str, **fields: object) -> str:
        text = own.get(key) or zh.get(key) or key
        return text.format(**fields) if fields else text

    return t
