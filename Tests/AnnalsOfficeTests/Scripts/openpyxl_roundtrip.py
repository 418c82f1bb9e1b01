#!/usr/bin/env python3
"""The independent side of the .xlsx round trip (OfficeRoundTripTests): openpyxl fills Annals' templates
as a research office would in Excel, and reads Annals' exports back.

    openpyxl_roundtrip.py fill KIND TEMPLATE.xlsx OUT.xlsx   # writes rows under the template's header
    openpyxl_roundtrip.py dump FILE.xlsx                      # prints every sheet as JSON
    openpyxl_roundtrip.py rows KIND                           # prints the rows `fill` writes, as JSON
"""
import datetime, json, sys
import openpyxl

D = datetime.date
# The rows a research office types, by the template's Chinese headers. Values as Excel keeps them:
# dates as dates, numbers as numbers, vocabularies as the drop-down list's words.
ROWS = {
    "people": [
        {"姓名": "李明", "职称": "主治医师", "学位": "博士", "导师": "硕士生导师", "科室": "普外科", "学术职称": "副教授"},
        {"姓名": "欧阳青", "姓（拼音）": "Ouyang", "名（拼音）": "Qing", "职称": "住院医师", "学位": "硕士", "科室": "肿瘤外科"},
    ],
    "projects": [
        {"项目名称": "胆道闭锁肝纤维化机制研究", "资助机构": "国家自然科学基金委员会", "项目类别": "面上项目", "级别": "国家级",
         "项目编号": "82170500", "负责人": "高志刚", "科室": "普外科", "开始日期": D(2022, 1, 1), "结束日期": D(2025, 12, 31),
         "经费": 550000, "状态": "在研"},
        {"项目名称": "儿童腹腔镜手术培训", "资助机构": "浙江省卫生健康委员会", "级别": "省级", "科室": "普外科、肿瘤外科",
         "开始日期": D(2023, 7, 1), "经费": 80000.5, "状态": "结题"},
    ],
    "papers": [
        {"题目": "Laparoscopic excision of choledochal cyst: 10 years", "期刊": "Journal of Pediatric Surgery", "ISSN": "0022-3468",
         "年份": 2024, "发表日期": D(2024, 3, 5), "卷": "59", "期": "3", "页码": "401-407", "DOI": "10.1016/j.jpedsurg.2023.10.001",
         "PMID": "38000001", "作者": "高志刚、李明", "通讯作者": "高志刚", "科室": "普外科", "类型": "论著"},
        {"题目": "腹腔镜胆总管囊肿切除术的疗效分析", "期刊": "中华小儿外科杂志", "年份": 2023, "作者": "李明、高志刚",
         "通讯作者": "高志刚", "科室": "普外科", "类型": "论著"},
    ],
    "patents": [
        {"专利类型": "实用新型", "专利名称": "一种小儿腹腔镜穿刺器", "申请号": "CN202320000001.1", "发明人": "高志刚、李明",
         "申请日期": D(2023, 2, 1), "授权日期": D(2023, 9, 1), "状态": "已授权", "科室": "普外科"},
    ],
    "awards": [
        {"奖项名称": "浙江省科学技术进步奖", "等级": "二等奖", "级别": "省级", "年份": 2023, "获奖人": "高志刚、李明", "科室": "普外科"},
    ],
    "staff": [
        {"科室": "普外科", "类别": "主任医师", "人数": 9, "统计日期": D(2025, 12, 31), "备注": "含返聘"},
        {"科室": "肿瘤外科", "类别": "博士", "人数": 6, "统计日期": D(2025, 12, 31)},
    ],
    "tallies": [
        {"术式": "肠粘连松解术", "入路": "腹腔镜", "科室": "普外科", "开始": D(2024, 1, 1), "结束": D(2024, 6, 30), "例数": 41,
         "来源": "手术室登记"},
        {"术式": "肠粘连松解术", "入路": "开放", "科室": "普外科", "开始": D(2024, 1, 1), "结束": D(2024, 6, 30), "例数": 7},
    ],
}


def fill(kind, template, out):
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    headers = {cell.value: cell.column for cell in ws[1] if cell.value}
    for r, row in enumerate(ROWS[kind], start=2):
        for header, value in row.items():
            if header not in headers:
                sys.exit(f"the template has no column {header!r}; it has {list(headers)}")
            cell = ws.cell(row=r, column=headers[header], value=value)
            if isinstance(value, D):
                cell.number_format = "yyyy-mm-dd"
    wb.save(out)


def plain(value):
    if isinstance(value, (datetime.datetime, D)):
        return value.strftime("%Y-%m-%d")
    return value


def dump(path):
    wb = openpyxl.load_workbook(path)
    result = {}
    for ws in wb.worksheets:
        rows = [[plain(c.value) for c in row] for row in ws.iter_rows()]
        result[ws.title] = {"rows": rows, "freeze": ws.freeze_panes, "autofilter": ws.auto_filter.ref,
                            "hidden": ws.sheet_state != "visible",
                            "validations": sorted(str(v.sqref) for v in ws.data_validations.dataValidation),
                            "number_formats": [[c.number_format for c in row] for row in ws.iter_rows(min_row=2, max_row=2)],
                            "widths": {k: v.width for k, v in ws.column_dimensions.items()}}
    print(json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "fill":
        fill(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "dump":
        dump(sys.argv[2])
    elif command == "rows":
        print(json.dumps(ROWS[sys.argv[2]], ensure_ascii=False, default=plain))
