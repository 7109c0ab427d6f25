"""The validation report of a monitoring input (监测数据校验报告).

Reading an input never drops a good value silently: every value that was set to null and every
row that could not be used is counted here, with the first row numbers (1-based data rows;
the CSV line is the row number + 1 for the header) and the first offending values.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

EXAMPLES = 10

#: Each issue code with its Chinese and English description and what was done about it.
ISSUE_TEXT: dict[str, tuple[str, str]] = {
    "unknown_column": ("无法识别的列，已忽略", "unrecognised column, ignored"),
    "bad_timestamp": (
        "时间无法解析、不在 1900–2100 年间或不在整点，整行未使用",
        "timestamp unreadable, outside 1900–2100 or not on the full hour; row not used",
    ),
    "missing_key": ("缺少站点/断面编号，整行未使用", "station or section id missing; row not used"),
    "duplicate_column": (
        "列名重复，无法判断用哪一列，各列均未使用",
        "column name repeated; which copy is right cannot be told, none was used",
    ),
    "non_numeric": ("数值无法识别，已置为空", "value is not a number; set to null"),
    "non_finite": ("数值为无穷大，已置为空", "value is infinite; set to null"),
    "negative": ("负值不可能出现，已置为空", "negative value is impossible; set to null"),
    "implausible": (
        "超出合理上限（多为仪器或单位错误），已置为空",
        "above the plausible maximum (instrument or unit error); set to null",
    ),
    "duplicate": (
        "同一站点同一小时重复出现，已合并（逐项取第一个非空值）",
        "duplicate station-hour; merged (first non-null value of each pollutant)",
    ),
    "duplicate_conflict": (
        "重复记录数值不一致，保留第一个非空值",
        "duplicate rows disagree; the first non-null value was kept",
    ),
    "unknown_parameter": (
        "无法识别的监测项目，该行未使用",
        "unrecognised pollutant or parameter; row not used",
    ),
    "unknown_unit": ("无法识别的单位，该值已置为空", "unrecognised unit; value set to null"),
    "bad_water_type": (
        "水体类型无法识别（应为河流或湖库），该行未使用",
        "water type unreadable (river or lake expected); row not used",
    ),
    "bad_date": (
        "日期无法解析或不在 1900–2100 年间，该行未使用",
        "date unreadable or outside 1900–2100; row not used",
    ),
}


class Issue(BaseModel):
    """One kind of problem in one column: how many, where first, and what the values were."""

    model_config = ConfigDict(extra="forbid")

    code: str
    column: str | None = None
    count: int
    rows: list[int] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)

    @field_validator("code")
    @classmethod
    def _known(cls, code: str) -> str:
        if code not in ISSUE_TEXT:
            raise ValueError(f"unknown issue code {code!r}")
        return code

    @property
    def message_zh(self) -> str:
        return ISSUE_TEXT[self.code][0]

    @property
    def message_en(self) -> str:
        return ISSUE_TEXT[self.code][1]

    def line(self, lang: str = "zh") -> str:
        text = self.message_zh if lang == "zh" else self.message_en
        where = f"[{self.column}] " if self.column else ""
        rows_label = "行" if lang == "zh" else "rows"
        rows = f" ({rows_label} {', '.join(str(r) for r in self.rows)})" if self.rows else ""
        examples = f" e.g. {', '.join(self.examples)}" if self.examples else ""
        return f"{where}{text}: {self.count}{rows}{examples}"


class ValidationReport(BaseModel):
    """What reading one input found; ``ok`` is true when nothing was nulled or left out."""

    model_config = ConfigDict(extra="forbid")

    source: str
    kind: Literal["air", "stations", "water"]
    layout: str = "wide"  # wide, long, or a network layout (ecociv.monitor.layouts)
    #: The layout and unit conventions a network file was read with, and why.
    conventions: dict[str, str] = Field(default_factory=dict)
    rows_read: int = 0
    rows_out: int = 0
    columns: dict[str, str] = Field(default_factory=dict)
    unit_factors: dict[str, float] = Field(default_factory=dict)
    issues: list[Issue] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.code != "unknown_column" for i in self.issues)

    def count(self, code: str) -> int:
        return sum(i.count for i in self.issues if i.code == code)

    def add(
        self,
        code: str,
        mask: np.ndarray,
        rows: np.ndarray,
        *,
        column: str | None = None,
        values: np.ndarray | None = None,
    ) -> None:
        """Record the rows where *mask* is true (nothing when none are)."""
        hits = np.flatnonzero(mask)
        if not len(hits):
            return
        first = hits[:EXAMPLES]
        examples = [] if values is None else [str(v) for v in np.asarray(values)[first]]
        self.issues.append(
            Issue(
                code=code,
                column=column,
                count=len(hits),
                rows=[int(r) for r in rows[first]],
                examples=examples,
            )
        )

    def lines(self, lang: str = "zh") -> list[str]:
        """A short human summary, one line per issue."""
        head = (
            f"{self.source}: 读取 {self.rows_read} 行，输出 {self.rows_out} 行（{self.layout}）"
            if lang == "zh"
            else f"{self.source}: read {self.rows_read} rows, {self.rows_out} out ({self.layout})"
        )
        chose = [f"  {key}: {text}" for key, text in self.conventions.items()]
        return [head, *chose, *(issue.line(lang) for issue in self.issues)]
