"""Fixtures of the problem tests: the organisation, and settings for evidence files."""

from __future__ import annotations

import pytest
from problem_builders import build_org

from ecociv.settings import load_settings


@pytest.fixture
def org(session):
    people = build_org(session)
    session.commit()
    return session, people


@pytest.fixture
def settings(tmp_path):
    return load_settings(data_dir=tmp_path)
