"""The fuzz tests use the fixture builders of ``tests/ingest`` (one copy of the healthy plan)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))
