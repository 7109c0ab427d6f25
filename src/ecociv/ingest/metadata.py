"""Plan metadata where the text states it: name, region, period, base and target years, standards.

* **Name**: the plan's title paragraph among the first blocks (the cover: 某区生态文明建设规划,
  its period on the same or the next line), else the title the text says was drawn up
  (编制《…规划…》), else the document's core property *title* (.docx ``docProps/core.xml``)
  when it names a plan.  A draft status (（征求意见稿）, （送审稿） …) is no part of the name,
  so the final text of a plan is the next version of its draft.
* **Region**: the administrative names that open the plan's name (宁波市江北区), else the
  planning scope (本规划范围为…, …全部行政区域), else a table caption (绍兴市…指标体系).
* **Period**: the years in the name (（2020-2030年）); else the scope-of-time sentence
  (基准年 2019年，近期至 2025年，远期展望至 2030年); else a five-year plan number in the
  name or captions (“十四五” → 2021–2025).  The base year falls back to the year of the
  indicator tables' baseline column.
* **Target years**: 近期/远期 years of the text and the years of indicator target columns.
* **Cited standards**: titles in 《》 that name an indicator system or standard, with their
  document number when one follows (（环生态〔2019〕76号）), and GB/HJ standard codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ecociv.ingest.document import Document
from ecociv.model import PlanMetadata, PlanTable

_PLAN_NAME = re.compile(r"编制(?:了|完成)?《([^》]{4,80}?规划[^》]{0,40})》")
TITLE_BLOCKS = 12
"""How many leading headings and paragraphs may hold the title (a cover has a handful)."""
_TITLE = re.compile(r"^.{6,80}?规划(?:[（(][^（）()]{1,30}[）)])*$")
_NOT_TITLE = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+[章节篇部]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+(?:\.\d+)*[、.．]|本规划|附)|[，。；：,;:《]"
)
_DRAFT = re.compile(
    r"[（(](?:征求意见稿|送审稿|报批稿|评审稿|讨论稿|草案|草稿|修订稿|定稿|终稿|公示稿|报审稿)[）)]"
)
_PERIOD_LINE = re.compile(
    r"^[（(]?((?:19|20)\d{2})\s*年?\s*[-—–～~至]\s*((?:19|20)\d{2})\s*年?[）)]?$"
)
_REGION_PREFIX = re.compile(r"^((?:[\u4e00-\u9fff]{2,7}?(?:自治区|省|市|自治州|州|盟|区|县|旗))+)")
_REGION_SCOPE = (
    re.compile(r"规划范围(?:为|是|：|:)\s*([\u4e00-\u9fff]{2,12}?(?:省|市|区|县|旗))"),
    re.compile(r"^([\u4e00-\u9fff]{2,12}?(?:省|市|区|县|旗))(?:全部|全域)?行政(?:区域|范围)"),
)
_REGION_CAPTION = re.compile(
    r"^(?:表\s*[\d一二三四五六七八九十]+\s*|专栏\s*\d*\s*)?([\u4e00-\u9fff]{2,6}?(?:市|区|县))"
    r"(?=[“\"国省生十])"
)
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*[-—–～~至]\s*((?:19|20)\d{2})\s*年")
_BASE_YEAR = re.compile(r"基准年[：:为是]?\s*((?:19|20)\d{2})")
_NEAR = re.compile(
    r"近期[：:为至到]*\s*(?:((?:19|20)\d{2})\s*年?\s*[-—–～~至]\s*)?((?:19|20)\d{2})\s*年"
)
_FAR = re.compile(r"(?:中远期|远期)(?:展望)?[：:为至到]*\s*((?:19|20)\d{2})\s*年")
_FIVE_YEAR = re.compile(r"“?(十[一二三四五六七八九]?五|十五)”?")
_FIVE_YEAR_START = {
    "十五": 2001,
    "十一五": 2006,
    "十二五": 2011,
    "十三五": 2016,
    "十四五": 2021,
    "十五五": 2026,
}
_CITED = re.compile(
    r"《([^》]{2,80}(?:指标|标准)[^》]{0,20})》\s*(?:[（(]([^（）()]{0,30}〔\d{4}〕[^（）()]{0,12}号)[）)])?"
)
_CODE = re.compile(r"\b((?:GB|HJ)(?:/T)?\s?\d{3,5}(?:\.\d+)?-\d{4})")


def extract_metadata(document: Document, tables: Iterable[PlanTable] = ()) -> PlanMetadata:
    """What the plan's own text says about itself; absent facts stay ``None``/empty."""
    texts = [b.text for b in document.blocks if b.kind in ("heading", "paragraph")]
    captions = [t.caption for t in document.tables if t.caption]
    body = "\n".join(texts)
    name = plan_title(texts, _first(_PLAN_NAME, body), document.title)
    metadata = PlanMetadata(name=name, region=_region(name, texts, captions))
    _period(metadata, name, body, captions)
    tables = list(tables)
    if metadata.base_year is None:
        metadata.base_year = _baseline_year(tables)
    metadata.target_years = _target_years(metadata, body, tables)
    if metadata.period_start is None and metadata.base_year is not None:
        metadata.period_start = metadata.base_year + 1
    if metadata.period_end is None and metadata.target_years:
        metadata.period_end = max(metadata.target_years)
    metadata.cited_standards = _cited(body)
    return metadata


def plan_title(texts: list[str], drawn_up: str | None, core_title: str | None) -> str | None:
    """The plan's name: a title line among the first *texts* (joined with a period line that
    follows it), else *drawn_up* (编制《…》), else the core property *core_title*; without
    a draft status."""
    for index, text in enumerate(texts[:TITLE_BLOCKS]):
        line = "".join(text.split())
        following = (
            _DRAFT.sub("", "".join(texts[index + 1].split())) if index + 1 < len(texts) else ""
        )
        period = _PERIOD_LINE.match(following)
        if period and not _YEAR_RANGE.search(line):
            line += f"（{period.group(1)}—{period.group(2)}年）"
        title = _as_title(line)
        if title:
            return title
    if drawn_up:  # the text's own words for its title, taken as written
        return _DRAFT.sub("", drawn_up)
    return _as_title("".join((core_title or "").split()))


def _as_title(line: str) -> str | None:
    line = _DRAFT.sub("", line)
    if _NOT_TITLE.search(line) or not _TITLE.match(line):
        return None
    return line


def near_and_far_years(document: Document) -> tuple[int | None, int | None, int | None]:
    """``(base, near, far)`` years as the text states them, for headers that leave them out."""
    body = "\n".join(b.text for b in document.blocks if b.kind in ("heading", "paragraph"))
    base = _first(_BASE_YEAR, body)
    near = _NEAR.search(body)
    far = _first(_FAR, body)
    return (
        int(base) if base else None,
        int(near.group(2)) if near else None,
        int(far) if far else None,
    )


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None


def _region(name: str | None, texts: list[str], captions: list[str]) -> str | None:
    if name:
        match = _REGION_PREFIX.match(name)
        if match:
            return match.group(1)
    for text in texts:
        for pattern in _REGION_SCOPE:
            match = pattern.search(text.strip())
            if match:
                return match.group(1)
    for caption in captions:
        match = _REGION_CAPTION.match(caption.strip())
        if match:
            return match.group(1)
    return None


def _period(metadata: PlanMetadata, name: str | None, body: str, captions: list[str]) -> None:
    base, near, far = (_first(_BASE_YEAR, body), _NEAR.search(body), _first(_FAR, body))
    metadata.base_year = int(base) if base else None
    in_name = _YEAR_RANGE.search(name or "")
    if in_name:
        metadata.period_start, metadata.period_end = int(in_name.group(1)), int(in_name.group(2))
        return
    if near and near.group(1):
        metadata.period_start = int(near.group(1))
    if far or near:
        metadata.period_end = int(far) if far else int(near.group(2))  # type: ignore[union-attr]
    if metadata.period_start is not None:
        return
    for text in [name or "", *captions]:
        match = _FIVE_YEAR.search(text)
        if match and match.group(1) in _FIVE_YEAR_START:
            start = _FIVE_YEAR_START[match.group(1)]
            metadata.period_start, metadata.period_end = start, start + 4
            return


def _baseline_year(tables: list[PlanTable]) -> int | None:
    for table in tables:
        if table.kind != "indicator":
            continue
        for column in table.columns:
            if column.role == "baseline" and column.year:
                return column.year
    return None


def _target_years(metadata: PlanMetadata, body: str, tables: list[PlanTable]) -> list[int]:
    years: set[int] = set()
    near, far = _NEAR.search(body), _first(_FAR, body)
    if near:
        years.add(int(near.group(2)))
    if far:
        years.add(int(far))
    for table in tables:
        if table.kind == "indicator":
            years.update(c.year for c in table.columns if c.role == "target" and c.year)
    floor = metadata.period_start or metadata.base_year
    return sorted(y for y in years if floor is None or y > floor)


def _cited(body: str) -> list[str]:
    cited: list[str] = []
    for match in _CITED.finditer(body):
        title, number = match.group(1), match.group(2)
        entry = f"{title}（{number}）" if number else title
        if entry not in cited:
            cited.append(entry)
    for match in _CODE.finditer(body):
        if match.group(1) not in cited:
            cited.append(match.group(1))
    return cited
