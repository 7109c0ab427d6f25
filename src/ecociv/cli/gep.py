"""``ecociv gep``: GEP accounting (生态产品总值核算) from a filled input workbook.

``ecociv gep template OUT.xlsx [--method M] [--year Y]`` writes the input template;
``ecociv gep compute INPUT.xlsx --method M --prices P --year Y [--json] [--out result.xlsx]``
computes the account table; ``ecociv gep store INPUT.xlsx --region CODE --year Y [--method M]
[--prices P]`` computes it and stores it in the platform as the next version of that region,
year and method set.  The notices (unverified parts of the method set, parameters from
secondary sources, prices not deflated) are printed before the table, always.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ecociv.errors import InputError
from ecociv.gep.catalog import DEFAULT_METHOD as _DEFAULT_METHOD
from ecociv.gep.prices import DEFAULT_PRICE_SET as _DEFAULT_PRICES


def _render(result, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from ecociv.gep.output import result_dict

    data = result_dict(result)
    console = Console()
    zh = lang == "zh"
    for notice in data["notices"]:
        console.print(f"[yellow]! {notice['zh'] if zh else notice['en']}[/]")
    title = f"GEP {data['region']} {data['year']} · {data['method']['code']} · {data['price_set']['code']}"
    table = Table(title=title)
    headers = (
        ("账户", "条目", "实物量", "单位", "单价", "价值（万元）", "占比", "方法", "核实")
        if zh
        else (
            "account",
            "item",
            "quantity",
            "unit",
            "price",
            "value (10⁴ yuan)",
            "share",
            "method",
            "verified",
        )
    )
    for header in headers:
        table.add_column(header, overflow="fold")
    for ln in data["lines"]:
        price = f"{ln['price']:g} {ln['price_unit']}" if ln["price"] is not None else "—"
        table.add_row(
            ln["account_zh"] if zh else ln["account"],
            ln["zh"] if zh else ln["en"],
            f"{ln['quantity']:.6g}",
            ln["unit"],
            price,
            f"{ln['value']:,.2f}",
            f"{ln['share']:.2%}",
            ln["valuation_zh"] if zh else ln["valuation"],
            ("是" if zh else "yes") if ln["verified"] else ("[red]否[/]" if zh else "[red]no[/]"),
        )
    console.print(table)
    for code, account in data["accounts"].items():
        console.print(f"{account['zh'] if zh else code}: {account['value']:,.2f} 万元")
    if data["external_deduction"]:
        console.print(
            f"{'区域外生态产品价值扣减' if zh else 'external-origin deduction'}: {data['external_deduction']:,.2f} 万元"
        )
    console.print(f"GEP: {data['gep']:,.2f} 万元 ({data['gep_yi_yuan']:,.4f} 亿元)")
    if data["gep_gdp_ratio"] is not None:
        console.print(f"GEP/GDP: {data['gep_gdp_ratio']:.2f}")
    if data["yoy_change_constant_prices"] is not None:
        label = "比上年变化（可比价）" if zh else "change on the previous year (constant prices)"
        console.print(f"{label}: {data['yoy_change_constant_prices']:+.2%}")


def register(app: typer.Typer) -> None:
    """Add the ``gep`` command group to *app*."""
    group = typer.Typer(
        help="生态产品总值（GEP）核算 / gross ecosystem product accounting", no_args_is_help=True
    )

    @group.command("template")
    def template(
        out: Annotated[Path, typer.Argument(help="输出的填报表 .xlsx / template to write")],
        method: Annotated[
            str, typer.Option("--method", help="核算方法集代码或 YAML 路径 / method set")
        ] = _DEFAULT_METHOD,
        year: Annotated[
            int | None, typer.Option("--year", help="预填的核算年份 / year to prefill")
        ] = None,
    ) -> None:
        """写出 GEP 填报表模板 / write the GEP input template."""
        from ecociv.gep.catalog import load_method_set
        from ecociv.gep.template import write_template

        write_template(out, load_method_set(method), year)
        typer.echo(str(out))

    @group.command("compute")
    def compute_cmd(
        path: Annotated[
            Path, typer.Argument(help="填好的 GEP 填报表 .xlsx / filled input workbook")
        ],
        year: Annotated[int, typer.Option("--year", help="核算年份 / accounting year")],
        method: Annotated[
            str, typer.Option("--method", help="核算方法集代码或 YAML 路径 / method set")
        ] = _DEFAULT_METHOD,
        prices: Annotated[
            str, typer.Option("--prices", help="价格集代码或 YAML 路径 / price set")
        ] = _DEFAULT_PRICES,
        as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
        out: Annotated[
            Path | None, typer.Option("--out", help="结果另存为 .xlsx / write the result as .xlsx")
        ] = None,
        lang: Annotated[str, typer.Option("--lang", help="语言 zh|en / language")] = "zh",
    ) -> None:
        """按方法集与价格集核算 GEP / compute GEP by a method set and a price set."""
        from ecociv.gep.catalog import load_method_set
        from ecociv.gep.compute import compute
        from ecociv.gep.output import result_dict, write_result_xlsx
        from ecociv.gep.prices import load_price_set
        from ecociv.gep.workbook import read_inputs

        if lang not in ("zh", "en"):
            raise InputError(
                f"--lang 只能是 zh 或 en，收到 {lang!r}", f"--lang must be zh or en, got {lang!r}"
            )
        result = compute(load_method_set(method), load_price_set(prices), read_inputs(path), year)
        if out is not None:
            write_result_xlsx(result, out)
        if as_json:
            typer.echo(json.dumps(result_dict(result), ensure_ascii=False, indent=2))
        else:
            _render(result, lang)

    @group.command("store")
    def store_cmd(
        path: Annotated[
            Path, typer.Argument(help="填好的 GEP 填报表 .xlsx / filled input workbook")
        ],
        region_code: Annotated[str, typer.Option("--region", help="行政区代码 / region code")],
        year: Annotated[int, typer.Option("--year", help="核算年份 / accounting year")],
        method: Annotated[
            str, typer.Option("--method", help="核算方法集代码或 YAML 路径 / method set")
        ] = _DEFAULT_METHOD,
        prices: Annotated[
            str, typer.Option("--prices", help="价格集代码或 YAML 路径 / price set")
        ] = _DEFAULT_PRICES,
    ) -> None:
        """核算 GEP 并存入平台（每次新增一个版本）/ compute GEP and store it as a new version."""
        from ecociv.cli.admin import _actor, _unit_of_work
        from ecociv.gep.catalog import load_method_set
        from ecociv.gep.prices import load_price_set
        from ecociv.store.services.gep_accounts import account_key, compute_and_store

        if not path.is_file():
            raise InputError(f"文件不存在：{path}", f"no such file: {path}", where=str(path))
        method_set, price_set = load_method_set(method), load_price_set(prices)
        with _unit_of_work() as session:
            account = compute_and_store(
                session,
                _actor(),
                region_code=region_code,
                content=path.read_bytes(),
                filename=path.name,
                year=year,
                method=method_set,
                prices=price_set,
            )
            typer.echo(f"已入库 {account_key(account)}：GEP {account.gep:,.2f} 万元 / stored")
            for notice in account.result["notices"]:
                typer.echo(f"! {notice['zh']}")

    app.add_typer(group, name="gep")
