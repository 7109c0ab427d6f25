"""The report page of a plan and region: preview with pre-filled editable sections, generate
with edited texts and with a bureau's own template (changed title, one section removed),
history with who and when, download; viewers see but cannot generate."""

from __future__ import annotations

import re
from io import BytesIO

from docx import Document

from conftest import DISTRICT_A
from ecociv.report.template_writer import template_path


def own_template(kind: str, *, title: str, drop: str) -> bytes:
    """The default template edited as in Word: a new title line, the section *drop* deleted
    from its heading to the next heading."""
    document = Document(str(template_path(kind, "zh")))
    document.paragraphs[0].runs[0].text = title
    body = document.element.body
    children = list(body)
    start = next(i for i, c in enumerate(children) if c.xpath("string(.)").endswith(drop))
    end = next(
        i
        for i in range(start + 1, len(children))
        if children[i].xpath("string(.//w:pStyle/@w:val)") in ("Heading1", "Colophon")
    )
    for child in children[start:end]:
        body.remove(child)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _page(client, plan_id, **params):
    return client.get(f"/plans/{plan_id}/reports", params={"region": DISTRICT_A, **params})


def test_preview_prefills_the_editable_sections(client_as, seeded):
    client, _ = client_as("viewer")
    answer = client.get(
        f"/plans/{seeded['plan_id']}/reports.json",
        params={"region": DISTRICT_A, "kind": "annual", "year": 2022},
    )
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["preview"]["title"] == "甲区2022年度评估报告"
    narratives = [s["narrative"] for s in data["preview"]["sections"] if s["narrative"]]
    assert [n["key"] for n in narratives] == ["situation", "problems", "next_steps"]
    problems = narratives[1]
    assert "细颗粒物（PM2.5）年均浓度" in problems["text"]  # not met in 2022
    assert problems["facts"]
    assert data["editable"] is False
    html = _page(client, seeded["plan_id"], kind="annual", year=2022).text
    assert 'id="narrative-problems"' in html and "readonly" in html
    assert 'id="report-submit"' not in html


def test_generate_with_edited_text_and_own_template(client_as, seeded):
    client, token = client_as("editor_a")
    plan_id = seeded["plan_id"]
    template = own_template(
        "annual", title="{{ region_name }}{{ year }}年生态文明建设自查报告", drop="进展与预测"
    )
    answer = client.post(
        f"/plans/{plan_id}/reports",
        data={
            "csrf_token": token, "region": DISTRICT_A, "kind": "annual", "year": "2022",
            "format": "docx", "report_lang": "zh", "standard": "nat2021",
            "narrative_key": ["situation", "problems", "next_steps"],
            "narrative_text": ["形势总体向好。", "管网建设滞后。\r\n资金不足。", "加快管网建设。"],
        },
        files={"template": ("我区模板.docx", template, "application/octet-stream")},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"])
    assert "我区模板.docx" in page.text and "editor_a" in page.text
    (row,) = client.get(f"/plans/{plan_id}/reports.json", params={"region": DISTRICT_A}).json()[
        "history"
    ]
    assert row["template_name"] == "我区模板.docx"
    assert row["narratives"]["problems"]["text"] == "管网建设滞后。\n资金不足。"
    file = client.get(row["links"]["download"])
    document = Document(BytesIO(file.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "甲区2022年生态文明建设自查报告"
    assert not any("进展与预测" in t for t in texts)
    assert "管网建设滞后。" in texts and "资金不足。" in texts
    # the next preview starts from the kept texts
    again = client.get(
        f"/plans/{plan_id}/reports.json",
        params={"region": DISTRICT_A, "kind": "annual", "year": 2022},
    ).json()
    kept = {s["narrative"]["key"]: s["narrative"]["text"]
            for s in again["preview"]["sections"] if s["narrative"]}  # fmt: skip
    assert kept["situation"] == "形势总体向好。"


def test_a_template_with_an_unknown_placeholder_is_refused(client_as, seeded):
    client, token = client_as("editor_a")
    document = Document(str(template_path("completion", "zh")))
    document.paragraphs[0].runs[0].text = "{{ tittle }}"
    out = BytesIO()
    document.save(out)
    answer = client.post(
        f"/plans/{seeded['plan_id']}/reports",
        data={"csrf_token": token, "region": DISTRICT_A, "kind": "completion", "year": "2022"},
        files={"template": ("mine.docx", out.getvalue(), "application/octet-stream")},
        headers={"Accept": "application/json"},
        follow_redirects=False,
    )
    assert answer.status_code == 422, answer.text
    assert "tittle" in answer.json()["detail"] and answer.json()["where"] == "mine.docx"
    assert not client.get(
        f"/plans/{seeded['plan_id']}/reports.json", params={"region": DISTRICT_A}
    ).json()["history"]


def test_standards_and_formats_are_named_in_both_languages():
    from ecociv.report.api import FORMATS
    from ecociv.standards import catalog
    from ecociv.web.i18n import load_catalogs

    catalogs = load_catalogs()
    wanted = {f"reports.standard_{v}" for v in catalog.versions()}
    wanted |= {f"reports.format_{f}" for f in FORMATS}
    for lang in ("zh", "en"):
        assert sorted(wanted - set(catalogs[lang])) == [], lang


def test_default_template_download(client_as, seeded):
    client, _ = client_as("viewer")
    answer = client.get(f"/plans/{seeded['plan_id']}/report-template", params={"kind": "annual"})
    assert answer.status_code == 200
    assert re.search(r"ecociv-template-annual\.zh\.docx", answer.headers["content-disposition"])
    assert Document(BytesIO(answer.content)).paragraphs[0].text == "{{ title }}"
