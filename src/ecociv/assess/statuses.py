"""Building verdicts and combining them (per-item and 或/且 aggregation, docs/verdicts.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from ecociv.model import Verdict, VerdictStatus

MET = VerdictStatus.MET
NOT_MET = VerdictStatus.NOT_MET
NO_DATA = VerdictStatus.NO_DATA
NOT_APPLICABLE = VerdictStatus.NOT_APPLICABLE
IN_PROGRESS = VerdictStatus.IN_PROGRESS
NEEDS_REVIEW = VerdictStatus.NEEDS_REVIEW

#: Undecided states from weakest to strongest: the weakest one wins an aggregate that is
#: neither all met nor has an item not met.
WEAKNESS = (NEEDS_REVIEW, NO_DATA, IN_PROGRESS)


#: Every field is set by :func:`make`; pydantic only ever adds existing names to this set,
#: so one shared set serves every verdict.
_ALL_FIELDS_SET = set(Verdict.model_fields)
_new = object.__new__
#: The setters of the slots every pydantic model has (``BaseModel.__slots__``): calling a
#: slot's setter directly skips the attribute lookup of ``object.__setattr__``.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def make(
    status: VerdictStatus,
    zh: str,
    en: str,
    margin: float | None = None,
    unit: str | None = None,
    clause: str | None = None,
    inputs: dict[str, Any] | None = None,
    missing: list[str] | None = None,
    items: list[Verdict] | None = None,
) -> Verdict:
    """A verdict, built without re-validation.

    Every argument is typed by construction, so this does what ``model_construct`` does (set
    the field dict and the bookkeeping attributes) without its per-field Python loop: the
    engine builds millions of verdicts (``bench/bench_verdicts.py``).
    """
    verdict = _new(Verdict)
    _set_dict(
        verdict,
        {
            "status": status,
            "reason_zh": zh,
            "reason_en": en,
            "margin": None if margin is None else round(margin, 9),
            "unit": unit,
            "clause": clause,
            "inputs": inputs or {},
            "missing": missing or [],
            "items": items or [],
        },
    )
    _set_fields_set(verdict, _ALL_FIELDS_SET)
    _set_extra(verdict, None)
    _set_private(verdict, None)
    return verdict


def relabel(verdict: Verdict, zh: str, en: str, clause: str | None) -> Verdict:
    """*verdict* with its reasons prefixed (``上级下达目标：…``) and the deciding *clause*."""
    return make(
        verdict.status,
        zh + verdict.reason_zh,
        en + verdict.reason_en,
        margin=verdict.margin,
        unit=verdict.unit,
        clause=clause,
        inputs=verdict.inputs,
        missing=verdict.missing,
        items=verdict.items,
    )


def weakest(statuses: Sequence[VerdictStatus]) -> VerdictStatus:
    for status in WEAKNESS:
        if status in statuses:
            return status
    return MET


def combine_all(parts: list[Verdict], clause: str | None, labels: Sequence[str]) -> Verdict:
    """Every part must hold (且, ①②③): all met → met; any not met → not met; else weakest.

    Parts that are not applicable are left out; if all are, the whole is not applicable.
    """
    statuses = [v.status for v in parts]
    if NOT_MET in statuses:
        failed = [(label, v) for label, v in zip(labels, parts, strict=True) if v.status is NOT_MET]
        return make(
            NOT_MET,
            "；".join(f"{label}：{v.reason_zh}" for label, v in failed),
            "; ".join(f"{label}: {v.reason_en}" for label, v in failed),
            clause=clause,
            items=parts,
            margin=_min_margin(parts, NOT_MET),
        )
    status = weakest([s for s in statuses if s is not NOT_APPLICABLE])
    if status is MET:
        if MET not in statuses:
            return make(
                NOT_APPLICABLE, "各项均不适用", "no part applies", clause=clause, items=parts
            )
        return make(
            MET,
            "各项均达到要求",
            "every part is met",
            clause=clause,
            items=parts,
            margin=_min_margin(parts, MET),
        )
    pending = [label for label, v in zip(labels, parts, strict=True) if v.status is status]
    return make(
        status,
        f"{'、'.join(pending)}：{status.zh}",
        f"{', '.join(pending)}: {status.en}",
        clause=clause,
        items=parts,
        missing=list(dict.fromkeys(m for v in parts for m in v.missing)),
    )


def combine_any(parts: list[Verdict], clause: str | None) -> Verdict:
    """Either option suffices (或): any met → met (its margin); all not met → not met, with the
    margin of the first option, the headline threshold (≥85 in ``≥85，或持续提高…``); else the
    weakest state."""
    for part in parts:
        if part.status is MET:
            return make(
                MET,
                f"满足其一：{part.reason_zh}",
                f"one option holds: {part.reason_en}",
                margin=part.margin,
                unit=part.unit,
                clause=part.clause,
                inputs=part.inputs,
                items=parts,
            )
    open_parts = [v for v in parts if v.status not in (NOT_MET, NOT_APPLICABLE)]
    if not open_parts:
        if all(v.status is NOT_APPLICABLE for v in parts):
            return make(NOT_APPLICABLE, "各选项均不适用", "no option applies", clause=clause)
        return make(
            NOT_MET,
            "各选项均未满足：" + "；".join(v.reason_zh for v in parts),
            "no option holds: " + "; ".join(v.reason_en for v in parts),
            clause=clause,
            items=parts,
            margin=parts[0].margin,
            unit=parts[0].unit,
        )
    status = weakest([v.status for v in open_parts])
    return make(
        status,
        "其余选项无法判定：" + "；".join(v.reason_zh for v in open_parts),
        "the other options cannot be decided: " + "; ".join(v.reason_en for v in open_parts),
        clause=clause,
        items=parts,
        missing=list(dict.fromkeys(m for v in open_parts for m in v.missing)),
    )


def _min_margin(parts: list[Verdict], status: VerdictStatus) -> float | None:
    """The tightest margin of the parts in *status*, when they share one unit (else None)."""
    margin: float | None = None
    unit: str | None = None
    for v in parts:
        if v.status is not status or v.margin is None:
            continue
        if margin is None:
            margin, unit = v.margin, v.unit
        elif v.unit != unit:
            return None
        elif v.margin < margin:
            margin = v.margin
    return margin
