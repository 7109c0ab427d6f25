"""``ecociv report`` and ``ecociv report-template`` on the demo store; the narrative file kept
beside the report and re-used with the user's edits."""

from __future__ import annotations

import json

import pytest
from expected import docx_text
from typer.testing import CliRunner

from ecociv.cli import build_app
from ecociv.errors import InputError
from ecociv.report.api import make_report


@pytest.fixture()
def run(demo_store, monkeypatch, tmp_path):
    _, _, url = demo_store
    monkeypatch.setenv("ECOCIV_DATABASE_URL", url)
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    return lambda *args: runner.invoke(build_app(), list(args))


def test_report_command_writes_the_file_and_its_narrative(run, demo_store, tmp_path):
    _, plan_id, _ = demo_store
    out = tmp_path / "松岭区年度评估.xlsx"
    result = run("report", "annual", "--plan", str(plan_id), "--region", "990104", "--year", "2024",
                 "--format", "xlsx", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == str(out) and lines[1].endswith("松岭区年度评估.narrative.json")
    assert lines[2].startswith("v1-")
    assert out.stat().st_size > 0
    sidecar = json.loads((tmp_path / "松岭区年度评估.narrative.json").read_text(encoding="utf-8"))
    assert set(sidecar["sections"]) == {"situation", "problems", "next_steps"}
    assert sidecar["data_revision"] == lines[2]


def test_unknown_kind_and_wrong_extension_are_one_line_errors(demo_store, tmp_path):
    import subprocess
    import sys

    _, plan_id, url = demo_store
    env = {"ECOCIV_DATABASE_URL": url, "ECOCIV_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    import os

    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "src")
    for args, words in (
        (["yearly", "--out", str(tmp_path / "r.docx")], "报告类型 'yearly' 不存在"),
        (["annual", "--format", "pdf", "--out", str(tmp_path / "r.docx")], "--format pdf 不一致"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "ecociv", "report", *args, "--plan", str(plan_id), "--year", "2024"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert words in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_report_template_copies_the_default(run, tmp_path):
    out = tmp_path / "mine.docx"
    result = run("report-template", "completion", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "{{ title }}" in docx_text(out)


def test_edited_narrative_is_used_and_kept(demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    out = tmp_path / "status.docx"
    args = dict(plan_id=plan_id, region_code="990103", year=2024, out=out)
    make_report(demo_session, "environment-status", fmt="docx", **args)
    sidecar = tmp_path / "status.narrative.json"
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    prefilled = data["sections"]["next_steps"]["text"]
    assert "需重点推进的指标" in prefilled and prefilled in "\n".join(docx_text(out).splitlines())
    data["sections"]["next_steps"]["text"] = "一是加快污水管网建设。\n二是开展臭氧协同治理。"
    sidecar.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    make_report(
        demo_session, "environment-status", fmt="xlsx", **{**args, "out": tmp_path / "status.xlsx"}
    )
    make_report(demo_session, "environment-status", fmt="docx", **args)
    paragraphs = docx_text(out).splitlines()
    assert "一是加快污水管网建设。" in paragraphs and "二是开展臭氧协同治理。" in paragraphs
    assert "需重点推进的指标" not in docx_text(out)
    kept = json.loads(sidecar.read_text(encoding="utf-8"))["sections"]["next_steps"]
    assert kept["text"] == "一是加快污水管网建设。\n二是开展臭氧协同治理。"
    assert kept["facts"] == [prefilled]


def test_narrative_of_another_report_is_refused(demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    out = tmp_path / "r.docx"
    make_report(
        demo_session,
        "annual",
        plan_id=plan_id,
        region_code="990103",
        year=2024,
        fmt="docx",
        out=out,
    )
    with pytest.raises(InputError) as caught:
        make_report(
            demo_session,
            "annual",
            plan_id=plan_id,
            region_code="990103",
            year=2023,
            fmt="docx",
            out=out,
        )
    assert "另一份报告" in caught.value.zh and "another report" in caught.value.en
    assert caught.value.where == str(tmp_path / "r.narrative.json")
    (tmp_path / "r.narrative.json").write_text('{"kind": "annual"', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        make_report(
            demo_session,
            "annual",
            plan_id=plan_id,
            region_code="990103",
            year=2024,
            fmt="docx",
            out=out,
        )
    assert "JSON" in caught.value.zh
