"""The import preview (issue 13) lists the indicators with their parsed baselines and targets
in the user's language (no internal keys), names the plan as its document does, and a
re-import of the same plan under another file name becomes version 2, not a second plan."""

from __future__ import annotations

import re

from review_plan import ROWS, plan_text

from conftest import DISTRICT_A

TITLE = "碧溪县生态文明建设规划（2021—2025年）"
ENGLISH_KEYS = ("<th>kind</th>", "<th>caption</th>", "<th>rows</th>", "<th>code</th>", "tika")


def _preview(client, csrf: str, filename: str, content: bytes):
    return client.post(
        "/import/preview",
        data={"region": DISTRICT_A, "csrf_token": csrf},
        files={"file": (filename, content, "text/plain")},
    )


def _confirm(client, csrf: str, page: str) -> str:
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/import/confirm", data={"token": token, "csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_the_preview_lists_indicators_and_a_reimport_is_version_2(client_as) -> None:
    client, csrf = client_as("editor_a")
    first = _preview(client, csrf, "碧溪县规划（征求意见稿）.txt", plan_text())
    assert first.status_code == 200, first.text
    page = first.text
    assert f'<h2 id="preview-name">{TITLE}</h2>' in page
    assert "2021–2025" in page and "preview-name-missing" not in page
    listing = page.split('id="preview-indicator-list"')[1].split("</table>")[0]
    for seq, name, unit, baseline, target, _ in ROWS:
        row = re.search(rf"<td>{seq}</td>.*?{re.escape(name)}.*?</tr>", listing, re.S)
        assert row, name
        assert unit in row.group(0) and baseline in row.group(0) and target in row.group(0)
    assert "目标值 2025" in listing and "（2020）" in listing
    assert not any(key in page for key in ENGLISH_KEYS)
    located = _confirm(client, csrf, page)

    second = _preview(client, csrf, "碧溪县规划-终稿.txt", plan_text(forest_target="≥41"))
    assert "成为第 2 版" in second.text
    assert _confirm(client, csrf, second.text).split("?")[0] == located.split("?")[0]


def test_a_document_without_a_name_says_the_file_will_name_the_plan(client_as) -> None:
    client, csrf = client_as("editor_a")
    content = plan_text().decode().replace(TITLE + "\n", "").encode()
    page = _preview(client, csrf, "无题.txt", content).text
    assert '<h2 id="preview-name">无题</h2>' in page and "preview-name-missing" in page
    assert "“无题”" in page  # the finding among the diagnostics names the file
