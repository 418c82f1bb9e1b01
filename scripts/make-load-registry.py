#!/usr/bin/env python3
"""Writes the registry XML of the web load benchmark (scripts/bench-load.sh, docs/benchmark.md).

    scripts/make-load-registry.py --people 2000 --out registry.xml

A hospital with the two campuses and the 14 surgical departments of the tally benchmark
(scripts/make-tally-bench.py, so its tally CSV imports into this registry) plus 6 more departments
(20 in all), and N people. So that the papers of scripts/make-pubmed-bench.py are credited to someone:

  * every author of the real PubMed records the generator copies (../shared/corpus/pubmed) becomes a
    person (family name, given name, "Family INITIALS"), each in one department, round robin;
  * the hospital's affiliation patterns are the first part (up to the first comma) of every affiliation
    those authors give, so the attributor takes each of them for a hospital author.

This makes the benchmark hospital an odd institution (its "patterns" are the corpus's ~300 institutions),
but the pages then show real credited papers per person and department. Authors whose record gives no
affiliation, or whose name fits two people, are not credited (they go to the review list), so attribution
is partial. The remaining people (N minus the corpus authors) are synthetic and have no papers.
"""
import argparse
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

TALLY_DEPARTMENTS = ["general-surgery", "oncology-surgery", "urology", "orthopaedics", "neurosurgery",
                     "cardiac-surgery", "thoracic-surgery", "neonatal-surgery", "burns-plastic", "ent",
                     "ophthalmology", "gynaecology", "hepatobiliary", "colorectal"]
MORE_DEPARTMENTS = ["anaesthesia", "intensive-care", "radiology", "pathology", "neonatology", "cardiology"]
DEPARTMENTS = TALLY_DEPARTMENTS + MORE_DEPARTMENTS
SYNTHETIC_FAMILY = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
                    "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao"]
SYNTHETIC_GIVEN = ["Wei", "Fang", "Min", "Jing", "Lei", "Jun", "Yan", "Hui", "Qiang", "Ping", "Tao", "Ming",
                   "Xia", "Bo", "Hong", "Gang", "Li", "Yun", "Feng", "Hua"]


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def corpus_authors(folder):
    authors, patterns, seen = [], [], set()
    for name in sorted(os.listdir(folder)):
        if "MALFORMED" in name or not name.lower().endswith(".xml"):
            continue
        try:
            tree = ET.parse(os.path.join(folder, name))
        except ET.ParseError:
            continue
        for article in tree.iter("PubmedArticle"):
            for author in article.iter("Author"):
                family, fore = author.findtext("LastName"), author.findtext("ForeName")
                initials = author.findtext("Initials") or ""
                if not family or not fore:
                    continue
                key = (family, fore)
                if key not in seen:
                    seen.add(key)
                    authors.append((family, fore, initials))
                for affiliation in author.iter("Affiliation"):
                    text = "".join(affiliation.itertext()).strip()
                    first = text.split(",")[0].strip().rstrip(".")
                    if len(first) >= 12 and first not in patterns:
                        patterns.append(first)
    return authors, patterns


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--corpus", default=os.path.join(repo, "..", "shared", "corpus", "pubmed"))
    args = ap.parse_args()
    authors, patterns = corpus_authors(args.corpus)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<registry xmlns="urn:annals:registry:1" version="2">',
           '  <orgUnit id="hospital" kind="hospital">', "    <name>Benchmark Children's Hospital</name>",
           "    <nameZH>基准儿童医院</nameZH>",
           '    <campus id="binjiang"><name>Binjiang Campus</name><nameZH>滨江院区</nameZH></campus>',
           '    <campus id="hubin"><name>Hubin Campus</name><nameZH>湖滨院区</nameZH></campus>']
    out += [f"    <affiliationPattern>{escape(p)}</affiliationPattern>" for p in patterns]
    out.append("  </orgUnit>")
    for d in DEPARTMENTS:
        title = d.replace("-", " ").title()
        out += [f'  <orgUnit id="{d}" kind="department" parent="hospital">', f"    <name>{title} Department</name>",
                "  </orgUnit>"]
    ids = set()
    people = []
    for family, fore, initials in authors:
        people.append((family, fore, initials))
    i = 0
    while len(people) < args.people:
        family = SYNTHETIC_FAMILY[i % len(SYNTHETIC_FAMILY)]
        given = SYNTHETIC_GIVEN[(i // len(SYNTHETIC_FAMILY)) % len(SYNTHETIC_GIVEN)] + "xyz"[i % 3] + str(i)
        people.append((family, given, None))
        i += 1
    people = people[:args.people]
    for n, (family, given, initials) in enumerate(people):
        base = slug(f"{family}-{given}")[:100]
        pid, k = base, 2
        while pid in ids:
            pid, k = f"{base}-{k}", k + 1
        ids.add(pid)
        out.append(f'  <person id="{pid}">')
        out.append(f"    <familyName>{escape(family)}</familyName>")
        out.append(f"    <givenName>{escape(given)}</givenName>")
        if initials:
            out.append(f'    <nameVariant kind="initials">{escape(family)} {escape(initials)}</nameVariant>')
        out.append(f'    <department ref="{DEPARTMENTS[n % len(DEPARTMENTS)]}"/>')
        out.append("  </person>")
    out.append("</registry>")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"make-load-registry: {len(DEPARTMENTS)} departments, {len(people)} people "
          f"({min(len(authors), len(people))} corpus authors), {len(patterns)} hospital affiliation patterns",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
