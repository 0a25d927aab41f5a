"""Makes the spreadsheets in this folder, as district offices make them. Run it again only to
change them: the tests read the committed files. python tests/data/make_files.py"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
HEADERS = ["姓名", "身份证号", "单位代码", "岗位", "一线职工", "农民工", "困难职工", "文化程度", "手机号码", "入会日期"]
CHAOYANG = "91110105MA01CY001A"
HAIDIAN = "91110108MA01HD001H"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(region: str, birth: str, sequence: int) -> str:
    first = f"{region}{birth}{sequence:03d}"
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, WEIGHTS)) % 11]


def roster_rows():
    return [
        ["王建国", id_number("110105", "19800102", 11), CHAOYANG, "焊工", "是", "否", "否", "高中/中专/技校", "13800138001", "2013-05-01"],
        [" 李秀英 ", id_number("110105", "19850315", 22), f" {CHAOYANG} ", "数控操作工", "是", "是", "否", "大专", "13800138002", "2013/5/1"],
        ["张伟", "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in id_number("110105", "19900720", 33)), CHAOYANG, "护工", "否", "是", "是", "初中", "", ""],
        ["刘洋", id_number("110108", "19920101", 44), HAIDIAN, "软件工程师", "否", "否", "否", "本科", "13800138004", "2015-07-01"],
        ["陈静", "1.10105E+17", CHAOYANG, "质检员", "是", "否", "否", "本科", "13800138005", "2016-01-01"],
        ["赵磊", id_number("110105", "19790230", 55)[:-1] + "0", CHAOYANG, "电工", "是", "否", "否", "本科", "13800138006", "2016-01-01"],
        ["孙丽", id_number("110105", "19880808", 66), CHAOYANG, "会计", "也许", "否", "否", "博士后", "12345", "2016-13-01"],
    ]


def write_csv(path: Path, encoding: str, title: bool = True) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if title:
        writer.writerow(["朝阳区职工花名册（2024年度）"] + [""] * 9)
    writer.writerow(HEADERS)
    writer.writerows(roster_rows())
    writer.writerow([""] * 10)
    writer.writerow([""] * 10)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(path: Path, numeric_id: bool = False) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["朝阳区职工花名册"])
    sheet.merge_cells("A1:J1")
    sheet.append(HEADERS)
    for row in roster_rows():
        sheet.append(row)
    # A real Excel date cell and a number cell where a careless office typed the ID number.
    sheet.append(["周明", id_number("110105", "19750505", 77), CHAOYANG, "钳工", "是", "否", "否", "本科", 13800138008, dt.datetime(2012, 3, 4)])
    sheet.cell(row=sheet.max_row, column=10).number_format = "yyyy-mm-dd"
    if numeric_id:
        sheet.append(["吴涛", 110105198001020000, CHAOYANG, "钳工", "是", "否", "否", "本科", "", ""])
    for _ in range(3):
        sheet.append([None] * 10)
    book.save(path)


def write_xls(path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    for c, header in enumerate(HEADERS):
        sheet.write(0, c, header)
    for r, row in enumerate(roster_rows()[:2], start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))


def write_zip_bomb(path: Path) -> None:
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    source = zipfile.ZipFile(base)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                body = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                bomb.writestr(item.filename, body + b" " * (400 * 1024 * 1024) + b"</sheetData></worksheet>")
            else:
                bomb.writestr(item, source.read(item.filename))


def write_patched_sheet(path: Path, patch) -> None:
    base = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    book.save(base)
    source = zipfile.ZipFile(base)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = patch(data)
            target.writestr(item, data)


def billion_laughs(data: bytes) -> bytes:
    dtd = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' \
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    if data.startswith(b"<?xml"):
        end = data.index(b"?>") + 2
        return data[:end] + dtd + data[end:]
    return b'<?xml version="1.0"?>' + dtd + data


def huge_range(data: bytes) -> bytes:
    import re

    patched, count = re.subn(rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:XFD1048576"/>', data)
    if not count:
        patched = re.sub(rb"(<worksheet[^>]*>)", rb'\1<dimension ref="A1:XFD1048576"/>', data, count=1)
    return patched


def main() -> None:
    write_csv(HERE / "workers_gb18030.csv", "gb18030")
    write_csv(HERE / "workers_utf8_bom.csv", "utf-8-sig", title=False)
    write_xlsx(HERE / "workers_title_row.xlsx")
    write_xlsx(HERE / "workers_numeric_id.xlsx", numeric_id=True)
    write_xls(HERE / "workers.xls")
    write_zip_bomb(HERE / "zip_bomb.xlsx")
    write_patched_sheet(HERE / "billion_laughs.xlsx", billion_laughs)
    write_patched_sheet(HERE / "huge_range.xlsx", huge_range)
    (HERE / "not_a_spreadsheet.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "wrong_headers.csv").write_bytes("名字,证件,单位\n张三,11010519491231002X,110105\n".encode("utf-8"))
    units = io.StringIO(newline="")
    writer = csv.writer(units, lineterminator="\n")
    writer.writerow(["单位名称", "统一社会信用代码", "上级单位代码", "行业代码", "单位类型", "职工人数"])
    writer.writerow(["北京朝阳建工集团有限公司工会", "91110105MA01CY002D", "110105", "47", "企业工会", "350"])
    writer.writerow(["朝阳建工第一分公司工会", "91110105MA01CY003G", "91110105MA01CY002D", "47", "企业工会", "80"])
    writer.writerow(["海淀某公司工会", "91110108MA01HD002L", "110108", "65", "企业工会", "50"])
    writer.writerow(["坏代码公司工会", "91110105MA01CY0040", "110105", "99", "合作社", "-3"])
    (HERE / "units.csv").write_bytes(units.getvalue().encode("utf-8"))
    training = io.StringIO(newline="")
    writer = csv.writer(training, lineterminator="\r\n")
    writer.writerow(["企业职工培训情况汇总表"] + [""] * 8)
    writer.writerow(["身份证号", "姓名", "课程编码", "培训项目名称", "培训类型", "学时", "完成日期", "成绩", "培训机构"])
    wang, li = roster_rows()[0][1], roster_rows()[1][1]
    writer.writerow([wang, "王建国", "", "数控车床操作提升班", "技能培训", "16", "2024/6/30", "合格", "北京市技师学院"])
    writer.writerow([wang, "王建国", "", "安全生产法规更新", "更新知识教育", "4.5", "2024-03-01", "优秀", "北京市职工大学"])
    writer.writerow([li, "李秀英", "", "护理技能", "技能培训", "８", "2024-05-05", "", ""])
    writer.writerow([li, "李四", "", "冒名顶替", "技能培训", "8", "2024-05-05", "", ""])
    writer.writerow([id_number("110108", "19920101", 44), "刘洋", "", "海淀职工", "技能培训", "8", "2024-05-05", "", ""])
    writer.writerow([wang, "王建国", "", "未来的培训", "技能培训", "8", "2099-01-01", "", ""])
    writer.writerow([wang, "王建国", "", "坏学时", "按摩", "-2", "2024-05-05", "", ""])
    (HERE / "training_gb18030.csv").write_bytes(training.getvalue().encode("gb18030"))


if __name__ == "__main__":
    main()
