"""Map data commands (一张图): ``ecociv map division-code REGION CODE`` gives a region its
GB/T 2260 code (an empty CODE clears it); ``ecociv map stations FILE.csv`` adds or updates
monitoring stations from a UTF-8 CSV with the columns ``code,name,kind,region_code,lon,lat``
(``source`` optional; lon/lat may be blank).  Each command is one unit of work: a bad row
writes nothing and names its line."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from ecociv.errors import EcocivError, InputError

STATION_COLUMNS = ("code", "name", "kind", "region_code", "lon", "lat")


def register(app: typer.Typer) -> None:
    from ecociv.cli.admin import _actor, _unit_of_work

    group = typer.Typer(help="一张图的数据 / map data", no_args_is_help=True)

    @group.command("division-code")
    def division_code(
        region_code: Annotated[str, typer.Argument(help="行政区代码 / region code")],
        code: Annotated[
            str, typer.Argument(help="GB/T 2260 行政区划代码，空串清除 / division code")
        ],
    ) -> None:
        """设置行政区的 GB/T 2260 行政区划代码 / set a region's GB/T 2260 division code."""
        from ecociv.store.services import geo

        with _unit_of_work() as session:
            geo.set_division_code(session, _actor(), region_code, code)
        typer.echo(f"{region_code}: {code or '—'}")

    @group.command("stations")
    def stations(
        path: Annotated[Path, typer.Argument(help="站点 CSV / stations CSV")],
    ) -> None:
        """导入监测站点（可带经纬度）/ add or update monitoring stations (with coordinates)."""
        from ecociv.store.services import geo

        count = 0
        with _unit_of_work() as session, _open(path) as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in STATION_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(
                    f"缺少列：{', '.join(missing)}",
                    f"missing columns: {', '.join(missing)}",
                    where=str(path),
                )
            for line, row in enumerate(reader, start=2):
                try:
                    geo.save_station(
                        session,
                        _actor(),
                        code=row["code"],
                        name=row["name"],
                        kind=row["kind"],
                        region_code=row["region_code"],
                        lon=_number(row["lon"], "lon"),
                        lat=_number(row["lat"], "lat"),
                        source=row.get("source") or None,
                    )
                except EcocivError as error:
                    raise InputError(error.zh, error.en, where=f"{path}:{line}") from None
                count += 1
        typer.echo(f"已保存 {count} 个站点 / {count} stations saved")

    app.add_typer(group, name="map")


def _open(path: Path):
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InputError(
            f"无法读取文件：{error.strerror}", f"cannot read: {error.strerror}", where=str(path)
        ) from None


def _number(text: str | None, column: str) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(
            f"{column} 应为数字（十进制度），而不是 {text!r}",
            f"{column} must be a number (decimal degrees), not {text!r}",
        ) from None
