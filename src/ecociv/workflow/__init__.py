"""Workflows as data (流程定义): state machines read from YAML, checked at load, run by ``transitions``.

Each area keeps its workflows in ``definitions/<name>.yaml`` (see ``docs/workflows.md`` for the
format): the problem rectification loop 发现→交办→整改→反馈→销号, a project's lifecycle, the
approval of reported data.  A new procedure is a data change; the code only asks
:meth:`Workflow.available` and :meth:`Workflow.fire`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError as SchemaError

from ecociv.workflow.definition import WorkflowDef, check
from ecociv.workflow.errors import (
    MissingInput,
    NotAvailable,
    NotPermitted,
    TransitionRefused,
    WorkflowDefinitionError,
)
from ecociv.workflow.machine import Workflow

__all__ = [
    "MissingInput",
    "NotAvailable",
    "NotPermitted",
    "TransitionRefused",
    "Workflow",
    "WorkflowDefinitionError",
    "load",
    "load_file",
    "names",
    "parse",
]


def parse(text: str, where: str) -> Workflow:
    """Read and check one definition's YAML *text*; *where* names it in errors."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise WorkflowDefinitionError(
            f"流程定义不是有效的 YAML：{exc}",
            f"the definition is not valid YAML: {exc}",
            where=where,
        ) from None
    try:
        definition = WorkflowDef.model_validate(raw)
    except SchemaError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise WorkflowDefinitionError(
            f"流程定义字段 {field} 有误：{first['msg']}（共 {exc.error_count()} 处）",
            f"field {field} of the definition: {first['msg']} ({exc.error_count()} problem(s))",
            where=where,
        ) from None
    problems = check(definition)
    if problems:
        raise WorkflowDefinitionError(
            "；".join(zh for zh, _ in problems), "; ".join(en for _, en in problems), where=where
        )
    return Workflow(definition=definition, path=where)


def load_file(path: Path) -> Workflow:
    """A definition from any file (a bureau's own, checked the same way as the shipped ones)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkflowDefinitionError(
            f"无法读取流程定义：{exc}", f"cannot read the definition: {exc}", where=str(path)
        ) from None
    return parse(text, str(path))


@cache
def load(name: str) -> Workflow:
    """The shipped definition ``definitions/<name>.yaml``."""
    entry = resources.files("ecociv.workflow") / "definitions" / f"{name}.yaml"
    if not entry.is_file():
        raise WorkflowDefinitionError(
            f"没有名为 {name} 的流程定义（现有：{'、'.join(names()) or '无'}）",
            f"no workflow definition named {name} (shipped: {', '.join(names()) or 'none'})",
        )
    return parse(entry.read_text(encoding="utf-8"), f"definitions/{name}.yaml")


def names() -> list[str]:
    """The shipped definitions' names."""
    folder = resources.files("ecociv.workflow") / "definitions"
    if not folder.is_dir():
        return []
    return sorted(
        e.name.removesuffix(".yaml") for e in folder.iterdir() if e.name.endswith(".yaml")
    )
