"""The HTML pages (each with its JSON twin) and the form actions, one router per area."""

from __future__ import annotations

from ecociv.cycle import manual_routes as cycle_manual
from ecociv.cycle import routes as cycle
from ecociv.web.routes import (
    admin,
    audit_log,
    auth,
    compare,
    dashboard,
    entry,
    exchange,
    findings,
    gep,
    indicators,
    library,
    map,
    notifications,
    plan_import,
    problems,
    projects,
    readiness,
    regions,
    report_page,
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
    map.router,
    readiness.router,
    versions.router,
    findings.router,
    audit_log.router,
    notifications.router,
    gep.router,
    report_page.router,
    cycle.router,
    cycle_manual.router,
    admin.router,
)
