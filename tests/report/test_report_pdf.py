"""The PDF is the Word file converted by LibreOffice: A4 pages, Chinese text, the completion
table's values; its pages are rendered to PNG under tests/_artifacts/report for a look."""

from __future__ import annotations

import subprocess

import pytest
from expected import current, text

from ecociv.demo.sample import DISTRICT_CODES
from ecociv.report import pdf
from ecociv.report.api import make_report
from ecociv.store.services.assessment import assess_plan


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout


@pytest.mark.slow
def test_annual_pdf_of_the_demo(demo_store, demo_session, libreoffice, artifacts):
    _, plan_id, _ = demo_store
    out = artifacts / "annual-990104-2024.pdf"
    report = make_report(
        demo_session, "annual", plan_id=plan_id, region_code=DISTRICT_CODES[2], year=2024,
        fmt="pdf", out=out,
    )  # fmt: skip
    info = _run("pdfinfo", str(out))
    assert "(A4)" in info
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages >= 3
    # pdftotext puts spaces between Chinese and digits, and table cells wrap: compare without
    # white space, and only words that fit on one line
    compact = "".join(_run("pdftotext", str(out), "-").split())
    for words in ("松岭区2024年度评估报告", "规划指标完成情况", "河长制", "形势分析", "存在问题"):
        assert words in compact
    for number in range(1, pages + 1):  # — n — on every page (GB/T 9704-2012 §7.5)
        assert f"—{number}—" in compact
    for chart in report.charts.values():
        assert "".join(chart.caption.split()) in compact
    listed = _run("pdfimages", "-list", str(out)).splitlines()[2:]
    pictures = [line for line in listed if line.split()[2] == "image"]
    assert all(line.split()[5] == "rgb" for line in pictures)
    assert not [line for line in listed if line.split()[2] == "smask"]
    assert len(pictures) == len(report.charts) == 3
    rows = assess_plan(demo_session, plan_id, region_code=DISTRICT_CODES[2], as_of=2024)
    for row in rows.indicators:
        assert text(current(row)) in compact, row.name
    for old in artifacts.glob("annual-990104-2024-*.png"):
        old.unlink()
    _run("pdftoppm", "-r", "60", "-png", str(out), str(artifacts / "annual-990104-2024"))
    assert len(list(artifacts.glob("annual-990104-2024-*.png"))) == pages


@pytest.mark.slow
def test_completion_pdf_has_the_table_values(demo_store, demo_session, libreoffice, tmp_path):
    _, plan_id, _ = demo_store
    out = tmp_path / "completion.pdf"
    make_report(
        demo_session, "completion", plan_id=plan_id, region_code=DISTRICT_CODES[0], year=2023,
        fmt="pdf", out=out,
    )  # fmt: skip
    compact = "".join(_run("pdftotext", str(out), "-").split())
    rows = assess_plan(demo_session, plan_id, region_code=DISTRICT_CODES[0], as_of=2023)
    for row in rows.indicators:
        assert text(current(row)) in compact
    assert "澄湖区2023年指标完成情况表" in compact


def test_without_libreoffice_one_bilingual_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    source = tmp_path / "r.docx"
    source.write_bytes(b"")
    with pytest.raises(pdf.PdfError) as caught:
        pdf.docx_to_pdf(source, tmp_path / "r.pdf")
    assert "libreoffice-writer-nogui" in caught.value.zh
    assert "libreoffice-writer-nogui" in caught.value.en
    assert "LibreOffice" in caught.value.message("zh") and "未找到" in caught.value.zh


def test_a_conversion_that_hangs_is_stopped(monkeypatch, tmp_path):
    """A stand-in for soffice that sleeps: the timeout ends it and says so in both languages."""
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "libreoffice", lambda: str(fake))
    from ecociv.report.template_writer import template_path

    with pytest.raises(pdf.PdfError) as caught:
        pdf.docx_to_pdf(template_path("completion", "zh"), tmp_path / "r.pdf", timeout_s=1)
    assert "超过 1 秒" in caught.value.zh and "more than 1 s" in caught.value.en
