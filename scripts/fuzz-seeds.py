#!/usr/bin/env python3
"""Seed inputs for one fuzz target (scripts/fuzz.sh calls this).

    scripts/fuzz-seeds.py registry|pubmed|endnote|cerif OUT_DIR [--max-len BYTES]

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
import os
import sys
import xml.parsers.expat

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


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("target", choices=sorted(SOURCES))
    arguments.add_argument("out")
    arguments.add_argument("--max-len", type=int, default=65536)
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
