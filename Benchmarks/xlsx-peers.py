#!/usr/bin/env python3
"""The peers of the XLSX benchmark, and the workbook it reads.

    xlsx-peers.py write CSV XLSX      the CSV's rows as a workbook written by openpyxl (write_only): the id
                                      and score as numbers, birthdays as dates, the rest as text
    xlsx-peers.py openpyxl XLSX       reads every row with openpyxl (read_only=True), prints JSON
    xlsx-peers.py fastexcel XLSX      reads the first sheet with fastexcel (Rust calamine), prints JSON
"""
import csv, datetime, json, resource, sys, time


def report(records, seconds):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"records": records, "seconds": round(seconds, 3), "recordsPerSecond": int(records / seconds),
                      "peakRSSMegabytes": round(peak, 1)}))


def write(source, target):
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    with open(source, newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        sheet.append(header)
        numbers = {header.index(name) for name in ("id", "score") if name in header}
        dates = {header.index("birthday")} if "birthday" in header else set()
        for row in rows:
            values = []
            for index, value in enumerate(row):
                if value == "":
                    values.append(None)
                elif index in numbers:
                    values.append(float(value) if "." in value else int(value))
                elif index in dates:
                    values.append(datetime.date.fromisoformat(value))
                else:
                    values.append(value)
            sheet.append(values)
    book.save(target)


def read_openpyxl(path):
    import openpyxl
    start = time.perf_counter()
    book = openpyxl.load_workbook(path, read_only=True)
    records = 0
    touched = 0
    for row in book.worksheets[0].iter_rows(min_row=2, values_only=True):
        records += 1
        touched += sum(1 for value in row if value is not None)
    report(records, time.perf_counter() - start)


def read_fastexcel(path):
    import fastexcel
    start = time.perf_counter()
    sheet = fastexcel.read_excel(path).load_sheet(0)
    table = sheet.to_arrow()
    report(table.num_rows, time.perf_counter() - start)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"write": write, "openpyxl": read_openpyxl, "fastexcel": read_fastexcel}[command](*arguments)
