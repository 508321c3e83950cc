#!/usr/bin/env python3
"""The parsers a user would reach for, timed on the same files as hatif-import's readers.

    peers.py csv FILE        Python's csv.reader (C-accelerated)
    peers.py xml FILE TAG    lxml.etree.iterparse (libxml2 underneath), clearing as it goes
    peers.py vobject FILE    vobject.readComponents
    peers.py minimal FILE    a minimal vCard parser: unfold, then split on ':' and ';'

Each prints one JSON line: records, seconds, records per second, peak RSS.
"""
import csv
import json
import resource
import sys
import time


def read_csv(path):
    count = 0
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for _row in reader:
            count += 1
    return count


def read_xml(path, tag):
    from lxml import etree

    count = 0
    for _event, element in etree.iterparse(path, events=("end",), tag=tag):
        fields = {}
        for key, value in element.attrib.items():
            fields["@" + key] = value
        for child in element.iter():
            if child is not element and child.text is not None:
                fields.setdefault(child.tag, []).append(child.text.strip())
        count += 1
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    return count


def read_vobject(path):
    import logging

    import vobject

    # vobject logs every line it cannot parse (quoted-printable folded across lines) and skips it.
    for name in ("vobject", "vobject.base"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    count = 0
    with open(path, encoding="utf-8") as handle:
        for card in vobject.readComponents(handle, ignoreUnreadable=True):
            for _child in card.getChildren():
                pass
            count += 1
    return count


def read_minimal(path):
    count = 0
    card = None

    def handle(line):
        nonlocal card, count
        name, _, value = line.partition(":")
        name, *params = name.split(";")
        name = name.upper()
        if name == "BEGIN":
            card = {}
        elif name == "END":
            count += 1
            card = None
        elif card is not None:
            card.setdefault(name, []).append((params, value))

    pending = None
    with open(path, encoding="utf-8", errors="replace", newline="") as source:
        for raw in source:
            line = raw.rstrip("\r\n")
            if line[:1] in (" ", "\t") and pending is not None:
                pending += line[1:]
                continue
            if pending is not None:
                handle(pending)
            pending = line
    if pending is not None:
        handle(pending)
    return count


def main():
    kind, path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    if kind == "csv":
        records = read_csv(path)
    elif kind == "xml":
        records = read_xml(path, sys.argv[3])
    elif kind == "vobject":
        records = read_vobject(path)
    else:
        records = read_minimal(path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peer": kind, "records": records, "seconds": round(seconds, 3),
                      "recordsPerSecond": int(records / seconds), "peakRSSMegabytes": round(peak, 1)}))


if __name__ == "__main__":
    main()
