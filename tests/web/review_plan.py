"""A small plan as Tika text for the import review tests: one indicator table whose value
columns have headers the reader cannot know (甲栏, 乙栏: read as ``other``), or plain ones, and
two planted contradictions — the text gives 2020 PM2.5 as 35 where the table says 33, and the
forest cover target (≥38) is below its baseline (40.2)."""

from __future__ import annotations

ROWS = [
    ("1", "细颗粒物（PM2.5）年均浓度", "微克/立方米", "33", "≤28", "约束性"),
    ("2", "城镇污水处理率", "%", "94.1", "≥97", "约束性"),
    ("3", "森林覆盖率", "%", "40.2", "≥38", "参考性"),
]
MISREAD = ("甲栏", "乙栏")
PLAIN = ("基准值（2020年）", "2025年目标值")


def plan_text(headers: tuple[str, str] = PLAIN, forest_target: str = "≥38") -> bytes:
    """The plan with *headers* over the baseline and target columns."""
    lines = [
        "碧溪县生态文明建设规划（2021—2025年）",
        "一、规划总则",
        "规划基准年为2020年，规划期限为2021—2025年。",
        "2020年，全县细颗粒物年均浓度为35微克/立方米。",
        " 表1  碧溪县生态文明建设指标",
    ]
    header = ["序号", "指标名称", "单位", *headers, "指标属性"]
    for cells in [header, *ROWS]:
        cells = [forest_target if c == "≥38" else c for c in cells]
        lines.append("\t" + "\n\t".join(cells) + "\n")
    lines += ["", "二、保障措施", "加强组织领导。"]  # two empty lines end a table
    return ("\n".join(lines) + "\n").encode()
