#!/usr/bin/env python3
"""Reads back an xlsx that setaside wrote, for the tests, and prints it as JSON.

    read_workbook.py openpyxl FILE      every sheet through openpyxl: values (numbers as
                                        numbers), each numeric cell's format, the frozen
                                        pane, the autofilter and the column widths
    read_workbook.py libreoffice FILE   every sheet through LibreOffice (soffice --headless
                                        --convert-to csv, each sheet to its own file),
                                        numbers parsed back to numbers

Output: {"sheets": [{"name": ..., "rows": [[cell, ...], ...], ...}]}, trailing empty
cells and rows dropped, so that both readers can be compared cell by cell.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def trimmed(rows):
    rows = [list(row) for row in rows]
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def number(value):
    # A whole number as an int, so that 2024 and 2024.0 compare equal in JSON.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def by_openpyxl(path):
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheets = []
    for sheet in book.worksheets:
        rows, formats = [], {}
        for row in sheet.iter_rows():
            values = []
            for cell in row:
                value = cell.value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    value = number(value)
                    formats[cell.coordinate] = cell.number_format
                values.append(value)
            rows.append(values)
        widths = {key: dim.width for key, dim in sheet.column_dimensions.items() if dim.width}
        sheets.append({"name": sheet.title, "rows": trimmed(rows), "formats": formats,
                       "freeze": sheet.freeze_panes, "autofilter": sheet.auto_filter.ref, "widths": widths})
    return {"sheets": sheets}


def fields(text):
    """The rows of a CSV text as lists of (field, was it quoted)."""
    rows, row, field, quoted, index = [], [], "", False, 0
    in_quotes = False
    while index < len(text):
        char = text[index]
        if in_quotes:
            if char == '"' and text[index + 1:index + 2] == '"':
                field += '"'
                index += 1
            elif char == '"':
                in_quotes = False
            else:
                field += char
        elif char == '"':
            in_quotes, quoted = True, True
        elif char == ",":
            row.append((field, quoted))
            field, quoted = "", False
        elif char in "\r\n":
            if char == "\r" and text[index + 1:index + 2] == "\n":
                index += 1
            row.append((field, quoted))
            rows.append(row)
            row, field, quoted = [], "", False
        else:
            field += char
        index += 1
    if field or quoted or row:
        row.append((field, quoted))
        rows.append(row)
    return rows


def parsed(text, quoted):
    if quoted:
        return text
    if text == "":
        return None
    if NUMBER.match(text):
        return number(float(text)) if any(c in text for c in ".eE") else int(text)
    if text.endswith("%") and NUMBER.match(text[:-1]):
        return number(round(float(text[:-1]) / 100, 10))
    return text


def by_libreoffice(path):
    names = [sheet["name"] for sheet in by_openpyxl(path)["sheets"]]
    with tempfile.TemporaryDirectory() as folder:
        # Field separator 44 (,), text delimiter 34 ("), UTF-8 (76), from line 1, every
        # text cell quoted (7th token) so that a code stays text, the cells' values rather
        # than as shown (9th), every sheet (12th: -1). LibreOffice still writes a share
        # formatted as a percentage as `12.35%`: read back as 0.1235.
        options = "44,34,76,1,,0,true,true,false,false,false,-1"
        env = dict(os.environ, HOME=folder)
        subprocess.run(["soffice", "--headless", "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}",
                        "--outdir", folder, path], check=True, capture_output=True, env=env)
        stem = os.path.splitext(os.path.basename(path))[0]
        sheets = []
        for name in names:
            file = os.path.join(folder, f"{stem}-{name}.csv")
            if not os.path.exists(file):
                raise SystemExit(f"LibreOffice wrote no sheet {name}: {sorted(glob.glob(folder + '/*'))}")
            with open(file, encoding="utf-8", newline="") as handle:
                rows = [[parsed(text, quoted) for text, quoted in row] for row in fields(handle.read())]
            sheets.append({"name": name, "rows": trimmed(rows)})
    return {"sheets": sheets}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("openpyxl", "libreoffice"):
        raise SystemExit(__doc__)
    reader = by_openpyxl if sys.argv[1] == "openpyxl" else by_libreoffice
    json.dump(reader(sys.argv[2]), sys.stdout, ensure_ascii=False)
