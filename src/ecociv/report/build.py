"""A report from what :func:`ecociv.report.gather.gather` read (pure): the kind's sections
in order, each with its machine-written facts, its table and its editable text."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ecociv.report import chapters as optional
from ecociv.report.chapters import Chapter
from ecociv.report.chart_data import CHART_BUILDERS
from ecociv.report.facts import FACTS, PREFILL
from ecociv.report.gather import ReportInputs
from ecociv.report.model import Chart, Narrative, Report, Section, Table
from ecociv.report.registry import Registry, SectionSpec, kind_spec, registry
from ecociv.report.rows import ROW_BUILDERS, Row

DIGITS = "〇一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九: the section numbers 一、二、…
    (GB/T 9704-2012 §7.3.3: 一、(一)、1.、(1)); a kind with an optional chapter can have
    more than ten sections."""
    if not 1 <= n <= 99:
        raise ValueError(f"section number {n} outside 1..99")
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else "十" if tens == 1 else DIGITS[tens] + "十") + (
        "" if ones == 0 else DIGITS[ones]
    )


TABLE_NOTES = {
    "zh": "注：差距为现状值与要求之差，正值表示优于要求，单位同指标单位。",
    "en": "Note: the margin is the value less the requirement, positive is better, in the indicator's unit.",
}


def check_registry(found: Registry) -> None:
    """Every table, facts and narrative key of the registry has its builder (run by tests)."""
    sections = [s for k in found.kinds.values() for s in k.sections]
    chapter_keys = {s.chapter for s in sections if s.chapter}
    clash = chapter_keys & (set(FACTS) | set(ROW_BUILDERS))
    if clash:
        raise AssertionError(f"optional chapters named like a built-in table or facts: {clash}")
    missing = (
        set(found.tables) - set(ROW_BUILDERS) - chapter_keys
        | {s.facts for s in sections if s.facts} - set(FACTS) - chapter_keys
        | set(found.narratives) - set(PREFILL)
        | set(found.charts) - set(CHART_BUILDERS)
    )
    if missing:
        raise AssertionError(f"no builder for {sorted(missing)}")


def build_report(
    kind: str,
    inputs: ReportInputs,
    *,
    lang: str = "zh",
    texts: Mapping[str, str] | None = None,
    generated_at: datetime | None = None,
) -> Report:
    """The report of *kind*; *texts* are the user's edited narrative sections (key → text),
    which replace the pre-filled ones."""
    spec = kind_spec(kind)
    texts = texts or {}
    sections: list[Section] = []
    counter = figures = 0
    for section in spec.sections:
        if section.chapter and _chapter_data(section.chapter, inputs) is None:
            continue  # nothing stored for this region and year: the chapter is left out
        position = len(sections)
        table = chart = None
        if section.table:
            counter += 1
            table = _table(section.table, counter, inputs, lang, section.chapter)
        if section.chart:
            chart = _chart(section.chart, figures + 1, inputs, lang)
            figures += chart is not None
        narrative = None
        if section.narrative:
            facts = PREFILL[section.narrative](inputs, lang)
            narrative = Narrative(
                key=section.narrative,
                title=section.title(lang),
                text=texts.get(section.narrative, "\n".join(facts)),
                facts=facts,
            )
        number = f"{chinese_numeral(position + 1)}、" if lang == "zh" else f"{position + 1}. "
        sections.append(
            Section(
                key=section.key,
                number=number,
                title=section.title(lang),
                facts_key=section.facts,
                facts=_facts(section, inputs, lang),
                table=table,
                narrative=narrative,
                chart=chart,
            )
        )
    plan = inputs.plan
    start = plan.period_start or plan.base_year
    period = f"{start}—{inputs.year}" if start else str(inputs.year)
    when = generated_at or datetime.now(UTC)
    return Report(
        kind=kind,
        lang=lang,
        title=_title(spec.title(lang), inputs, lang),
        region_code=inputs.region.code,
        region_name=inputs.region.name,
        plan_id=plan.id,
        plan_name=plan.name,
        plan_version=plan.version,
        year=inputs.year,
        period=period,
        standard=inputs.standard,
        data_revision=inputs.data_revision,
        generated_at=when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        sections=sections,
    )


def _title(kind_title: str, inputs: ReportInputs, lang: str) -> str:
    if lang == "zh":
        year = f"{inputs.year}" if kind_title.startswith("年") else f"{inputs.year}年"
        return f"{inputs.region.name}{year}{kind_title}"  # 2024年度…, not 2024年年度…
    return f"{inputs.region.name} {kind_title} {inputs.year}"


def _rows(key: str, inputs: ReportInputs, lang: str, chapter: str | None) -> list[Row]:
    if chapter is None:
        return ROW_BUILDERS[key](inputs, lang)
    build = _chapter(chapter).rows
    if build is None:
        raise AssertionError(f"chapter {chapter} has a table but no rows")
    return build(_chapter_data(chapter, inputs), lang)


def _chart(key: str, counter: int, inputs: ReportInputs, lang: str) -> Chart | None:
    spec = registry().charts[key]
    caption = (
        f"图{counter}  {spec['zh']}（{inputs.year}年）"
        if lang == "zh"
        else f"Figure {counter}. {spec['en']} ({inputs.year})"
    )
    return CHART_BUILDERS[key](key, caption, inputs, lang)


def _facts(section: SectionSpec, inputs: ReportInputs, lang: str) -> list[str]:
    if section.chapter:
        return _chapter(section.chapter).facts(_chapter_data(section.chapter, inputs), lang)
    return FACTS[section.facts](inputs, lang) if section.facts else []


def _chapter(key: str) -> Chapter:
    return next(c for c in optional.chapters() if c.key == key)


def _chapter_data(key: str, inputs: ReportInputs) -> Any:
    if key not in inputs.chapters:
        raise AssertionError(f"chapter {key} was not read: gather(..., kind=) names the kind")
    return inputs.chapters[key]


def _table(
    key: str, counter: int, inputs: ReportInputs, lang: str, chapter: str | None = None
) -> Table:
    spec = registry().tables[key]
    name = spec.zh if lang == "zh" else spec.en
    caption = (
        f"表{counter}  {name}（{inputs.year}年）"
        if lang == "zh"
        else f"Table {counter}. {name} ({inputs.year})"
    )
    keys = [column.key for column in spec.columns]
    return Table(
        key=key,
        caption=caption,
        headers=[column.header(lang) for column in spec.columns],
        keys=keys,
        rows=_rows(key, inputs, lang, chapter),
        note=TABLE_NOTES[lang] if "margin" in keys else "",
    )
