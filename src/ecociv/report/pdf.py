"""PDF from the report's .docx through LibreOffice headless, so that the PDF and the Word file
never disagree.  Needs the Debian package ``libreoffice-writer-nogui`` (or
``libreoffice-writer``) and a CJK font (``fonts-noto-cjk`` or ``fonts-wqy-zenhei``)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ecociv.errors import EcocivError
from ecociv.report.fonts import installed_families, substitute_fonts, substitutions

TIMEOUT_S = 180
PROGRAMS = ("soffice", "libreoffice")


class PdfError(EcocivError):
    """LibreOffice is missing, failed, or took too long."""


def libreoffice() -> str | None:
    """The LibreOffice program on the PATH, or None."""
    return next((found for name in PROGRAMS if (found := shutil.which(name))), None)


def docx_to_pdf(docx: Path, out: Path, *, timeout_s: float = TIMEOUT_S) -> None:
    """Convert *docx* to the PDF *out* (official fonts replaced by installed ones first)."""
    program = libreoffice()
    if program is None:
        raise PdfError(
            "未找到 LibreOffice（soffice），无法生成 PDF；请安装 Debian 软件包 "
            "libreoffice-writer-nogui 和中文字体 fonts-noto-cjk，或改用 --format docx",
            "LibreOffice (soffice) was not found, so no PDF can be made; install the Debian "
            "packages libreoffice-writer-nogui and fonts-noto-cjk, or use --format docx",
        )
    with tempfile.TemporaryDirectory(prefix="ecociv-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        substitute_fonts(docx, source, substitutions(installed_families()))
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _, stderr = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfError(
                f"LibreOffice 转换 PDF 超过 {timeout_s:g} 秒，已中止",
                f"LibreOffice took more than {timeout_s:g} s to convert to PDF and was stopped",
                where=str(docx),
            ) from None
        made = work / "report.pdf"
        if process.returncode != 0 or not made.is_file():
            detail = stderr.decode("utf-8", "replace").strip()[-300:]
            raise PdfError(
                f"LibreOffice 未能生成 PDF（退出码 {process.returncode}）：{detail}",
                f"LibreOffice made no PDF (exit code {process.returncode}): {detail}",
                where=str(docx),
            )
        shutil.move(str(made), out)
