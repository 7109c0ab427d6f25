"""The report's figures as PNG images, drawn with matplotlib's Agg backend (no display).

Deterministic: a fixed size in millimetres and a fixed resolution (``data/charts.yaml``), no
timestamp in the file (PNG ``Software`` text left out), so the same data gives the same bytes
on the same matplotlib.  Text is set in the first CJK font of ``charts.yaml`` that matplotlib's
font manager knows (Debian ``fonts-noto-cjk`` or ``fonts-wqy-zenhei``); without one, the
figure is still drawn and :func:`chart_font` says which packages to install (the reason is
logged, the Chinese would show as boxes).  Axes carry their unit; the layout is computed by
matplotlib's constrained layout so that no label is clipped.
"""

from __future__ import annotations

import logging
import textwrap
import threading
from functools import cache
from io import BytesIO
from typing import Any

import matplotlib
import PIL.Image

matplotlib.use("Agg", force=True)  # before pyplot is imported anywhere in this process

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ecociv.report.model import Bars, Chart, Trend
from ecociv.report.registry import registry

log = logging.getLogger(__name__)
DRAWING = threading.Lock()
"""matplotlib's settings (``rcParams``) are one global: two reports drawn at once in two
worker threads would restore each other's font mid-figure.  Figures are drawn one at a time
(they are CPU-bound under the GIL anyway)."""
MM_PER_INCH = 25.4
MISSING_FONT = (
    "matplotlib 找不到中文字体，图中的中文将无法显示；请安装 Debian 软件包 fonts-noto-cjk 或 "
    "fonts-wqy-zenhei / no CJK font found by matplotlib: install the Debian package "
    "fonts-noto-cjk or fonts-wqy-zenhei"
)


def style() -> dict[str, Any]:
    return registry().chart_style


@cache
def chart_font() -> str | None:
    """The first family of ``charts.yaml`` ``fonts`` that matplotlib knows, or None."""
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    found = next((family for family in style()["fonts"] if family in known), None)
    if found is None:
        log.warning(MISSING_FONT)
    return found


def chart_png(chart: Chart) -> bytes:
    """The PNG of *chart* (bars, or trend panels)."""
    font = chart_font()
    rc: dict[str, Any] = {
        "font.size": style()["font_size_pt"],
        "axes.unicode_minus": False,  # the CJK fonts lack U+2212; a hyphen-minus instead
    }
    if font is not None:
        rc["font.family"] = [font, "DejaVu Sans"]
    with DRAWING, matplotlib.rc_context(rc):
        figure = _bars_figure(chart.bars) if chart.bars else _trends_figure(chart)
        drawn = BytesIO()
        figure.savefig(drawn, format="png", dpi=style()["dpi"], metadata={"Software": None})
    # RGB without the alpha channel: the page is white, and a PDF would carry the alpha as a
    # second image (a soft mask) for nothing.
    drawn.seek(0)
    out = BytesIO()
    with PIL.Image.open(drawn) as image:
        image.convert("RGB").save(out, format="PNG")
    return out.getvalue()


def _figure(height_mm: float) -> Figure:
    figure = Figure(
        figsize=(style()["width_mm"] / MM_PER_INCH, height_mm / MM_PER_INCH),
        layout="constrained",
        facecolor="white",
    )
    return figure


def _amount(value: float) -> str:
    """A bar's total as printed in the tables: whole numbers with thousands separators,
    else two decimals at most (never ``3.18e+04``)."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _wrap(text: str, width: int) -> str:
    """Long Chinese category names over two lines (CJK has no spaces to break at)."""
    if len(text) <= width:
        return text
    return "\n".join(textwrap.wrap(text, width, break_long_words=True)[:2])


def _bars_figure(bars: Bars) -> Figure:
    n = len(bars.categories)
    figure = _figure(30 + style()["bar_height_mm"] * n)
    axes = figure.add_subplot()
    colours = style()["colours"]
    positions = list(range(n))[::-1]  # first category on top
    left = [0.0] * n
    for stack in bars.stacks:
        axes.barh(
            positions,
            stack.values,
            left=left,
            height=0.6,
            color=colours.get(stack.role, "#718096"),
            label=stack.label,
            edgecolor="white",
            linewidth=0.5,
        )
        left = [a + b for a, b in zip(left, stack.values, strict=True)]
    top = max(left) if left else 0.0
    for position, total in zip(positions, left, strict=True):
        axes.text(total + top * 0.01, position, _amount(total), va="center")
    axes.set_yticks(positions, [_wrap(c, 10) for c in bars.categories])
    axes.set_xlabel(bars.axis)
    axes.set_xlim(0, top * 1.12 if top else 1)
    axes.xaxis.set_major_locator(MaxNLocator(integer=all(float(v).is_integer() for v in left)))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18 if n > 2 else -0.3),
        ncol=len(bars.stacks),
        frameon=False,
    )
    return figure


def _trends_figure(chart: Chart) -> Figure:
    rows = (len(chart.trends) + 1) // 2
    figure = _figure(style()["trend_height_mm"] * rows + 12)
    grid = figure.subplots(rows, 2, squeeze=False)
    for index, axes in enumerate(grid.flat):
        if index < len(chart.trends):
            _trend(axes, chart.trends[index], chart.labels)
        else:
            axes.set_visible(False)
    handles, names = grid.flat[0].get_legend_handles_labels()
    for axes in grid.flat[1 : len(chart.trends)]:
        for handle, name in zip(*axes.get_legend_handles_labels(), strict=True):
            if name not in names:
                handles.append(handle)
                names.append(name)
    figure.legend(handles, names, loc="outside lower center", ncol=5, frameon=False)
    return figure


def _trend(axes: Axes, trend: Trend, labels: dict[str, str]) -> None:
    colours = style()["colours"]
    if trend.observed:
        years, values = zip(*trend.observed, strict=True)
        axes.plot(years, values, marker="o", markersize=3, color=colours["observed"],
                  label=labels["observed"])  # fmt: skip
    if trend.baseline and trend.baseline[0] not in dict(trend.observed):
        axes.plot(*trend.baseline, marker="s", markersize=4, linestyle="none",
                  color=colours["baseline"], label=labels["baseline"])  # fmt: skip
    if trend.targets:
        years, values = zip(*trend.targets, strict=True)
        axes.plot(years, values, marker="*", markersize=8, linestyle="none",
                  color=colours["target"], label=labels["target"])  # fmt: skip
    if trend.threshold is not None:
        axes.axhline(trend.threshold, linestyle="--", linewidth=1, color=colours["threshold"],
                     label=labels["threshold"])  # fmt: skip
    if trend.projection:
        years, values = zip(*trend.projection, strict=True)
        axes.plot(years, values, linestyle=":", linewidth=1.2, color=colours["projection"],
                  label=labels["projection"])  # fmt: skip
    axes.set_title(_wrap(trend.title, 20), loc="left")
    axes.set_ylabel(trend.unit or "")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.margins(y=0.15)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
