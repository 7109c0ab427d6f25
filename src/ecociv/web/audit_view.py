"""The audit log as people read it (issue 13): Beijing time, actions, objects and fields by
their names in the user's language, and for each entry the fields that changed, before and
after — never JSON with ``\\u`` escapes.

Labels live in the message catalogs (``i18n/entry.<lang>.yaml``: ``audit_action.*``,
``audit_entity.*``, ``audit_field.*``); a test checks that every action and object the services
record has one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ecociv.web.timefmt import beijing

HIDDEN_FIELDS = frozenset({"id", "region_id", "plan_id", "plan_version_id", "indicator_id"})
"""Row identities: they mean nothing to a reader (the entry's object names the record)."""
BOOKKEEPING_FIELDS = frozenset({"updated_at", "created_at", "updated_by"})
"""Kept in the JSON twin; on the page they only repeat the entry's own time and actor."""
TIME_FIELDS = frozenset({"until", "expires_at", "revoked_at", "last_used_at", "accepted_at"})
"""Recorded as ISO 8601 UTC text; shown in Beijing time."""


def beijing_time(at: datetime | None) -> str:
    """``2026-12-02 15:20:28`` in Beijing time (stored times are UTC)."""
    return beijing(at, seconds=True)


def readable(value: Any) -> str:
    """A recorded value as text: strings as written, numbers with ``:g``, structures as JSON
    with their Chinese characters (no ``\\u`` escapes)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return str(value)


def field_changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None, t: Callable[..., str]
) -> list[dict[str, str]]:
    """The fields an entry changed: each with its label, the value before and after (``—``
    for none).  A creation lists what it set, a deletion what it removed."""
    before, after = before or {}, after or {}
    names = [n for n in dict.fromkeys([*before, *after]) if n not in HIDDEN_FIELDS]
    changes = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if before and after and old == new:
            continue
        if old is None and new is None:
            continue
        if name in BOOKKEEPING_FIELDS:
            continue
        shown = [
            (beijing_time(_instant(v)) or readable(v)) if name in TIME_FIELDS else readable(v)
            for v in (old, new)
        ]
        changes.append(
            {
                "field": name,
                "label": label(t, "audit_field", name),
                "before": shown[0],
                "after": shown[1],
            }
        )
    return changes


def _instant(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def action_label(t: Callable[..., str], entity: str, action: str) -> str:
    """An action's label for its object: ``audit_action_of.<entity>.<action>`` when the object
    names its own (a project's 验收 is no finding's 接受现状), else ``audit_action.<action>``."""
    own = label(t, f"audit_action_of.{entity}", action)
    return own if own != action else label(t, "audit_action", action)


def label(t: Callable[..., str], group: str, name: str) -> str:
    """The catalog's label of *name*, or *name* itself when it has none (a visible gap)."""
    key = f"{group}.{name}"
    text = t(key)
    return name if text == key else text
