"""Every command of ``ecociv`` that writes to the database refuses data outside its scope.

The list of commands is read from the CLI app itself: a new command must be classified here
(it writes, with a refusal case; or it does not write to the database), or
:func:`test_every_command_is_classified` fails.  The CLI acts as a trusted local
administrator, so "out of scope" means a region, user or token the data names that is not
where the command may write (missing, outside the exported subtree, or malformed); each is
refused with one line and exit 2, and nothing is written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import typer.main
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.cli import build_app, main
from ecociv.store.models import ApiToken, AuditEntry, Region, User
from ecociv.store.services import exchange, observations, plans, regions

PLAN_FILE = Path(__file__).parents[2] / "src/ecociv/demo/data/qinglan_plan.txt"


def _stations_file(session: Session, folder: Path) -> list[str]:
    """A good station of 990101, then one of a region that does not exist: nothing is kept."""
    path = folder / "stations.csv"
    path.write_text(
        "code,name,kind,region_code,lon,lat\n"
        "S1,西溪站,air,990101,120.1,30.2\n"
        "S2,某站,air,990199,120.2,30.3\n",
        encoding="utf-8",
    )
    return ["map", "stations", str(path)]


def _attack_file(session: Session, folder: Path) -> list[str]:
    """A new town's export that also carries a value for the existing district 990102."""
    regions.create_region(
        session, ADMIN, code="99010101", name="某镇", level="town", parent_code="990101"
    )
    version = plans.import_plan(session, ADMIN, make_plan(name="某镇规划"), region_code="99010101")
    observations.save_observation(
        session,
        ADMIN,
        region_code="99010101",
        indicator_code=version.indicators[0].code,
        year=2022,
        text="29",
    )
    data = exchange.export_region(session, "99010101")
    session.rollback()
    data["tables"]["observations"].append({**data["tables"]["observations"][0], "region": "990102"})
    path = folder / "attack.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return ["import", str(path)]


def _gep_elsewhere(session: Session, folder: Path) -> list[str]:
    """A filled GEP workbook of the district 990101 stored under a region that does not exist."""
    from ecociv.gep.example import write_example

    path = folder / "gep.xlsx"
    write_example(path, region_name="西溪区", region_code="990101", year=2023)
    return ["gep", "store", str(path), "--region", "990199", "--year", "2023"]


def _tasks_elsewhere(session: Session, folder: Path) -> list[str]:
    """A plan's task heading created for a region that does not exist."""
    path = folder / "tasks.txt"
    path.write_text("第三章 重点任务\n一、整治黑臭水体\n牵头单位：水利局\n", encoding="utf-8")
    plan_id = plans.import_plan(session, ADMIN, make_plan(), region_code="990101").plan_id
    session.commit()
    return ["tasks", "read", str(path), "--plan", str(plan_id), "--region", "990199", "--create"]


WRITES = {
    "tasks read": _tasks_elsewhere,
    "import": _attack_file,
    "gep store": _gep_elsewhere,
    "region add": lambda s, f: ["region", "add", "99010109", "某镇", "--level", "town", "--parent", "990199"],
    "plan import": lambda s, f: ["plan", "import", str(PLAN_FILE), "--region", "990199"],
    "map division-code": lambda s, f: ["map", "division-code", "990199", "330502"],
    "map stations": _stations_file,
    "user add": lambda s, f: ["user", "add", "bob", "--role", "editor", "--region", "990199"],
    "token create": lambda s, f: ["token", "create", "nobody"],
    "token revoke": lambda s, f: ["token", "revoke", "nobody", "token-1"],
    "department add": lambda s, f: ["department", "add", "tjj", "统计局", "--region", "990199"],
    "department assign": lambda s, f: ["department", "assign", "nobody", "tjj"],
    "jobs run": lambda s, f: ["jobs", "run", "--only", "no-such-job"],
}  # fmt: skip
"""Commands that write data, each with a call whose data lies outside what it may write."""
NOT_DATA_WRITES = {
    "db upgrade": "migrates the schema and loads the packaged standards; it takes no data",
    "serve": "starts the web platform, whose write routes tests/web checks",
    "demo": "writes the bundled sample into its own ./.ecociv-demo database",
    "export": "reads the database and writes files",
    "version": "prints the version",
    "ingest": "reads a plan file, writes Plan JSON",
    "audit": "reads a plan file, writes a report",
    "check": "reads a plan file, writes its findings",
    "report": "reads the database, writes a report file",
    "report-template": "writes a report template",
    "monitor check": "compares station files with their published values",
    "gep template": "writes an empty GEP input workbook",
    "gep compute": "reads a GEP input workbook, writes the accounts",
    "monitor air": "computes from station files",
    "monitor water": "computes from station files",
    "monitor synth": "writes synthetic station files",
    "monitor validate": "checks station files",
    "department list": "reads the departments",
    "jobs list": "lists the registered jobs",
    "workflow list": "lists the shipped workflow definitions",
    "workflow check": "reads a workflow definition file and checks it",
}


def _commands() -> set[str]:
    def walk(command, prefix: tuple[str, ...] = ()):
        subs = getattr(command, "commands", None)
        if not subs:
            yield " ".join(prefix)
            return
        for name, sub in subs.items():
            yield from walk(sub, (*prefix, name))

    return set(walk(typer.main.get_command(build_app())))


def test_every_command_is_classified() -> None:
    assert _commands() == set(WRITES) | set(NOT_DATA_WRITES)


def _counts(session: Session) -> tuple[int, ...]:
    session.rollback()
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Region, User, ApiToken, AuditEntry)
    )


@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_write_command_refuses_out_of_scope_data(
    command: str, tree: Session, db_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("ECOCIV_DATABASE_URL", db_url)
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path / "data"))
    args = WRITES[command](tree, tmp_path)
    before = _counts(tree)
    monkeypatch.setattr(sys, "argv", ["ecociv", *args])
    with pytest.raises(SystemExit) as ended:
        main()
    err = capsys.readouterr().err
    assert ended.value.code == 2, err
    assert err.startswith("ecociv: ") and err.count("\n") == 1, err
    assert _counts(tree) == before
