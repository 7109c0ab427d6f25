"""The HTML pages (each with its JSON twin) and the form actions, one router per area."""

from __future__ import annotations

from ecociv.web.routes import auth, indicators, projects, regions

ROUTERS = (auth.router, regions.router, indicators.router, projects.router)
