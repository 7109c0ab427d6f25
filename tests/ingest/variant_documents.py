"""Plan documents holding generated tables, written as Tika text, .docx or .xlsx."""

from __future__ import annotations

from fixture_builders import TableSpec
from variant_tables import REGION


def outline(tables: list[TableSpec | list[TableSpec]], base_year: int) -> list[tuple]:
    """A plan document holding *tables* (a split table as its parts, one after the other)."""
    items: list[tuple] = [
        ("heading", 1, f"{REGION}生态文明建设规划（{base_year + 1}—2030年）"),
        ("paragraph", f"规划基准年为{base_year}年，规划期限为{base_year + 1}—2030年。"),
    ]
    for table in tables:
        for part in table if isinstance(table, list) else [table]:
            items.append(("table", part))
        items.append(("paragraph", "以上为本节表格。"))
    return items


def write_variant_xlsx(path, items: list[tuple]) -> None:
    """The plan as a workbook: the base-year sentence on a sheet of its own, each table on its
    own sheet, the parts of a split table one under the other with a blank row between."""
    import openpyxl
    from fixture_builders import _write_xlsx_grid

    book = openpyxl.Workbook()
    first = book.active
    first.title = "说明"
    first.cell(row=1, column=1, value=next(i[1] for i in items if i[0] == "paragraph"))
    sheet, row = None, 1
    for item in items:
        if item[0] != "table":
            sheet = None
            continue
        spec = item[1]
        if sheet is None:
            sheet, row = book.create_sheet(f"表{len(book.sheetnames)}"), 1
        else:
            row += 1  # the blank row of the page break
        if spec.caption:
            sheet.cell(row=row, column=1, value=spec.caption)
            row += 1
        _write_xlsx_grid(sheet, spec, first_row=row)
        row += len(spec.rows)
        for note in spec.notes:
            sheet.cell(row=row, column=1, value=note)
            row += 1
    book.save(str(path))


_TEMPLATE: list[bytes] = []


def write_variant_docx(path, items: list[tuple]) -> None:
    """The plan as a .docx written straight as WordprocessingML (ECMA-376 §17.4: ``w:gridSpan``
    for a horizontal merge, ``w:vMerge`` restart/continue for a vertical one), in the package
    of python-docx's default template; the same Word structure ``write_plan_docx`` builds,
    without its per-merge cost."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    import docx

    if not _TEMPLATE:
        buffer = io.BytesIO()
        docx.Document().save(buffer)
        _TEMPLATE.append(buffer.getvalue())

    def paragraph(text: str, style: str | None = None) -> str:
        props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    def table(spec: TableSpec) -> str:
        grid = "".join("<w:gridCol/>" for _ in range(spec.n_cols))
        rows = []
        for row in spec.rows:
            cells = []
            for cell in row:
                props = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
                if cell.vmerge:
                    props += (
                        f'<w:vMerge w:val="{cell.vmerge}"/>'
                        if cell.vmerge == "restart"
                        else "<w:vMerge/>"
                    )
                lines = cell.text.split("\n") if cell.vmerge != "continue" else [""]
                body = "".join(paragraph(line) for line in lines)
                cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
            rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
        return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"

    body = []
    for item in items:
        if item[0] == "heading":
            body.append(paragraph(item[2], f"Heading{item[1]}"))
        elif item[0] == "paragraph":
            body.append(paragraph(item[1]))
        else:
            spec = item[1]
            body.append(paragraph(spec.caption))
            body.append(table(spec))
            body.extend(paragraph(note) for note in spec.notes)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    with zipfile.ZipFile(io.BytesIO(_TEMPLATE[0])) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = (
                xml.encode("utf-8") if info.filename == "word/document.xml" else source.read(info)
            )
            out.writestr(info, data)
