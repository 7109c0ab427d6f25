"""The report as a Word file: a docxtpl template (the kind's default, or the user's own with
the same placeholders, ``docs/reports.md``) filled with :func:`ecociv.report.model.context_of`."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import IO, Any
from zipfile import BadZipFile

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from ecociv.errors import InputError
from ecociv.report.charts import chart_png
from ecociv.report.model import Report, context_of
from ecociv.report.registry import registry
from ecociv.report.template_writer import template_path


def render_docx(report: Report, out: Path | IO[bytes], template: Path | None = None) -> None:
    """Write *report* to *out* through *template* (the default for its kind and language)."""
    path = template or template_path(report.kind, report.lang)
    if not path.is_file():
        raise InputError(
            f"找不到报告模板：{path}", f"no such report template: {path}", where=str(path)
        )
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        document = DocxTemplate(str(path))
        document.render(_with_images(report, document), jinja_env=environment)
    except jinja2.UndefinedError as exc:
        raise InputError(
            f"模板中的占位符不存在（{exc}），可用的占位符见 docs/reports.md",
            f"the template names a placeholder that does not exist ({exc}); see docs/reports.md",
            where=str(path),
        ) from None
    except jinja2.TemplateError as exc:
        raise InputError(
            f"模板语法有误：{exc}", f"the template's syntax is wrong: {exc}", where=str(path)
        ) from None
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"不是可用的 Word 模板（.docx）：{exc}",
            f"not a usable Word template (.docx): {exc}",
            where=str(path),
        ) from None
    document.save(out)


def _with_images(report: Report, document: DocxTemplate) -> dict[str, Any]:
    """The context with each chart's ``image`` drawn (``{{ charts.KEY.image }}``), as wide
    as the figure is drawn (``data/charts.yaml``), so nothing is scaled twice."""
    context = context_of(report)
    width = Mm(registry().chart_style["width_mm"])
    images = {
        key: InlineImage(document, BytesIO(chart_png(chart)), width=width)
        for key, chart in report.charts.items()
    }
    chart_contexts = [c for c in context["charts"].values() if c] + [
        s["chart"] for s in context["sections"] if s["chart"]
    ]
    for chart in chart_contexts:
        chart["image"] = images[chart["key"]]
    return context
