"""The default Word templates (``templates/<kind>.<lang>.docx``), written from the registry.

The layout follows GB/T 9704-2012 (党政机关公文格式):

* A4 paper; type area 156 mm × 225 mm (§5.2.1): margins top 37 mm, bottom 35 mm, left 28 mm,
  right 26 mm;
* title in 2号 (22 pt) 方正小标宋简体, centred (§7.3.1); body in 3号 (16 pt) 仿宋_GB2312
  (§5.2.2), 22 lines a page (§5.2.2: exactly 28.95 pt), first line indented two characters;
  first-level headings 一、 in 黑体 (§7.3.3);
* page numbers in 4号 (14 pt) 宋体 Arabic numerals between em dashes, odd pages right, even
  pages left (§7.5);
* tables: header row repeated on each page (§10 "表格横排时…"; Word's 标题行重复), rows not
  split across pages, 5号 (10.5 pt) text.

Fonts are named as a bureau's Word has them; :mod:`ecociv.report.fonts` substitutes installed
CJK fonts when LibreOffice converts to PDF.  The templates are docxtpl templates: ``{{ … }}``
placeholders, ``{%p … %}`` paragraph loops and ``{%tr … %}`` table-row loops
(``docs/reports.md``).  Section numbers are placeholders (``{{ numbers.KEY }}``), so that an
optional chapter left out of a report (no data for its region and year) leaves no gap.  Write them again with ``python -m ecociv.report.template_writer``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from ecociv.report.registry import KindSpec, TableSpec, registry

TEMPLATES = Path(__file__).parent / "templates"
LANGS = ("zh", "en")

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBTITLE_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE, TITLE_SIZE, TABLE_SIZE, PAGE_NUMBER_SIZE = Pt(16), Pt(22), Pt(10.5), Pt(14)
CELL_MARGIN = Mm(1)
TEXT_COLUMNS = frozenset(
    {"name", "reason", "note", "evidence", "category", "lead", "domain", "account", "item"}
)
"""Columns of running text, aligned left; the rest (numbers, short values) centred."""
LINE = Pt(28.95)
"""225 mm / 22 lines (GB/T 9704-2012 §5.2.2)."""


def template_path(kind: str, lang: str) -> Path:
    return TEMPLATES / f"{kind}.{lang}.docx"


def write_template(kind: KindSpec, lang: str, path: Path) -> None:
    document = Document()
    _page(document)
    _styles(document)
    _language(document)
    _paragraph(document, "{{ title }}", "Title")
    _paragraph(document, _subtitle(lang), "Subtitle")
    for section in kind.sections:
        if section.chapter:
            # left out, with its heading, when the report has no data for it; the tags in
            # heading style, so that Word shows them as the chapter's bounds and deleting
            # the section before or the chapter itself (heading to heading) keeps them paired
            _paragraph(document, f"{{%p if numbers.{section.key} %}}", "Heading 1")
        _paragraph(document, f"{{{{ numbers.{section.key} }}}}{section.title(lang)}", "Heading 1")
        if section.facts:
            _loop(document, f"facts.{section.facts}")
        if section.chart:
            _figure(document, section.chart)
        if section.table:
            _table(document, registry().tables[section.table], lang)
        if section.narrative:
            _loop(document, f"narratives.{section.narrative}")
        if section.chapter:
            _paragraph(document, "{%p endif %}", "Heading 1")
    colophon = (
        "数据版本：{{ data_revision }}　　生成时间：{{ generated_at }}"
        if lang == "zh"
        else "Data revision {{ data_revision }}, generated {{ generated_at }}"
    )
    _paragraph(document, colophon, "Colophon")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def _subtitle(lang: str) -> str:
    """The plan and the period under the title; a line break between them, so that a long
    plan name does not split the period across lines."""
    if lang == "zh":
        return "《{{ plan_name }}》第{{ plan_version }}版\n评估期{{ period }}年"
    return "{{ plan_name }}, version {{ plan_version }}\nperiod {{ period }}"


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(24)
    section.header_distance = Mm(15)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: Paragraph, align) -> None:
    """``— 7 —``, one character in from the outer edge (GB/T 9704-2012 §7.5)."""
    paragraph.alignment = align
    indent = Pt(14)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    _run(paragraph, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = _run(paragraph, "1", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    field.append(inner._r)
    paragraph._p.append(field)
    _run(paragraph, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _run(paragraph: Paragraph, text: str, east_asian: str, size):
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.name = LATIN_FONT
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    return run


THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
"""Theme fonts win over named ones in Word (ECMA-376 §17.3.2.26): the default template's
Title and Heading 1 carry them, and the title would show in the theme's 等线 Light instead
of 方正小标宋."""


def _font(style, east_asian: str, size, bold: bool = False) -> None:
    style.font.name = LATIN_FONT
    style.font.size = size
    style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    for attribute in THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)


def _language(document) -> None:
    """Chinese as the East Asian language (docDefaults ``w:lang``): Chinese punctuation and
    line-breaking rules for the hanzi, not the default template's en-US.  The Latin language
    stays en-US, so that a number such as ``≥22`` or ``PM2.5`` is not broken inside."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    language = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    language.set(qn("w:eastAsia"), "zh-CN")


def _styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.first_line_indent = Pt(32)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = True
    for name, font, size, align in (
        ("Title", TITLE_FONT, TITLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER),
        ("Subtitle", SUBTITLE_FONT, BODY_SIZE, WD_ALIGN_PARAGRAPH.CENTER),
        ("Heading 1", HEADING_FONT, BODY_SIZE, None),
        ("Caption", HEADING_FONT, Pt(12), WD_ALIGN_PARAGRAPH.CENTER),
        ("Figure", BODY_FONT, BODY_SIZE, WD_ALIGN_PARAGRAPH.CENTER),
        ("Figure Caption", HEADING_FONT, Pt(12), WD_ALIGN_PARAGRAPH.CENTER),
        ("Table Note", BODY_FONT, Pt(12), None),
        ("Table Text", BODY_FONT, TABLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER),
        ("Colophon", BODY_FONT, Pt(12), WD_ALIGN_PARAGRAPH.RIGHT),
    ):
        style = styles[name] if name in styles else styles.add_style(name, 1)
        style.base_style = normal
        _font(style, font, size)
        style.font.color.rgb = None
        style.font.italic = False
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Pt(0) if align is not None or name == "Table Note" else Pt(32)
        fmt.keep_with_next = name in ("Heading 1", "Caption", "Figure")
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        _no_border(style)
    title = styles["Title"].paragraph_format
    title.line_spacing = Pt(36)
    title.space_before = Pt(0)
    title.space_after = Pt(0)
    subtitle = styles["Subtitle"].paragraph_format
    subtitle.space_after = LINE
    for name in ("Caption", "Table Note", "Table Text", "Figure Caption"):
        styles[name].paragraph_format.line_spacing = Pt(18 if name != "Table Text" else 14)
    styles["Caption"].paragraph_format.space_before = Pt(6)
    figure = styles["Figure"].paragraph_format
    figure.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height clips a picture
    figure.space_before = Pt(6)
    styles["Figure Caption"].paragraph_format.space_after = Pt(6)
    styles["Colophon"].paragraph_format.space_before = LINE


def _no_border(style) -> None:
    """The default template's Title style carries a bottom border; an official title has none."""
    ppr = style.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _paragraph(document, text: str, style: str) -> Paragraph:
    return document.add_paragraph(text, style=style)


def _loop(document, items: str) -> None:
    """A paragraph per item: ``{%p for p in items %}`` / ``{{ p }}`` / ``{%p endfor %}``."""
    _paragraph(document, f"{{%p for p in {items} %}}", "Normal")
    _paragraph(document, "{{ p }}", "Normal")
    _paragraph(document, "{%p endfor %}", "Normal")


def _figure(document, key: str) -> None:
    """The chart's picture and, under it, its caption (图 captions go below the figure,
    表 captions above the table); both left out when the data gives nothing to draw."""
    _paragraph(document, f"{{%p if charts.{key} %}}", "Figure")
    _paragraph(document, f"{{{{ charts.{key}.image }}}}", "Figure")
    _paragraph(document, f"{{{{ charts.{key}.caption }}}}", "Figure Caption")
    _paragraph(document, "{%p endif %}", "Figure")


def _table(document, spec: TableSpec, lang: str) -> None:
    _paragraph(document, f"{{{{ tables.{spec.key}.caption }}}}", "Caption")
    rows = f"tables.{spec.key}.rows"
    table = document.add_table(rows=4, cols=len(spec.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table, CELL_MARGIN)
    grid = table._tbl.tblGrid
    for column, grid_col in zip(spec.columns, grid.findall(qn("w:gridCol")), strict=True):
        grid_col.set(qn("w:w"), str(Mm(column.width).twips))
    header, opening, body, closing = table.rows
    _repeat_header(header)
    for row in table.rows:
        _cant_split(row)
    for index, column in enumerate(spec.columns):
        for row in table.rows:
            row.cells[index].width = Mm(column.width)
        _cell(header.cells[index], column.header(lang), bold=True)
        _cell(body.cells[index], f"{{{{ r.{column.key} }}}}", left=column.key in TEXT_COLUMNS)
    _cell(opening.cells[0], f"{{%tr for r in {rows} %}}")
    _cell(closing.cells[0], "{%tr endfor %}")
    _paragraph(document, f"{{%p if tables.{spec.key}.note %}}", "Table Note")
    _paragraph(document, f"{{{{ tables.{spec.key}.note }}}}", "Table Note")
    _paragraph(document, "{%p endif %}", "Table Note")


def _cell(cell, text: str, bold: bool = False, left: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.style = "Table Text"
    if left:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(text)
    if bold:
        run.font.bold = True
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_FONT)


def _cell_margins(table, margin) -> None:
    """Narrow left and right cell margins, so that a 5号 number such as ``-13.5`` fits a
    14 mm column on one line."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(margin.twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _repeat_header(row) -> None:
    """标题行重复 (w:tblHeader): Word and LibreOffice repeat the row on each page."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _cant_split(row) -> None:
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def write_all(folder: Path = TEMPLATES) -> list[Path]:
    written = []
    for kind in registry().kinds.values():
        for lang in LANGS:
            path = folder / f"{kind.key}.{lang}.docx"
            write_template(kind, lang, path)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES):
        print(path)
