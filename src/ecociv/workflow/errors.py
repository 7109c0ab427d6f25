"""Errors of the workflows: a definition that cannot be used, and a transition refused.

A refused transition is also the store error whose HTTP status fits it (403 when the actor's
roles do not allow it, 409 when the record is not in a state it leaves from, 422 when a
required comment or evidence is missing), so the web layer answers without special cases.
"""

from __future__ import annotations

from ecociv.errors import InputError
from ecociv.store.errors import Conflict, Forbidden, StoreError, ValidationError


class WorkflowDefinitionError(InputError):
    """A definition file is malformed or fails :func:`ecociv.workflow.definition.check`."""


class TransitionRefused(StoreError):
    """Base of the refusals below (catch this to handle any of them)."""


class NotPermitted(TransitionRefused, Forbidden):
    """None of the actor's roles may take the transition."""


class NotAvailable(TransitionRefused, Conflict):
    """The record's state is not one the transition leaves from, or there is no such transition."""


class MissingInput(TransitionRefused, ValidationError):
    """The transition needs a comment or evidence that was not given."""
