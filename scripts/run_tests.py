"""Run the test suite the same way everywhere (README's `make test`, CI's `.ci/run`).

With ``CI=true`` the PostgreSQL tests are made mandatory: ``ECOCIV_TEST_POSTGRES_URL`` is
set to the machine's server (127.0.0.1:5432, trust auth) when it is not set already, and the
suite fails rather than skips when that server cannot be reached; the browser tests (Chromium)
and the reports' PDF tests (LibreOffice) are mandatory in the same way.  pytest's exit code 5
("no tests were collected") is reported as a failure, never as success.
"""

from __future__ import annotations

import os
import subprocess
import sys

DEFAULT_CI_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/ecociv_test"


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    if env.get("CI", "").lower() == "true":
        env.setdefault("ECOCIV_TEST_POSTGRES_URL", DEFAULT_CI_POSTGRES)
        env.setdefault("ECOCIV_REQUIRE_POSTGRES", "1")
        env.setdefault("ECOCIV_REQUIRE_BROWSER", "1")
        env.setdefault("ECOCIV_REQUIRE_LIBREOFFICE", "1")
    code = subprocess.call([sys.executable, "-m", "pytest", *argv], env=env)
    if code == 5:
        print("run_tests: pytest collected no tests — treating that as a failure", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
