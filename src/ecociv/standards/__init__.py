"""Demonstration-zone standards as versioned data, and the name matcher (``docs/standards.md``).

* :func:`ecociv.standards.catalog.versions`, :func:`~ecociv.standards.catalog.get_standard`,
  :func:`~ecociv.standards.catalog.get_indicator`, :func:`~ecociv.standards.catalog.thresholds_of`;
* :func:`ecociv.standards.matcher.match` — ``match(name, version) -> Match``.
"""
