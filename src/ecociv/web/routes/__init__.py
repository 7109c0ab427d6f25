"""The HTML pages (each with its JSON twin) and the form actions, one router per area."""

from __future__ import annotations

from ecociv.web.routes import (
    audit_log,
    auth,
    compare,
    dashboard,
    entry,
    exchange,
    findings,
    indicators,
    library,
    notifications,
    plan_import,
    problems,
    projects,
    regions,
    tasks,
    versions,
)

ROUTERS = (
    auth.router,
    regions.router,
    indicators.router,
    projects.router,
    library.router,
    problems.router,
    tasks.router,
    entry.router,
    exchange.router,
    plan_import.router,
    compare.router,
    dashboard.router,
    versions.router,
    findings.router,
    audit_log.router,
    notifications.router,
)
