"""Judges of qualitative requirements: milestones (制定实施, 建立 …), protection clauses
(面积不减少 …), qualitative levels (不明显) and absences (无X)."""

from __future__ import annotations

from ecociv.assess.context import Context
from ecociv.assess.judge_levels import Judge, fmt, review
from ecociv.assess.statuses import IN_PROGRESS, MET, NOT_MET, make
from ecociv.assess.values import Value, number_of, unwrap
from ecociv.expr import ast
from ecociv.model import Verdict


def judge_milestone(node: ast.Milestone, clause: str) -> Judge:
    """An action (制定实施, 建立 …): an action stated as taken meets it; one in progress is
    in_progress; a positive coverage (100%) meets it, zero does not."""

    def run(value: Value, context: Context) -> Verdict:
        inner = unwrap(value)
        if isinstance(inner, ast.Milestone):
            if inner.state == "in_progress":
                return make(
                    IN_PROGRESS,
                    f"{inner.kind}推进中，尚未完成",
                    f"{inner.kind} under way, not done",
                    clause=clause,
                    inputs={"value": inner.kind},
                )
            return make(
                MET,
                f"已{inner.kind}",
                f"done: {inner.kind}",
                clause=clause,
                inputs={"value": inner.kind},
            )
        x = number_of(inner)
        if x is not None:
            if x > 0:
                return make(
                    MET,
                    f"已{node.kind}（{fmt(x)}）",
                    f"{node.kind} done ({fmt(x)})",
                    clause=clause,
                    inputs={"value": x},
                )
            return make(
                NOT_MET,
                f"未{node.kind}（{fmt(x)}）",
                f"{node.kind} not done ({fmt(x)})",
                clause=clause,
                inputs={"value": x},
            )
        return review(
            f"现状值未说明是否{node.kind}",
            f"the value does not say whether {node.kind} is done",
            [f"{node.kind}的情况 / whether {node.kind} is done"],
            clause,
        )

    return run


def judge_protection(node: ast.Protection, clause: str) -> Judge:
    """Protection clauses (面积不减少，性质不改变，功能不降低): each must be stated as kept."""
    wanted = node.clauses

    def run(value: Value, context: Context) -> Verdict:
        inner = unwrap(value)
        have = set(inner.clauses) if isinstance(inner, ast.Protection) else set()
        lacking = [subject + verb for subject, verb in wanted if (subject, verb) not in have]
        if not lacking:
            return make(
                MET, "各项保护要求均已保持", "every protection clause is kept", clause=clause
            )
        return review(
            "未说明以下保护要求是否保持：" + "、".join(lacking),
            "not stated whether these clauses are kept: " + ", ".join(lacking),
            [f"{c} 的情况 / status of {c}" for c in lacking],
            clause,
        )

    return run


def judge_qualitative(node: ast.Qualitative, clause: str) -> Judge:
    """A qualitative level (不明显): the same word meets it; its negation fails it."""
    word = node.word
    opposite = word[1:] if word.startswith("不") else "不" + word

    def run(value: Value, context: Context) -> Verdict:
        inner = unwrap(value)
        said = inner.word if isinstance(inner, ast.Qualitative) else None
        if said == word:
            return make(
                MET, f"现状{word}", f"stated: {word}", clause=clause, inputs={"value": said}
            )
        if said == opposite:
            return make(
                NOT_MET,
                f"现状{said}，要求{word}",
                f"stated {said}, required {word}",
                clause=clause,
                inputs={"value": said},
            )
        return review(
            f"现状值未说明是否{word}",
            f"the value does not say whether it is {word}",
            [f"是否{word} / whether {word}"],
            clause,
        )

    return run


def judge_absence(node: ast.Absence, clause: str) -> Judge:
    """无X: met by a stated absence or elimination, or a count/share of 0."""

    def run(value: Value, context: Context) -> Verdict:
        inner = unwrap(value)
        if isinstance(inner, ast.Absence) or (
            isinstance(inner, ast.Milestone) and "消除" in inner.kind
        ):
            return make(MET, f"已无{node.subject}", f"no {node.subject} left", clause=clause)
        x = number_of(inner)
        if x is not None:
            status = MET if x == 0 else NOT_MET
            return make(
                status,
                f"{node.subject}为{fmt(x)}",
                f"{node.subject}: {fmt(x)}",
                clause=clause,
                margin=-x,
                inputs={"value": x},
            )
        return review(
            f"未说明是否已无{node.subject}",
            f"not stated whether any {node.subject} is left",
            [f"{node.subject}的情况 / status of {node.subject}"],
            clause,
        )

    return run
