"""The editable sections kept beside the report: ``<name>.narrative.json`` next to the output
file.  The first run writes the pre-filled texts; the user edits ``text`` and runs the same
command again, and the report is rendered with the edited texts (the .docx, .xlsx and .pdf of
one name share the file).  The facts behind each text and the data revision are rewritten on
every run, the texts never."""

from __future__ import annotations

import json
from pathlib import Path

from ecociv.errors import InputError
from ecociv.report.model import Report

IDENTITY = ("kind", "region_code", "plan_id", "year")
"""What must match for a sidecar's texts to be reused."""


def sidecar_path(out: Path) -> Path:
    return out.with_name(out.stem + ".narrative.json")


def read_texts(
    path: Path, *, kind: str, region_code: str, plan_id: int, year: int
) -> dict[str, str]:
    """The edited texts of *path* (none when the file does not exist yet)."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"叙述章节文件不是有效的 JSON：{exc}",
            f"the narrative file is not valid JSON: {exc}",
            where=str(path),
        ) from None
    wanted = {"kind": kind, "region_code": region_code, "plan_id": plan_id, "year": year}
    found = {key: data.get(key) for key in IDENTITY} if isinstance(data, dict) else {}
    if found != wanted:
        raise InputError(
            f"叙述章节文件属于另一份报告（{found}），本次为 {wanted}；请删除该文件或改用另一个输出文件名",
            f"the narrative file belongs to another report ({found}), not {wanted}; delete it "
            "or choose another output name",
            where=str(path),
        )
    texts = {}
    for key, section in (data.get("sections") or {}).items():
        text = section.get("text") if isinstance(section, dict) else None
        if not isinstance(text, str):
            raise InputError(
                f"章节 {key} 的 text 应为文本",
                f"section {key}: text must be a string",
                where=f"{path}: sections.{key}.text",
            )
        texts[key] = text
    return texts


def write_sidecar(path: Path, report: Report) -> None:
    data = {
        "kind": report.kind,
        "region_code": report.region_code,
        "plan_id": report.plan_id,
        "year": report.year,
        "lang": report.lang,
        "data_revision": report.data_revision,
        "generated_at": report.generated_at,
        "sections": {
            key: {"title": n.title, "text": n.text, "facts": n.facts}
            for key, n in report.narratives.items()
        },
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
