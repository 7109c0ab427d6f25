"""The seed plans written back as .docx load to the same plans as their text exports.

Each seed is read from its Tika text (``ecociv.ingest.tika``) and written, at test time, as
a .docx (``fixture_builders.write_document_docx``); the .docx then goes through the .docx
reader and the classifier.  Wherever the text keeps the table's shape (every row has the
same number of cells) the two plans must agree field by field; where the text lost which
cell a row merged across, the kind, caption and row count must still agree.
"""

from __future__ import annotations

import pytest
from fixture_builders import without_locations, write_document_docx

from ecociv.ingest.api import load_plan
from ecociv.ingest.tika import read_tika

pytestmark = pytest.mark.seeds


@pytest.mark.parametrize("key", ["000", "002", "003"])
def test_a_seed_written_as_docx_loads_to_the_same_plan(seed_path, tmp_path, key):
    text_path = seed_path(key)
    document = read_tika(text_path)
    docx_path = write_document_docx(document, tmp_path / f"{key}.docx")
    from_text, from_docx = load_plan(text_path), load_plan(docx_path)
    assert from_docx.source.format == "docx"
    assert from_docx.metadata == from_text.metadata
    assert len(from_docx.tables) == len(from_text.tables) == len(document.tables)
    rectangular = 0
    for source, expected, got in zip(
        document.tables, from_text.tables, from_docx.tables, strict=True
    ):
        if len({len(row) for row in source.rows}) == 1:
            rectangular += 1
            assert without_locations(got.model_dump(mode="json")) == without_locations(
                expected.model_dump(mode="json")
            )
        else:
            assert (got.kind, got.caption, len(got.rows)) == (
                expected.kind,
                expected.caption,
                len(expected.rows),
            )
    assert rectangular >= len(document.tables) // 2
