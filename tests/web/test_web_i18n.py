"""The message catalogs and the templates agree: every key a template asks for exists in
Chinese and in English, and the two catalogs have the same keys."""

from __future__ import annotations

import re
from importlib import resources

from ecociv.web.i18n import load_catalogs, translator

TEMPLATES = resources.files("ecociv.web") / "templates"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_."]+?)["']""")


def template_keys() -> set[str]:
    keys = set()
    for template in TEMPLATES.iterdir():
        if template.name.endswith(".html"):
            keys |= set(LITERAL_KEY.findall(template.read_text(encoding="utf-8")))
    return keys


def test_both_catalogs_have_the_same_keys():
    catalogs = load_catalogs()
    assert set(catalogs["zh"]) == set(catalogs["en"])


def test_every_literal_key_of_the_templates_is_in_the_catalogs():
    catalogs = load_catalogs()
    keys = template_keys()
    assert len(keys) > 50  # the pattern finds the keys at all
    assert sorted(keys - set(catalogs["zh"])) == []


def test_computed_keys_exist_for_every_status_role_and_level():
    from ecociv.model import VerdictStatus
    from ecociv.store.models import REGION_LEVELS, ROLES

    catalogs = load_catalogs()
    wanted = {f"status.{s.value}" for s in VerdictStatus} | {f"role.{r}" for r in ROLES}
    wanted |= {f"level.{level}" for level in REGION_LEVELS}
    assert sorted(wanted - set(catalogs["zh"])) == []
    assert sorted(wanted - set(catalogs["en"])) == []


def test_translator_falls_back_to_chinese_then_to_the_key():
    t = translator({"zh": {"a.b": "甲{n}"}, "en": {}}, "en")
    assert t("a.b", n=1) == "甲1"
    assert t("no.such") == "no.such"


def test_computed_keys_exist_for_every_reporting_frequency():
    from ecociv.store.tables.cycle import FREQUENCIES

    catalogs = load_catalogs()
    for lang in ("zh", "en"):
        assert sorted({f"frequency.{f}" for f in FREQUENCIES} - set(catalogs[lang])) == []


def test_computed_keys_exist_for_every_source_of_the_map_standard():
    from ecociv.store.services.map_view import DEFAULT_SOURCES

    catalogs = load_catalogs()
    for lang in ("zh", "en"):
        assert sorted({f"standard_source.{s}" for s in DEFAULT_SOURCES} - set(catalogs[lang])) == []
