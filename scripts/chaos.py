#!/usr/bin/env python3
"""The chaos test's input and its oracle, written apart from the importer so that the two cannot share
a mistake.

  chaos.py generate N SEED INPUT.csv WORKSPACE.json   the input (2% in-file duplicates) and a workspace
                                                      holding 10% of its people with other values
  chaos.py check INPUT.csv WORKSPACE.json EXPORT.json the expected end state, computed from the input
                                                      and the workspace alone, against the sandbox's
                                                      export: prints the figures, exits 1 on any gap
  chaos.py delays SEED COUNT LOW HIGH                 COUNT seeded kill delays in seconds
"""
import csv
import json
import random
import sys
import uuid

TIERS = ["Gold", "Silver", "Bronze"]
CITIES = ["Riyadh", "Jeddah", "Dubai", "Cairo", "الرياض", "Montréal", "São Paulo"]
FIRST = ["Sara", "Omar", "Noura", "Khalid", "Chloé", "محمد", "Aisha", "Raj", "Ana", "Li"]
LAST = ["Al-Harbi", "Haddad", "Dubois", "العتيبي", "Nguyen", "García", "O'Brien", "Smith"]


def e164(index):
    return "+9665" + f"{index:08d}"


def written(index, rng):
    """The phone as a person would have typed it; all of these mean e164(index)."""
    digits = f"{index:08d}"
    return rng.choice([
        "05" + digits,
        "+9665" + digits,
        "009665" + digits,
        "05" + digits[:2] + " " + digits[2:5] + " " + digits[5:],
        "+966 5" + digits[:2] + "-" + digits[2:5] + "-" + digits[5:],
    ])


def generate(count, seed, input_path, workspace_path):
    rng = random.Random(seed)
    rows = []
    people = []
    for index in range(count):
        person = {
            "first": rng.choice(FIRST), "last": rng.choice(LAST), "phone": index,
            "email": f"p{index}@example.com" if rng.random() < 0.8 else "",
            "tier": rng.choice(TIERS) if rng.random() < 0.6 else "",
            "city": rng.choice(CITIES) if rng.random() < 0.7 else "",
        }
        people.append(person)
        rows.append(person)
    # 2% in-file duplicates: a later row with an earlier row's phone, another name and maybe more values.
    for _ in range(count // 50):
        earlier = rng.choice(people)
        twin = {
            "first": "Twin", "last": rng.choice(LAST), "phone": earlier["phone"], "email": "",
            "tier": rng.choice(TIERS), "city": rng.choice(CITIES),
        }
        rows.insert(rng.randrange(rows.index(earlier) + 1, len(rows) + 1), twin)
    with open(input_path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["first", "last", "phone", "email", "tier", "city"])
        for row in rows:
            out.writerow([row["first"], row["last"], written(row["phone"], rng), row["email"], row["tier"], row["city"]])
    # 10% of the people already exist, with another last name, maybe another tier, a city of their own.
    properties = [
        {"Id": str(uuid.UUID(int=rng.getrandbits(128))), "Name": "tier", "DisplayName": "Tier", "Type": "SingleSelect",
         "Options": TIERS, "IsSystem": False, "CreationTime": "2026-01-01T00:00:00.000Z"},
        {"Id": str(uuid.UUID(int=rng.getrandbits(128))), "Name": "city", "DisplayName": "City", "Type": "Text",
         "Options": [], "IsSystem": False, "CreationTime": "2026-01-01T00:00:00.000Z"},
    ]
    ids = {p["Name"]: p["Id"] for p in properties}
    contacts = []
    for number, person in enumerate(rng.sample(people, count // 10)):
        values = [("tier", rng.choice(TIERS)), ("city", "Old " + rng.choice(CITIES))]
        contacts.append({
            "Id": str(uuid.UUID(int=rng.getrandbits(128))), "FirstName": person["first"], "LastName": "Before",
            "PhoneNumber": e164(person["phone"]), "Email": None,
            "Properties": [{"PropertyId": ids[name], "Name": name, "Value": value} for name, value in values],
            "CreationTime": f"2026-01-01T00:{number // 60 % 60:02d}:{number % 60:02d}.{number % 1000:03d}Z",
        })
    with open(workspace_path, "w", encoding="utf-8") as handle:
        json.dump({"Properties": properties, "Contacts": contacts}, handle, ensure_ascii=False)


def normalise(text):
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits.startswith("00966"):
        digits = digits[5:]
    elif digits.startswith("966"):
        digits = digits[3:]
    elif digits.startswith("0"):
        digits = digits[1:]
    return "+966" + digits


def expected_state(input_path, workspace_path):
    """Phone → expected fields. Of the rows with one phone the first wins; a field it leaves empty takes
    the workspace contact's value when there was one, else the first later row's value (later rows only
    fill what is still empty; the first row's values replace the contact's, --on-existing update)."""
    first, fills = {}, {}
    with open(input_path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            phone = normalise(row["phone"])
            values = {"FirstName": row["first"], "LastName": row["last"], "Email": row["email"].lower(),
                      "tier": row["tier"], "city": row["city"]}
            if phone not in first:
                first[phone] = values
                fills[phone] = {key: "" for key in values}
            else:
                for key, value in values.items():
                    if not fills[phone][key]:
                        fills[phone][key] = value
    existing = {}
    for contact in json.load(open(workspace_path, encoding="utf-8"))["Contacts"]:
        values = {"FirstName": contact.get("FirstName") or "", "LastName": contact.get("LastName") or "",
                  "Email": contact.get("Email") or ""}
        values.update({p["Name"]: p["Value"] for p in contact.get("Properties", [])})
        existing[contact.get("PhoneNumber")] = values
    expected = {}
    for phone in set(first) | set(existing):
        keys = ["FirstName", "LastName", "Email", "tier", "city"]
        layers = [first.get(phone, {}), existing.get(phone, {}), fills.get(phone, {})]
        expected[phone] = {key: next((layer[key] for layer in layers if layer.get(key)), "") for key in keys}
    return expected


def check(input_path, workspace_path, export_path):
    expected = expected_state(input_path, workspace_path)
    export = json.load(open(export_path, encoding="utf-8"))
    found = {}
    for contact in export["Contacts"]:
        found.setdefault(contact.get("PhoneNumber"), []).append(contact)
    duplicated = {phone: len(c) - 1 for phone, c in found.items() if len(c) > 1}
    missing = [phone for phone in expected if phone not in found]
    extra = [phone for phone in found if phone not in expected]
    wrong = []
    for phone, values in expected.items():
        for contact in found.get(phone, [])[:1]:
            actual = {"FirstName": contact.get("FirstName") or "", "LastName": contact.get("LastName") or "",
                      "Email": (contact.get("Email") or "").lower()}
            actual.update({p["Name"]: p["Value"] for p in contact.get("Properties", [])})
            for key, value in values.items():
                if (actual.get(key) or "") != value:
                    wrong.append((phone, key, value, actual.get(key)))
    print(f"contacts expected {len(expected)}, found {len(export['Contacts'])} ({len(found)} phones), "
          f"duplicated {sum(duplicated.values())}, missing {len(missing)}, unexpected {len(extra)}, "
          f"wrong values {len(wrong)}")
    for item in (missing[:3] + extra[:3] + wrong[:5]):
        print("  e.g.", item)
    return 0 if not (duplicated or missing or extra or wrong) else 1


def main(argv):
    if argv[1] == "generate":
        generate(int(argv[2]), int(argv[3]), argv[4], argv[5])
        return 0
    if argv[1] == "check":
        return check(argv[2], argv[3], argv[4])
    if argv[1] == "delays":
        rng = random.Random(int(argv[2]))
        print(" ".join(f"{rng.uniform(float(argv[4]), float(argv[5])):.2f}" for _ in range(int(argv[3]))))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
