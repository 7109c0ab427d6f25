"""``ecociv monitor …``: air and water quality from monitoring data, synthetic data, validation.

Commands: ``air`` (HJ 633 / HJ 663 / GB 3095 daily, hourly and annual results), ``water``
(GB 3838 classes), ``synth`` (realistic synthetic hourly data), ``validate`` (read an input
and print its validation report) and ``check`` (recompute what a network file published and
classify every disagreement).  Hourly air inputs may be the networks' own files
(:mod:`ecociv.monitor.layouts`, detected).  Progress goes to stderr; results go to ``--out``
(.parquet or .csv).  See docs/monitoring.md.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ecociv.errors import InputError

console = Console(stderr=True)


class Level(StrEnum):
    station = "station"
    city = "city"


class AirPeriod(StrEnum):
    hour = "hour"
    day = "day"
    year = "year"


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


class RulesChoice(StrEnum):
    auto = "auto"
    r2012 = "2012"
    r2026 = "2026"


class Practice(StrEnum):
    published = "published"
    standard_text = "standard_text"


class WaterPeriod(StrEnum):
    year = "year"
    quarter = "quarter"
    month = "month"
    all = "all"


class WaterLevel(StrEnum):
    parameter = "parameter"
    section = "section"
    region = "region"


class InputKind(StrEnum):
    air = "air"
    stations = "stations"
    water = "water"


OutPath = Annotated[Path, typer.Option("--out", "-o", help="输出文件 .parquet 或 .csv / output")]
EngineOpt = Annotated[Engine, typer.Option(help="计算引擎 / engine")]
RulesOpt = Annotated[RulesChoice, typer.Option(help="规则集：按日期自动或指定 / rule set")]
PracticeOpt = Annotated[
    Practice,
    typer.Option(
        help="发布实践（默认）或标准表格字面解读 / published practice or the tables' text"
    ),
]


@contextmanager
def _stages():
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        yield progress


def _step(progress: Progress, text: str):
    return progress.add_task(text, total=1)


def _print_report(report) -> None:
    for line in report.lines("zh"):
        console.print(line, markup=False, highlight=False)


def _write(table: pa.Table, path: Path, metadata: dict[str, str]) -> None:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        schema = table.schema.with_metadata({f"ecociv.{k}": v for k, v in metadata.items()})
        pq.write_table(table.cast(schema), path)
    elif suffix == ".csv":
        pacsv.write_csv(table, path)
    else:
        raise InputError(
            "输出文件须为 .parquet 或 .csv",
            "the output file must be .parquet or .csv",
            where=str(path),
        )


def air(
    data: Annotated[Path, typer.Argument(help="小时数据（宽表或长表，CSV/Parquet）/ hourly data")],
    out: OutPath,
    stations: Annotated[Path | None, typer.Option(help="站点信息 / station metadata")] = None,
    level: Annotated[Level, typer.Option(help="站点或城市 / station or city")] = Level.station,
    period: Annotated[
        AirPeriod, typer.Option(help="小时、日或年 / hour, day or year")
    ] = AirPeriod.day,
    engine: EngineOpt = Engine.duckdb,
    rules: RulesOpt = RulesChoice.auto,
    practice: PracticeOpt = Practice.published,
    observations: Annotated[
        Path | None, typer.Option(help="把年度城市结果写为指标观测值 JSON / write observations")
    ] = None,
) -> None:
    """空气质量：HJ 633 AQI、GB 3095 有效性、HJ 663 年评价 / air quality results."""
    from ecociv.monitor import backends, io
    from ecociv.monitor.air_options import AirOptions
    from ecociv.monitor.compute import AirRequest, execute_air, rule_sets
    from ecociv.monitor.layouts import read_air_any

    with _stages() as progress:
        task = _step(progress, f"读取并校验 {data.name}")
        loaded = read_air_any(data).loaded
        meta = io.read_stations(stations) if stations else None
        progress.update(task, completed=1)
        _print_report(loaded.report)
        if meta:
            _print_report(meta.report)
        if loaded.table.num_rows == 0:
            raise InputError("没有可用的小时数据", "no usable hourly rows", where=str(data))
        times = loaded.table.column("time")
        chosen = rule_sets(pc.min(times).as_py(), pc.max(times).as_py(), rules.value)
        options = AirOptions(practice=practice.value)
        request = AirRequest(
            level=level.value, period=period.value, rules=rules.value, options=options
        )
        task = _step(progress, f"计算（{engine.value}，规则 {'+'.join(r.id for r in chosen)}）")
        with backends.session(engine.value) as con:
            hourly = backends.table(con, "hourly", loaded.table)
            meta_t = backends.table(con, "stations", meta.table) if meta else None
            result = execute_air(con, hourly, request, chosen, meta_t)
        progress.update(task, completed=1)
        _write(result, out, {"rules": ",".join(r.id for r in chosen), "source": str(data)})
    console.print(f"规则 / rules: {', '.join(f'{r.id}（{r.title}）' for r in chosen)}")
    console.print(f"已写出 / written: {out} ({result.num_rows} 行 / rows)")
    if observations:
        _write_air_observations(result, request, observations, str(data))


def _write_air_observations(result: pa.Table, request, path: Path, source: str) -> None:
    from ecociv.monitor.observations import air_observations

    if request.period != "year" or request.level != "city":
        raise InputError(
            "指标观测值来自城市年度结果（--level city --period year）",
            "observations come from city annual results (--level city --period year)",
        )
    items = [o.model_dump(mode="json") for o in air_observations(result, source=source)]
    path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(f"指标观测值 / observations: {path} ({len(items)})")


def water(
    data: Annotated[Path, typer.Argument(help="水质采样数据（长表或宽表）/ water samples")],
    out: OutPath,
    level: Annotated[
        WaterLevel, typer.Option(help="项目、断面或区域 / parameter, section or region")
    ] = WaterLevel.section,
    period: Annotated[WaterPeriod, typer.Option(help="评价时段 / period")] = WaterPeriod.year,
    engine: EngineOpt = Engine.duckdb,
    ranking: Annotated[
        str, typer.Option(help="主要污染指标排序：class（评价办法）或 multiple")
    ] = "class",
    lake_tn: Annotated[
        bool,
        typer.Option(
            "--lake-tn/--no-lake-tn", help="湖库总氮参与断面定类 / TN in lake section class"
        ),
    ] = False,
    observations: Annotated[
        Path | None, typer.Option(help="把区域年度比例写为指标观测值 JSON")
    ] = None,
) -> None:
    """地表水：GB 3838-2002 水质类别、超标倍数、Ⅰ-Ⅲ类与劣Ⅴ类比例 / surface-water classes."""
    from ecociv.monitor import backends, io, water
    from ecociv.monitor.observations import water_observations

    if ranking not in ("class", "multiple"):
        raise InputError("--ranking 须为 class 或 multiple", "--ranking must be class or multiple")
    options = water.WaterOptions(
        period=period.value, ranking=ranking, lake_tn_in_section_class=lake_tn
    )  # type: ignore[arg-type]
    with _stages() as progress:
        task = _step(progress, f"读取并校验 {data.name}")
        loaded = io.read_water(data)
        progress.update(task, completed=1)
        _print_report(loaded.report)
        task = _step(progress, f"计算（{engine.value}）")
        with backends.session(engine.value) as con:
            result = water.evaluate(backends.table(con, "samples", loaded.table), options)
            tables = {
                name: con.to_pyarrow(getattr(result, name + "s"))
                for name in ("parameter", "section", "region")
            }
        progress.update(task, completed=1)
    _write(tables[level.value], out, {"standard": "GB 3838-2002", "source": str(data)})
    console.print(f"已写出 / written: {out} ({tables[level.value].num_rows} 行 / rows)")
    if observations:
        items = [
            o.model_dump(mode="json")
            for o in water_observations(tables["region"], source=str(data))
        ]
        observations.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"指标观测值 / observations: {observations} ({len(items)})")


def synth(
    out: OutPath,
    stations: Annotated[int, typer.Option(min=1, help="站点数 / stations")] = 10,
    year: Annotated[int, typer.Option(min=1900, max=2100, help="年份 / year")] = 2024,
    seed: Annotated[int, typer.Option(help="随机种子 / seed")] = 0,
    meta: Annotated[
        Path | None, typer.Option(help="同时写出站点信息 / also write station metadata")
    ] = None,
) -> None:
    """生成合成小时数据（宽表）/ write synthetic hourly data."""
    from ecociv.monitor import synth as generator

    if out.suffix.lower() not in (".parquet", ".csv"):
        raise InputError(
            "输出文件须为 .parquet 或 .csv",
            "the output file must be .parquet or .csv",
            where=str(out),
        )
    spec = generator.SynthSpec(stations=stations, year=year, seed=seed)
    with Progress(console=console) as progress:
        task = progress.add_task(f"合成 {stations} 个站点 × {year} 年", total=stations)
        rows = generator.write(
            spec, out, progress=lambda done: progress.update(task, completed=done)
        )
    if meta:
        _write(generator.station_metadata(spec), meta, {"seed": str(seed)})
    console.print(f"已写出 / written: {out} ({rows} 站点小时 / station-hours)")


def validate(
    data: Annotated[Path, typer.Argument(help="要校验的文件 / file to check")],
    kind: Annotated[InputKind, typer.Option(help="数据类型 / kind of input")] = InputKind.air,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON 报告 / JSON report")] = False,
) -> None:
    """校验输入数据并打印报告 / read an input and print its validation report."""
    from ecociv.monitor import io
    from ecociv.monitor.layouts import read_air_any

    reader = {
        "air": lambda path: read_air_any(path).loaded,
        "stations": io.read_stations,
        "water": io.read_water,
    }[kind.value]
    report = reader(data).report
    if as_json:
        typer.echo(report.model_dump_json(indent=1))
    else:
        for line in report.lines("zh"):
            typer.echo(line)
    raise typer.Exit(0 if report.ok else 1)


def check(
    data: Annotated[
        Path, typer.Argument(help="监测网络发布文件或快照目录 / network file or folder")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="写出不一致明细 .csv / disagreements")
    ] = None,
    rules: RulesOpt = RulesChoice.auto,
    practice: PracticeOpt = Practice.published,
    engine: EngineOpt = Engine.duckdb,
) -> None:
    """复核网络发布值：重算并分类每一处不一致 / recompute what a network published."""
    from ecociv.monitor import backends
    from ecociv.monitor.air_options import AirOptions
    from ecociv.monitor.layouts import read_air_any
    from ecociv.monitor.published_check import check as run_check

    network = read_air_any(data)
    _print_report(network.loaded.report)
    if network.published.num_rows == 0:
        raise InputError(
            "文件中没有网络发布的计算值（AQI、分指数或滑动平均），无可复核",
            "the file holds no values the network computed (AQI, IAQIs, moving means)",
            where=str(data),
        )
    with backends.session(engine.value) as con:
        result = run_check(con, network, rules.value, AirOptions(practice=practice.value))
    for key, text in result.conventions.items():
        console.print(f"{key}: {text}", markup=False, highlight=False)
    typer.echo(result.summary.to_string(index=False))
    if out:
        result.disagreements.to_csv(out, index=False)
        console.print(f"不一致明细 / disagreements: {out} ({len(result.disagreements)})")
    unexplained = result.unexplained
    console.print(
        f"未解释的不一致 / unexplained (ours): {unexplained}", markup=False, highlight=False
    )
    raise typer.Exit(1 if unexplained else 0)


def register(app: typer.Typer) -> None:
    """Add the ``monitor`` command group to *app*."""
    group = typer.Typer(
        help="监测数据：空气质量（HJ 633/663）与地表水（GB 3838）/ monitoring data",
        no_args_is_help=True,
    )
    for command in (air, water, synth, validate, check):
        group.command(command.__name__)(command)
    app.add_typer(group, name="monitor")
