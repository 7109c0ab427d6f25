"""Uploaded workbooks (bulk-entry templates, region export workbooks) pass the ingest package
scan before openpyxl opens them: a DTD or a merged range over the whole sheet is a
ValidationError naming the limit, never a hang or an expanded entity (issue 18 #2)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from ecociv.store.errors import ValidationError
from ecociv.store.services import exchange_xlsx
from ecociv.store.services.upload_scan import scan_upload

SHEET = "xl/worksheets/sheet1.xml"


def _healthy() -> bytes:
    workbook = Workbook()
    workbook.active.append(["指标", 2024])
    workbook.active.append(["PM2.5", 31])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rewrite(package: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == name else data)
    return out.getvalue()


def _with_entity(data: bytes) -> bytes:
    dtd = b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
    data = re.sub(rb"<v>[^<]*</v>", b"<v>&e;</v>", data, count=1)
    if data.startswith(b"<?xml"):
        end = data.index(b"?>") + 2
        return data[:end] + dtd + data[end:]
    return dtd + data


def _with_huge_merge(data: bytes) -> bytes:
    merge = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    return data.replace(b"</sheetData>", b"</sheetData>" + merge, 1)


@pytest.mark.parametrize(("change", "said"), [(_with_entity, "DTD"), (_with_huge_merge, "merged")])
def test_a_hostile_workbook_is_a_validation_error(change, said: str) -> None:
    hostile = _rewrite(_healthy(), SHEET, change)
    with pytest.raises(ValidationError) as caught:
        scan_upload(hostile, where="upload.xlsx")
    assert said.lower() in caught.value.en.lower()
    assert caught.value.where is not None and "upload.xlsx" in caught.value.where


def test_a_healthy_workbook_passes_and_a_stream_is_rewound() -> None:
    stream = io.BytesIO(_healthy())
    stream.seek(0)
    scan_upload(stream, where="upload.xlsx")
    assert stream.tell() == 0


def test_the_export_reader_refuses_a_hostile_workbook(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(_rewrite(_healthy(), SHEET, _with_entity))
    with pytest.raises(ValidationError):
        exchange_xlsx.read_export_xlsx(path)
