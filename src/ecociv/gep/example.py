"""A filled GEP input workbook with synthetic numbers, for the demo and the tests.

The numbers are invented (of the order of a hilly district of a few hundred km² in Zhejiang);
they exercise every kind of input: plain quantities, values by ecosystem type, money inputs,
GDP, a price index, and two years so that the year-on-year change at constant prices shows.
*scale* multiplies every physical quantity, so that sibling districts differ.  The workbook is
the ``ecociv gep template`` one filled in, and reads back through
:func:`ecociv.gep.workbook.read_inputs` like any a bureau fills.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import IO

from openpyxl import load_workbook

from ecociv.gep.catalog import load_method_set
from ecociv.gep.template import write_template
from ecociv.gep.workbook import INDEX, INFO, PHYSICAL, YEARS

SOURCE = "合成示例数据 / synthetic example"

PLAIN: tuple[tuple[str, str, str, float], ...] = (
    ("farm_products", "agriculture", "万元", 41_800),
    ("farm_products", "forestry", "万元", 9_650),
    ("water_supply", "domestic", "万m³", 2_380),
    ("water_supply", "industrial", "万m³", 3_150),
    ("water_supply", "agricultural", "万m³", 8_720),
    ("eco_energy", "hydropower", "万kWh", 12_400),
    ("soil_retention", "retention", "万t", 620),
    ("flood_regulation", "reservoir_capacity", "万m³", 8_600),
    ("air_purification", "so2", "t", 1_230),
    ("air_purification", "nox", "t", 2_870),
    ("water_purification", "cod", "t", 4_510),
    ("water_purification", "ammonia", "t", 388),
    ("carbon_oxygen", "npp", "万t", 96),
    ("recreation", "visitors", "万人次", 560),
    ("recreation", "expenditure", "万元", 182_000),
    ("recreation", "time_cost", "万元", 46_000),
    ("recreation", "consumer_surplus", "万元", 21_500),
)
"""(indicator, input, unit, value in the accounting year)."""

BY_TYPE: tuple[tuple[str, str, float, float, float, float], ...] = (
    ("森林", "mm", 1_610, 210, 820, 262.0),
    ("灌丛", "mm", 1_610, 260, 760, 38.5),
    ("农田", "mm", 1_610, 420, 690, 61.2),
)
"""水源涵养 per ecosystem type: (type, unit, P, R, ET, area km²)."""

PRICE_INDEX = ((2003, 78.6), (2010, 91.2))
"""Index levels of the packaged prices' years (2003, 2010); the previous year is 100."""

GROWTH = Decimal("0.96")
"""The previous year's physical quantities are this share of the accounting year's."""


def write_example(
    out: Path | IO[bytes],
    *,
    region_name: str,
    region_code: str,
    year: int,
    scale: float = 1.0,
    gdp_yi_yuan: float = 326.4,
) -> None:
    """Write the example workbook for *region_code* with *year* and the year before."""
    method = load_method_set("ouyang_ganzi_2017")
    with tempfile.TemporaryDirectory(prefix="ecociv-gep-") as folder:
        template = Path(folder) / "template.xlsx"
        write_template(template, method, year)
        book = load_workbook(template)
    info = book[INFO]
    for row in info.iter_rows(min_row=2):
        if row[0].value == "地区名称":
            row[1].value = region_name
        elif row[0].value == "行政区划代码":
            row[1].value = region_code
    years = book[YEARS]
    years.delete_rows(2, years.max_row)
    years.append([year - 1, round(gdp_yi_yuan * scale * 0.94, 2), "亿元", None, "亿元", None])
    years.append([year, round(gdp_yi_yuan * scale, 2), "亿元", None, "亿元", None])
    index = book[INDEX]
    for y, level in (*PRICE_INDEX, (year - 1, 100), (year, 102.1)):
        index.append([y, level, SOURCE])
    physical = book[PHYSICAL]
    physical.delete_rows(2, physical.max_row)
    for y, factor in ((year - 1, float(GROWTH)), (year, 1.0)):
        for indicator, code, unit, value in PLAIN:
            physical.append(
                [y, indicator, None, code, None, None, _round(value * scale * factor), unit, SOURCE]
            )
        for kind, depth, p, r, et, area in BY_TYPE:
            for code, value, unit in (
                ("precipitation", p * factor, depth),
                ("runoff", r, depth),
                ("evapotranspiration", et, depth),
                ("area", area * scale, "km²"),
            ):
                physical.append(
                    [y, "water_conservation", None, code, None, kind, _round(value), unit, SOURCE]
                )
    book.save(out)


def _round(value: float) -> float:
    return round(value, 3)
