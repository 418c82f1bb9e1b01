#!/usr/bin/env python3
"""Writes the spreadsheet fixtures of AnnalsOfficeTests that Annals does not get from public sources.

Run from this folder with Debian's python3-openpyxl and LibreOffice (soffice) installed:
    /usr/bin/python3 make-fixtures.py
The outputs are committed; this script says how each was made (see README.md).
"""
import datetime, os, shutil, subprocess, tempfile, zipfile
import openpyxl
from openpyxl.styles import Font
from openpyxl.utils.datetime import CALENDAR_MAC_1904

here = os.path.dirname(os.path.abspath(__file__))
out = lambda name: os.path.join(here, name)

# 1. openpyxl: a paper list as a research office keeps it: a merged title row, a two-row header whose
#    first cell is merged down, rich text, Chinese dates in a custom format, empty rows, a second sheet.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "2024年SCI论文"
ws["A1"] = "2024年度SCI论文统计表"
ws.merge_cells("A1:E1")
ws["A2"] = "序号"
ws.merge_cells("A2:A3")
ws["B2"] = "论文信息"
ws.merge_cells("B2:C2")
ws["B3"] = "题目"
ws["C3"] = "发表日期"
ws["D2"] = "影响因子"
ws.merge_cells("D2:D3")
ws["E2"] = "SCI"
ws.merge_cells("E2:E3")
rows = [
    (1, "Laparoscopic excision of choledochal cyst in infants", datetime.date(2024, 3, 5), 3.2, True),
    (2, "腹腔镜胆总管囊肿切除术的疗效", datetime.date(2024, 12, 31), 2.875, False),
]
r = 4
for row in rows:
    for c, v in enumerate(row, start=1):
        ws.cell(row=r, column=c, value=v)
    ws.cell(row=r, column=3).number_format = 'yyyy"年"m"月"d"日"'
    r += 2  # an empty row between
ws2 = wb.create_sheet("说明")
ws2["A1"] = "空行与公式"
ws2["A3"] = 42
ws2["A4"] = datetime.date(1900, 3, 1)
ws2["A4"].number_format = "mm-dd-yy"  # built-in 14
ws2["A5"] = datetime.date(2025, 1, 2)
ws2["A5"].number_format = "d-mmm-yy"  # built-in 15
wb.save(out("openpyxl-papers.xlsx"))

# 2. openpyxl: the 1904 date system.
wb = openpyxl.Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.title = "Dates1904"
ws["A1"] = "date"
ws["A2"] = datetime.date(2024, 2, 29)
ws["A2"].number_format = "yyyy-mm-dd"
ws["A3"] = 1
wb.save(out("openpyxl-1904.xlsx"))

# 3. Chinese Excel's built-in date formats (27–36, 50–58) are not in openpyxl's table: this copies
#    openpyxl's output and points two cell styles at numFmtId 31 (yyyy"年"m"月"d"日") and 57 (yyyy"年"m"月"),
#    as Excel in Chinese writes them, without a <numFmt> of its own.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "中文日期"
ws["A1"] = "开始日期"
ws["A2"] = datetime.date(2023, 7, 1)
ws["A2"].number_format = "yyyy/m/d;@"  # becomes 31 below
ws["A3"] = datetime.date(2023, 8, 1)
ws["A3"].number_format = "yyyy/m;@"  # becomes 57 below
ws["A4"] = 45000
tmp = out("openpyxl-cjk-dates.tmp.xlsx")
wb.save(tmp)
with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(out("excel-cjk-builtin-dates.xlsx"), "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "xl/styles.xml":
            s = data.decode()
            import re
            ids = re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', s)
            for fid, code in ids:
                new = "31" if code.startswith("yyyy/m/d") else "57"
                s = s.replace(f'numFmtId="{fid}"', f'numFmtId="{new}"')
            s = re.sub(r"<numFmts[^>]*>.*?</numFmts>", "", s)
            data = s.encode()
        zout.writestr(item, data)
os.remove(tmp)

# 4. LibreOffice Calc: formulas with cached values, a date, a boolean, an error value, inline text
#    with a leading apostrophe-worthy '=' text, from a flat ODS written here.
fods = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="D1"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
  <style:style style:name="ce1" style:family="table-cell" style:data-style-name="D1"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  <table:table table:name="手术例数">
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>术式</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>开始</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>例数</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>合计</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>备注</text:p></table:table-cell>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>胆总管囊肿切除术</text:p></table:table-cell>
    <table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="2024-01-01"><text:p>2024-01-01</text:p></table:table-cell>
    <table:table-cell office:value-type="float" office:value="12"><text:p>12</text:p></table:table-cell>
    <table:table-cell table:formula="of:=[.C2]*2+0.5" office:value-type="float" office:value="24.5"><text:p>24.5</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>=HYPERLINK("x")</text:p></table:table-cell>
   </table:table-row>
   <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
   <table:table-row>
    <table:table-cell table:formula="of:=CONCATENATE(&quot;腹腔镜&quot;;&quot;手术&quot;)" office:value-type="string" office:string-value="腹腔镜手术"><text:p>腹腔镜手术</text:p></table:table-cell>
    <table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>
    <table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0"><text:p>#DIV/0!</text:p></table:table-cell>
    <table:table-cell table:formula="of:=SUM([.C2:.C2])" office:value-type="float" office:value="12"><text:p>12</text:p></table:table-cell>
   </table:table-row>
  </table:table>
 </office:spreadsheet></office:body></office:document>
"""
work = tempfile.mkdtemp()
with open(os.path.join(work, "libreoffice-tallies.fods"), "w") as f:
    f.write(fods)
subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", work, os.path.join(work, "libreoffice-tallies.fods")], check=True, capture_output=True)
shutil.copy(os.path.join(work, "libreoffice-tallies.xlsx"), out("libreoffice-tallies.xlsx"))
# The same sheet saved as an old Excel 97–2003 file, which Annals refuses.
subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", work, os.path.join(work, "libreoffice-tallies.fods")], check=True, capture_output=True)
shutil.copy(os.path.join(work, "libreoffice-tallies.xls"), out("libreoffice-old-format.xls"))
shutil.rmtree(work)

# 5. A ZIP bomb in small: a sheet part of 4 MB of spaces, which deflates about a thousand times.
with zipfile.ZipFile(out("zip-bomb.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr("xl/worksheets/sheet1.xml", " " * (4 << 20))

# 6. Not a workbook: a CSV renamed to .xlsx.
with open(out("renamed-csv.xlsx"), "w") as f:
    f.write("术式,例数\n胆总管囊肿切除术,3\n")

# 7. A part that lies about its size: openpyxl-1904.xlsx with 300 KB of comment in its sheet, whose local and
#    central headers then declare 1,000 bytes. Extraction must stop at the declared size.
import io, struct
buf = io.BytesIO()
with zipfile.ZipFile(out("openpyxl-1904.xlsx")) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "xl/worksheets/sheet1.xml":
            data = data.replace(b"</worksheet>", b"<!--" + b" " * 300000 + b"--></worksheet>")
        zout.writestr(item.filename, data)
b = bytearray(buf.getvalue())
name = b"xl/worksheets/sheet1.xml"
for signature, size_at, name_length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
    i = 0
    while (i := b.find(signature, i)) >= 0:
        n = struct.unpack("<H", b[i + name_length_at:i + name_length_at + 2])[0]
        if b[i + name_at:i + name_at + n] == name:
            struct.pack_into("<I", b, i + size_at, 1000)
        i += 4
with open(out("lying-size.xlsx"), "wb") as f:
    f.write(b)
