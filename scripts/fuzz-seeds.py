#!/usr/bin/env python3
"""Seed inputs for one fuzz target (scripts/fuzz.sh calls this).

    scripts/fuzz-seeds.py registry|pubmed|endnote|cerif|xlsx|values OUT_DIR [--max-len BYTES] [--written DIR]

The office targets (xlsx, values) are seeded by `office_seeds` below; the rest of this note is about the
XML importers.

Seeds come from Samples/, the test fixtures, the inputs earlier campaigns found problems with
(Tests/AnnalsInterchangeTests/Fixtures/fuzz-regressions/TARGET/), ../shared/corpus and, for CERIF, the
official samples in ../shared/standards/openaire-cerif-1.2/samples (when present):

  * every whole file no larger than --max-len (libFuzzer truncates longer seeds, which would only
    give it broken documents to start from);
  * every record of every file as a document of its own (the file's prolog and root element around
    one record), so that the fuzzer starts from many small, valid inputs and each execution is quick
    while still going through the whole parse-and-convert path of the importer;
  * small hostile documents of the kinds the hostile-input tests refuse (entity declarations, external
    entities, XInclude, deep nesting, invalid UTF-8, UTF-16, gzip whole and truncated), with the
    target's root element so the fuzzer can mutate towards the importer's own checks.

Records are located with expat (no DTD is loaded, no entity expanded) and copied byte for byte.
"""

import argparse
import glob
import gzip
import hashlib
import io
import os
import sys
import xml.parsers.expat
import zipfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
CERIF_SAMPLES = os.path.normpath(os.path.join(ROOT, "..", "shared", "standards", "openaire-cerif-1.2", "samples"))

REGRESSIONS = "Tests/AnnalsInterchangeTests/Fixtures/fuzz-regressions/"
SOURCES = {
    "registry": ["Samples/registry.xml", "Sources/AnnalsInterchange/Resources/procedures.xml", REGRESSIONS + "registry/*"],
    "pubmed": ["Samples/pubmed-sample.xml", "Tests/AnnalsInterchangeTests/Fixtures/pubmed-*.xml", SHARED + "/pubmed/*.xml", REGRESSIONS + "pubmed/*"],
    "endnote": ["Samples/endnote-sample.xml", "Tests/AnnalsInterchangeTests/Fixtures/endnote-*.xml", SHARED + "/endnote/*.xml", REGRESSIONS + "endnote/*"],
    "cerif": [CERIF_SAMPLES + "/*.xml", REGRESSIONS + "cerif/*"],
}
# Depth of the elements that are records (the root element is depth 0).
RECORD_DEPTH = {"registry": 1, "pubmed": 1, "endnote": 2, "cerif": 2}


def records(data, depth):
    """(prefix, [record bytes], suffix) of a document, or None when expat cannot read it."""
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack = []
    spans = []
    state = {"prefix_end": None, "suffix_start": None, "start": None}

    def end_of_tag(index):
        return data.index(b">", index) + 1

    def start(name, attrs):
        level = len(stack)
        stack.append(name)
        here = parser.CurrentByteIndex
        if level == depth - 1 and state["prefix_end"] is None:
            state["prefix_end"] = end_of_tag(here)
        if level == depth:
            state["start"] = here

    def end(name):
        stack.pop()
        level = len(stack)
        here = parser.CurrentByteIndex
        if level == depth and state["start"] is not None:
            # An empty element <x/> ends where its start tag ends.
            stop = end_of_tag(here) if data[here:here + 2] == b"</" else end_of_tag(state["start"])
            spans.append((state["start"], stop))
            state["start"] = None
        if level == depth - 1 and state["suffix_start"] is None:
            state["suffix_start"] = here

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except (xml.parsers.expat.ExpatError, ValueError):
        return None
    if state["prefix_end"] is None or state["suffix_start"] is None:
        return None
    return data[: state["prefix_end"]], [data[a:b] for a, b in spans], data[state["suffix_start"]:]


def hostile(target):
    root = {
        "registry": (b'<registry xmlns="urn:annals:registry:1" version="1">', b"</registry>", b"registry"),
        "pubmed": (b"<PubmedArticleSet>", b"</PubmedArticleSet>", b"PubmedArticleSet"),
        "endnote": (b"<xml><records>", b"</records></xml>", b"xml"),
        "cerif": (b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record><metadata>', b"</metadata></record></ListRecords></OAI-PMH>", b"OAI-PMH"),
    }[target]
    open_tag, close_tag, name = root
    decl = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    seeds = {
        "xxe": decl + b"<!DOCTYPE " + name + b' [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + open_tag + b"&x;" + close_tag,
        "parameter-entity": decl + b"<!DOCTYPE " + name + b' [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>\n' + open_tag + close_tag,
        "laughs": decl + b"<!DOCTYPE " + name + b' [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;">]>\n' + open_tag + b"&c;" + close_tag,
        "external-dtd": decl + b"<!DOCTYPE " + name + b' SYSTEM "http://example.invalid/x.dtd">\n' + open_tag + close_tag,
        "xinclude": decl + open_tag + b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/>' + close_tag,
        "deep": decl + open_tag + b"<a>" * 300 + b"</a>" * 300 + close_tag,
        "invalid-utf8": decl + open_tag + b"<x>\xc3\x28\xff</x>" + close_tag,
        "nul": decl + open_tag + b"\x00" + close_tag,
        "utf16": ('<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16") + (open_tag + close_tag).decode().encode("utf-16-le"),
        "bom": b"\xef\xbb\xbf" + decl + open_tag + close_tag,
        "cdata-pi-comment": decl + open_tag + b"<!-- c --><?pi x?><![CDATA[<not-a-tag>]]>" + close_tag,
        "empty": b"",
    }
    return seeds


OFFICE_REGRESSIONS = "Tests/AnnalsOfficeTests/Fixtures/fuzz-regressions/"

# Parts of a workbook the reader reads (the others, themes, document properties, printer settings, drawings,
# only make a seed longer).
READ_PARTS = ("_rels/", "xl/workbook.xml", "xl/_rels/", "xl/sharedStrings.xml", "xl/styles.xml", "xl/worksheets/")


def as_parts(parts):
    """The `xlsx` target's list of parts (first byte odd): path, newline, content; parts separated by NUL."""
    return b"\x01" + b"\x00".join(path.encode() + b"\n" + content for path, content in parts)


def zip_parts(parts, method=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for path, content in parts:
            archive.writestr(zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0)), content, compress_type=method)
    return buffer.getvalue()


def workbook(sheet_xml, shared=None, styles=None, sheet_name="手术例数", extra=()):
    """The parts of a one-sheet workbook around `sheet_xml` (the worksheet's XML)."""
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    rel = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    rels = b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    parts = [
        ("_rels/.rels", rels + b'<Relationship Id="rId1" Type="' + rel + b'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml", b"<?xml version=\"1.0\"?><workbook " + ns + b'><workbookPr/><sheets><sheet name="' + sheet_name.encode() + b'" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels", rels + b'<Relationship Id="rId1" Type="' + rel + b'worksheet" Target="worksheets/sheet1.xml"/>'
         + b'<Relationship Id="rId2" Type="' + rel + b'sharedStrings" Target="sharedStrings.xml"/>'
         + b'<Relationship Id="rId3" Type="' + rel + b'styles" Target="styles.xml"/></Relationships>'),
        ("xl/styles.xml", styles or b"<?xml version=\"1.0\"?><styleSheet " + ns + '><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'.encode()
         + b'<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>'),
        ("xl/sharedStrings.xml", b"<?xml version=\"1.0\"?><sst " + ns + b">" + b"".join(b"<si><t>" + s.encode() + b"</t></si>" for s in (shared or ["术式", "科室"])) + b"</sst>"),
        ("xl/worksheets/sheet1.xml", b"<?xml version=\"1.0\"?><worksheet " + ns + b"><sheetData>" + sheet_xml + b"</sheetData></worksheet>"),
    ]
    return parts + list(extra)


def cell(ref, value, kind="inlineStr", style=None):
    s = b"" if style is None else b' s="%d"' % style
    r = b"" if ref is None else b' r="' + ref.encode() + b'"'
    if kind == "inlineStr":
        return b"<c" + r + s + b' t="inlineStr"><is><t>' + value.encode() + b"</t></is></c>"
    t = b"" if kind == "n" else b' t="' + kind.encode() + b'"'
    return b"<c" + r + s + t + b"><v>" + value.encode() + b"</v></c>"


def row(number, cells):
    r = b"" if number is None else b' r="%d"' % number
    return b"<row" + r + b">" + b"".join(cells) + b"</row>"


TALLY_HEADER = ["术式", "入路", "科室", "院区", "术者", "开始", "结束", "例数"]


def tally_sheet(data_rows):
    header = row(1, [cell(chr(65 + i) + "1", name) for i, name in enumerate(TALLY_HEADER)])
    return header + b"".join(data_rows)


def hostile_workbooks():
    """Small workbooks of the kinds a damaged or hostile file holds, as parts."""
    good = [cell("A2", "腹腔镜胆总管囊肿切除术"), cell("C2", "普外科"), cell("F2", "2025/3/1"), cell("G2", "2025年3月"), cell("H2", "12", "n")]
    seeds = {
        "good-tally": workbook(tally_sheet([row(2, good)])),
        "shared-string-huge-index": workbook(tally_sheet([row(2, [cell("A2", "99999999999999999999", "s"), cell("B2", "-1", "s"), cell("C2", "2", "s")])])),
        "bad-cell-refs": workbook(tally_sheet([row(2, [cell("A0", "x"), cell("ZZZZ99999999", "y"), cell("", "z"), cell("1A", "w"), cell("$C$2", "普外科"), cell("XFD1048576", "v"), cell("XFE2", "u")])])),
        "row-numbers": workbook(tally_sheet([row(0, good), row(-5, good), row(99999999999, good), b'<row r="x">' + b"".join(good) + b"</row>"])),
        "dates-as-serials": workbook(tally_sheet([row(2, [cell("A2", "巨结肠根治术"), cell("C2", "普外科"), cell("F2", "45717", "n", 1), cell("G2", "45747.5", "n", 2), cell("H2", "3", "n")]),
                                                  row(3, [cell("A3", "巨结肠根治术"), cell("C3", "普外科"), cell("F3", "-1", "n", 1), cell("G3", "2958466", "n", 1), cell("H3", "1e20", "n")]),
                                                  row(4, [cell("A4", "巨结肠根治术"), cell("C4", "普外科"), cell("F4", "60", "n", 1), cell("G4", "0.5", "n", 2), cell("H4", "NaN", "n")])])),
        "dates-as-text": workbook(tally_sheet([row(2, [cell("A2", "巨结肠根治术"), cell("C2", "普外科"), cell("F2", "2025年3月1日"), cell("G2", "2025.3"), cell("H2", "7")]),
                                               row(3, [cell("A3", "巨结肠根治术"), cell("C3", "普外科"), cell("F3", "2025-13-40", "d"), cell("G3", "2025-02-29T00:00:00", "d"), cell("H3", "7", "str")])])),
        "cell-types": workbook(tally_sheet([row(2, [cell("A2", "1", "b"), cell("B2", "#N/A", "e"), cell("C2", "_x000D_普外科_x0", "str"), cell("D2", "x", "bogus"), cell("E2", "not a number", "n")])])),
        "deep-xml": workbook(tally_sheet([b"<row>" + b"<c><is>" * 150 + b"</is></c>" * 150 + b"</row>"])),
        "no-sheets": [(p, c) for p, c in workbook(b"") if not p.startswith("xl/worksheets")],
        "rels-outside": [(p, c.replace(b"worksheets/sheet1.xml", b"../../../../etc/passwd") if p == "xl/_rels/workbook.xml.rels" else c) for p, c in workbook(tally_sheet([]))],
        "word-document": [("word/document.xml", b"<w:document/>")],
        "empty-parts": [(p, b"") for p, _ in workbook(b"")],
    }
    merged_sheet = b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" + tally_sheet([row(2, good)]) \
        + b'</sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/><mergeCell ref="C2:C1048576"/><mergeCell ref="B9:A1"/><mergeCell ref="A0:B2"/></mergeCells></worksheet>'
    seeds["merged"] = [(p, merged_sheet if p == "xl/worksheets/sheet1.xml" else c) for p, c in workbook(b"")]
    return seeds


def office_seeds(target, options, write):
    """Seeds of the office targets: `xlsx` (a workbook file, or its parts in a list) and `values` (first byte:
    0 tally CSV, 1 form, 2 words)."""
    written = sorted(glob.glob(os.path.join(options.written, "*"))) if options.written else []
    if target == "xlsx":
        files = []
        for pattern in ["Tests/AnnalsOfficeTests/Fixtures/**/*.xlsx", "Samples/**/*.xlsx", SHARED + "/**/*.xlsx"]:
            files.extend(sorted(glob.glob(pattern if os.path.isabs(pattern) else os.path.join(ROOT, pattern), recursive=True)))
        files += written
        for path in files:
            with open(path, "rb") as f:
                data = f.read()
            label = os.path.basename(path).replace(".xlsx", "")
            write(data, "file-" + label)
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    parts = [(i.filename, archive.read(i)) for i in archive.infolist() if i.filename.startswith(READ_PARTS)]
            except Exception:  # damaged on purpose (lying sizes, bombs): the whole file is the seed
                continue
            write(as_parts(parts), "parts-" + label)
        for label, parts in hostile_workbooks().items():
            write(as_parts(parts), "hostile-parts-" + label)
            write(zip_parts(parts), "hostile-" + label)
        good = hostile_workbooks()["good-tally"]
        whole = zip_parts(good)
        write(whole[: len(whole) // 2], "hostile-truncated-zip")
        write(whole[:-22], "hostile-no-end-of-central-directory")
        write(zip_parts(good, zipfile.ZIP_STORED), "hostile-stored")
        # Deflate ratios of a ZIP bomb: 2 MB of one byte (refused by ratio), 900 KB (under the 1 MB the ratio
        # check starts at, so extracted), a sheet that claims less than it holds.
        write(zip_parts([(p, b"\x20" * (2 << 20) if p.startswith("xl/worksheets") else c) for p, c in good]), "hostile-bomb-ratio")
        write(zip_parts([(p, c + b"<!--" + b"\x20" * (900 << 10) + b"-->" if p.startswith("xl/worksheets") else c) for p, c in good]), "hostile-bomb-under-threshold")
        write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "hostile-ole2")
        write(b"PK\x03\x04", "hostile-zip-signature-only")
        write(b"", "hostile-empty")
        write(b"\x01", "hostile-no-parts")
        for path in sorted(glob.glob(os.path.join(ROOT, OFFICE_REGRESSIONS, "xlsx", "*"))):
            with open(path, "rb") as f:
                write(f.read(), "regression")
        return
    # values
    for path in written:
        with open(path, "rb") as f:
            write(f.read(), os.path.basename(path))
    csvs = []
    for pattern in ["Tests/AnnalsInterchangeTests/Fixtures/*.csv", "Samples/*.csv", SHARED + "/**/*.csv"]:
        csvs.extend(sorted(glob.glob(pattern if os.path.isabs(pattern) else os.path.join(ROOT, pattern), recursive=True)))
    for path in csvs:
        with open(path, "rb") as f:
            data = f.read()
        write(b"0" + data, "csv-" + os.path.basename(path))
        lines = data.splitlines(keepends=True)
        for line in lines[1:40]:  # the header and one row: small and complete
            write(b"0" + lines[0] + line, "csv-row")
    header = "procedure,approach,department,campus,surgeon,from,to,count,source,note\n".encode()
    zh = "术式,入路,科室,院区,术者,开始,结束,例数,来源,备注\n".encode()
    hostile_csv = {
        "unclosed-quote": zh + '"腹腔镜胆总管囊肿切除术,,普外科,,,2025-01,2025-06,9\n'.encode(),
        "stray-quote": zh + '巨结肠"根治术,腹腔镜,普外科,,,2025-01,2025-06,9\n'.encode(),
        "text-after-quote": zh + '"巨结肠根治术"x,腹腔镜,普外科,,,2025-01,2025-06,9\n'.encode(),
        "cr-only": zh.replace(b"\n", b"\r") + "巨结肠根治术,腹腔镜,普外科,,,2025-01,2025-06,9\r".encode(),
        "bom": b"\xef\xbb\xbf" + zh + "巨结肠根治术,腹腔镜,普外科,,,2025-01,2025-06,9\n".encode(),
        "utf16": b"\xff\xfe" + zh.decode().encode("utf-16-le"),
        "gbk": zh.decode().encode("gbk") + "巨结肠根治术,腹腔镜,普外科,,,2025-01,2025-06,9\n".encode("gbk"),
        "nul": header + b"a\x00b,open,general-surgery,,,2025,2025,1\n",
        "too-many-fields": header + b"x,open,general-surgery,,,2025,2025,1,s,n,extra,extra\n",
        "counts": header + b"".join(b"choledochal-cyst-excision,open,general-surgery,,,2025,2025,%s\n" % n for n in [b"-1", b"99999999999999999999", b"1e3", b"+5", b"\xef\xbc\x95", b"2147483648"]),
        "dates": header + b"".join(b"choledochal-cyst-excision,open,general-surgery,,,%s,%s,1\n" % (a, b) for a, b in [(b"2025-02-29", b"2025"), (b"0000", b"9999-12-31"), (b"2025/3/1", b"2025-3"), (b"2026", b"2025")]),
        "long-field": header + b'"' + b"x" * 70000 + b'",open,general-surgery,,,2025,2025,1\n',
        "no-header": b"",
        "duplicate-columns": "术式,手术方式,科室,结束,例数\n".encode(),
    }
    for label, data in hostile_csv.items():
        write(b"0" + data, "hostile-csv-" + label)
    words = [
        "国家级", "省部级", "腹腔镜", "机器人辅助", "中转开腹", "开放", "52万", "52万元", "1.2亿", "-3.5万", "1,200,000元",
        "2025/3/1", "2025年3月1日", "2025年3月", "2025.3.1", "2025-02-29", "2024-02-29", "0001-01-01", "9999-12",
        "高志刚", "欧阳修", "普外科", "滨江院区", "手术方式", "A1", "$XFD$1048576", "ZZZZ99999999", "A0",
        'yyyy"年"m"月"d"日"', "[h]:mm", "0.00%", "45717", "2958465.99999", "-1", "1e308", "nan",
        "腹腔镜胆总管囊肿切除术", "choledochal cyst excision", "博士生导师", "是", "否",
    ]
    write(b"2" + "\n".join(words).encode(), "words")
    for word in words:
        write(b"2" + word.encode(), "word")
    for path in sorted(glob.glob(os.path.join(ROOT, OFFICE_REGRESSIONS, "values", "*"))):
        with open(path, "rb") as f:
            write(f.read(), "regression")


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("target", choices=sorted(SOURCES) + ["values", "xlsx"])
    arguments.add_argument("out")
    arguments.add_argument("--max-len", type=int, default=65536)
    arguments.add_argument("--written", help="seeds Annals wrote (annals-fuzz with ANNALS_FUZZ_WRITE_SEEDS)")
    options = arguments.parse_args()
    os.makedirs(options.out, exist_ok=True)
    written = set()

    def write(data, label):
        if len(data) > options.max_len:
            return
        digest = hashlib.sha1(data).hexdigest()
        if digest in written:
            return
        written.add(digest)
        with open(os.path.join(options.out, f"{label}-{digest[:12]}"), "wb") as f:
            f.write(data)

    if options.target in ("xlsx", "values"):
        office_seeds(options.target, options, write)
        print(f"{len(written)} seeds for {options.target} in {options.out}", file=sys.stderr)
        return

    files = []
    for pattern in SOURCES[options.target]:
        files.extend(sorted(glob.glob(pattern if os.path.isabs(pattern) else os.path.join(ROOT, pattern))))
    smallest = None
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        write(data, "file")
        split = records(data, RECORD_DEPTH[options.target])
        if split is None:
            continue
        prefix, items, suffix = split
        for item in items:
            document = prefix + item + suffix
            write(document, "record")
            if smallest is None or len(document) < len(smallest):
                smallest = document
    for label, data in hostile(options.target).items():
        write(data, "hostile-" + label)
    if smallest is not None:
        compressed = gzip.compress(smallest, mtime=0)
        write(compressed, "gzip")
        write(compressed[: len(compressed) // 2], "gzip-truncated")
    print(f"{len(written)} seeds for {options.target} in {options.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
