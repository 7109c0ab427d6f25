"""The package scan every uploaded workbook passes before openpyxl opens it.

Bulk-entry templates and region export workbooks are .xlsx files from a user, as hostile as a
plan: :func:`ecociv.ingest.limits.check_workbook` refuses zip damage, real unpacked sizes over
the limit, any DTD (so no entity is ever expanded), XML nested past the limit, and cell counts
or merged ranges over the cell budget — before anything is allocated from declared sizes
(docs/ingest-readers.md, "Work limits").  Here its refusal becomes the store's
:class:`~ecociv.store.errors.ValidationError`, so the web answers 422 like any bad upload.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from ecociv.errors import InputError
from ecociv.ingest.limits import check_workbook
from ecociv.store.errors import ValidationError


def scan_upload(source: Path | BinaryIO | bytes, *, where: str) -> None:
    """Refuse a workbook the ingest limits refuse (a file-like *source* is rewound)."""
    try:
        check_workbook(source, where=where)
    except InputError as error:
        raise ValidationError(error.zh, error.en, where=error.where) from None
