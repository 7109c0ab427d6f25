"""Bad and unusual input through the ``ecociv ingest`` command: one clear line, never a traceback.

Every file is generated in ``tmp_path``.  The command's real entry point
(:func:`ecociv.cli.main`, the one the ``ecociv`` script runs) is called in-process with
its arguments, so an unexpected exception fails the test as it would show a user a
traceback; an :class:`~ecociv.errors.EcocivError` must come out as one line on stderr with
exit code 2, and a readable file must parse correctly.  The 100 MB case runs the command
in a subprocess and bounds that subprocess's own peak memory (``os.wait4``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass

import pytest
from fixture_builders import plan_text_twin, write_plan_docx, write_plan_xlsx

from ecociv.cli import main

_MEMORY_BOUND_MB = 2048


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def ingest(monkeypatch, capsys):
    """Run ``ecociv ingest ARGS`` in-process; returns exit code, stdout and stderr."""

    def run(*args: object, lang: str = "en", **env: str) -> Outcome:
        monkeypatch.setenv("ECOCIV_LANG", lang)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "argv", ["ecociv", "ingest", *map(str, args)])
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main()
        captured = capsys.readouterr()
        code = exited.value.code
        return Outcome(code if isinstance(code, int) else 1, captured.out, captured.err)

    return run


def _assert_one_line_error(result: Outcome, *words: str) -> str:
    assert result.code == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def _plan_summary(result: Outcome) -> list[tuple[str, int]]:
    assert result.code == 0, result.stderr
    plan = json.loads(result.stdout)
    return [(table["kind"], len(table["rows"])) for table in plan["tables"]]


EXPECTED_TABLES = [("indicator", 7), ("project", 5)]


def test_truncated_docx(tmp_path, ingest):
    whole = write_plan_docx(tmp_path / "whole.docx").read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(whole[: len(whole) * 2 // 3])
    line = _assert_one_line_error(ingest(truncated), "damaged", str(truncated))
    assert ".docx" in line
    zh = _assert_one_line_error(ingest(truncated, lang="zh"), "损坏")
    assert str(truncated) in zh


def test_renamed_text_file_with_a_docx_suffix(tmp_path, ingest):
    renamed = tmp_path / "plan.docx"
    renamed.write_text(plan_text_twin(), encoding="utf-8")
    _assert_one_line_error(ingest(renamed), "renamed", "Word")


def test_renamed_workbook_with_a_docx_suffix(tmp_path, ingest):
    renamed = tmp_path / "plan.docx"
    renamed.write_bytes(write_plan_xlsx(tmp_path / "plan.xlsx").read_bytes())
    _assert_one_line_error(ingest(renamed), "renamed", "Excel")


def test_legacy_word_file(tmp_path, ingest):
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    _assert_one_line_error(ingest(legacy), "legacy", ".docx")


@pytest.mark.parametrize(
    ("name", "content", "format_name"),
    [
        ("plan.pdf", b"%PDF-1.7\n%binary", "PDF"),
        ("plan.xml", b'<?xml version="1.0"?><w:wordDocument/>', "XML"),
        ("plan.htm", "\ufeff<!DOCTYPE html><html></html>".encode(), "HTML"),
    ],
)
def test_other_formats_are_named(tmp_path, ingest, name, content, format_name):
    path = tmp_path / name
    path.write_bytes(content)
    _assert_one_line_error(ingest(path), "unsupported file format", format_name, ".docx")


def test_empty_file(tmp_path, ingest):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _assert_one_line_error(ingest(empty), "empty")


def test_binary_file(tmp_path, ingest):
    binary = tmp_path / "data.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    _assert_one_line_error(ingest(binary), "binary")


def test_missing_file(tmp_path, ingest):
    _assert_one_line_error(ingest(tmp_path / "absent.txt"), "not found")


def test_over_the_size_limit(tmp_path, ingest):
    big = tmp_path / "big.txt"
    big.write_text(plan_text_twin() * 800, encoding="utf-8")  # about 2.5 MB
    _assert_one_line_error(ingest(big, ECOCIV_MAX_INPUT_MB="1"), "MB", "ECOCIV_MAX_INPUT_MB")


def test_a_malformed_size_limit_setting(tmp_path, ingest):
    path = tmp_path / "plan.txt"
    path.write_text(plan_text_twin(), encoding="utf-8")
    _assert_one_line_error(ingest(path, ECOCIV_MAX_INPUT_MB="两百"), "ECOCIV_MAX_INPUT_MB", "两百")


def test_a_package_that_unpacks_past_the_limit(tmp_path, ingest):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<w:document>" + b" " * (12 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    _assert_one_line_error(
        ingest(bomb, ECOCIV_MAX_UNPACKED_MB="10"), "12 MB", "10 MB", "ECOCIV_MAX_UNPACKED_MB"
    )


@pytest.mark.parametrize("kind", ["text", "docx", "xlsx"])
def test_more_table_cells_than_the_limit(tmp_path, ingest, kind):
    writers = {
        "text": lambda: _write_text(tmp_path / "plan.txt", plan_text_twin()),
        "docx": lambda: write_plan_docx(tmp_path / "plan.docx"),
        "xlsx": lambda: write_plan_xlsx(tmp_path / "plan.xlsx"),
    }
    path = writers[kind]()
    line = _assert_one_line_error(ingest(path, ECOCIV_MAX_CELLS="50"), "table cells", "50")
    assert "ECOCIV_MAX_CELLS" in line
    assert ingest(path, "--json", ECOCIV_MAX_CELLS="5000").code == 0


def _write_text(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_gb18030_text_parses_like_utf8(tmp_path, ingest):
    gb = tmp_path / "plan_gb.txt"
    gb.write_bytes(plan_text_twin().encode("gb18030"))
    utf8 = tmp_path / "plan_utf8.txt"
    utf8.write_bytes(plan_text_twin().encode("utf-8-sig"))
    gb_result = ingest(gb, "--json")
    assert _plan_summary(gb_result) == EXPECTED_TABLES
    assert _plan_summary(ingest(utf8, "--json")) == EXPECTED_TABLES
    gb_plan = json.loads(gb_result.stdout)
    assert gb_plan["source"]["encoding"] == "gb18030"
    names = [row["name"] for row in gb_plan["tables"][0]["rows"]]
    assert names[:2] == ["生态文明建设规划", "生态环境信息公开率"]


def test_docx_parses_through_the_command(tmp_path, ingest):
    path = write_plan_docx(tmp_path / "plan.docx")
    assert _plan_summary(ingest(path, "--json")) == EXPECTED_TABLES


@pytest.mark.slow
def test_a_100_mb_text_file_parses_with_bounded_memory(tmp_path):
    """A long plan: the twin's tables, then 100 MB of prose paragraphs, in a subprocess."""
    path = tmp_path / "long_plan.txt"
    prose = "各乡镇（街道）按照本规划确定的目标任务落实生态环境保护责任，加强监督检查和考核评估。\n"
    block = prose * 2000
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(plan_text_twin())
        while handle.tell() < 100 * 1024 * 1024:
            handle.write(block)
    stdout, stderr = tmp_path / "stdout.json", tmp_path / "stderr.txt"
    with open(stdout, "w") as out, open(stderr, "w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "ecociv", "ingest", str(path), "--json"],
            stdout=out,
            stderr=err,
            env={**os.environ, "ECOCIV_LANG": "en"},
        )
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not all children's
    peak_mb = usage.ru_maxrss / 1024  # KiB on Linux
    result = Outcome(os.waitstatus_to_exitcode(status), stdout.read_text(), stderr.read_text())
    assert "Traceback" not in result.stderr
    assert _plan_summary(result) == EXPECTED_TABLES
    assert peak_mb < _MEMORY_BOUND_MB, f"peak memory {peak_mb:.0f} MB"
