"""Errors raised by the store's services (each one bilingual, from :class:`EcocivError`).

The web layer maps them to HTTP statuses: :class:`NotFound` 404, :class:`Conflict` 409,
:class:`Forbidden` 403, :class:`ValidationError` 422, :class:`AuthenticationError` 401,
:class:`LoginThrottled` 429, :class:`StorageFault` 503.
"""

from __future__ import annotations

from typing import Any

from ecociv.errors import EcocivError


class StoreError(EcocivError):
    """Base of the store's errors."""


class NotFound(StoreError):
    """The region, plan, indicator, observation or user asked for does not exist."""


class Conflict(StoreError):
    """The write collides with the stored state (a duplicate, or a newer version).

    ``current`` carries the stored record as a dict when the conflict is a lost-update guard,
    so that the second editor can be shown what the first one saved.
    """

    def __init__(
        self, zh: str, en: str, *, where: str | None = None, current: dict[str, Any] | None = None
    ) -> None:
        super().__init__(zh, en, where=where)
        self.current = current


class Forbidden(StoreError):
    """The user is known but may not do this (role, or region outside the user's subtree)."""


class AuthenticationError(StoreError):
    """Wrong user name, password or API token."""


class LoginThrottled(AuthenticationError):
    """Too many failed sign-ins for the account or the address; ``retry_after_s`` says when
    to try again (the web layer answers 429 with a ``Retry-After`` header)."""

    def __init__(self, zh: str, en: str, *, retry_after_s: int) -> None:
        super().__init__(zh, en)
        self.retry_after_s = retry_after_s


class ValidationError(StoreError):
    """The value cannot be stored as given; ``problems`` lists each field's issue."""

    def __init__(
        self, zh: str, en: str, *, where: str | None = None, problems: list[Any] | None = None
    ) -> None:
        super().__init__(zh, en, where=where)
        self.problems = problems or []


class StorageFault(StoreError):
    """The database or the disk refused to store: read-only, full, or unreachable.  Nothing
    was written (the unit of work rolled back); the message names the cause."""
