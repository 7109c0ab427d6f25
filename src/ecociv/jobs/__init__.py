"""Scheduled jobs (定时任务): ``ecociv jobs run`` runs every registered job once.

An area registers a job by putting a module in this package that decorates a function with
:func:`job`; the package imports all its modules, so there is no list to edit.  A job is
``fn(session, settings, now) -> (zh, en)`` (a one-line summary in each language) and runs in its own transaction:
one failing job does not undo the others.  Run it from cron or a systemd timer (see
``docs/platform.md``); nothing outside the platform's database is needed.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ecociv.settings import Settings

JobFunction = Callable[[Session, Settings, datetime], tuple[str, str]]


@dataclass(frozen=True)
class Job:
    name: str
    zh: str
    en: str
    run: JobFunction


_REGISTRY: dict[str, Job] = {}


def job(name: str, *, zh: str, en: str) -> Callable[[JobFunction], JobFunction]:
    """Register the decorated function as the job *name* (described by *zh*/*en*)."""

    def register(fn: JobFunction) -> JobFunction:
        if name in _REGISTRY and _REGISTRY[name].run is not fn:
            raise ValueError(f"job {name!r} is registered twice")
        _REGISTRY[name] = Job(name, zh, en, fn)
        return fn

    return register


def registered() -> dict[str, Job]:
    """Every job of every area, by name (importing the area modules on first use)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(_REGISTRY.items()))
