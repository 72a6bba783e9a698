#!/usr/bin/env python3
"""Generates a real-looking customer list as Chinese Excel or WPS saves it with
"CSV (逗号分隔)": GBK, CRLF, Chinese headers, quoted fields holding commas,
quotes and newlines, budgets written the ways people write them (500000,
"1,200,000", 50万, ¥800000), company names spelled two ways
（北京）/(北京), 有限责任公司/有限公司), a second row for a company's second
contact with the company cells left empty, an exact duplicate row now and then,
one blank row, cells a spreadsheet would take for formulas (=1+2, +86 phones,
@竞品), and a known set of bad rows. Deterministic for a seed.

With --expect FILE it also writes what an import into an organisation with no
companies must report: rows, blank_rows, created, updated, unchanged, rejected,
the rejected row numbers (as Excel numbers them: the header is row 1), and the
companies and contacts that must exist afterwards.

  gen_companies.py --rows 10000 --out companies.csv --owners rep1,rep2 --expect expect.json
  gen_companies.py --rows 1000000 --out big.csv --encoding utf-8 --bad-every 0 --dup-every 0 --second-every 0
"""
import argparse, json, random, sys

CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安", "重庆", "天津", "长沙", "郑州",
          "青岛", "宁波", "厦门", "合肥", "济南", "福州", "东莞", "佛山", "无锡", "昆明", "大连", "沈阳", "哈尔滨", "石家庄",
          "南昌", "贵阳", "南宁", "太原", "兰州", "海口", "珠海", "温州", "常州", "烟台", "泉州", "绍兴"]
BRAND = list("华盛达通恒信泰安瑞祥鑫源宏博创新兴隆嘉禾中天海金鼎云峰宇航明辉正德长城东方远景启明星光美佳和润丰汇智联众合力"
             "腾飞卓越新晨易达优品百川万象同心永安富康凯旋骏马天成")
INDUSTRIES = {
    "制造": ["精密机械", "智能装备", "电子科技", "新材料", "机电设备", "精密制造"],
    "零售": ["商贸", "百货", "贸易", "超市连锁", "电子商务", "商业连锁"],
    "互联网": ["网络科技", "信息技术", "数字科技", "软件", "云计算科技"],
    "餐饮": ["餐饮管理", "餐饮连锁", "食品", "酒店管理"],
    "教育": ["教育科技", "培训学校", "文化传播", "教育咨询"],
    "医疗": ["医疗器械", "医药", "生物科技", "健康管理"],
    "物流": ["物流", "供应链管理", "货运代理", "仓储服务"],
    "房地产": ["房地产开发", "置业", "物业服务", "商业管理"],
    "金融": ["投资管理", "融资租赁", "保险代理", "资产管理"],
    "汽车": ["汽车销售服务", "汽车零部件", "新能源汽车科技", "汽车服务"],
}
SUFFIX = ["有限公司", "有限公司", "有限责任公司", "股份有限公司"]
SOURCES = ["广告", "转介绍", "竞品客户", "展会", "陌拜", "官网", "电话营销"]
COMPETITORS = ["", "", "", "纷享销客", "销售易", "Salesforce", "钉钉CRM", "用友", "金蝶", "=1+2", "@竞品群", "+友商A", "-无-"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰建国文辉鹏飞宇浩然思雨欣怡子涵梓轩博文")
TITLES = ["总经理", "采购经理", "IT总监", "财务总监", "运营总监", "行政主管", "董事长", "副总经理", "销售总监", "信息部经理"]
# DISC animal names people write; the import maps them to the one style vocabulary (SPEC §3).
STYLES = ["老虎型", "孔雀型", "考拉型", "猫头鹰型", "分析型"]
HEADER = ["公司名称", "行业", "行业排名", "地区", "预算（元）", "来源", "竞品", "负责人", "联系人", "职务", "是否买单人",
          "领导风格", "电话", "备注"]
NOTES = ["", "", "", "老客户推荐，重点跟进", '客户说"下个月再谈"', "去年在展会上聊过\n对价格敏感", "=HYPERLINK(\"http://x.cn\",\"官网\")",
         "决策链长，需要见到老板", "已加微信；约了周三"]


def company_key(name):
    """names::company_key (src/domain/names.h, SPEC §3 撞单) for the names generated here: width
    and case folded, spaces and punctuation removed, the long legal forms read as 有限公司 and a
    trailing 有限公司 dropped (English forms never occur in these names)."""
    out = []
    for ch in name:
        cp = ord(ch)
        if 0xFF01 <= cp <= 0xFF5E:
            ch = chr(cp - 0xFEE0)
            cp = ord(ch)
        if cp < 0x80:
            if ch.isalnum():
                out.append(ch.lower())
            continue
        if (0x80 <= cp <= 0xBF or cp in (0xD7, 0xF7) or 0x2000 <= cp <= 0x206F or 0x3000 <= cp <= 0x303F or cp == 0x30FB
                or 0xFE10 <= cp <= 0xFE1F or 0xFE30 <= cp <= 0xFE6F or 0xFF5F <= cp <= 0xFF65 or cp == 0xFEFF):
            continue
        out.append(ch)
    k = "".join(out).replace("有限责任公司", "有限公司").replace("股份有限公司", "有限公司")
    if k.endswith("有限公司") and len(k) > 4:
        k = k[:-4]
    return k


def variant(name):
    """The same company as someone else typed it."""
    if "（" in name:
        return name.replace("（", "(").replace("）", ")")
    if name.endswith("有限责任公司"):
        return name[:-6] + "有限公司"
    if name.endswith("有限公司"):
        return name[:-4] + "有限责任公司"
    return name + " "


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10000, help="data rows (the blank row not counted)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--encoding", default="gbk", choices=["gbk", "gb18030", "utf-8", "utf-8-sig"])
    ap.add_argument("--delimiter", default=",")
    ap.add_argument("--owners", default="", help="usernames for the 负责人 column (empty: leave it empty)")
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--expect", help="write the expected import report here (JSON)")
    ap.add_argument("--bad-every", type=int, default=97, help="one bad row every N rows (0: none)")
    ap.add_argument("--dup-every", type=int, default=211, help="an exact duplicate row every N companies (0: none)")
    ap.add_argument("--second-every", type=int, default=9, help="a second contact every N companies (0: none)")
    ap.add_argument("--no-blank", action="store_true", help="no blank row")
    ap.add_argument("--no-contacts", action="store_true", help="company columns only (no contact, notes)")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    owners = [o for o in a.owners.split(",") if o]
    seen = set()
    industries = list(INDUSTRIES)

    def new_name():
        while True:
            ind = rnd.choice(industries)
            city = rnd.choice(CITIES)
            brand = rnd.choice(BRAND) + rnd.choice(BRAND)
            word = rnd.choice(INDUSTRIES[ind])
            if rnd.random() < 0.15:
                name = f"{brand}{word}（{city}）{rnd.choice(SUFFIX)}"
            else:
                name = f"{city}{brand}{word}{rnd.choice(SUFFIX)}"
            k = company_key(name)
            if k not in seen:
                seen.add(k)
                return name, ind

    def person(exclude=""):
        while True:
            n = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.6 else "")
            if n != exclude:
                return n

    def budget():
        y = rnd.choice([5, 8, 10, 12, 20, 30, 50, 80, 120, 200]) * 10000
        form = rnd.random()
        if form < 0.5:
            return str(y), y * 100
        if form < 0.7:
            return f"{y:,}", y * 100
        if form < 0.85:
            return f"{y // 10000}万", y * 100
        if form < 0.93:
            return f"￥{y}", y * 100
        return f"{y}.50", y * 100 + 50

    def phone():
        r = rnd.random()
        if r < 0.8:
            return "1" + rnd.choice("3589") + "".join(rnd.choice("0123456789") for _ in range(9))
        if r < 0.9:
            return "+86 1" + rnd.choice("3589") + "".join(rnd.choice("0123456789") for _ in range(9))
        return "0755-" + "".join(rnd.choice("0123456789") for _ in range(8))

    out = []  # records, as lists of cells (header first)
    out.append(HEADER)
    exp = {"rows": 0, "blank_rows": 0, "created": 0, "updated": 0, "unchanged": 0, "rejected": 0,
           "rejected_rows": [], "companies": 0, "contacts": 0}
    bad_kind = 0
    blank_at = a.rows // 2 if not a.no_blank and a.rows > 10 else -1
    companies = 0
    while exp["rows"] < a.rows:
        if len(out) - 1 == blank_at:
            out.append([""] * len(HEADER))
            exp["blank_rows"] += 1
            continue
        row_no = len(out) + 1  # Excel's row number of the record about to be added
        if a.bad_every and exp["rows"] % a.bad_every == a.bad_every - 1:
            name, ind = new_name()
            b, _ = budget()
            cells = [name, ind, str(rnd.randint(1, 50)), rnd.choice(CITIES), b, rnd.choice(SOURCES), "",
                     rnd.choice(owners) if owners else "", person(), rnd.choice(TITLES), "是", rnd.choice(STYLES), phone(), ""]
            kind = bad_kind % 6
            bad_kind += 1
            if kind == 0:
                cells[2] = "前十"          # rank not a number
            elif kind == 1:
                cells[4] = "面议"          # budget not an amount
            elif kind == 2:
                cells[10] = "不确定"       # payer not yes/no
            elif kind == 3:
                cells[0] = ""              # no company name
            elif kind == 4:
                cells[7] = "离职员工"       # no such user
            else:
                cells[8] = ""              # contact details without a contact name
            out.append(cells)
            exp["rows"] += 1
            exp["rejected"] += 1
            exp["rejected_rows"].append(row_no)
            continue
        name, ind = new_name()
        b, _ = budget()
        contact = person()
        cells = [name, ind, str(rnd.randint(1, 200)), rnd.choice(CITIES), b, rnd.choice(SOURCES), rnd.choice(COMPETITORS),
                 rnd.choice(owners) if owners else "", contact, rnd.choice(TITLES), rnd.choice(["是", "否", "否"]),
                 rnd.choice(STYLES), phone(), rnd.choice(NOTES)]
        out.append(cells)
        exp["rows"] += 1
        exp["created"] += 1
        exp["companies"] += 1
        exp["contacts"] += 1
        companies += 1
        if a.dup_every and companies % a.dup_every == 0 and exp["rows"] < a.rows:
            out.append(list(cells))  # the same row pasted twice
            exp["rows"] += 1
            exp["unchanged"] += 1
        if a.second_every and companies % a.second_every == 0 and exp["rows"] < a.rows:
            # the second contact, company cells left empty as people do under a merged cell
            second = [variant(name), "", "", "", "", "", "", "", person(contact), rnd.choice(TITLES),
                      rnd.choice(["是", "否"]), rnd.choice(STYLES), phone(), ""]
            out.append(second)
            exp["rows"] += 1
            exp["updated"] += 1
            exp["contacts"] += 1

    if a.no_contacts:
        out = [rec[:8] for rec in out]
        exp["contacts"] = 0
    d = a.delimiter
    def field(s):
        if any(c in s for c in (d, '"', "\n", "\r")):
            return '"' + s.replace('"', '""') + '"'
        return s
    text = "".join(d.join(field(c) for c in rec) + "\r\n" for rec in out)
    with open(a.out, "wb") as f:
        f.write(text.encode(a.encoding))
    if a.expect:
        with open(a.expect, "w", encoding="utf-8") as f:
            json.dump(exp, f, ensure_ascii=False, indent=1)
    print(f"{a.out}: {exp['rows']} rows ({exp['created']} companies, {exp['updated']} second contacts, "
          f"{exp['unchanged']} duplicates, {exp['rejected']} bad rows), {a.encoding}", file=sys.stderr)


if __name__ == "__main__":
    main()
