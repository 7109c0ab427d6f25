"""docs/gep.md and the data must not drift: every item, input, method set, packaged price key
and JSON field is documented."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ecociv.gep.catalog import catalog, load_method_set, method_codes
from ecociv.gep.compute import compute
from ecociv.gep.inputs import AccountingInputs, YearInputs, measured
from ecociv.gep.output import result_dict
from ecociv.gep.prices import load_price_set, packaged_price_sets

DOC = (Path(__file__).resolve().parents[2] / "docs" / "gep.md").read_text(encoding="utf-8")


def test_every_item_input_and_method_set_is_documented():
    for item in catalog().items.values():
        assert f"`{item.code}`" in DOC, item.code
    for indicator in catalog().indicators.values():
        for code in indicator.inputs:
            assert f"| `{indicator.code}` | `{code}` |" in DOC, (indicator.code, code)
    for code in method_codes():
        assert f"`{code}`" in DOC, code


def test_every_packaged_price_is_documented_with_its_value():
    for code in packaged_price_sets():
        for price in load_price_set(code).entries.values():
            assert f"| `{price.key}` | {price.zh} | {price.value} | {price.unit} |" in DOC, (
                price.key
            )


def test_every_json_field_is_documented():
    given = AccountingInputs(
        years={2020: YearInputs(values={("water_supply", "domestic"): {"": measured(1, "m³")}})}
    )
    data = result_dict(
        compute(load_method_set("ouyang_ganzi_2017"), load_price_set("ganzi_2010"), given, 2020)
    )
    fields = set(data) | set(data["lines"][0]) | set(data["lines"][0]["provenance"])
    missing = sorted(f for f in fields if f"`{f}`" not in DOC)
    assert not missing, missing
    assert data["lines"][0]["value"] == float(Decimal("2.6") / 10_000)
