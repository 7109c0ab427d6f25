"""Small synthetic plans, written as the text Apache Tika prints for a .docx (cells start
with a TAB, rows are separated by blank lines), for the check rules' tests."""

from __future__ import annotations

from pathlib import Path


def table(caption: str, rows: list[list[str]]) -> str:
    body = "\n\n".join("\n".join(f"\t{cell}" for cell in row) for row in rows)
    return f"{caption}\n\n{body}\n\n\n"


def indicator_table(
    caption: str, rows: list[list[str]], *, base: int = 2020, target: int = 2025
) -> str:
    header = ["序号", "指标名称", "单位", "指标属性", f"现状值（{base}年）", f"{target}年目标值"]
    return table(caption, [header, *rows])


def project_table(rows: list[list[str]], caption: str = "表3 重点项目表") -> str:
    header = ["序号", "项目名称", "建设内容", "建设性质", "实施年限", "投资（万元）"]
    return table(caption, [header, *rows])


def plan_text(*parts: str, title: str = "青岚县生态环境保护“十四五”规划（2021-2025年）") -> str:
    return "\n".join([title, "", "本规划基准年为2020年，规划期限为2021-2025年。", "", *parts])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(text, "utf-8")
    return path
