"""Method sets as data: a new edition is a YAML file; malformed ones are refused by name."""

from __future__ import annotations

import pytest

from ecociv.errors import ConfigError
from ecociv.gep.catalog import catalog, load_method_set, method_codes

EDITION = """\
code: db33_2274_2030
zh: 假想的 2030 版
en: an imagined 2030 edition
document: DB33/T 2274-2030
edition: '2030'
verified: true
source: test
items:
  - water_supply.domestic
  - {item: carbon_oxygen.carbon, valuation: carbon_market, verified: false, note: 待核, note_en: to check}
"""


def test_a_new_edition_is_a_data_file(tmp_path):
    path = tmp_path / "edition.yaml"
    path.write_text(EDITION, "utf-8")
    method = load_method_set(path)
    assert [m.item.code for m in method.items] == ["water_supply.domestic", "carbon_oxygen.carbon"]
    assert [m.item.code for m in method.unverified()] == ["carbon_oxygen.carbon"]
    assert method.items[1].valuation == "carbon_market"


@pytest.mark.parametrize(
    ("change", "en"),
    [
        (("water_supply.domestic", "water_supply.kitchen"), "unknown item water_supply.kitchen"),
        (
            ("valuation: carbon_market", "valuation: guesswork"),
            "unknown valuation method guesswork",
        ),
        ((", note_en: to check", ""), "note in both languages"),
        (("verified: true\n", ""), "field verified is missing"),
    ],
)
def test_a_malformed_method_set_names_its_file(tmp_path, change, en):
    path = tmp_path / "bad.yaml"
    path.write_text(EDITION.replace(*change), "utf-8")
    with pytest.raises(ConfigError) as err:
        load_method_set(path)
    assert en in err.value.en and err.value.where == str(path)


def test_unknown_method_code_lists_the_known_ones():
    with pytest.raises(ConfigError) as err:
        load_method_set("gb_1900")
    assert all(code in err.value.zh for code in method_codes())


def test_packaged_sets_and_their_verification_state():
    assert {m.item.code for m in load_method_set("ouyang_ganzi_2017").items} == set(catalog().items)
    for code in ("gbt_46869_2025", "db33_2274_2025"):
        method = load_method_set(code)
        assert not method.verified and len(method.unverified()) == len(method.items)
        assert method.not_covered
