"""The next night's export: the same CSV with 1% of the records changed (a new first name) and 0.5% added
(copies of existing rows with a new phone and email), streamed so a million rows need little memory.

    python3 nightly-change.py IN.csv OUT.csv [SEED]     prints the changed and added counts as JSON
"""
import csv
import json
import random
import sys

source, target = sys.argv[1], sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
changed = added = 0
templates = []
with open(source, newline="", encoding="utf-8") as inp, open(target, "w", newline="", encoding="utf-8") as out:
    rows = csv.reader(inp)
    writer = csv.writer(out, lineterminator="\n")
    header = next(rows)
    writer.writerow(header)
    first, phone1, phone2, email = (header.index(name) for name in ("First Name", "Phone 1 - Value", "Phone 2 - Value", "E-mail 1 - Value"))
    for row in rows:
        if rng.random() < 0.01:
            row[first] = (row[first] or "Name") + " Changed"
            changed += 1
        if rng.random() < 0.005:
            templates.append(list(row))
        writer.writerow(row)
    for index, row in enumerate(templates):
        row[first] = f"Added{index}"
        row[phone1] = f"+966 58 {index // 10000 % 1000:03d} {index % 10000:04d}"
        row[phone2] = ""
        row[email] = f"nightly-added-{index}@example.org"
        writer.writerow(row)
        added += 1
print(json.dumps({"changed": changed, "added": added}))
