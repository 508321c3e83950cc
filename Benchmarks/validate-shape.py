#!/usr/bin/env python3
"""The file shape of the validate benchmark, and the script a Python user would write to check it.

    validate-shape.py generate RECORDS OUT.csv [SEED]   16 columns; two phone columns in mixed international
                                                         forms, a birthday, an e-mail
    validate-shape.py check FILE.csv REGION             csv.reader + phonenumbers (the Python port of
                                                         libphonenumber) + e-mail and date checks; prints
                                                         {"records", "valid", "rejected", "seconds"} as JSON

A record is valid, as for hatif-import's validate with Benchmarks/validate-mapping.yml, when it has a
valid phone or a valid e-mail, and its birthday, when it has one, is a date.
"""
import csv
import datetime
import json
import random
import re
import sys
import time

FIRST = ["Maha", "Omar", "Aisha", "Liam", "Priya", "José", "Chloé", "Hans", "Yusuf", "Mei", "Noura", "Raj"]
LAST = ["Al-Harbi", "Smith", "Tanaka", "Silva", "Kowalski", "Dubois", "Khan", "Rossi", "Müller", "Chen"]
CITIES = ["Riyadh", "Jeddah", "Berlin", "Austin", "Lyon", "Osaka", "Mumbai", "Dubai", "Porto", "Cairo"]


def phone(rng):
    """One number in one of the forms real exports mix."""
    form = rng.randrange(10)
    if form == 0:
        return f"+1 ({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d} x{rng.randint(1, 999)}"
    if form == 1:
        return f"{rng.randint(201, 989)}.{rng.randint(200, 999)}.{rng.randint(0, 9999):04d}"
    if form == 2:
        return f"+49 30 {rng.randint(1000000, 9999999)}"
    if form == 3:
        return f"05{rng.randint(0, 99999999):08d}"
    if form == 4:
        return f"+9665{rng.randint(0, 99999999):08d}"
    if form == 5:
        return f"00966 5{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    if form == 6:
        return f"+44 20 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    if form == 7:
        return f"011 {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
    if form == 8:
        return f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    return ""


def generate(records, out, seed):
    rng = random.Random(seed)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "company", "title", "phone", "mobile", "email", "birthday",
                         "street", "city", "region", "postcode", "country", "notes", "created"])
        for number in range(records):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}.{last.lower()}.{number}@example.com" if rng.random() < 0.9 else ("not-an-email" if rng.random() < 0.5 else "")
            birthday = f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.8 else ("31/02/1990" if rng.random() < 0.1 else "")
            writer.writerow([number, first, last, f"{last} Trading", "Manager", phone(rng), phone(rng), email, birthday,
                             f"{rng.randint(1, 999)} King Road", rng.choice(CITIES), "", f"{rng.randint(10000, 99999)}",
                             "SA", "imported from the CRM", "2024-05-01T10:00:00Z"])


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check(path, region):
    import phonenumbers
    started = time.perf_counter()
    records = valid = 0
    with open(path, newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        at = {name: index for index, name in enumerate(header)}
        for row in rows:
            records += 1
            good_phone = False
            for column in ("phone", "mobile"):
                text = row[at[column]].strip()
                if not text:
                    continue
                try:
                    number = phonenumbers.parse(text, region)
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_valid_number(number):
                    phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                    phonenumbers.number_type(number)
                    good_phone = True
            email = row[at["email"]].strip().lower()
            good_email = bool(email) and EMAIL.match(email) is not None
            birthday = row[at["birthday"]].strip()
            good_date = True
            if birthday:
                try:
                    datetime.date.fromisoformat(birthday)
                except ValueError:
                    good_date = False
            if (good_phone or good_email) and good_date:
                valid += 1
    seconds = time.perf_counter() - started
    print(json.dumps({"records": records, "valid": valid, "rejected": records - valid, "seconds": seconds}))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    else:
        check(sys.argv[2], sys.argv[3])
