"""The standards data: versions, counts, codes, unknowns kept unknown, validation on load."""

from __future__ import annotations

import pytest

from ecociv.errors import InputError
from ecociv.standards.catalog import (
    UnknownStandardError,
    applies_of,
    get_indicator,
    get_standard,
    parse_standard,
    thresholds_of,
    versions,
)


def test_three_versions_with_their_counts() -> None:
    counts = {v: len(s.indicators) for v, s in versions().items()}
    assert counts == {"nat2019": 40, "nat2021": 43, "zj2019": 49}


@pytest.mark.parametrize(("version", "binding"), [("nat2019", 22), ("zj2019", 28)])
def test_attribute_split_matches_the_facts(version: str, binding: int) -> None:
    attributes = [i.attribute for i in get_standard(version).indicators]
    assert attributes.count("约束性") == binding
    assert attributes.count("参考性") == len(attributes) - binding


def test_2021_attributes_are_unknown() -> None:
    assert all(i.attribute is None for i in get_standard("nat2021").indicators)


def test_every_threshold_has_evidence() -> None:
    for standard in versions().values():
        for indicator in standard.walk():
            for threshold in indicator.thresholds:
                assert threshold.evidence.strip(), indicator.code


@pytest.mark.parametrize(
    ("code", "terrain"),
    [
        ("nat2019.eco.forest_grass_cover", "山区"),
        ("nat2019.eco.forest_grass_cover", "青藏高原地区"),
        ("nat2019.eco.forest_grass_cover", "丘陵地区"),
        ("nat2019.eco.ei", "干旱半干旱地区"),
        ("nat2021.eco.forest_grass_cover", "干旱半干旱地区"),
    ],
)
def test_unattested_thresholds_stay_unknown(code: str, terrain: str) -> None:
    (threshold,) = [t for t in thresholds_of(code) if t.when.get("terrain") == terrain]
    assert threshold.requirement == "unknown"


def test_2021_hills_threshold_is_known() -> None:
    (hills,) = [
        t
        for t in thresholds_of("nat2021.eco.forest_grass_cover")
        if t.when == {"terrain": "丘陵地区"}
    ]
    assert hills.requirement == "≥40"


def test_items_inherit_the_parent_threshold_and_scope() -> None:
    assert thresholds_of("nat2019.air.good_days_ratio")[0].requirement.startswith(
        "完成上级规定的考核任务"
    )
    assert applies_of("nat2019.economy.straw_use").city == "unknown"


def test_lookup_of_an_unknown_code_is_a_bilingual_error() -> None:
    with pytest.raises(UnknownStandardError) as caught:
        get_indicator("nat2019.air.no_such_thing")
    assert "nat2019.air.no_such_thing" in caught.value.zh


def test_a_malformed_version_file_is_rejected_with_its_name() -> None:
    text = """
version: {id: bad1, title: t, document_no: d, issued: "2024", jurisdiction: x, indicator_count: 1, evidence: e}
indicators:
  - {code: bad1.a.b, name: 甲, thresholds: [{requirement: "≥1", evidence: e, when: {terrain: 月球}}]}
"""
    with pytest.raises(InputError) as caught:
        parse_standard(text, source="bad1.yaml")
    assert caught.value.where == "bad1.yaml"
    assert "月球" in caught.value.en


def test_codes_are_unique_and_prefixed_by_version() -> None:
    for version, standard in versions().items():
        codes = [i.code for i in standard.walk()]
        assert len(codes) == len(set(codes))
        assert all(code.startswith(version + ".") for code in codes)
