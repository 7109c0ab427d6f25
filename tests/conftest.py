"""Shared pytest fixtures: the seed corpus, the databases, the browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = Path(os.environ.get("ECOCIV_SEEDS", ROOT.parent / "shared" / "seeds"))
SEED_FILES = {
    "000": "000_7d170a64cf55d9be.txt",
    "002": "002_643721506f9da807.txt",
    "003": "003_502349e95fdb087f.txt",
}


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of real plans; the test is skipped (with the reason) when it is absent."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed plans not found at {SEEDS_DIR} (set ECOCIV_SEEDS to their folder)")
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed_path(seeds_dir: Path):
    """``seed_path("000")`` → the path of that seed plan."""

    def get(key: str) -> Path:
        path = seeds_dir / SEED_FILES[key]
        if not path.is_file():
            pytest.skip(f"seed plan {path} is missing")
        return path

    return get
