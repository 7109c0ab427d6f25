"""Who hears of a transition (in the app, and by e-mail once SMTP is set): the people whose turn
it is next.  Addressees by transition are data (:data:`NEXT`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.cycle.roles import GRANTS, in_scope
from ecociv.notify import notify
from ecociv.store.models import User
from ecociv.store.tables.cycle import PeriodReport

NEXT = {
    "submit": "reviewer",
    "review": "approver",
    "return": "filler",
    "approve": "filler",
    "unlock": "filler",
}
"""Transition → the workflow role told of it."""
LINK = "/reports/{id}"


def holders(session: Session, report: PeriodReport, role: str) -> list[str]:
    """Names of the active users who hold *role* for the report (admins are not paged: they
    hold every role and would hear of everything)."""
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    return [
        user.name
        for user in users
        if user.role != "admin"
        and role in GRANTS.get(user.role, frozenset())
        and in_scope(user, report.region)
        and (user.role != "filler" or user.department_id == report.department_id)
    ]


def announce(
    session: Session,
    report: PeriodReport,
    transition: str,
    *,
    step: str,
    state: str,
    actor: str,
    comment: str | None,
) -> None:
    """Tell the holders of the next role that *actor* took *transition* (labelled *step*) and
    the report is now in *state* (its label)."""
    role = NEXT.get(transition)
    if role is None:
        return
    period = report.period
    subject = f"{period.plan.name} {period.year} 年填报：{step}（{report.region.name}）"
    body = f"{actor} {step}，当前状态：{state}。" + (f"意见：{comment}" if comment else "")
    notify(
        session,
        recipients=holders(session, report, role),
        kind=f"cycle.{transition}",
        subject=subject,
        body=body,
        link=LINK.format(id=report.id),
        dedupe_key=f"cycle:{report.id}:{report.version}:{transition}",
    )
