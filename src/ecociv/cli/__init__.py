"""The ``ecociv`` command line.

Each command group lives in its own module of this package and exposes
``register(app: typer.Typer) -> None``; :data:`COMMAND_MODULES` is the one list of them.
Errors derived from :class:`ecociv.errors.EcocivError` are printed as one line (Chinese by
default, English with ``ECOCIV_LANG=en``) with exit code 2; they never reach the user as a
traceback.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

from ecociv.errors import EcocivError

COMMAND_MODULES = (
    "ingest",
    "audit",
    "check",
    "monitor",
    "admin",
    "org",
    "geo",
    "serve",
    "gep",
    "report",
    "tasks",
)


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="ecociv",
        help="ecociv：生态文明建设规划的指标、评估与监测平台 / eco-civilization planning platform",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )

    @app.callback()
    def root() -> None:
        """ecociv：生态文明建设规划的指标、评估与监测平台 / eco-civilization planning platform."""

    @app.command()
    def version() -> None:
        """打印版本 / print the version."""
        from ecociv import __version__

        typer.echo(__version__)

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"ecociv.cli.{name}")
        module.register(app)
    return app


def main() -> None:
    lang = os.environ.get("ECOCIV_LANG", "zh")
    try:
        build_app()()
    except EcocivError as exc:
        one_line = " ".join(part.strip() for part in exc.message(lang).splitlines())
        print(f"ecociv: {one_line}", file=sys.stderr)
        raise SystemExit(2) from None
