"""The signed-in user's notifications (提醒), and the download of evidence files (佐证材料)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from ecociv import notify
from ecociv.store.services import evidence
from ecociv.web.deps import AppSettings, CurrentUser, DbSession
from ecociv.web.pages import attachment, page

router = APIRouter()


@page(router, "/notifications", "notifications.html")
def notifications(db: DbSession, user: CurrentUser) -> dict[str, Any]:
    rows = notify.inbox(db, user.name)
    return {
        "unread": sum(1 for row in rows if row.read_at is None),
        "items": [
            {
                "id": row.id,
                "kind": row.kind,
                "subject": row.subject,
                "body": row.body,
                "link": row.link,
                "created_at": row.created_at.isoformat(),
                "read": row.read_at is not None,
                "emailed": row.emailed_at is not None,
            }
            for row in rows
        ],
    }


@router.post("/notifications/read", name="notifications_read")
def notifications_read(
    db: DbSession,
    user: CurrentUser,
    notification: Annotated[int | None, Form(alias="id", ge=1)] = None,
) -> Response:
    """Mark one notification (``id``) or all of the user's notifications read."""
    notify.mark_read(db, user.name, None if notification is None else [notification])
    return RedirectResponse("/notifications", status_code=303)


@router.get("/evidence/{attachment_id}", name="evidence_download")
def evidence_download(
    attachment_id: int, db: DbSession, user: CurrentUser, settings: AppSettings
) -> Response:
    row, data = evidence.read_attachment(db, settings, user, attachment_id)
    return Response(data, media_type=row.media_type, headers=attachment(row.filename))
