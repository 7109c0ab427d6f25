"""A seeded corpus of hostile inputs for ``ecociv ingest`` and ``ecociv monitor validate``.

Case *i* of seed *s* depends only on ``(s, i)``: the same command reproduces any case.  Each
case takes a healthy base — the fixture plan as .docx, .xlsx and Tika text
(``tests/ingest/fixture_builders.py``), the seed plans' text exports when
``ECOCIV_SEEDS`` (or ``../shared/seeds``) holds them, and small monitoring tables as CSV and
Parquet — and applies one to three mutations of these classes:

* **zip**: truncation, flipped bytes, a member removed or duplicated, sizes in the zip
  directory that lie, an unknown compression method, a zip bomb;
* **xml**: truncation, garbage, a deleted slice, a duplicated attribute, a DTD (billion
  laughs, external and parameter entities), deep nesting, absurd numbers in attributes
  (``gridSpan``, ``gridBefore``, cell references, style and string indices, merged ranges),
  a wrong encoding declaration, control characters, rows repeated thousands of times, and
  the named cases of ``tests/ingest/hostile.py``;
* **text**: other encodings (Big5, Shift-JIS, EUC-KR, UTF-16, UTF-32, Latin-1), flipped
  bytes, cuts inside a character, NUL bytes, huge lines, tens of thousands of cells;
* **monitoring**: repeated columns, empty and absurd timestamps (year 0000, epoch counts),
  ``inf``/``1e308``/``nan``, ragged and unquoted rows, other encodings, broken Parquet.
"""

from __future__ import annotations

import io
import os
import random
import re
import struct
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import hostile  # tests/ingest is on the path: tests/fuzz/conftest.py, or run.py
from fixture_builders import plan_text_twin, write_plan_docx, write_plan_xlsx

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path(os.environ.get("ECOCIV_SEEDS", ROOT.parent / "shared" / "seeds"))


@dataclass(frozen=True)
class Case:
    """One generated input and the command that reads it."""

    name: str
    path: Path
    args: tuple[str, ...]


# --------------------------------------------------------------------------- bases


def bases(workdir: Path) -> dict[str, list[bytes]]:
    """Healthy inputs by kind: ``docx``, ``xlsx``, ``text``, ``air_csv``, ``water_csv``,
    ``air_parquet``, ``water_parquet``."""
    workdir.mkdir(parents=True, exist_ok=True)
    found = {
        "docx": [write_plan_docx(workdir / "base.docx").read_bytes()],
        "xlsx": [write_plan_xlsx(workdir / "base.xlsx").read_bytes()],
        "text": [plan_text_twin().encode("utf-8")],
    }
    if SEEDS.is_dir():
        found["text"] += [path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))]
    air = _air_csv()
    water = _water_csv()
    found["air_csv"] = [air]
    found["water_csv"] = [water]
    found["air_parquet"] = [_parquet(air)]
    found["water_parquet"] = [_parquet(water)]
    return found


def _air_csv() -> bytes:
    lines = ["station_id,time,so2,no2,pm10,pm25,co,o3"]
    for station in ("1001A", "1002A"):
        for hour in range(1, 49):
            day, h = divmod(hour, 24)
            lines.append(
                f"{station},2024-03-{day + 1:02d} {h:02d}:00,{8 + hour % 5},{30 + hour % 7},"
                f"{60 + hour % 11},{35 + hour % 13},{0.6 + hour % 3 / 10:.1f},{80 + hour % 17}"
            )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _water_csv() -> bytes:
    lines = ["section_id,water_type,date,parameter,value"]
    for section in ("S01", "S02"):
        for month in range(1, 13):
            for parameter, value in (("cod", 14.0), ("nh3n", 0.4), ("tp", 0.12), ("do", 7.1)):
                lines.append(
                    f"{section},河流,2024-{month:02d}-10,{parameter},{value + month / 100}"
                )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _parquet(csv: bytes) -> bytes:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pacsv.read_csv(io.BytesIO(csv))
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


# --------------------------------------------------------------------------- zip level


def _zip_members(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [info.filename for info in package.infolist()]


def zip_truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 4, 32))):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def zip_remove_member(data: bytes, rng: random.Random) -> bytes:
    return hostile.rewrite(data, {rng.choice(_zip_members(data)): None})


def zip_duplicate_member(data: bytes, rng: random.Random) -> bytes:
    name = rng.choice(_zip_members(data))
    out = io.BytesIO(data)
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a") as package:
        warnings.simplefilter("ignore")  # "Duplicate name": the point of the mutation
        package.writestr(name, b"<x/>" if rng.random() < 0.5 else os.urandom(64))
    return out.getvalue()


def zip_lying_sizes(data: bytes, rng: random.Random) -> bytes:
    """Rewrite the uncompressed size of a central-directory entry (offset 24 of it)."""
    out = bytearray(data)
    entries = [m.start() for m in re.finditer(rb"PK\x01\x02", data)]
    if not entries:
        return flip_bytes(data, rng)
    at = rng.choice(entries) + 24
    out[at : at + 4] = struct.pack("<I", rng.choice((0, 1, 2**31, 2**32 - 1)))
    return bytes(out)


def zip_bad_method(data: bytes, rng: random.Random) -> bytes:
    """Set the compression method of one member (local and central header) to a bogus one."""
    out = bytearray(data)
    method = struct.pack("<H", rng.choice((1, 6, 12, 14, 99)))
    starts = [m.start() for m in re.finditer(rb"PK\x03\x04", data)]
    if starts:
        at = rng.choice(starts)
        out[at + 8 : at + 10] = method
    return bytes(out)


def zip_bomb(data: bytes, rng: random.Random) -> bytes:
    name = rng.choice([n for n in _zip_members(data) if n.endswith(".xml")])
    size = rng.choice((120, 400)) * 1024 * 1024
    return hostile.rewrite(data, {name: b"<a>" + b" " * size + b"</a>"})


# --------------------------------------------------------------------------- xml level


def _xml_member(data: bytes, rng: random.Random) -> str:
    names = [n for n in _zip_members(data) if n.endswith((".xml", ".rels"))]
    main = [n for n in names if n in (hostile.DOCUMENT, hostile.SHEET)]
    return rng.choice(main) if main and rng.random() < 0.7 else rng.choice(names)


def _on_xml(
    change: Callable[[bytes, random.Random], bytes],
) -> Callable[[bytes, random.Random], bytes]:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        name = _xml_member(data, rng)
        return hostile.rewrite(data, {name: change(hostile.member(data, name), rng)})

    mutate.__name__ = change.__name__
    return mutate


def xml_truncate(xml: bytes, rng: random.Random) -> bytes:
    return xml[: rng.randrange(0, max(1, len(xml)))]


def xml_garbage(xml: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(xml) + 1)
    junk = rng.choice((b"<", b">", b"&", b"\x00", b"\xff\xfe", b"]]>", b"<!--", os.urandom(16)))
    return xml[:at] + junk + xml[at:]


def xml_delete_slice(xml: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(xml) + 1)
    return xml[:at] + xml[at + rng.randrange(1, 200) :]


def xml_duplicate_attribute(xml: bytes, rng: random.Random) -> bytes:
    found = list(re.finditer(rb"<([\w:]+)(\s+[\w:]+=\"[^\"]*\")", xml))
    if not found:
        return xml_garbage(xml, rng)
    m = rng.choice(found)
    return xml[: m.end()] + m.group(2) + xml[m.end() :]


def xml_dtd(xml: bytes, rng: random.Random) -> bytes:
    root = re.search(rb"<([A-Za-z][\w:]*)", xml.split(b"?>", 1)[-1])
    name = root.group(1) if root else b"x"
    kinds = (
        b'<!DOCTYPE %s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
        b'<!DOCTYPE %s [<!ENTITY d SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE %s [<!ENTITY %% p SYSTEM "http://127.0.0.1:9/p.dtd"> %%p;]>',
        b'<!DOCTYPE %s SYSTEM "http://127.0.0.1:9/x.dtd">',
        b"<!DOCTYPE %s>",
    )
    doctype = rng.choice(kinds) % name
    xml = re.sub(rb">([^<]{1,20})<", b">&d;<", xml, count=1)
    return hostile._with_doctype(xml, doctype)


def xml_deep(xml: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((200, 300, 5_000, 200_000))
    tag = rng.choice((b"w:sdt", b"x", b"w:tbl", b"c"))
    nest = b"<%s>" % tag * depth + b"</%s>" % tag * depth
    at = xml.find(b">", xml.find(b"<", xml.find(b"?>") + 2 if b"?>" in xml else 0) + 1) + 1
    return xml[:at] + nest + xml[at:]


_NUMBER_ATTRS = rb"((?:w:val|r|s|ref|spans|w:w|count|sqref|t)=\")([^\"]*)(\")"
_ABSURD = (
    b"2147483647",
    b"99999999999999999999",
    b"-5",
    b"1e9",
    b"\xef\xbc\x95",
    b"",
    b"A1:XFD1048576",
    b"ZZZZ99999999999",
    b"9" * 5000,
    b"NaN",
    b"0x10",
)


def xml_absurd_numbers(xml: bytes, rng: random.Random) -> bytes:
    found = list(re.finditer(_NUMBER_ATTRS, xml))
    if not found:
        return xml_garbage(xml, rng)
    for m in rng.sample(found, k=min(len(found), rng.choice((1, 3, 10)))):
        xml = xml.replace(m.group(0), m.group(1) + rng.choice(_ABSURD) + m.group(3), 1)
    return xml


def xml_encoding(xml: bytes, rng: random.Random) -> bytes:
    body = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
    choice = rng.randrange(4)
    if choice == 0:
        return '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16") + body.decode(
            "utf-8", "replace"
        ).encode("utf-16-le")
    if choice == 1:
        return b'<?xml version="1.0" encoding="EBCDIC-US"?>' + body
    if choice == 2:
        return b'<?xml version="1.0" encoding="bogus"?>' + body
    return b'<?xml version="1.0" encoding="ISO-8859-1"?>' + body


def xml_control_chars(xml: bytes, rng: random.Random) -> bytes:
    found = list(re.finditer(rb">([^<]+)<", xml))
    if not found:
        return xml_garbage(xml, rng)
    m = rng.choice(found)
    return (
        xml[: m.start(1)]
        + rng.choice((b"\x00", b"\x01\x02", b"&#0;", b"&#xFFFF;", b"&#55296;"))
        + xml[m.start(1) :]
    )


def xml_swap_tags(xml: bytes, rng: random.Random) -> bytes:
    tags = list(set(re.findall(rb"<([A-Za-z][\w:]*)", xml)))
    if len(tags) < 2:
        return xml_garbage(xml, rng)
    a, b = rng.sample(tags, 2)
    return re.sub(rb"(</?)" + re.escape(a) + rb"\b", rb"\g<1>" + b, xml, count=rng.choice((1, 5)))


def xml_repeat_rows(xml: bytes, rng: random.Random) -> bytes:
    m = re.search(rb"<w:tr[ >].*?</w:tr>|<row [^>]*>.*?</row>", xml, re.S)
    if not m:
        return xml_garbage(xml, rng)
    return xml[: m.end()] + m.group(0) * rng.choice((50, 2_000, 30_000)) + xml[m.end() :]


def xml_merges(xml: bytes, rng: random.Random) -> bytes:
    if b"<sheetData" in xml:
        refs = [
            f"{rng.choice('ABCZ')}{rng.randrange(1, 9)}:{rng.choice(['C', 'H', 'AZ', 'XFD'])}{rng.choice([3, 40, 1048576])}"
            for _ in range(rng.randrange(1, 5))
        ]
        merge = (
            b'<mergeCells count="%d">' % len(refs)
            + b"".join(b'<mergeCell ref="%s"/>' % r.encode() for r in refs)
            + b"</mergeCells>"
        )
        xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", b"</sheetData>" + merge, 1)
    props = [
        b'<w:vMerge w:val="restart"/>',
        b"<w:vMerge/>",
        b'<w:gridSpan w:val="%d"/>' % rng.choice((0, 2, 7, 63)),
        b'<w:hMerge w:val="continue"/>',
    ]
    return re.sub(rb"<w:tcPr>", lambda _: b"<w:tcPr>" + rng.choice(props), xml)


def _named(builder: hostile.Builder) -> Callable[[bytes, random.Random], bytes]:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        try:
            return builder(data)
        except AssertionError:  # the pattern is gone after an earlier mutation
            return data

    mutate.__name__ = builder.__name__
    return mutate


ZIP_MUTATIONS = [
    zip_truncate,
    flip_bytes,
    zip_remove_member,
    zip_duplicate_member,
    zip_lying_sizes,
    zip_bad_method,
]
XML_MUTATIONS = [
    _on_xml(m)
    for m in (
        xml_truncate,
        xml_garbage,
        xml_delete_slice,
        xml_duplicate_attribute,
        xml_dtd,
        xml_deep,
        xml_absurd_numbers,
        xml_encoding,
        xml_control_chars,
        xml_swap_tags,
        xml_repeat_rows,
        xml_merges,
    )
]
DOCX_MUTATIONS = (
    ZIP_MUTATIONS + XML_MUTATIONS * 3 + [_named(b) for b in hostile.DOCX_CASES.values()]
)
XLSX_MUTATIONS = (
    ZIP_MUTATIONS + XML_MUTATIONS * 3 + [_named(b) for b in hostile.XLSX_CASES.values()]
)


# --------------------------------------------------------------------------- text


def text_encoding(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    encoding = rng.choice(
        (
            "big5",
            "shift_jis",
            "euc_kr",
            "utf-16",
            "utf-16-le",
            "utf-32",
            "utf-32-be",
            "latin-1",
            "gb18030",
            "cp1252",
        )
    )
    return text.encode(encoding, errors="replace")


def text_cut_character(data: bytes, rng: random.Random) -> bytes:
    wide = [m.start() for m in re.finditer(rb"[\xe0-\xef]", data[:200_000])]
    at = rng.choice(wide) + 1 if wide else rng.randrange(len(data))
    return data[:at] + data[at + 1 :]


def text_nul(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + b"\x00" * rng.choice((1, 10)) + data[at:]


def text_huge_line(data: bytes, rng: random.Random) -> bytes:
    return data + b"\t" + "很长的单元格".encode() * rng.choice((10_000, 500_000)) + b"\n"


def text_many_cells(data: bytes, rng: random.Random) -> bytes:
    row = b"".join(b"\t%d\n" % c for c in range(rng.choice((3, 8, 40)))) + b"\n"
    return data + row * rng.choice((100, 5_000, 30_000))


def text_line_endings(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\n", rng.choice((b"\r", b"\r\n", b"", b"\n\n\n")))


def text_shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    start = rng.randrange(len(lines))
    block = lines[start : start + 200]
    rng.shuffle(block)
    return b"\n".join(lines[:start] + block + lines[start + 200 :])


TEXT_MUTATIONS = [
    text_encoding,
    text_cut_character,
    text_nul,
    text_huge_line,
    text_many_cells,
    text_line_endings,
    text_shuffle_lines,
    flip_bytes,
    zip_truncate,
]


# --------------------------------------------------------------------------- monitoring


def _csv_rows(data: bytes) -> list[list[str]]:
    return [line.split(",") for line in data.decode("utf-8").splitlines()]


def _csv(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(row) for row in rows) + "\n").encode("utf-8")


_ABSURD_VALUES = (
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "1e308",
    "-1e308",
    "1e-320",
    "1" + "0" * 40,
    "0x1F",
    "１２",
    "",
    "NULL",
    "  ",
    "12,5",
    "1e",
    "--5",
)
_ABSURD_TIMES = (
    "",
    "0000-01-01 01:00",
    "9999-12-31 23:00",
    "1704067200000000000",
    "1704067200",
    "2024-02-30 01:00",
    "2024-01-01 25:00",
    "2024-01-01T01:00:00.000000001",
    "2024-01-01 01:30",
    "-1",
    "NaT",
    "0",
)


def csv_repeat_column(data: bytes, rng: random.Random) -> bytes:
    rows = _csv_rows(data)
    col = rng.randrange(len(rows[0]))
    return _csv([[*row, row[col]] for row in rows])


def csv_absurd_values(data: bytes, rng: random.Random) -> bytes:
    rows = _csv_rows(data)
    for _ in range(rng.choice((1, 10, 100))):
        row = rng.choice(rows[1:])
        row[rng.randrange(len(row))] = rng.choice(_ABSURD_VALUES)
    return _csv(rows)


def csv_absurd_times(data: bytes, rng: random.Random) -> bytes:
    rows = _csv_rows(data)
    col = next((i for i, name in enumerate(rows[0]) if name in ("time", "date")), 1)
    for _ in range(rng.choice((1, 10, 200))):
        rng.choice(rows[1:])[col] = rng.choice(_ABSURD_TIMES)
    return _csv(rows)


def csv_ragged(data: bytes, rng: random.Random) -> bytes:
    rows = _csv_rows(data)
    for _ in range(rng.choice((1, 5))):
        row = rng.choice(rows)
        if rng.random() < 0.5:
            row.append('"unclosed')
        elif len(row) > 1:
            row.pop()
    return _csv(rows)


def csv_header_chaos(data: bytes, rng: random.Random) -> bytes:
    rows = _csv_rows(data)
    rows[0][rng.randrange(len(rows[0]))] = rng.choice(
        ("", " ", "PM2.5(μg/m³)", "time", "时间", "\x00", "a" * 5000)
    )
    return _csv(rows)


CSV_MUTATIONS = [
    csv_repeat_column,
    csv_absurd_values,
    csv_absurd_times,
    csv_ragged,
    csv_header_chaos,
    text_encoding,
    flip_bytes,
    zip_truncate,
    text_nul,
]


def parquet_damage(data: bytes, rng: random.Random) -> bytes:
    return rng.choice((zip_truncate, flip_bytes))(data, rng)


def parquet_from_mutated_csv(data: bytes, rng: random.Random) -> bytes:
    """Parquet whose columns carry the absurd values, typed as Arrow infers them."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pacsv.read_csv(io.BytesIO(data))
    name = rng.choice(table.column_names)
    kind = rng.randrange(4)
    n = table.num_rows
    if kind == 0:
        column = pa.array(
            [rng.choice((float("inf"), 1e308, -0.0, float("nan"), 12.5)) for _ in range(n)]
        )
    elif kind == 1:
        column = pa.array(
            [rng.choice((0, -(2**62), 2**62, 1704067200 * 10**9, None)) for _ in range(n)],
            pa.timestamp(
                rng.choice(("s", "ms", "us", "ns")), tz=rng.choice((None, "UTC", "Asia/Shanghai"))
            ),
        )
    elif kind == 2:
        column = pa.array(
            [rng.choice((-719162, 2_932_896, 0, None)) for _ in range(n)], pa.date32()
        )
    else:
        column = pa.array([[1, 2]] * n)
    if rng.random() < 0.5:
        table = table.set_column(table.column_names.index(name), name, column)
    else:
        table = table.append_column(name, column)  # a repeated column name
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


# --------------------------------------------------------------------------- cases

_PLANS = {
    "docx": (".docx", DOCX_MUTATIONS),
    "xlsx": (".xlsx", XLSX_MUTATIONS),
    "text": (".txt", TEXT_MUTATIONS),
}
_MONITOR = {
    "air_csv": (".csv", "air", CSV_MUTATIONS),
    "water_csv": (".csv", "water", CSV_MUTATIONS),
    "air_parquet": (".parquet", "air", [parquet_damage]),
    "water_parquet": (".parquet", "water", [parquet_damage]),
}
_WEIGHTS = {
    "docx": 30,
    "xlsx": 30,
    "text": 15,
    "air_csv": 9,
    "water_csv": 8,
    "air_parquet": 4,
    "water_parquet": 4,
}


def generate(seed: int, count: int, workdir: Path, *, start: int = 0) -> Iterator[Case]:
    """Cases ``start`` … ``start + count - 1`` of *seed*, written under *workdir*."""
    found = bases(workdir / "bases")
    kinds = list(_WEIGHTS)
    for i in range(start, start + count):
        rng = random.Random(f"{seed}:{i}")
        kind = rng.choices(kinds, weights=[_WEIGHTS[k] for k in kinds])[0]
        data = rng.choice(found[kind])
        if kind in _PLANS:
            suffix, mutations = _PLANS[kind]
            args_for = lambda path: ("ingest", str(path), "--json")  # noqa: E731
        else:
            suffix, kind_arg, mutations = _MONITOR[kind]
            if kind.endswith("parquet") and rng.random() < 0.6:
                mutations = [parquet_from_mutated_csv]
                data = rng.choice(found[kind.replace("parquet", "csv")])
            args_for = lambda path, k=kind_arg: ("monitor", "validate", "--kind", k, str(path))  # noqa: E731
        applied = []
        chosen = rng.sample(mutations, k=min(len(mutations), rng.choice((1, 1, 2, 3))))
        chosen.sort(key=lambda m: m in ZIP_MUTATIONS)  # damage the package last
        for mutation in chosen:
            try:
                data = mutation(data, rng)
            except Exception:  # not applicable to what earlier mutations left (a broken zip)
                continue
            applied.append(mutation.__name__)
        if kind in ("docx", "xlsx") and rng.random() < 0.01:
            data, applied = zip_bomb(rng.choice(found[kind]), rng), ["zip_bomb"]
        path = workdir / f"case{i:05d}{suffix}"
        path.write_bytes(data)
        yield Case(f"{seed}:{i} {kind} {'+'.join(applied)}", path, args_for(path))
