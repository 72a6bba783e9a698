#!/usr/bin/env python3
"""Writes the seed corpus of the file-format fuzzers (fuzz/corpus/csv, fuzz/corpus/xlsx):
small real-looking files and the hostile shapes the readers must refuse. Run from the
repository root; the output is committed."""
import io, os, zipfile

CSV = "fuzz/corpus/csv"
XLSX = "fuzz/corpus/xlsx"
os.makedirs(CSV, exist_ok=True)
os.makedirs(XLSX, exist_ok=True)

def w(path, data):
    with open(path, "wb") as f:
        f.write(data)

rows = "公司名称,行业,行业排名,预算（元）,负责人,联系人,是否买单人,电话\r\n" \
       "华为技术（深圳）有限公司,通信,1,\"1,200,000\",rep1,任正非,是,'+86 138\r\n" \
       "\"多行\r\n备注\",零售,,50万,,,否,\r\n,,,,,,,\r\n"
w(f"{CSV}/utf8.csv", rows.encode())
w(f"{CSV}/utf8_bom.csv", b"\xef\xbb\xbf" + rows.encode())
w(f"{CSV}/gbk.csv", rows.replace("'+86", "+86").encode("gbk"))
w(f"{CSV}/utf16.csv", b"\xff\xfe" + rows.replace(",", "\t").encode("utf-16-le"))
w(f"{CSV}/semicolon_sep.csv", ("sep=;\r\n" + rows.replace(",", ";")).encode())
w(f"{CSV}/quotes.csv", b'a,"b ""q"" c","x\ny",\n"unterminated\n')
w(f"{CSV}/formulas.csv", "name,competitor\n'=1+2,=HYPERLINK(\"x\")\n@a,-b\n\t=c,''=d\n".encode())
w(f"{CSV}/cr_only.csv", b"a;b\r1;2\r3;4")

WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
SST = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">'
       '<si><t>公司名称</t></si><si><r><t>华为</t></r><r><t xml:space="preserve">技术 </t></r><rPh><t>x</t></rPh></si><si><t>a_x000D_b</t></si></sst>')
def sheet(rows):
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + rows + '</sheetData></worksheet>')
ROWS = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>行业排名</t></is></c></row>'
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>3</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c>'
        '<c r="E2" t="str"><f>1+1</f><v>2</v></c><c r="F2" t="s"><v>2</v></c></row>')

def xlsx(name, entries, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for n, data in entries:
            z.writestr(n, data)
    w(f"{XLSX}/{name}", buf.getvalue())

base = [("xl/workbook.xml", WB), ("xl/_rels/workbook.xml.rels", RELS), ("xl/sharedStrings.xml", SST), ("xl/worksheets/sheet1.xml", sheet(ROWS))]
xlsx("basic.xlsx", base)
xlsx("stored.xlsx", base, zipfile.ZIP_STORED)
xlsx("no_rels.xlsx", [("xl/workbook.xml", WB), ("xl/worksheets/sheet1.xml", sheet('<row><c t="inlineStr"><is><t>x</t></is></c></row>'))])
xlsx("doctype.xlsx", [("xl/workbook.xml", WB), ("xl/worksheets/sheet1.xml",
     '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>')])
xlsx("bomb.xlsx", [("xl/workbook.xml", WB), ("xl/worksheets/sheet1.xml", sheet('<row><c t="inlineStr"><is><t>' + "a" * 2000000 + '</t></is></c></row>'))])
xlsx("bad_index.xlsx", [("xl/workbook.xml", WB), ("xl/_rels/workbook.xml.rels", RELS), ("xl/sharedStrings.xml", SST),
                        ("xl/worksheets/sheet1.xml", sheet('<row><c t="s"><v>99</v></c><c r="A1"><v>1</v></c></row>'))])
good = open(f"{XLSX}/basic.xlsx", "rb").read()
w(f"{XLSX}/truncated.xlsx", good[: len(good) // 2])
