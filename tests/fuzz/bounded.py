"""Run ``ecociv`` commands in child processes with a time and a memory limit (受限子进程).

A *fork server* — a fresh interpreter started once, with the ingest modules imported —
forks one child per case.  The child sets ``RLIMIT_AS`` (address space) and ``RLIMIT_CPU``
(a busy loop is killed by the CPU limit, a blocked one by the wall clock),
redirects its output to files and runs the real entry point :func:`ecociv.cli.main` with
the case's arguments, exactly as the ``ecociv`` script would (an uncaught exception prints
the interpreter's traceback and exits 1).  The server waits with a wall-clock deadline and
kills the child (by its own pid) when it passes.  A fresh interpreter per case costs about
a second of imports; a fork costs milliseconds, which is what lets a few hundred cases run
inside the test suite.

:class:`Outcome.verdict` classifies a run: ``ok`` (exit 0, or 1 for ``monitor validate``
with a report), ``refused`` (exit 2 and exactly one ``ecociv: …`` line on stderr), or a
failure: ``traceback``, ``hang`` (past the wall-clock limit), ``killed`` (a signal: the CPU
limit ``SIGXCPU``/``SIGKILL``, or a crash) or ``bad_exit``.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WALL_FACTOR = 3
FAILURES = ("traceback", "hang", "killed", "bad_exit")


@dataclass(frozen=True)
class Limits:
    """Per-case limits: CPU seconds (the wall clock allows :data:`WALL_FACTOR` times as
    much, for a loaded machine), and address space in MiB."""

    seconds: float = 60.0
    memory_mb: int = 3072


@dataclass
class Outcome:
    args: list[str]
    code: int | None
    signal: int | None
    timed_out: bool
    seconds: float
    peak_rss_mb: float
    stderr: str  # the first and last 2,000 characters
    stderr_lines: int

    @property
    def verdict(self) -> str:
        if self.timed_out:
            return "hang"
        if "Traceback (most recent call last)" in self.stderr:
            return "traceback"
        if self.signal is not None:
            return "killed"
        allowed = (0, 1) if self.args[:2] == ["monitor", "validate"] else (0,)
        if self.code in allowed:
            return "ok"
        if self.code == 2 and self.stderr_lines == 1 and self.stderr.startswith("ecociv: "):
            return "refused"
        return "bad_exit"


class ForkServer:
    """A warm interpreter that runs each case in a forked, limited child."""

    def __init__(self, limits: Limits, env: dict[str, str] | None = None) -> None:
        self.limits = limits
        paths = [str(Path(__file__).parent), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
        child_env = {
            **os.environ,
            **(env or {}),
            "PYTHONPATH": os.pathsep.join(filter(None, paths)),
        }
        self._process = subprocess.Popen(
            [sys.executable, "-c", "import bounded; bounded.serve()"],
            env=child_env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str) -> Outcome:
        request = {"args": list(args), **asdict(self.limits)}
        assert self._process.stdin and self._process.stdout
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        answer = json.loads(self._process.stdout.readline())
        return Outcome(**answer)

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait(timeout=30)

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve() -> None:
    """The server loop: one JSON request per line on stdin, one JSON outcome per line out."""
    import ecociv.cli
    import ecociv.ingest.api
    import ecociv.ingest.classify
    import ecociv.ingest.docx
    import ecociv.ingest.xlsx  # noqa: F401

    for line in sys.stdin:
        request = json.loads(line)
        outcome = _run_child(request["args"], Limits(request["seconds"], request["memory_mb"]))
        sys.stdout.write(json.dumps(asdict(outcome)) + "\n")
        sys.stdout.flush()


def _warm_up() -> None:
    """Import every command and fill the ingest caches (grammar, vocabularies) once, so
    each child starts warm.  Nothing here starts a thread: a fork copies only the caller."""
    import ecociv.cli
    import ecociv.ingest.xlsx
    from ecociv.expr.parse import parse
    from ecociv.ingest.api import plan_from_document
    from ecociv.ingest.docx import read_docx  # noqa: F401
    from ecociv.ingest.tika import parse_tika_text

    ecociv.cli.build_app()
    parse("≥90%")
    sample = "表1 指标\n\n\t序号\n\t指标\n\t目标值\n\n\t1\n\t空气质量优良天数比例\n\t≥90%\n\n"
    plan_from_document(parse_tika_text(sample, "warm-up.txt"))


def _run_child(args: list[str], limits: Limits) -> Outcome:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(args, limits, out.fileno(), err.fileno())
        deadline = started + limits.seconds * WALL_FACTOR
        timed_out = False
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                _, status, usage = os.wait4(pid, 0)
                timed_out = True
                break
            time.sleep(0.005)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Outcome(
        args=args,
        code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) and not timed_out else None,
        timed_out=timed_out,
        seconds=round(time.monotonic() - started, 3),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
        stderr=stderr if len(stderr) <= 4000 else f"{stderr[:2000]} … {stderr[-2000:]}",
        stderr_lines=sum(1 for line in stderr.splitlines() if line.strip()),
    )


def _child(args: list[str], limits: Limits, out: int, err: int) -> None:
    code = 1
    try:
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        memory = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        cpu = int(limits.seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        sys.argv = ["ecociv", *args]
        from ecociv.cli import main

        try:
            main()
            code = 0
        except SystemExit as exited:
            code = (
                exited.code if isinstance(exited.code, int) else (0 if exited.code is None else 1)
            )
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
