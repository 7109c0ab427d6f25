"""The default templates' page and table layout (GB/T 9704-2012) and the font stand-ins for
the PDF."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from ecociv.report.fonts import substitute_fonts, substitutions
from ecociv.report.registry import registry
from ecociv.report.template_writer import LANGS, template_path

CI_FONTS = frozenset({"Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei"})


@pytest.mark.parametrize("kind", list(registry().kinds))
@pytest.mark.parametrize("lang", LANGS)
def test_a4_type_area_page_numbers_and_repeated_headers(kind, lang):
    document = Document(str(template_path(kind, lang)))
    (section,) = document.sections
    mm = [round(length / Mm(1)) for length in (section.page_width, section.page_height)]
    assert mm == [210, 297]  # stored in twips: compare whole millimetres
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    assert (round(width / Mm(1)), round(height / Mm(1))) == (156, 225)
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        fields = footer._element.findall(".//" + qn("w:fldSimple"))
        assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(
            " —"
        )
    assert len(document.tables) == len(registry().kinds[kind].tables)
    for table in document.tables:
        header, *rows = table.rows
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows)
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(grid) - Mm(156).twips) <= len(grid)  # twips rounded per column


def test_official_fonts_are_named_in_the_word_file():
    with zipfile.ZipFile(template_path("annual", "zh")) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
    for font in ("方正小标宋简体", "仿宋_GB2312", "黑体"):
        assert f'w:eastAsia="{font}"' in styles


def test_stand_ins_follow_the_list_and_skip_installed_fonts():
    chosen = substitutions(CI_FONTS)
    assert chosen["仿宋_GB2312"] == "Noto Serif CJK SC"
    assert chosen["黑体"] == "Noto Sans CJK SC"
    assert substitutions(frozenset({"WenQuanYi Zen Hei"}))["方正小标宋简体"] == "WenQuanYi Zen Hei"
    assert "黑体" not in substitutions(CI_FONTS | {"黑体"})
    assert substitutions(frozenset()) == {}


def test_substitution_rewrites_only_font_names(tmp_path):
    target = tmp_path / "pdf-copy.docx"
    substitute_fonts(template_path("annual", "zh"), target, substitutions(CI_FONTS))
    with zipfile.ZipFile(target) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
        document = archive.read("word/document.xml").decode("utf-8")
    assert 'w:eastAsia="Noto Serif CJK SC"' in styles and "仿宋_GB2312" not in styles
    assert "{{ title }}" in document  # text untouched
    assert Document(str(target)).paragraphs[0].text == "{{ title }}"
