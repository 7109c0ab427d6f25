"""Transactional services over the store, one module per area.

Every function takes a :class:`sqlalchemy.orm.Session` first and never commits: the caller's
unit of work (:func:`ecociv.store.db.unit_of_work`, one per web request or CLI command)
commits or rolls back in one place.  Writes take an ``actor``: a :class:`~ecociv.store.models.User`
(authorised here, against the user's role and region subtree) or a plain name for trusted
local callers such as the CLI.  Every write leaves an :mod:`audit <ecociv.store.services.audit>`
entry.  Errors are :mod:`ecociv.store.errors` classes.
"""
