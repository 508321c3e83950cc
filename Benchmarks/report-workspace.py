#!/usr/bin/env python3
"""The workspace for the 1,000,000-record report benchmark, made from a dry run's plan.jsonl against an
empty workspace: of the records that plan creates, 67.2% already exist with the same values (unchanged),
16.4% exist with another first name (and no e-mail, when they have a phone: updates), and 16.4% do not exist (creates), so that
about 30% of the records are creates and updates.

    report-workspace.py PLAN.jsonl WORKSPACE.json
"""
import json
import sys
import uuid

plan_path, workspace_path = sys.argv[1], sys.argv[2]
tier = {"Id": "7f3c6a52-0d7e-4a8e-9b1e-5a0c2d4e6f81", "Name": "loyalty_tier", "DisplayName": "Loyalty tier",
        "Type": "SingleSelect", "Options": ["Gold", "Silver"], "IsSystem": False, "CreationTime": "2026-01-01T00:00:00.000Z"}
contacts = []
creates = 0
with open(plan_path, encoding="utf-8") as plan:
    for line in plan:
        entry = json.loads(line)
        if entry["action"] != "create":
            continue
        creates += 1
        bucket = (creates * 7919) % 1000  # spread evenly through the file
        if bucket >= 836:
            continue
        values = {change["field"]: change["new"] for change in entry.get("changes", [])}
        contact = {
            "Id": str(uuid.UUID(int=creates)),
            "FirstName": values.get("FirstName"), "LastName": values.get("LastName"),
            "PhoneNumber": values.get("PhoneNumber"), "Email": values.get("Email"),
            "Properties": [], "CreationTime": f"2025-01-01T00:00:00.{creates % 1000:03d}Z",
        }
        if "property:loyalty_tier" in values:
            contact["Properties"] = [{"PropertyId": tier["Id"], "Name": "loyalty_tier", "Value": values["property:loyalty_tier"]}]
        if bucket >= 672:
            contact["FirstName"] = "Was " + (contact["FirstName"] or "")
            if contact["PhoneNumber"]:
                contact["Email"] = None
        contacts.append(contact)
with open(workspace_path, "w", encoding="utf-8") as out:
    json.dump({"Properties": [tier], "Contacts": contacts}, out, ensure_ascii=False)
print(f"{len(contacts):,} contacts written for {creates:,} planned creates", file=sys.stderr)
