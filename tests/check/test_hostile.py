"""Hostile input to `check` and `class`: workbooks that are not quite workbooks, write-ups that are not
quite text, CSV targets and class folders that are not what they seem. Each is one clear line (a
verdict, or an error and exit 2), never a traceback, a hang or a file of the user's touched."""

import re
import zipfile
from pathlib import Path

import pytest

from sheetgen import cli
from sheetgen.check import run as check_run


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    """A small workbook with cached results: checked without any engine."""
    path = tmp_path_factory.mktemp("base") / "base.xlsx"
    assert cli.main(["build", "-q", "--iterations", "3", "--lr", "0.1", "-o", str(path)]) == 0
    return path


def mutate(src: Path, dst: Path, changes: dict, method=zipfile.ZIP_DEFLATED) -> Path:
    """A copy of a workbook with some parts changed: name -> bytes, a function of the old bytes, or
    None to leave the part out."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", method) as zout:
        names = zin.namelist()
        for name in names:
            change = changes.get(name, lambda data: data)
            data = change(zin.read(name)) if callable(change) else change
            if data is not None:
                zout.writestr(name, data)
        for name, data in changes.items():
            if name not in names and not callable(data) and data is not None:
                zout.writestr(name, data)
    return dst


SHEET = "xl/worksheets/sheet2.xml"  # the tab 'LR 0.1'
RELS = "xl/_rels/workbook.xml.rels"
I1 = b'<c r="A2" s="2" t="inlineStr"><is><t>i1</t></is></c>'  # the label of i1's cell


def _sub(old: bytes, new: bytes):
    def change(data: bytes) -> bytes:
        assert old in data
        return data.replace(old, new, 1)

    return change


def _bomb(data: bytes) -> bytes:
    head, tail = data.split(b"</sheetData>")
    return head + b"</sheetData>" + b" " * (17 << 20) + tail  # 17 MB of spaces, deflated to 17 kB


def _set_flag(data: bytearray, signature: bytes, at: int, value: int, size: int = 1) -> bytearray:
    """Every zip header with this signature, its field at `at` set (or OR-ed, for a 1-byte flag)."""
    i = 0
    while (i := data.find(signature, i)) != -1:
        if size == 1:
            data[i + at] |= value
        else:
            data[i + at : i + at + size] = value.to_bytes(size, "little")
        i += 4
    return data


def _corrupt_deflate(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start] = 0x07  # the first deflate block of the sheet: a reserved block type
    path.write_bytes(bytes(data))


DAMAGED = [
    # (id, parts changed, what to do to the zip's bytes afterwards, the reason said)
    ("shared-string-beyond", {SHEET: _sub(I1, b'<c r="A2" t="s"><v>7</v></c>')}, None,
     "cell A2 is shared string 7, and there are 0"),
    ("shared-string-negative", {SHEET: _sub(I1, b'<c r="A2" t="s"><v>-1</v></c>'),
                                "xl/sharedStrings.xml": b"<sst><si><t>w1</t></si></sst>"}, None,
     "cell A2 is shared string -1, and there are 1"),
    ("relationship-out-of-the-zip", {RELS: _sub(b'Target="worksheets/sheet2.xml"', b'Target="../../../x.xml"')},
     None, "sheet 'LR 0.1' has no part in the zip"),
    ("relationship-without-target", {RELS: _sub(b'Target="worksheets/sheet2.xml"', b"")}, None,
     "sheet 'LR 0.1' has no part in the zip"),
    ("sheet-cut-short", {SHEET: lambda data: data[: len(data) // 2]}, None,
     "xl/worksheets/sheet2.xml is cut short (it does not end with </worksheet>)"),
    ("zip-bomb", {SHEET: _bomb}, None, "xl/worksheets/sheet2.xml inflates "),
    ("encrypted", {}, lambda p: p.write_bytes(bytes(_set_flag(bytearray(p.read_bytes()), b"PK\x01\x02", 8, 1))),
     "its parts are encrypted (a password-protected file)"),
    ("unknown-compression", {}, lambda p: p.write_bytes(bytes(_set_flag(_set_flag(
        bytearray(p.read_bytes()), b"PK\x03\x04", 8, 99, 2), b"PK\x01\x02", 10, 99, 2))),
     "a damaged zip: That compression method is not supported"),
    ("corrupt-deflate", {}, _corrupt_deflate, "a damaged zip: Error -3 while decompressing data: invalid block type"),
    ("password-protected", {}, lambda p: p.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(500)),
     "an OLE2 file: a password-protected workbook, or an .xls"),
]  # fmt: skip


@pytest.mark.parametrize("changes, after, reason", [d[1:] for d in DAMAGED], ids=[d[0] for d in DAMAGED])
def test_a_damaged_workbook_is_one_unreadable_line(book, tmp_path, capsys, changes, after, reason):
    damaged = mutate(book, tmp_path / "damaged.xlsx", changes)
    if after:
        after(damaged)
    before = damaged.read_bytes()
    code, out, err = run(capsys, "check", damaged, book)
    lines = out.splitlines()
    assert (code, err) == (2, "")
    assert lines[0].startswith(f"{damaged}: UNREADABLE: ") and reason in lines[0]
    assert any(line.startswith(f"{book}: RIGHT") for line in lines)  # the others are still checked
    assert damaged.read_bytes() == before


def test_a_damaged_sheetgen_workbook_is_one_line_for_verify_too(book, tmp_path, capsys):
    damaged = mutate(book, tmp_path / "damaged.xlsx", {})
    _corrupt_deflate(damaged)
    code, out, err = run(capsys, "verify", damaged)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(
        f"sheetgen: error: {damaged}: cannot read the workbook (a damaged zip: "
    )


def test_a_workbook_too_large_for_memory_is_one_unreadable_line(book, capsys, monkeypatch):
    def out_of_memory(path):
        raise MemoryError

    monkeypatch.setattr(check_run, "read", out_of_memory)
    code, out, err = run(capsys, "check", book)
    assert (code, out, err) == (2, f"{book}: UNREADABLE: not enough memory to read it\n", "")


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root reads any file")  # fmt: skip
def test_a_workbook_that_may_not_be_read_is_said_so(book, tmp_path, capsys):
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(book.read_bytes())
    locked.chmod(0)
    code, out, err = run(capsys, "check", locked)
    assert (code, out, err) == (2, f"{locked}: UNREADABLE: cannot read: Permission denied\n", "")


def test_the_base_workbook_is_right(book, capsys):
    """What every damaged copy is compared with: the workbook itself is right."""
    code, out, _ = run(capsys, "check", book)
    assert code == 0 and re.match(rf"{re.escape(str(book))}: RIGHT", out)


H1 = b"<f>B18*i_1+C18*i_2</f>"  # h1 in the first row of 'LR 0.1', cached result kept
ODD_FORMULAS = {
    "nested-3000-deep": "(" * 3000 + "B18*i_1+C18*i_2" + ")" * 3000,
    "a-sum-of-3000-terms": "+".join(["B18*0"] * 3000) + "+B18*i_1+C18*i_2",
    "the-whole-sheet": "B18*i_1+C18*i_2+0*SUM(A1:XFD1048576)",
    "whole-columns": "B18*i_1+C18*i_2+0*SUM(A:XFD)",
}


@pytest.mark.parametrize("formula", ODD_FORMULAS.values(), ids=ODD_FORMULAS.keys())
def test_a_formula_the_judge_cannot_read_is_judged_by_its_value(book, tmp_path, capsys, formula):
    """Its cached result is h1's: the table is still right, whatever the formula's text."""
    odd = mutate(book, tmp_path / "odd.xlsx", {SHEET: _sub(H1, f"<f>{formula}</f>".encode())})
    code, out, err = run(capsys, "check", odd)
    assert (code, err) == (0, "") and out.startswith(f"{odd}: RIGHT: every formula right in 1 table(s)")


CHARTS = [f"xl/charts/chart{n}.xml" for n in (1, 2, 3)]  # the Summary's two and the tab's: each plots E_total
E_TOTAL = b"<c:f>'LR 0.1'!$T$18:$T$20</c:f>"


@pytest.mark.parametrize("ref, charted", [
    ("('LR 0.1'!$T$18:$T$18,'LR 0.1'!$T$19:$T$20)", "yes"),  # two areas of the E_total column
    ("'LR 0.1'!$A$1:$XFD$1048576", "no (a chart plots 'LR 0.1'!$A$1:$XFD$1048576 …, not"),  # the whole sheet
])  # fmt: skip
def test_odd_chart_ranges_are_read_without_listing_their_cells(book, tmp_path, capsys, ref, charted):
    odd = mutate(book, tmp_path / "odd.xlsx", dict.fromkeys(CHARTS, _sub(E_TOTAL, f"<c:f>{ref}</c:f>".encode())))
    code, out, err = run(capsys, "check", odd)
    assert (code, err) == (0, "") and f"chart of E_total: {charted}" in out.splitlines()[1]


H1_HEADER = b'<c r="J17" s="5" t="inlineStr"><is><t>h1</t></is></c>'
ROWS = re.compile(rb'<row r="(?:18|19|20)".*?</row>', re.S)


@pytest.mark.parametrize("change, verdict, said", [
    (_sub(H1_HEADER, H1_HEADER.replace(b">h1<", b">w1<")), "WRONG: 1 of 1 table(s) not judged",
     "not judged: no column for w2, w3, w4, w5, w6, w7, w8: the table's weights do not make a network with "
     "layers [2, 2, 2] (its header row names w1 in B17 and J17: the table found starts at the repeat)"),
    # the header row is no table's (E_total twice), but its formulas compute the network: read by them (#21)
    (_sub(H1_HEADER, H1_HEADER.replace(b">h1<", b">E_total<")), "RIGHT: every formula right in 1 table(s)",
     "read as: B: w1 — updated from the row above, header 'w1'; C: w2 — updated from the row above, header 'w2';"),
    (lambda data: ROWS.sub(b"", data), "NO TABLE: 'LR 0.1' row 17 names the quantities, but no row under it "
     "holds numbers", None),
])  # fmt: skip
def test_a_header_that_is_no_tables_says_why(book, tmp_path, capsys, change, verdict, said):
    odd = mutate(book, tmp_path / "odd.xlsx", {SHEET: change})
    code, out, err = run(capsys, "check", odd)
    assert (code, err) == (2 if "NO TABLE" in verdict else 0 if "RIGHT" in verdict else 1, "")
    assert out.startswith(f"{odd}: {verdict}")
    assert said is None or f"    {said}\n" in out


def _given(cells: dict[str, bytes]):
    """The tab's given cells (B2 i1 … B14 η, numbers in the file) retyped: address -> the cell's new XML
    after its address and style (`t="inlineStr"><is><t>0.05</t></is>`, `t="e"><v>#N/A</v>`)."""

    def change(data: bytes) -> bytes:
        for at, new in cells.items():
            data, n = re.subn(rb'(<c r="' + at.encode() + rb'" s="\d+")><v>[^<]*</v>', rb"\1 " + new, data)
            assert n == 1, at
        return data

    return change


@pytest.mark.parametrize("cells, verdict, said", [
    ({"B2": b't="inlineStr"><is><t>0.05</t></is>', "B4": b't="inlineStr"><is><t> 0.5 </t></is>',
      "B14": b't="inlineStr"><is><t>10%</t></is>'}, "RIGHT: every formula right",
     "  warning: LR 0.1: numbers stored as text, which formulas compute with (SUM and charts skip them): "
     "i1 (B2), t1 (B4), η (B14)"),
    ({"B2": b't="e"><v>#N/A</v>'}, "WRONG: 1 of 1 table(s) not judged",
     "missing or not a number: the named cell(s) i_1"),
    ({"B3": b't="inlineStr"><is><t>abc</t></is>'}, "WRONG: 1 of 1 table(s) not judged",
     "missing or not a number: the named cell(s) i_2"),
])  # fmt: skip
def test_given_numbers_stored_as_text_are_read_from_cached_results(book, tmp_path, capsys, cells, verdict, said):
    """Our own tab, its named cells retyped, judged on its cached results (no engine): text that reads
    as a number is that number (with spaces around it, or a percent), anything else is not judged."""
    odd = mutate(book, tmp_path / "odd.xlsx", {SHEET: _given(cells)})
    code, out, err = run(capsys, "check", odd)
    assert (code, err) == (0 if "RIGHT" in verdict else 1, "") and out.startswith(f"{odd}: {verdict}"), out
    assert "values recalculated" not in out and f"{said}\n" in out
