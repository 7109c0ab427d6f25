"""Tables of the platform's later areas, one module per area (organisation, evidence, …).

:mod:`ecociv.store.models` imports this package at its end, and this package imports every
module in it, so each area's tables join ``Base.metadata`` (and so Alembic's comparison and
``create_all``) without a shared list that every area would have to edit.
"""

from __future__ import annotations

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
