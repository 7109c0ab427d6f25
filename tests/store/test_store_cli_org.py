"""``ecociv department``, ``ecociv jobs`` and ``ecociv workflow`` on a real database file."""

from __future__ import annotations

import sys

import pytest

from ecociv.cli import main
from ecociv.store.db import upgrade


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'ecociv.db'}"
    upgrade(url)
    monkeypatch.setenv("ECOCIV_DATABASE_URL", url)
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path))

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["ecociv", *args])
        try:
            main()
            code = 0
        except SystemExit as ended:
            code = int(ended.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_departments_from_the_command_line(cli):
    assert cli("region", "add", "99", "测试省", "--level", "province")[0] == 0
    assert cli("department", "add", "hbj", "生态环境局", "--region", "99")[0] == 0
    assert cli("user", "add", "甲", "--role", "viewer")[0] == 0
    assert cli("department", "assign", "甲", "hbj")[0] == 0
    code, out, _ = cli("department", "list")
    assert (code, out) == (0, "hbj\t生态环境局\t99\n")
    code, _, err = cli("department", "add", "hbj", "重复")
    assert code == 2 and err == "ecociv: hbj: 部门 hbj 已存在\n"


def test_jobs_run_reports_each_job_in_one_line(cli):
    code, out, _ = cli("jobs", "run", "--now", "2026-12-31T09:00")
    assert code == 0
    assert "email: 未配置邮件服务器（ECOCIV_SMTP_HOST），提醒只在系统内显示" in out
    code, _, err = cli("jobs", "run", "--now", "yesterday")
    assert code == 2 and "--now 的时间格式不正确" in err
    assert "email\t发送提醒邮件" in cli("jobs", "list")[1]


def test_workflow_check_names_the_defect(cli, tmp_path):
    broken = tmp_path / "mine.yaml"
    broken.write_text(
        "name: mine\ntitle: {zh: 试, en: try}\nsource: t\nroles: {a: {zh: 甲, en: A}}\n"
        "initial: s\nstates: {s: {zh: 起, en: start}, t: {zh: 终, en: end, terminal: true}}\n"
        "transitions: [{name: go, zh: 走, en: go, from: [s], to: u, roles: [a]}]\n",
        encoding="utf-8",
    )
    code, _, err = cli("workflow", "check", str(broken))
    assert code == 2
    assert err == f"ecociv: {broken}: 流转 go 指向未定义的状态 u\n"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("to: u", "to: t"), encoding="utf-8"
    )
    code, out, _ = cli("workflow", "check", str(broken))
    assert code == 0 and out.startswith("流程定义有效：试，2 个状态，1 个流转")
