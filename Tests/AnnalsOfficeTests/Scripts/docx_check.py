#!/usr/bin/env python3
"""Reads a .docx with python-docx (an independent reader) and prints what DOCXTests checks, as JSON."""
import json, sys
import docx

d = docx.Document(sys.argv[1])
section = d.sections[0]
footer_xml = section.footer._element.xml if section.footer else ""
print(json.dumps({
    "headings1": [p.text for p in d.paragraphs if p.style.name == "Heading 1"],
    "headings2": [p.text for p in d.paragraphs if p.style.name == "Heading 2"],
    "title": [p.text for p in d.paragraphs if p.style.name == "Title"],
    "tables": [[[c.text for c in row.cells] for row in t.rows] for t in d.tables],
    "page_mm": [round(section.page_width.mm), round(section.page_height.mm)],
    "page_field": "PAGE" in footer_xml,
    "title_page": section.different_first_page_header_footer,
    "east_asian_font": d.styles["Normal"].element.xml.count("宋体") + d.styles.element.xml.count("宋体"),
    "heading_font": d.styles["Heading 1"].element.xml.count("黑体"),
}, ensure_ascii=False))
