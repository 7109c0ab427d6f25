"""The machine-written paragraphs of a report, and the pre-filled text of its editable
sections (形势分析, 存在问题, 规划调整建议, 下一步工作, 工作成效): facts only, each from the
assessment; the bureau writes the judgement around them."""

from __future__ import annotations

from collections.abc import Callable

from ecociv.model import VerdictStatus
from ecociv.report.gather import ReportInputs
from ecociv.report.model import show
from ecociv.report.rows import outlook_key, project_stage, reason, value_of
from ecociv.standards import catalog
from ecociv.store.services.assessment import IndicatorAssessment

MET, NOT_MET = VerdictStatus.MET, VerdictStatus.NOT_MET


def _names(rows: list[IndicatorAssessment], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(row.name for row in rows)


def _count(inputs: ReportInputs, status: VerdictStatus) -> int:
    return inputs.assessment.totals.get(status.value, 0)


def overview(inputs: ReportInputs, lang: str) -> list[str]:
    total = len(inputs.assessment.indicators)
    met, not_met = _count(inputs, MET), _count(inputs, NOT_MET)
    no_data = _count(inputs, VerdictStatus.NO_DATA)
    other = total - met - not_met - no_data
    region, plan, year = inputs.region.name, inputs.plan.name, inputs.year
    if lang == "zh":
        return [
            f"《{plan}》（第{inputs.plan.version}版）共有适用于{region}的指标{total}项。"
            f"按截至{year}年的最新数据评估，达到规划目标{met}项，未达到{not_met}项，"
            f"无数据{no_data}项，其他{other}项（推进中、需人工判定或不适用）。"
        ]
    return [
        f"{plan} (version {inputs.plan.version}) has {total} indicators that apply to {region}. "
        f"On the latest values up to {year}: {met} meet the plan's target, {not_met} do not, "
        f"{no_data} have no data and {other} are in progress, need review or do not apply."
    ]


def projects(inputs: ReportInputs, lang: str) -> list[str]:
    stages = [project_stage(p, inputs.year) for p in inputs.projects]
    priced = [p.investment_wan_yuan for p in inputs.projects if p.investment_wan_yuan is not None]
    due = stages.count("due")
    if lang == "zh":
        return [
            f"规划安排重点项目{len(inputs.projects)}个，总投资{show(sum(priced))}万元；"
            f"按建设年限，截至{inputs.year}年应已完工{due}个、应在建{stages.count('under_way')}个、"
            f"未到开工年份{stages.count('not_started')}个。"
            "平台未记录项目实际进度和完成投资，请据实填写。"
        ]
    return [
        f"The plan lists {len(inputs.projects)} key projects, {show(sum(priced))} (10⁴ yuan) in "
        f"all; by their periods, {due} are due complete by {inputs.year}, "
        f"{stages.count('under_way')} due under way, {stages.count('not_started')} not yet due. "
        "ecociv holds no progress reports or investment completed: fill them in."
    ]


def rates(inputs: ReportInputs, lang: str) -> list[str]:
    if lang == "zh":
        return [
            "年均需变化量为（目标值－现状值）÷剩余年数；年均需变化率为按复利计算的年均变化百分比；"
            "预计值按时间加权线性回归外推至目标年（近年权重更大）。"
        ]
    return [
        "Required change a year = (target − value) ÷ years left; the required rate is compound, "
        "in percent; the projection is a time-weighted linear regression (recent years weigh more)."
    ]


def standard(inputs: ReportInputs, lang: str) -> list[str]:
    header = catalog.get_standard(inputs.standard).version
    classes = "、".join(
        v for v in (inputs.region.admin_class, inputs.region.terrain, inputs.region.city_size) if v
    )
    if lang == "zh":
        return [
            f"对照《{header.title}》（{header.document_no}），按{inputs.region.name}"
            f"（{classes or '未注明地区类别'}）适用的指标值，以{inputs.year}年及以前的最新数据自评估。"
        ]
    return [
        f"Against {header.title} ({header.document_no}), with the thresholds of "
        f"{inputs.region.name}'s class ({classes or 'class not stated'}), on the latest values up to "
        f"{inputs.year}."
    ]


FACTS: dict[str, Callable[[ReportInputs, str], list[str]]] = {
    "overview": overview,
    "projects": projects,
    "rates": rates,
    "standard": standard,
}
"""Facts key (``data/kinds.yaml``) → its paragraphs."""


def _line(row: IndicatorAssessment, lang: str) -> str:
    value = show(value_of(row))
    unit = row.unit if row.unit and row.unit != "-" else ""
    why = reason(row.verdict, lang)
    outlook = row.projection and (
        row.projection.reason_zh if lang == "zh" else row.projection.reason_en
    )
    if lang == "zh":
        tail = f"；{outlook}" if outlook else ""
        return f"{row.name}：{row.year}年为{value}{unit}，{why}{tail}。"
    tail = f"; {outlook}" if outlook else ""
    return f"{row.name}: {value} {unit} in {row.year}, {why}{tail}."


def _off(inputs: ReportInputs) -> list[IndicatorAssessment]:
    return [row for row in inputs.assessment.indicators if row.verdict.status is NOT_MET]


def situation(inputs: ReportInputs, lang: str) -> list[str]:
    rows = inputs.assessment.indicators
    met = [r for r in rows if r.verdict.status is MET]
    off = _off(inputs)
    away = [r for r in rows if outlook_key(r) == "deterioration"]
    on = [r for r in rows if outlook_key(r) in ("on_track", "target_met")]
    if lang == "zh":
        facts = [f"已达到规划目标的指标{len(met)}项：{_names(met, lang) or '无'}。"]
        facts.append(f"未达到规划目标的指标{len(off)}项：{_names(off, lang) or '无'}。")
        facts.append(f"按当前趋势可按期达到或已达到目标的指标{len(on)}项。")
        if away:
            facts.append(f"与目标方向相反变化的指标{len(away)}项：{_names(away, lang)}。")
        return facts
    facts = [f"{len(met)} indicators meet the plan's target: {_names(met, lang) or 'none'}."]
    facts.append(f"{len(off)} do not: {_names(off, lang) or 'none'}.")
    facts.append(f"{len(on)} are on track or already at the target.")
    if away:
        facts.append(f"{len(away)} move away from the target: {_names(away, lang)}.")
    return facts


def problems(inputs: ReportInputs, lang: str) -> list[str]:
    lines = [_line(row, lang) for row in _off(inputs)]
    missing = [r for r in inputs.assessment.indicators if r.verdict.status is VerdictStatus.NO_DATA]
    if missing:
        lines.append(
            f"缺少数据的指标：{_names(missing, lang)}。"
            if lang == "zh"
            else f"No data for: {_names(missing, lang)}."
        )
    return lines


def adjustments(inputs: ReportInputs, lang: str) -> list[str]:
    hard = [
        r for r in inputs.assessment.indicators if outlook_key(r) in ("limited", "deterioration")
    ]
    if not hard:
        return [
            "各项指标按当前趋势无明显调整需要。"
            if lang == "zh"
            else "No target looks out of reach."
        ]
    if lang == "zh":
        return [
            f"按当前趋势难以按期达到目标的指标{len(hard)}项：{_names(hard, lang)}。"
            "请逐项说明是加强措施还是调整目标值，并附调整理由。"
        ]
    return [
        f"{len(hard)} targets look out of reach on the current trend: {_names(hard, lang)}. "
        "State for each whether measures are strengthened or the target is revised, and why."
    ]


def next_steps(inputs: ReportInputs, lang: str) -> list[str]:
    off = _off(inputs)
    if lang == "zh":
        return [
            f"需重点推进的指标：{_names(off, lang) or '无'}。"
            "请按指标写明下一年度目标、工作措施、责任单位和完成时限。"
        ]
    return [
        f"Indicators to push: {_names(off, lang) or 'none'}. "
        "For each, write next year's target, the measures, the unit responsible and the deadline."
    ]


def achievements(inputs: ReportInputs, lang: str) -> list[str]:
    met = [r for r in inputs.assessment.indicators if r.verdict.status is MET]
    lines = [_line(row, lang) for row in met]
    due = [p.name for p in inputs.projects if project_stage(p, inputs.year) == "due"]
    if due:
        lines.append(
            f"按建设年限应已完工的重点项目：{'、'.join(due)}（请核实完成情况）。"
            if lang == "zh"
            else f"Key projects due complete by their period: {', '.join(due)} (check them)."
        )
    return lines


PREFILL: dict[str, Callable[[ReportInputs, str], list[str]]] = {
    "situation": situation,
    "problems": problems,
    "adjustments": adjustments,
    "next_steps": next_steps,
    "achievements": achievements,
}
"""Narrative key (``data/kinds.yaml``) → its pre-filled facts."""
