"""Ibis backends for the monitoring computations: DuckDB (embedded) and Spark (at scale).

Every monitoring computation is written once as Ibis expressions; this module only makes the
connection and puts input data in front of it.  DuckDB runs in-process and is the default.
Spark runs through PySpark (``pip install .[spark]``, Java 17): ``local[*]`` here, a cluster in
production (set ``ECOCIV_SPARK_MASTER``).  Timestamps are wall-clock local time without a
zone (hour-ending, HJ 633-2012 §5.1); the Spark session time zone is pinned to UTC so that
Spark never shifts them.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, get_args

import ibis
import pyarrow as pa
from ibis.backends import BaseBackend

from ecociv.errors import ConfigError, InputError

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = get_args(Engine)

#: Small, test-friendly Spark settings; a cluster overrides them through ``spark-defaults``.
SPARK_SETTINGS = {
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "1g",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.ansi.enabled": "false",
}


def connect(engine: str = "duckdb", *, threads: int | None = None) -> BaseBackend:
    """An Ibis backend for *engine* (``duckdb`` or ``spark``).

    ``threads`` limits DuckDB's worker threads (the machine may be shared); Spark takes its
    parallelism from the master URL (``ECOCIV_SPARK_MASTER``, default ``local[*]``).
    Release the backend with :func:`close` (or use :func:`session`).
    """
    if engine == "duckdb":
        con = ibis.duckdb.connect()
        if threads:
            con.raw_sql(f"SET threads = {int(threads)}")
        return con
    if engine == "spark":
        return _connect_spark()
    raise ConfigError(
        f"未知的计算引擎 {engine!r}；可选 {', '.join(ENGINES)}",
        f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}",
    )


def _connect_spark() -> BaseBackend:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "未安装 PySpark：请运行 pip install 'ecociv[spark]'（并安装 Java 17）",
            "PySpark is not installed: run pip install 'ecociv[spark]' (and install Java 17)",
        ) from None
    warnings.filterwarnings("ignore", category=UserWarning, module=r"pyspark\..*")
    builder = SparkSession.builder.appName("ecociv-monitor").master(
        os.environ.get("ECOCIV_SPARK_MASTER", "local[*]")
    )
    for key, value in SPARK_SETTINGS.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # Java missing or the JVM refused to start
        raise ConfigError(
            f"无法启动 Spark（需要 Java 17）：{exc}",
            f"cannot start Spark (Java 17 is required): {exc}",
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(spark)


def close(con: BaseBackend) -> None:
    """Release *con*: stop the Spark session, or close the DuckDB connection."""
    if con.name == "pyspark":
        con._session.stop()
    else:
        con.disconnect()


@contextmanager
def session(engine: str = "duckdb", *, threads: int | None = None) -> Iterator[BaseBackend]:
    """``with session("spark") as con: …`` — a backend that is always released."""
    con = connect(engine, threads=threads)
    try:
        yield con
    finally:
        close(con)


def spark_available() -> str | None:
    """``None`` when Spark can run here, else the reason it cannot (for skips and errors)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'ecociv[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and not _on_path("java"):
        return "Java is not installed (Spark needs Java 17)"
    return None


def _on_path(program: str) -> bool:
    from shutil import which

    return which(program) is not None


def table(con: BaseBackend, name: str, data: pa.Table) -> ibis.Table:
    """Put an Arrow table in front of *con* as table *name* and return it as an Ibis table."""
    if con.name == "pyspark":  # a temporary view: nothing is written to a warehouse
        frame = data.to_pandas(coerce_temporal_nanoseconds=True)
        con._session.createDataFrame(frame).createOrReplaceTempView(name)
        return con.table(name)
    con.con.register(name, data)
    return con.table(name)


def read_file(con: BaseBackend, name: str, path: str | Path) -> ibis.Table:
    """Register a CSV or Parquet file with *con* without loading it in Python."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return con.read_parquet(str(path), table_name=name)
    if suffix == ".csv":
        return con.read_csv(str(path), table_name=name)
    raise InputError(
        f"不支持的文件类型 {suffix or '（无后缀）'}：请提供 .csv 或 .parquet",
        f"unsupported file type {suffix or '(none)'}: give a .csv or .parquet file",
        where=str(path),
    )
