"""One call from a store session to a report file: gather, build, render, keep the
editable sections beside it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from ecociv.errors import InputError
from ecociv.report.build import build_report
from ecociv.report.docx import render_docx
from ecociv.report.gather import gather
from ecociv.report.model import Report
from ecociv.report.narrative import read_texts, sidecar_path, write_sidecar
from ecociv.report.pdf import docx_to_pdf
from ecociv.report.registry import kind_spec
from ecociv.report.xlsx import render_xlsx
from ecociv.store.services.standards import DEFAULT_MATCH_VERSION

FORMATS = ("docx", "xlsx", "pdf")
LANGS = ("zh", "en")


def make_report(
    session: Session,
    kind: str,
    *,
    plan_id: int,
    region_code: str | None,
    year: int,
    fmt: str,
    out: Path,
    template: Path | None = None,
    lang: str = "zh",
    standard: str = DEFAULT_MATCH_VERSION,
) -> Report:
    """Write the report of *kind* to *out* in *fmt* and its editable sections to
    ``<out stem>.narrative.json`` (whose edited texts, when it exists, are used)."""
    kind_spec(kind)
    choose(fmt, FORMATS, "--format")
    choose(lang, LANGS, "--lang")
    inputs = gather(
        session, plan_id, region_code=region_code, year=year, standard=standard, kind=kind
    )
    sidecar = sidecar_path(out)
    texts = read_texts(
        sidecar, kind=kind, region_code=inputs.region.code, plan_id=plan_id, year=year
    )
    report = build_report(kind, inputs, lang=lang, texts=texts)
    render(report, fmt, out, template)
    write_sidecar(sidecar, report)
    return report


def render(report: Report, fmt: str, out: Path, template: Path | None = None) -> None:
    if fmt == "xlsx":
        render_xlsx(report, out)
    elif fmt == "docx":
        render_docx(report, out, template)
    else:
        with tempfile.TemporaryDirectory(prefix="ecociv-report-") as folder:
            docx = Path(folder) / "report.docx"
            render_docx(report, docx, template)
            docx_to_pdf(docx, out)


def choose(value: str, allowed: tuple[str, ...], option: str) -> None:
    """Refuse *value* unless it is one of *allowed* (the message names *option*)."""
    if value not in allowed:
        raise InputError(
            f"{option} 的取值 {value!r} 无效，可选：{'、'.join(allowed)}",
            f"{option} {value!r} is not one of {', '.join(allowed)}",
        )
