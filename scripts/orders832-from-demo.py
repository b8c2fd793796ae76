#!/usr/bin/env python3
"""Writes an 832-platform order export from the demo's purchases, for the benchmark.

    scripts/orders832-from-demo.py DEMO_FOLDER [--rows N] [--xlsx N]

Reads DEMO_FOLDER/{regions,units,purchases}.csv (as `setaside demo --output` writes them)
and writes, from the same orders (reversal rows left out, as exports have none; every
order on the 832 platform's channel):
  orders832.csv            the export as clerks download it: UTF-8 with a byte-order mark,
                           a title row, Chinese headers, buyers by name, origins by their
                           full names, statuses and purposes as words, amounts with
                           thousands separators;
  orders832-purchases.csv  the same orders in setaside's own purchases format (the
                           benchmark's baseline);
  orders832.xlsx           with --xlsx N: the first N orders as a workbook (openpyxl,
                           write-only), for the streaming reader's memory.
--rows N takes the first N orders only.
"""
import argparse
import csv
import os
import sys

STATUS = {"completed": "交易成功", "pending": "待付款", "cancelled": "已取消", "refunded": "已退款"}
PURPOSE = {"canteenFood": "食堂", "unionWelfare": "工会福利", "unionFestival": "节日慰问", "packing": "包销"}
FESTIVAL = {"newYear": "元旦", "springFestival": "春节", "qingming": "清明", "labourDay": "劳动节",
            "dragonBoat": "端午", "midAutumn": "中秋", "nationalDay": "国庆"}
HEADER = ["订单编号", "下单时间", "采购单位", "店铺名称", "商品名称", "产地", "订单金额", "实付金额", "订单状态", "用途", "节日"]
OWN_HEADER = ["credit_code", "order_no", "order_date", "channel", "category", "origin_code", "amount", "status",
              "festival", "reversal_of", "supplier_name", "product"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--xlsx", type=int, default=0)
    args = parser.parse_args()

    def rows(name):
        with open(os.path.join(args.folder, name), newline="", encoding="utf-8-sig") as f:
            yield from csv.DictReader(f)

    regions = {r["code"]: r for r in rows("regions.csv")}

    def full_name(code):
        names = []
        while code:
            region = regions[code]
            names.append(region["name"])
            code = region["parent_code"]
        return "".join(reversed(names))

    paths = {code: full_name(code) for code in regions}
    units = {u["credit_code"]: u["name"] for u in rows("units.csv")}

    export_path = os.path.join(args.folder, "orders832.csv")
    own_path = os.path.join(args.folder, "orders832-purchases.csv")
    workbook = sheet = None
    if args.xlsx:
        from openpyxl import Workbook
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("订单")
        sheet.append(["832平台订单导出"])
        sheet.append(HEADER)
    count = 0
    with open(export_path, "w", newline="", encoding="utf-8-sig") as export, \
         open(own_path, "w", newline="", encoding="utf-8") as own:
        out = csv.writer(export, lineterminator="\r\n")
        mine = csv.writer(own, lineterminator="\n")
        out.writerow(["832平台订单导出"])
        out.writerow(HEADER)
        mine.writerow(OWN_HEADER)
        for p in rows("purchases.csv"):
            if p["reversal_of"]:
                continue
            count += 1
            if args.rows and count > args.rows:
                break
            yuan, _, fen = p["amount"].partition(".")
            amount = f"{int(yuan):,}.{(fen + '00')[:2]}"
            festival = FESTIVAL.get(p["festival"], p["festival"])
            time = f"{p['order_date']} {count % 24:02d}:{count % 60:02d}:00"
            row = [p["order_no"], time, units[p["credit_code"]], "示例合作社", "示例农产品", paths[p["origin_code"]],
                   amount, amount, STATUS[p["status"]], PURPOSE[p["category"]], festival]
            out.writerow(row)
            mine.writerow([p["credit_code"], p["order_no"], p["order_date"], "platform832", p["category"],
                           p["origin_code"], p["amount"], p["status"], p["festival"], "", "示例合作社", "示例农产品"])
            if sheet is not None and count <= args.xlsx:
                sheet.append(row)
    if workbook is not None:
        workbook.save(os.path.join(args.folder, "orders832.xlsx"))
    print(min(count, args.rows) if args.rows else count, "orders", file=sys.stderr)


if __name__ == "__main__":
    main()
