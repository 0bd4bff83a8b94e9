"""Readers for the real customer-text sets in ``../shared/data`` and their held-out part.

Each reader yields ``Row(key, text, label)``; ``key`` is a stable id (the set's own id, or
the text when a set has none) so that :func:`held_out` puts the same rows aside on every run
and every machine: 1 in 4 by a CRC-32 of the key. Develop on the rest, report on both.
Only the standard library is used (the X-FINCORP spreadsheet is read as the zip of XML it is).
"""

from __future__ import annotations

import csv
import re
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

csv.field_size_limit(sys.maxsize)  # CFPB letters run to thousands of characters

# Severity of a complaint, least to most severe (Jin and Aletras, 2021; used by X-FINCORP and
# CESAMARD): no explicit reproach < disapproval < accusation < blame.
SEVERITY = {"no explicit reproach": 1, "disapproval": 2, "accusation": 3, "blame": 4}


class Row(NamedTuple):
    key: str
    text: str
    label: str


def held_out(key: str) -> bool:
    """True for the 1 in 4 rows kept aside (by a CRC-32 of the row's key)."""
    return zlib.crc32(key.encode("utf-8")) % 4 == 0


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


_XL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_xlsx(path: Path) -> list[dict[str, str]]:
    """The first sheet of an .xlsx file as dicts keyed by the header row."""
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_XL}si"):
                shared.append("".join(t.text or "" for t in si.iter(f"{_XL}t")))
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    table = []
    for row in sheet.iter(f"{_XL}row"):
        cells = {}
        for c in row.iter(f"{_XL}c"):
            column = re.match(r"[A-Z]+", c.get("r", "")).group()
            v = c.find(f"{_XL}v")
            if c.get("t") == "s":
                cells[column] = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                cells[column] = "".join(t.text or "" for t in c.iter(f"{_XL}t"))
            else:
                cells[column] = v.text if v is not None and v.text is not None else ""
        table.append(cells)
    header = table[0]
    return [{header[k].strip(): v for k, v in r.items() if k in header} for r in table[1:]]


def airline(data: Path) -> Iterator[Row]:
    """Airline tweets; label: negative, neutral or positive."""
    for r in _csv(data / "airline" / "Tweets_dev_half.csv"):
        yield Row(r["tweet_id"], r["text"], r["airline_sentiment"])


def xfincorp(data: Path) -> Iterator[Row]:
    """Finance complaint tweets; label: the severity name in lower case, or "non-complaint"."""
    for r in read_xlsx(data / "xfincorp" / "X-FINCORP.xlsx"):
        text = r.get("Complaint/ Opinion", "")
        if text.strip():
            yield Row(text, text, r.get("Severity level", "").strip().lower())


def amazon(data: Path) -> Iterator[Row]:
    """Product-review complaints; label: severity name in lower case, or "non-complaint"."""
    for r in _csv(data / "amazon_review_complaints" / "CESAMARD-Aspect_Dataset.csv"):
        text = " ".join(p for p in (r.get("Title", ""), r.get("Review_S", "")) if p and p.strip())
        if text:
            yield Row(text, text, r.get("Severity", "").strip().lower())


def wassa_anger(data: Path, split: str = "dev") -> Iterator[Row]:
    """WASSA-2017 anger tweets; label: the gold intensity 0..1 as text."""
    name = {"dev": "anger-ratings-0to1.dev.gold.txt", "train": "anger-ratings-0to1.train.txt"}[split]
    for line in (data / "wassa2017" / name).read_text("utf-8").splitlines():
        if line.strip():
            key, text, _, score = line.split("\t")
            yield Row(key, text.replace("\\n", "\n"), score)


def cfpb_letters(data: Path) -> Iterator[Row]:
    """Consumer-finance complaint letters (2015-16 and 2023); label: the product."""
    for i, r in enumerate(_csv(data / "cfpb" / "narratives_2015_2016" / "Consumer_Complaints.csv")):
        if r["Consumer complaint narrative"].strip():
            yield Row(f"n{i}", r["Consumer complaint narrative"], r["Product"])
    for path in sorted((data / "cfpb" / "payday_2023").glob("*.csv")):
        for r in _csv(path):
            if r["Consumer complaint narrative"].strip():
                yield Row(r["Complaint ID"], r["Consumer complaint narrative"], r["Product"])


_SPEAKER = re.compile(r"^([^:\n]{1,40}):\s", re.M)


def tweetsumm_chats(data: Path) -> Iterator[Row]:
    """The customer's side of each support dialogue, its turns joined as one would read a chat."""
    for split in ("train", "val", "test"):
        for r in _csv(data / "tweetsumm" / f"twcs_{split}.csv"):
            dialog = r["dialog"]
            marks = list(_SPEAKER.finditer(dialog))
            turns = [
                (m.group(1), dialog[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(dialog)])
                for i, m in enumerate(marks)
            ]
            customer = [t.strip() for who, t in turns if who.strip().isdigit()]
            if customer:
                yield Row(f"{split}{r.get('', '')}:{customer[0][:40]}", "\n".join(customer), "chat")


def twcs_inbound(data: Path) -> Iterator[Row]:
    """Customer tweets to brands (first rows of the corpus): inbound only."""
    for r in _csv(data / "twcs" / "twcs_first5000.csv"):
        if r["inbound"] == "True":
            yield Row(r["tweet_id"], r["text"], "tweet")
