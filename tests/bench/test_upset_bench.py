"""The pieces of ``heard bench upset`` that need no real data: AUC, the held-out split, the
spreadsheet reader and the chat reader, on inputs written here."""

import zipfile
from pathlib import Path

import numpy as np

from heard.bench import real_sets
from heard.bench.upset_real import auc


def test_auc_orders_and_ties() -> None:
    assert auc(np.array([0.9, 0.8, 0.1, 0.2]), np.array([True, True, False, False])) == 1.0
    assert auc(np.array([0.1, 0.2, 0.9, 0.8]), np.array([True, True, False, False])) == 0.0
    assert auc(np.array([0.5, 0.5]), np.array([True, False])) == 0.5


def test_held_out_is_stable_and_about_a_quarter() -> None:
    keys = [f"row-{i}" for i in range(4000)]
    share = sum(map(real_sets.held_out, keys)) / len(keys)
    assert 0.22 < share < 0.28
    assert [real_sets.held_out(k) for k in keys[:50]] == [real_sets.held_out(k) for k in keys[:50]]


def test_read_xlsx_reads_shared_and_inline_strings(tmp_path: Path) -> None:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    shared = f"<sst {ns}><si><t>Text</t></si><si><t>Severity</t></si><si><t>late again</t></si></sst>"
    sheet = (
        f"<worksheet {ns}><sheetData>"
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="inlineStr"><is><t>Blame</t></is></c></row>'
        '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>3</v></c></row>'
        "</sheetData></worksheet>"
    )
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/sharedStrings.xml", shared)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    assert real_sets.read_xlsx(path) == [
        {"Text": "late again", "Severity": "Blame"},
        {"Text": "late again", "Severity": "3"},
    ]


def test_chats_keep_only_the_customer_turns(tmp_path: Path) -> None:
    folder = tmp_path / "tweetsumm"
    folder.mkdir()
    dialog = "1234: my order is late\nShopCo: Sorry, can you DM us?\n1234: done, still nothing"
    for split in ("train", "val", "test"):
        rows = ',dialog,summary\n0,"' + dialog + '",summary\n' if split == "val" else ",dialog,summary\n"
        (folder / f"twcs_{split}.csv").write_text(rows, "utf-8")
    chats = list(real_sets.tweetsumm_chats(tmp_path))
    assert [c.text for c in chats] == ["my order is late\ndone, still nothing"]
