"""Word templates: a bureau's own template with the same placeholders is used; a wrong
placeholder is one bilingual error; docs/reports.md lists exactly the placeholders the
default templates use."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from expected import docx_tables, docx_text

from ecociv.errors import InputError
from ecociv.report.api import make_report
from ecociv.report.registry import registry
from ecociv.report.template_writer import LANGS, template_path, write_template

ROOT = Path(__file__).resolve().parents[2]


def _edit_template(source: Path, target: Path, *, title: str, drop_section: str) -> None:
    """A bureau's edit in Word: a new title line, one section deleted (heading to the next)."""
    document = Document(str(source))
    document.paragraphs[0].runs[0].text = title
    body = document.element.body
    children = list(body)
    start = next(i for i, c in enumerate(children) if c.xpath("string(.)").endswith(drop_section))
    end = next(
        i
        for i in range(start + 1, len(children))
        if children[i].xpath("string(.//w:pStyle/@w:val)") in ("Heading1", "Colophon")
    )
    for child in children[start:end]:
        body.remove(child)
    document.save(str(target))


@pytest.mark.parametrize(
    ("kind", "section"), [("annual", "差距清单"), ("midterm", "重点项目推进情况")]
)
def test_own_template_with_a_new_title_and_a_section_removed(
    demo_store, demo_session, tmp_path, kind, section
):
    _, plan_id, _ = demo_store
    own = tmp_path / "own.docx"
    _edit_template(
        template_path(kind, "zh"),
        own,
        title="{{ region_name }}{{ year }}年生态文明建设自查报告（送审稿）",
        drop_section=section,
    )
    out = tmp_path / "report.docx"
    report = make_report(
        demo_session, kind, plan_id=plan_id, region_code="990103", year=2023, fmt="docx",
        out=out, template=own,
    )  # fmt: skip
    document = Document(str(out))
    assert document.paragraphs[0].text == "云溪区2023年生态文明建设自查报告（送审稿）"
    body = docx_text(out)
    assert section not in body
    assert "形势分析" in body
    tables = docx_tables(out)
    assert len(tables) == len(report.tables) - 1
    captions = [t.caption for t in report.tables.values()]
    assert not any(section in p.text for p in document.paragraphs)
    assert any("规划指标完成情况" in p.text for p in document.paragraphs)
    assert len(captions) == len(tables) + 1


def test_a_template_naming_an_unknown_placeholder_is_one_bilingual_error(
    demo_store, demo_session, tmp_path
):
    _, plan_id, _ = demo_store
    own = tmp_path / "typo.docx"
    document = Document(str(template_path("completion", "zh")))
    document.paragraphs[0].runs[0].text = "{{ tittle }}"
    document.save(str(own))
    with pytest.raises(InputError) as caught:
        make_report(
            demo_session, "completion", plan_id=plan_id, region_code=None, year=2024,
            fmt="docx", out=tmp_path / "r.docx", template=own,
        )  # fmt: skip
    assert "tittle" in caught.value.zh and "tittle" in caught.value.en
    assert "占位符" in caught.value.zh and "placeholder" in caught.value.en
    assert caught.value.where == str(own)


def test_a_missing_or_broken_template_is_a_bilingual_error(demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip file")
    for template in (tmp_path / "absent.docx", broken):
        with pytest.raises(InputError) as caught:
            make_report(
                demo_session, "completion", plan_id=plan_id, region_code=None, year=2024,
                fmt="docx", out=tmp_path / "r.docx", template=template,
            )  # fmt: skip
        assert caught.value.where == str(template)
        assert caught.value.zh != caught.value.en


TAG = re.compile(r"\{\{\s*(.*?)\s*\}\}|\{%(?:p|tr)?\s*(.*?)\s*%\}")


def template_tags(path: Path) -> list[str]:
    """The expressions of a template's ``{{ }}`` and ``{% %}`` tags, in document order."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", xml)
    return [value or statement for value, statement in TAG.findall(text)]


def docs_block(name: str) -> list[list[str]]:
    """The rows of the table between ``<!-- name -->`` markers in docs/reports.md, as the
    backticked words of each cell."""
    text = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    block = text.split(f"<!-- {name} -->")[1].split(f"<!-- /{name} -->")[0]
    rows = [line for line in block.splitlines() if line.startswith("| `")]
    return [
        [" ".join(re.findall(r"`([^`]+)`", cell)) for cell in row.split("|")[1:-1]] for row in rows
    ]


def test_docs_name_every_placeholder_of_the_context(demo_store, demo_session, tmp_path):
    from ecociv.report.model import context_of

    _, plan_id, _ = demo_store
    report = make_report(
        demo_session, "annual", plan_id=plan_id, region_code=None, year=2024, fmt="xlsx",
        out=tmp_path / "r.xlsx",
    )  # fmt: skip
    documented = {re.split(r"[ .}]", row[0].strip("{ "))[0] for row in docs_block("placeholders")}
    assert documented == set(context_of(report))


def test_docs_list_the_registry_facts_narratives_and_tables():
    found = registry()
    facts = {s.facts for kind in found.kinds.values() for s in kind.sections if s.facts}
    assert {row[0] for row in docs_block("facts")} == facts
    assert {row[0] for row in docs_block("narratives")} == set(found.narratives)
    tables = {row[0]: row for row in docs_block("tables")}
    assert set(tables) == set(found.tables)
    for key, spec in found.tables.items():
        assert tables[key][2].split() == [column.key for column in spec.columns], key
        users = [kind.key for kind in found.kinds.values() if key in kind.tables]
        assert (ROOT / "docs" / "reports.md").read_text(encoding="utf-8").count(
            f"| {', '.join(users)} |"
        ) >= 1, key


def test_default_templates_use_only_documented_placeholders():
    documented_fields = {row[0]: set(row[2].split()) for row in docs_block("tables")}
    top = {re.split(r"[ .}]", row[0].strip("{ "))[0] for row in docs_block("placeholders")}
    for kind in registry().kinds.values():
        for lang in LANGS:
            table = None
            fields: dict[str, set[str]] = {}
            for tag in template_tags(template_path(kind.key, lang)):
                words = tag.split()
                if words[:1] == ["for"] and words[3].startswith("tables."):
                    table = words[3].split(".")[1]
                elif words == ["endfor"]:
                    table = None
                elif tag.startswith("r."):
                    fields.setdefault(table, set()).add(tag[2:])
                elif words[0] not in ("for", "if", "endif", "p"):
                    assert tag.split(".")[0] in top, (kind.key, lang, tag)
            assert set(fields) == set(kind.tables), (kind.key, lang)
            for key, used in fields.items():
                assert used == documented_fields[key], (kind.key, lang, key)


def test_shipped_templates_are_what_the_writer_writes(tmp_path):
    """A change to the registry or the writer must come with regenerated templates
    (``python -m ecociv.report.template_writer``)."""
    for kind in registry().kinds.values():
        for lang in LANGS:
            fresh = tmp_path / f"{kind.key}.{lang}.docx"
            write_template(kind, lang, fresh)
            shipped = template_path(kind.key, lang)
            assert docx_text(fresh) == docx_text(shipped), shipped
            assert docx_tables(fresh) == docx_tables(shipped), shipped
