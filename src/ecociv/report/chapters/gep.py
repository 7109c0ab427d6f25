"""The GEP chapter (生态产品总值核算) of the annual, mid-term and final evaluations and of the
state-of-environment report, from the newest GEP account stored for the report's region and
year (issue 17: "a GEP chapter in the reports").

Not in the self-assessment and completion tables: those are the fixed one-table forms of
the standard and of the seed plans' review layout, with no place for another account.  A
region and year without a stored account get no chapter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ecociv.gep import report_chapter
from ecociv.report.chapters import Chapter, ChapterScope
from ecociv.store.services import gep_accounts


def read(session: Session, scope: ChapterScope) -> dict[str, Any] | None:
    return gep_accounts.report_data(session, scope.region_code, scope.year)


CHAPTER = Chapter(
    key="gep",
    zh="生态产品总值核算",
    en="Gross ecosystem product",
    kinds=("annual", "midterm", "final", "environment-status"),
    read=read,
    facts=report_chapter.facts,
    table=report_chapter.TABLE,
    rows=report_chapter.rows,
)
