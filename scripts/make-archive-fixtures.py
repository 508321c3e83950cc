#!/usr/bin/env python3
"""Writes the archive fixtures of Tests/EndToEndTests/Fixtures/archives/ from one table of contacts:

- contacts.csv                the CSV twin every other fixture is compared with;
- contacts-openpyxl.xlsx      written by openpyxl (pip install openpyxl): the mobile column stored as
                              numbers, the phone column as text (leading zeros), birthdays as dates,
                              empty cells, and a second sheet;
- contacts-libreoffice.xlsx   the same workbook opened and saved again by LibreOffice
                              (Debian's libreoffice-calc-nogui: soffice --headless --convert-to xlsx),
                              which writes shared strings, its own styles and date formats;
- export.zip                  the contacts split into three CSVs, plus a README.pdf that is skipped;
- contacts.csv.gz             the twin, gzipped.

The tests never run this: the files are committed. Run it again after changing the table.
"""
import csv, datetime, gzip, io, os, shutil, subprocess, sys, tempfile, zipfile

import openpyxl

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "EndToEndTests", "Fixtures", "archives")
HEADER = ["First name", "Last name", "Mobile", "Phone", "Email", "Birthday", "City"]
# Mobile: digits stored as a number in the workbooks; Phone: text with leading zeros or punctuation.
ROWS = [
    ["Layla", "الحربي", 966501234567, "0112345678", "layla@example.com", datetime.date(1990, 5, 17), "Riyadh"],
    ["محمد", "العتيبي", 966559876543, "+966 11 234 5679", "", datetime.date(1984, 12, 31), "جدة"],
    ["Omar", "Haddad", None, "0501112233", "omar.haddad@example.com", None, "Dammam"],
    ["Fatima", "Al-Zahrani", 966541234560, "", "fatima@example.org", datetime.date(2001, 2, 28), ""],
    ["نورة", "القحطاني", 966561112222, "0566667777", "", datetime.date(1975, 7, 4), "الرياض"],
    ["Khalid", "", 966531234599, "00966 50 999 8888", "khalid@example.net", datetime.date(1969, 1, 1), "Mecca"],
    ["Sara", "O'Neil", None, "", "sara.oneil@example.com", datetime.date(1999, 10, 10), "Medina"],
    ["Yousef", "Nasser", 966500000001, "0112223344", "", None, "Tabuk"],
    ["عبدالله", "الشهري", 966512345678, "0133334444", "abdullah@example.sa", datetime.date(1988, 3, 21), "Abha"],
    ["Mona", "Saleh", 966577778888, "+966-12-345-6789", "mona.saleh@example.com", datetime.date(1993, 8, 15), "Jeddah"],
    ["Hassan", "Ali", 966598765432, "", "", datetime.date(1960, 11, 30), ""],
    ["ريم", "الدوسري", None, "0550001111", "reem@example.com", datetime.date(2004, 6, 6), "الخبر"],
]


def text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([text(v) for v in row])
    return out.getvalue().encode("utf-8")


def main():
    os.makedirs(HERE, exist_ok=True)
    twin = csv_bytes(ROWS)
    open(os.path.join(HERE, "contacts.csv"), "wb").write(twin)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Contacts"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    for cell in sheet["F"][1:]:
        cell.number_format = "yyyy-mm-dd"
    notes = book.create_sheet("Notes")
    notes.append(["Exported", "Rows"])
    notes.append([datetime.date(2026, 11, 30), len(ROWS)])
    openpyxl_path = os.path.join(HERE, "contacts-openpyxl.xlsx")
    book.save(openpyxl_path)

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", folder, openpyxl_path], check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(folder, "contacts-openpyxl.xlsx"), os.path.join(HERE, "contacts-libreoffice.xlsx"))

    with zipfile.ZipFile(os.path.join(HERE, "export.zip"), "w", zipfile.ZIP_DEFLATED) as archive:
        for part, start in enumerate(range(0, len(ROWS), 4), 1):
            archive.writestr(f"Contact-{part}.csv", csv_bytes(ROWS[start:start + 4]))
        archive.writestr("README.pdf", b"%PDF-1.4 not contacts\n")

    with open(os.path.join(HERE, "contacts.csv.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="contacts.csv") as gz:
            gz.write(twin)


if __name__ == "__main__":
    sys.exit(main())
