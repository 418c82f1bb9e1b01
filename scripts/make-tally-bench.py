#!/usr/bin/env python3
"""Writes the files of the tally import benchmark (scripts/bench-tallies.sh, docs/benchmark.md).

make-tally-bench.py --registry OUT.xml
    A registry XML file with a hospital, its two campuses and 14 surgical departments.
make-tally-bench.py --rows N --out OUT.csv
    A tally CSV of N rows: 616 series (14 departments x 11 procedures x 2 approaches x 2 campuses)
    of monthly counts, month after month as a theatre system exports them (every series for one
    month, then the next month), ending in December 2025 and going as far back as N rows need.
    Procedures are ids of Annals' built-in vocabulary; counts are 0-60, from a fixed seed.
"""
import argparse
import random
import sys

HOSPITAL = "hospital"
CAMPUSES = ["binjiang", "hubin"]
DEPARTMENTS = [
    "general-surgery", "oncology-surgery", "urology", "orthopaedics", "neurosurgery", "cardiac-surgery",
    "thoracic-surgery", "neonatal-surgery", "burns-plastic", "ent", "ophthalmology", "gynaecology",
    "hepatobiliary", "colorectal",
]
# 22 procedures of the built-in vocabulary; each department does 11 of them (so most procedures are
# done in several departments, and the overlap check compares series across departments).
PROCEDURES = [
    "appendectomy", "adhesiolysis", "anorectoplasty", "choledochal-cyst-excision", "splenectomy",
    "hirschsprung-pull-through", "inguinal-hernia-sac-high-ligation", "kasai-portoenterostomy",
    "liver-tumour-resection", "meckel-diverticulectomy", "neuroblastoma-resection", "kidney-tumour-resection",
    "ovarian-tumour-resection", "splenorrhaphy", "haemangioma-resection", "intestinal-obstruction-surgery",
    "partial-splenectomy", "mediastinal-tumour-resection", "pancreatic-tumour-resection",
    "germ-cell-tumour-resection", "lymphatic-malformation-resection", "body-surface-mass-excision",
]
APPROACHES = ["open", "laparoscopic"]


def series():
    out = []
    for d, department in enumerate(DEPARTMENTS):
        for p in range(11):
            procedure = PROCEDURES[(d * 3 + p) % len(PROCEDURES)]
            for approach in APPROACHES:
                for campus in CAMPUSES:
                    out.append((procedure, approach, department, campus))
    assert len(out) == 616 and len(set(out)) == 616
    return out


def write_registry(path):
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<registry xmlns="urn:annals:registry:1" version="1">\n')
        f.write(f'  <orgUnit id="{HOSPITAL}" kind="hospital">\n    <name>Benchmark Children\'s Hospital</name>\n')
        for campus in CAMPUSES:
            f.write(f'    <campus id="{campus}">\n      <name>{campus.title()} Campus</name>\n    </campus>\n')
        f.write("  </orgUnit>\n")
        for department in DEPARTMENTS:
            f.write(f'  <orgUnit id="{department}" kind="department" parent="{HOSPITAL}">\n')
            f.write(f"    <name>{department.replace('-', ' ').title()} Department</name>\n  </orgUnit>\n")
        f.write("</registry>\n")


def write_csv(path, rows):
    all_series = series()
    months = -(-rows // len(all_series))
    # The last month is 2025-12.
    first = 2025 * 12 + 11 - (months - 1)
    rng = random.Random(20261204)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("procedure,approach,department,campus,from,to,count\n")
        written = 0
        for m in range(months):
            year, month = divmod(first + m, 12)
            period = f"{year:04d}-{month + 1:02d}"
            lines = []
            for procedure, approach, department, campus in all_series:
                if written == rows:
                    break
                lines.append(f"{procedure},{approach},{department},{campus},{period},{period},{rng.randint(0, 60)}\n")
                written += 1
            f.write("".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registry", help="write the benchmark registry XML here")
    parser.add_argument("--rows", type=int, help="rows of the tally CSV")
    parser.add_argument("--out", help="write the tally CSV here")
    args = parser.parse_args()
    if args.registry:
        write_registry(args.registry)
    if args.rows is not None:
        if not args.out:
            parser.error("--rows needs --out")
        write_csv(args.out, args.rows)
    if not args.registry and args.rows is None:
        parser.error("nothing to do: give --registry and/or --rows with --out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
