"""The physical layer from rasters through InVEST (optional: ``pip install ecociv[gep-spatial]``).

Two models feed the account (GEP.md §2.3, §6.4):

* **土壤保持** — InVEST SDR's ``avoided_erosion.tif`` is R·K·LS·(1 − C·P) in t/(ha·a) per pixel
  (``natcap.invest.sdr.sdr``, ``_calculate_rkls`` and the USLE step); summed × ha per pixel it
  is the retained soil A_s in t, the input ``soil_retention.retention`` of GZ §2.4.2 式(3)(4);
* **水源涵养** — InVEST Seasonal Water Yield's ``L.tif`` is the local recharge
  L = P − QF − AET in mm/a per pixel (users' guide, "Local recharge"); summed × pixel area it is
  the volume Σ(P − R − ET)·A of GZ §2.4.1 式(2) with R = quickflow, the item
  ``water_conservation.volume``.  The users' guide reads L as relative unless calibrated: the
  result says so.

Each run returns a :class:`SpatialQuantity` that records the InVEST version, the model, its
arguments, the output raster and how it was summed; :func:`add_to_workbook` writes the quantities
into a filled input workbook (实物量 / 已核算实物量) with that record as the 数据来源, so the
provenance of the account line names the InVEST version.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecociv.errors import ConfigError

INVEST_VERSION = "3.20.2"
"""The version ecociv[gep-spatial] pins; another installed version is refused."""
EXTRA = "ecociv[gep-spatial]"


@dataclass(frozen=True)
class SpatialQuantity:
    """A physical quantity computed by an InVEST model, with what it was computed from."""

    model: str
    target: tuple[str, str]
    """``("input", "soil_retention.retention")`` or ``("item", "water_conservation.volume")``."""
    quantity: float
    unit: str
    invest_version: str
    output: str
    pixels: int
    pixel_area_m2: float
    summation: str
    args: dict[str, Any] = field(default_factory=dict)
    caveat: str = ""

    def source(self) -> str:
        """The 数据来源 written with the quantity (model, version, raster, summation)."""
        text = (
            f"InVEST {self.invest_version} {self.model}: {Path(self.output).name}, "
            f"{self.summation}, {self.pixels} 像元 × {self.pixel_area_m2:g} m²"
        )
        return f"{text}；{self.caveat}" if self.caveat else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "target": list(self.target),
            "quantity": self.quantity,
            "unit": self.unit,
            "invest_version": self.invest_version,
            "output": self.output,
            "pixels": self.pixels,
            "pixel_area_m2": self.pixel_area_m2,
            "summation": self.summation,
            "args": self.args,
            "caveat": self.caveat,
        }


def invest_version() -> str:
    """The installed InVEST version; a missing extra or another version is a ConfigError."""
    try:
        invest = importlib.import_module("natcap.invest")
    except ImportError as exc:
        raise ConfigError(
            f"未安装可选组件 {EXTRA}（InVEST 与 GDAL）：{exc}；安装方法见 docs/gep.md「空间扩展」",
            f"the optional extra {EXTRA} (InVEST and GDAL) is not installed: {exc}; "
            "see docs/gep.md, 'Spatial extra'",
        ) from None
    version = str(invest.__version__)
    if version != INVEST_VERSION:
        raise ConfigError(
            f"InVEST 版本为 {version}，ecociv 只接受 {INVEST_VERSION}（输入项名称随版本变化）",
            f"InVEST {version} is installed; ecociv takes {INVEST_VERSION} only "
            "(its argument names change between releases)",
        )
    return version


def soil_retention_sdr(
    workspace: Path,
    *,
    dem: Path,
    erosivity: Path,
    erodibility: Path,
    lulc: Path,
    watersheds: Path,
    biophysical_table: Path,
    threshold_flow_accumulation: int = 1000,
    k_param: float = 2.0,
    sdr_max: float = 0.8,
    ic_0_param: float = 0.5,
    l_max: float = 122,
) -> SpatialQuantity:
    """Retained soil A_s [t/a] = Σ avoided_erosion [t/(ha·a)] × ha per pixel (InVEST SDR).

    The biophysical table has columns ``lucode, usle_c, usle_p``; rasters share one projected
    CRS in metres (InVEST refuses others)."""
    version = invest_version()
    sdr = importlib.import_module("natcap.invest.sdr.sdr")
    args: dict[str, Any] = {
        "workspace_dir": str(workspace),
        "results_suffix": "",
        "dem_path": str(dem),
        "erosivity_path": str(erosivity),
        "erodibility_path": str(erodibility),
        "lulc_path": str(lulc),
        "watersheds_path": str(watersheds),
        "biophysical_table_path": str(biophysical_table),
        "threshold_flow_accumulation": threshold_flow_accumulation,
        "k_param": k_param,
        "sdr_max": sdr_max,
        "ic_0_param": ic_0_param,
        "l_max": l_max,
        "flow_dir_algorithm": "MFD",
        "n_workers": -1,
    }
    sdr.execute(args)
    output = Path(workspace) / "avoided_erosion.tif"
    total, pixels, area = raster_total(output)
    return SpatialQuantity(
        model="SDR",
        target=("input", "soil_retention.retention"),
        quantity=total * area / 10_000,
        unit="t",
        invest_version=version,
        output=str(output),
        pixels=pixels,
        pixel_area_m2=area,
        summation="Σ t/ha × ha/像元",
        args=args,
    )


def water_conservation_swy(
    workspace: Path,
    *,
    dem: Path,
    lulc: Path,
    soil_group: Path,
    aoi: Path,
    biophysical_table: Path,
    precip_table: Path,
    et0_table: Path,
    rain_events_table: Path,
    threshold_flow_accumulation: int = 1000,
    alpha_m: str = "1/12",
    beta_i: float = 1.0,
    gamma: float = 1.0,
) -> SpatialQuantity:
    """Water conservation volume Q_w [m³/a] = Σ L [mm/a] × pixel area / 1000 (InVEST SWY).

    *precip_table* and *et0_table* are CSV files ``month,path`` (InVEST ≥ 3.17); the
    biophysical table has ``lucode, cn_a … cn_d, kc_1 … kc_12``; *rain_events_table*
    ``month,events``; the soil-group raster holds 1–4 for A–D."""
    version = invest_version()
    swy = importlib.import_module("natcap.invest.seasonal_water_yield.seasonal_water_yield")
    args: dict[str, Any] = {
        "workspace_dir": str(workspace),
        "results_suffix": "",
        "dem_raster_path": str(dem),
        "lulc_raster_path": str(lulc),
        "soil_group_path": str(soil_group),
        "aoi_path": str(aoi),
        "biophysical_table_path": str(biophysical_table),
        "precip_raster_table": str(precip_table),
        "et0_raster_table": str(et0_table),
        "rain_events_table_path": str(rain_events_table),
        "threshold_flow_accumulation": threshold_flow_accumulation,
        "alpha_m": alpha_m,
        "beta_i": beta_i,
        "gamma": gamma,
        "user_defined_local_recharge": False,
        "user_defined_climate_zones": False,
        "monthly_alpha": False,
        "flow_dir_algorithm": "MFD",
        "n_workers": -1,
    }
    swy.execute(args)
    output = Path(workspace) / "L.tif"
    total, pixels, area = raster_total(output)
    return SpatialQuantity(
        model="Seasonal Water Yield",
        target=("item", "water_conservation.volume"),
        quantity=total * area / 1000,
        unit="m³",
        invest_version=version,
        output=str(output),
        pixels=pixels,
        pixel_area_m2=area,
        summation="Σ mm × m²/像元 / 1000",
        args=args,
        caveat="InVEST 用户指南：未经率定的 L 宜作相对值解读 / uncalibrated L is relative",
    )


def raster_total(path: Path) -> tuple[float, int, float]:
    """(sum of the valid pixels, their count, the area of one pixel in m²) of a one-band
    raster; nodata pixels are left out."""
    import numpy
    from osgeo import gdal

    dataset = gdal.Open(str(path))
    if dataset is None:
        raise ConfigError(f"无法打开栅格 {path}", f"cannot open the raster {path}", where=str(path))
    band = dataset.GetRasterBand(1)
    values = band.ReadAsArray().astype(numpy.float64)
    nodata = band.GetNoDataValue()
    valid = numpy.isfinite(values)
    if nodata is not None:
        valid &= ~numpy.isclose(values, nodata)
    transform = dataset.GetGeoTransform()
    area = abs(transform[1] * transform[5])
    return float(values[valid].sum()), int(valid.sum()), float(area)


def add_to_workbook(path: Path, year: int, quantities: list[SpatialQuantity]) -> None:
    """Write *quantities* for *year* into the filled input workbook at *path*: an input
    (retained soil) as a row of 实物量, an item quantity (water conservation) as a row of
    已核算实物量, each with :meth:`SpatialQuantity.source` as its 数据来源."""
    from openpyxl import load_workbook

    from ecociv.gep.catalog import catalog
    from ecociv.gep.workbook import PHYSICAL, QUANTITIES

    book = load_workbook(path)
    known = catalog()
    for q in quantities:
        kind, code = q.target
        if kind == "input":
            indicator, name = code.split(".")
            declared = known.indicators[indicator].inputs[name]
            book[PHYSICAL].append(
                [
                    year,
                    indicator,
                    known.indicators[indicator].zh,
                    name,
                    declared.zh,
                    None,
                    q.quantity,
                    q.unit,
                    q.source(),
                ]
            )
        else:
            book[QUANTITIES].append(
                [year, code, known.items[code].zh, q.quantity, q.unit, q.source()]
            )
    book.save(path)
