"""The spatial extra (ecociv[gep-spatial], InVEST) on a small synthetic hillside.

SDR's avoided erosion must be R·K·LS·(1 − C·P) pixel by pixel and SWY's local recharge
P − QF − AET (GEP.md §6.4); the summed quantities go through the input workbook into the
account, whose provenance names the InVEST version.  Skipped, with the reason, when the extra is
not installed (it needs GDAL and compiles InVEST: docs/gep.md, "Spatial extra").
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

invest = pytest.importorskip(
    "natcap.invest",
    reason="the optional extra ecociv[gep-spatial] (InVEST 3.20.2 + GDAL) is not installed; "
    "see docs/gep.md 'Spatial extra'",
)
gdal = pytest.importorskip("osgeo.gdal", reason="GDAL's Python bindings are not installed")
import numpy  # noqa: E402
from osgeo import ogr, osr  # noqa: E402

from ecociv.gep import spatial  # noqa: E402
from ecociv.gep.catalog import load_method_set  # noqa: E402
from ecociv.gep.compute import compute  # noqa: E402
from ecociv.gep.prices import load_price_set  # noqa: E402
from ecociv.gep.template import write_template  # noqa: E402
from ecociv.gep.workbook import read_inputs  # noqa: E402

pytestmark = pytest.mark.slow
SIZE, CELL = 48, 30.0
ORIGIN = (500_000.0, 3_300_000.0)
EPSG = 32650  # WGS 84 / UTM 50N, metres
FOREST, CROP = 1, 2
USLE = {FOREST: (0.006, 1.0), CROP: (0.23, 0.5)}
R_FACTOR, K_FACTOR = 4000.0, 0.03


def _raster(path: Path, values: numpy.ndarray, dtype=gdal.GDT_Float32, nodata=-9999.0) -> Path:
    driver = gdal.GetDriverByName("GTiff")
    dataset = driver.Create(str(path), SIZE, SIZE, 1, dtype)
    dataset.SetGeoTransform((ORIGIN[0], CELL, 0, ORIGIN[1], 0, -CELL))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    dataset.SetProjection(srs.ExportToWkt())
    band = dataset.GetRasterBand(1)
    band.SetNoDataValue(nodata)
    band.WriteArray(values)
    dataset.FlushCache()
    dataset = None
    return path


def _polygon(path: Path) -> Path:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    driver = ogr.GetDriverByName("GPKG")
    source = driver.CreateDataSource(str(path))
    layer = source.CreateLayer("area", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("ws_id", ogr.OFTInteger))
    ring = ogr.Geometry(ogr.wkbLinearRing)
    x0, y0, side = ORIGIN[0], ORIGIN[1], SIZE * CELL
    for x, y in ((x0, y0), (x0 + side, y0), (x0 + side, y0 - side), (x0, y0 - side), (x0, y0)):
        ring.AddPoint(x, y)
    polygon = ogr.Geometry(ogr.wkbPolygon)
    polygon.AddGeometry(ring)
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("ws_id", 1)
    feature.SetGeometry(polygon)
    layer.CreateFeature(feature)
    source = None
    return path


def _csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def hillside(tmp_path_factory) -> dict[str, Path]:
    """A 48 × 48 hillside of 30 m pixels: a slope falling to the south with a shallow
    valley, forest on the west half and cropland on the east half."""
    folder = tmp_path_factory.mktemp("hillside")
    rows, cols = numpy.mgrid[0:SIZE, 0:SIZE].astype(numpy.float64)
    dem = 600 - 4.0 * rows + 6.0 * numpy.abs(cols - SIZE / 2) / (SIZE / 2) * 10
    lulc = numpy.where(cols < SIZE / 2, FOREST, CROP).astype(numpy.int32)
    return {
        "folder": folder,
        "dem": _raster(folder / "dem.tif", dem),
        "lulc": _raster(folder / "lulc.tif", lulc, gdal.GDT_Int32, nodata=-1),
        "erosivity": _raster(folder / "r.tif", numpy.full((SIZE, SIZE), R_FACTOR)),
        "erodibility": _raster(folder / "k.tif", numpy.full((SIZE, SIZE), K_FACTOR)),
        "soil": _raster(folder / "soil.tif", numpy.full((SIZE, SIZE), 2), gdal.GDT_Int32, -1),
        "area": _polygon(folder / "area.gpkg"),
        "lulc_array": lulc,
    }


def _read(path: Path) -> numpy.ndarray:
    dataset = gdal.Open(str(path))
    band = dataset.GetRasterBand(1)
    values = band.ReadAsArray().astype(numpy.float64)
    nodata = band.GetNoDataValue()
    return numpy.where(numpy.isclose(values, nodata), numpy.nan, values) if nodata else values


@pytest.fixture(scope="module")
def sdr_run(hillside):
    table = _csv(
        hillside["folder"] / "sdr_bio.csv",
        [{"lucode": k, "usle_c": c, "usle_p": p} for k, (c, p) in USLE.items()],
    )
    workspace = hillside["folder"] / "sdr"
    result = spatial.soil_retention_sdr(
        workspace,
        dem=hillside["dem"],
        erosivity=hillside["erosivity"],
        erodibility=hillside["erodibility"],
        lulc=hillside["lulc"],
        watersheds=hillside["area"],
        biophysical_table=table,
        threshold_flow_accumulation=200,
    )
    return result, workspace


@pytest.fixture(scope="module")
def swy_run(hillside):
    folder = hillside["folder"]
    precip_mm = [40, 60, 110, 150, 190, 260, 210, 180, 120, 80, 70, 70]  # 1540 mm
    et0_mm = [30, 40, 60, 80, 100, 120, 140, 130, 100, 70, 45, 35]
    precip_rows, et0_rows = [], []
    for month in range(1, 13):
        p = _raster(folder / f"p{month}.tif", numpy.full((SIZE, SIZE), precip_mm[month - 1]))
        e = _raster(folder / f"et0{month}.tif", numpy.full((SIZE, SIZE), et0_mm[month - 1]))
        precip_rows.append({"month": month, "path": str(p)})
        et0_rows.append({"month": month, "path": str(e)})
    bio = [
        {
            "lucode": code,
            **{f"cn_{g}": cn for g, cn in zip("abcd", numbers, strict=True)},
            **{f"kc_{m}": kc for m in range(1, 13)},
        }
        for code, numbers, kc in ((FOREST, (30, 55, 70, 77), 1.0), (CROP, (67, 78, 85, 89), 0.8))
    ]
    workspace = folder / "swy"
    result = spatial.water_conservation_swy(
        workspace,
        dem=hillside["dem"],
        lulc=hillside["lulc"],
        soil_group=hillside["soil"],
        aoi=hillside["area"],
        biophysical_table=_csv(folder / "swy_bio.csv", bio),
        precip_table=_csv(folder / "precip.csv", precip_rows),
        et0_table=_csv(folder / "et0.csv", et0_rows),
        rain_events_table=_csv(
            folder / "events.csv", [{"month": m, "events": 6} for m in range(1, 13)]
        ),
        threshold_flow_accumulation=200,
    )
    return result, workspace


def test_sdr_avoided_erosion_is_rkls_times_one_minus_cp(sdr_run, hillside):
    result, workspace = sdr_run
    avoided = _read(workspace / "avoided_erosion.tif")
    rkls = _read(workspace / "rkls.tif")
    usle = _read(workspace / "usle.tif")
    lulc = hillside["lulc_array"]
    cp = numpy.where(lulc == FOREST, 0.006 * 1.0, 0.23 * 0.5)
    valid = numpy.isfinite(avoided) & numpy.isfinite(rkls)
    assert valid.sum() > SIZE * SIZE * 0.8
    assert numpy.allclose(avoided[valid], rkls[valid] * (1 - cp[valid]), rtol=1e-5, atol=1e-4)
    assert numpy.allclose(avoided[valid], rkls[valid] - usle[valid], rtol=1e-5, atol=1e-4)
    expected = float(avoided[valid].sum()) * CELL * CELL / 10_000
    assert result.quantity == pytest.approx(expected, rel=1e-9)
    assert result.invest_version == invest.__version__ == spatial.INVEST_VERSION
    assert result.unit == "t" and result.target == ("input", "soil_retention.retention")


def test_swy_local_recharge_is_p_minus_qf_minus_aet(swy_run):
    result, workspace = swy_run
    recharge = _read(workspace / "L.tif")
    precip = _read(workspace / "P.tif")
    quickflow = _read(workspace / "QF.tif")
    aet = _read(workspace / "intermediate_outputs" / "aet.tif")
    valid = numpy.isfinite(recharge) & numpy.isfinite(quickflow) & numpy.isfinite(aet)
    assert valid.sum() == SIZE * SIZE
    assert numpy.allclose(precip[valid], 1540, atol=1e-3)
    assert numpy.allclose(recharge[valid], precip[valid] - quickflow[valid] - aet[valid], atol=1e-3)
    expected = float(recharge[valid].sum()) * CELL * CELL / 1000
    assert result.quantity == pytest.approx(expected, rel=1e-9)
    assert result.unit == "m³" and "relative" in result.caveat


def test_spatial_quantities_enter_the_account_with_the_invest_version(sdr_run, swy_run, tmp_path):
    path = tmp_path / "gep.xlsx"
    write_template(path, load_method_set("ouyang_ganzi_2017"), 2023)
    spatial.add_to_workbook(path, 2023, [sdr_run[0], swy_run[0]])
    result = compute(
        load_method_set("ouyang_ganzi_2017"), load_price_set("ganzi_2010"), read_inputs(path), 2023
    )
    lines = {ln.code: ln for ln in result.lines}
    volume = lines["water_conservation.volume"]
    assert float(volume.quantity) == pytest.approx(swy_run[0].quantity, rel=1e-9)
    assert float(volume.value) == pytest.approx(swy_run[0].quantity * 7.06 / 10_000, rel=1e-9)
    assert f"InVEST {spatial.INVEST_VERSION}" in volume.provenance["inputs"][0]["source"]
    sediment = lines["soil_retention.sediment"]
    assert float(sediment.quantity) == pytest.approx(0.24 * sdr_run[0].quantity / 0.93, rel=1e-9)
    assert "SDR" in sediment.provenance["inputs"][0]["source"]
