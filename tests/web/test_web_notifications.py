"""The notifications page, the unread count in the navigation, and evidence downloads."""

from __future__ import annotations

from conftest import DISTRICT_A, DISTRICT_B
from ecociv import notify
from ecociv.store.db import unit_of_work
from ecociv.store.services import evidence

PDF = b"%PDF-1.4\n%%EOF\n"


def test_notifications_are_listed_counted_and_marked_read(app, client_as):
    with unit_of_work(app.state.sessions) as db:
        notify.notify(
            db,
            recipients=["viewer"],
            kind="handoff",
            subject="问题交办：河道垃圾",
            body="请于 2026-12-31 前整改",
            link="/regions",
        )
        notify.notify(db, recipients=["admin"], kind="handoff", subject="别人的提醒", body="…")
    client, token = client_as("viewer")
    page = client.get("/regions")
    assert 'id="unread-count">1<' in page.text
    listing = client.get("/notifications")
    assert "问题交办：河道垃圾" in listing.text and "别人的提醒" not in listing.text
    assert client.get("/notifications.json").json()["unread"] == 1
    done = client.post("/notifications/read", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/notifications.json").json()["unread"] == 0
    assert 'id="unread-count"' not in client.get("/regions").text


def test_evidence_is_downloaded_only_within_the_region(app, client_as):
    with unit_of_work(app.state.sessions) as db:
        row = evidence.store_attachment(
            db,
            app.state.settings,
            "test",
            owner_kind="observation",
            owner_key="k",
            region_code=DISTRICT_A,
            filename="监测报告.pdf",
            data=PDF,
        )
        attachment_id = row.id
    editor_a, _ = client_as("editor_a")
    got = editor_a.get(f"/evidence/{attachment_id}")
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment;")
    editor_b, _ = client_as("editor_b")
    assert editor_b.get(f"/evidence/{attachment_id}").status_code == 403
    anonymous, _ = client_as(None)
    refused = anonymous.get(f"/evidence/{attachment_id}", follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
    assert editor_a.get(f"/evidence/{attachment_id + 99}").status_code == 404
    assert DISTRICT_B != DISTRICT_A
