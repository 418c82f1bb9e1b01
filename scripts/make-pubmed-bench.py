#!/usr/bin/env python3
"""Generate a baseline-size PubMed XML file for the import benchmark.

Reads every real <PubmedArticle> record from the XML files in a corpus folder (by default
../shared/corpus/pubmed relative to the repository, i.e. /work/shared/corpus/pubmed), skipping
files whose name contains MALFORMED and anything that is not a PubmedArticle (book articles,
DeleteCitation blocks), and writes a <PubmedArticleSet> with N articles that cycles through those
records. Copy i (0-based) gets:

  * PMID 50000000+i, in MedlineCitation/PMID and in PubmedData/ArticleIdList/ArticleId[@IdType="pubmed"];
  * a unique DOI: ".b<i>" appended to ELocationID[@EIdType="doi"] and ArticleId[@IdType="doi"];
  * " [copy <i>]" appended to ArticleTitle and VernacularTitle (some records have an empty
    <ArticleTitle/> and only a vernacular title),

so that Annals sees N different papers (it merges records with the same PMID, the same DOI, or the
same title, year and first author) and the benchmark measures the plain import path.

With --pmid-offset K, copy i gets PMID 50000000+K+i but keeps the DOI and title of copy i: a file
whose every paper shares its DOI and title with the paper of the same index in the plain file, so
imported into a registry that holds the plain file, every paper merges into an earlier one (the
benchmark's merge path).

Records are located with a real XML parser (expat, from the standard library) and copied byte for
byte from the source files, so markup (MathML, <i>, <sup>, numeric character references) stays
exactly as NLM wrote it; only the text of the elements above is changed. The output is streamed:
memory use does not grow with N.

Usage: scripts/make-pubmed-bench.py [--articles N] [--out PATH] [--corpus DIR] [--gzip] [--pmid-offset K]
"""

import argparse
import gzip
import os
import sys
import xml.parsers.expat

HEADER = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet>\n"
)
FOOTER = b"</PubmedArticleSet>\n"
FIRST_PMID = 50_000_000

# Slots in a record template, filled in per copy.
PMID, DOI_SUFFIX, TITLE_SUFFIX = "pmid", "doi", "title"


def tag_end(data: bytes, start: int) -> int:
    """Index just past the '>' closing the tag that starts at data[start] == '<' (quotes respected)."""
    i, quote = start + 1, None
    while True:
        c = data[i]
        if quote is not None:
            if c == quote:
                quote = None
        elif c in (0x22, 0x27):  # " or '
            quote = c
        elif c == 0x3E:  # >
            return i + 1
        i += 1


class Record:
    """One real PubmedArticle as alternating literal byte strings and slots."""

    def __init__(self, source: str, pmid: str, parts: list):
        self.source, self.pmid, self.parts = source, pmid, parts
        self.slots = {p for p in parts if isinstance(p, str)}

    def render(self, index: int, pmid_offset: int = 0) -> bytes:
        values = {
            PMID: str(FIRST_PMID + pmid_offset + index).encode(),
            DOI_SUFFIX: b".b%d" % index,
            TITLE_SUFFIX: b" [copy %d]" % index,
        }
        return b"".join(values[p] if isinstance(p, str) else p for p in self.parts)


def read_records(path: str) -> list:
    """The PubmedArticle records of one file, as Records (edits located by expat byte offsets)."""
    with open(path, "rb") as f:
        data = f.read()
    parser = xml.parsers.expat.ParserCreate()
    stack: list = []  # element names from the root down
    records: list = []
    current = None  # state of the PubmedArticle being read

    def start(name, attrs):
        nonlocal current
        stack.append(name)
        pos = parser.CurrentByteIndex
        if name == "PubmedArticle" and current is None:
            current = {"start": pos, "depth": len(stack), "edits": [], "pmid": None, "open": {}}
            return
        if current is None:
            return
        rel = tuple(stack[current["depth"]:])  # path below PubmedArticle
        kind = None
        if rel == ("MedlineCitation", "PMID"):
            kind = PMID
        elif rel == ("PubmedData", "ArticleIdList", "ArticleId"):
            idtype = attrs.get("IdType")
            kind = PMID if idtype == "pubmed" else DOI_SUFFIX if idtype == "doi" else None
        elif rel == ("MedlineCitation", "Article", "ELocationID") and attrs.get("EIdType") == "doi":
            kind = DOI_SUFFIX
        elif rel in (("MedlineCitation", "Article", "ArticleTitle"), ("MedlineCitation", "Article", "VernacularTitle")):
            kind = TITLE_SUFFIX  # Annals falls back on VernacularTitle when ArticleTitle is empty
        if kind is not None:
            current["open"][len(stack)] = (kind, pos)

    def end(name):
        nonlocal current
        pos = parser.CurrentByteIndex
        depth = len(stack)
        stack.pop()
        if current is None:
            return
        if name == "PubmedArticle" and depth == current["depth"]:
            stop = tag_end(data, pos)
            records.append(make_record(path, data, current, stop))
            current = None
            return
        opened = current["open"].pop(depth, None)
        if opened is None:
            return
        kind, tag_start = opened
        if data[pos:pos + 2] != b"</":
            return  # <Element/>: nothing to number
        content_start = tag_end(data, tag_start)
        if kind == PMID:
            if current["pmid"] is None and stack[-1] == "MedlineCitation":
                current["pmid"] = data[content_start:pos].decode().strip()
            current["edits"].append((content_start, pos, PMID))
        else:
            # Append before trailing whitespace, right after the last character of the text.
            at = pos
            while at > content_start and data[at - 1] in b" \t\r\n":
                at -= 1
            current["edits"].append((at, at, kind))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(data, True)
    return records


def make_record(path: str, data: bytes, state: dict, stop: int) -> Record:
    parts, cursor = [], state["start"]
    for begin, finish, kind in sorted(state["edits"]):
        parts.append(data[cursor:begin])
        parts.append(kind)
        cursor = finish
    parts.append(data[cursor:stop])
    return Record(os.path.basename(path), state["pmid"], parts)


def main() -> int:
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=30000, help="number of articles to write (default 30000)")
    ap.add_argument("--out", default=None, help="output file (default pubmed-bench-N.xml[.gz] in the current folder)")
    ap.add_argument("--corpus", default=os.path.join(repo, "..", "shared", "corpus", "pubmed"),
                    help="folder of real PubMed XML files (default ../shared/corpus/pubmed from the repo)")
    ap.add_argument("--gzip", action="store_true", help="write gzip-compressed output (.xml.gz)")
    ap.add_argument("--pmid-offset", type=int, default=0,
                    help="add K to every PMID but keep DOIs and titles (a file that merges into the plain one)")
    args = ap.parse_args()
    if args.articles < 1:
        ap.error("--articles must be at least 1")

    records, files = [], 0
    for name in sorted(os.listdir(args.corpus)):
        path = os.path.join(args.corpus, name)
        if "MALFORMED" in name or not name.lower().endswith(".xml") or not os.path.isfile(path):
            continue
        try:
            found = read_records(path)
        except xml.parsers.expat.ExpatError as e:
            print(f"make-pubmed-bench: skipping {name}: {e}", file=sys.stderr)
            continue
        files += bool(found)
        records.extend(r for r in found if PMID in r.slots)
    if not records:
        print(f"make-pubmed-bench: no PubmedArticle records in {args.corpus}", file=sys.stderr)
        return 1

    out = args.out or f"pubmed-bench-{args.articles}.xml" + (".gz" if args.gzip else "")
    opener = (lambda p: gzip.open(p, "wb", compresslevel=6)) if args.gzip else (lambda p: open(p, "wb", buffering=1 << 20))
    with opener(out) as f:
        f.write(HEADER)
        chunk = []
        for i in range(args.articles):
            chunk.append(records[i % len(records)].render(i, args.pmid_offset))
            chunk.append(b"\n")
            if len(chunk) >= 2000:
                f.write(b"".join(chunk))
                chunk.clear()
        f.write(b"".join(chunk))
        f.write(FOOTER)
    size = os.path.getsize(out)
    print(f"make-pubmed-bench: wrote {out}: {args.articles} articles cycling through {len(records)} real "
          f"records from {files} files, {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
