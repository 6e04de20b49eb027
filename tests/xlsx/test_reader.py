"""The reader reads a sheet however it is written, as long as Excel would open it: a namespace prefix
(.NET's Open XML SDK writes `<x:c>`), single quotes, attributes in any order, rows and cells without
`r`, whitespace between elements, rich inline strings, the strict namespaces, UTF-16. Each variant is
the same small workbook rewritten, and must read as the original does; `check` must say of a
hand-made sheet so rewritten what it says of the original. What the fast path still cannot read is
openpyxl's to read (and the Book's notes say so); what neither can is UNREADABLE, with the reason."""

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string
from openpyxl.workbook.defined_name import DefinedName

from sheetgen import cli
from sheetgen.check import run as check
from sheetgen.xlsx import excel, reader
from tests import handmade

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
HEADER = ["x", "y", "2x", "x+y", "flag", "note", "styled", "no result"]


def rewrite(src: Path, dst: Path, change) -> Path:
    """A copy of a workbook whose XML parts (name -> text) `change(parts)` rewrites in place; a part
    it sets to bytes is written as they are, one it sets to None is left out."""
    with zipfile.ZipFile(src) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    text = {name: data.decode() for name, data in parts.items() if name.endswith((".xml", ".rels"))}
    change(text)
    parts.update({name: t.encode() if isinstance(t, str) else t for name, t in text.items()})
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            if data is not None:
                z.writestr(name, data)
    return dst


def excel_style(parts: dict) -> None:
    """openpyxl's sheet as Excel writes it: the header in shared strings, column C one shared formula,
    a cached result for every formula but H2's (openpyxl's `<v />`)."""
    xml = parts[SHEET]
    strings = []

    def shared(m):
        strings.append(m[2])
        return f'<c r="{m[1]}" t="s"><v>{len(strings) - 1}</v></c>'

    xml = re.sub(r'<c r="([A-H]1)" t="inlineStr"><is><t>([^<]*)</t></is></c>', shared, xml)
    parts[STRINGS] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" '
                      f'count="{len(strings)}" uniqueCount="{len(strings)}">'
                      + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")  # fmt: skip
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    for r in range(2, 7):
        x, y = r - 1, (r - 1) / 4
        f = f'<f t="shared" ref="C2:C6" si="0">A{r}*2</f>' if r == 2 else '<f t="shared" si="0"/>'
        xml = xml.replace(f'<c r="C{r}"><f>A{r}*2</f><v /></c>', f'<c r="C{r}">{f}<v>{2 * x}</v></c>')
        xml = xml.replace(f'<c r="D{r}"><f>A{r}+B{r}</f><v /></c>', f'<c r="D{r}"><f>A{r}+B{r}</f><v>{x + y}</v></c>')
    xml = xml.replace('<c r="F5"><f>"x"&amp;A5</f><v /></c>', '<c r="F5" t="str"><f>"x"&amp;A5</f><v>x4</v></c>')
    assert xml.count("<v />") == 1  # H2's
    parts[SHEET] = xml


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A header and five rows of numbers, formulas (one shared), booleans, an error, a rich string."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(HEADER)
    for x in range(1, 6):
        r = x + 1
        ws.append([x, x / 4, f"=A{r}*2", f"=A{r}+B{r}", x % 2 == 1])
    ws["F2"] = "#N/A"
    ws["F3"] = CellRichText(["bold ", TextBlock(InlineFont(b=True), "text")])
    ws["F4"] = "a<b & \"c\" 'd'"
    ws["F5"] = '="x"&A5'
    ws["G2"].font = Font(bold=True)  # a styled cell with nothing in it: <c r="G2" s="1"/>
    ws["H2"] = "=SUM(A2:A6)"
    wb.defined_names["eta"] = DefinedName("eta", attr_text="Data!$B$2")
    ws.defined_names["rate"] = DefinedName("rate", attr_text="Data!$B$3")
    where = tmp_path_factory.mktemp("small")
    wb.save(where / "openpyxl.xlsx")
    return rewrite(where / "openpyxl.xlsx", where / "small.xlsx", excel_style)


def reading(book: reader.Book):
    return [(s.name, s.cells, s.names) for s in book.sheets], book.names


def test_the_small_workbook_reads_as_written(small):
    book = reader.read(small)
    (sheet,) = book.sheets
    assert book.notes == []
    assert [sheet.value(0, c) for c in range(8)] == HEADER
    assert [sheet.cells[(r, 2)] for r in range(1, 6)] == [(f"=A{r + 1}*2", 2.0 * r) for r in range(1, 6)]
    assert sheet.cells[(4, 3)] == ("=A5+B5", 5.0)
    assert [sheet.value(r, 4) for r in range(1, 6)] == [True, False, True, False, True]
    assert sheet.cells[(1, 5)] == (None, excel.Error("#N/A"))
    assert sheet.value(2, 5) == "bold text" and sheet.value(3, 5) == "a<b & \"c\" 'd'"
    assert sheet.cells[(4, 5)] == ('="x"&A5', "x4")
    assert sheet.cells[(1, 6)] == (None, None) and sheet.cells[(1, 7)] == ("=SUM(A2:A6)", None)
    assert book.names == {"eta": excel.parse_ref("Data!$B$2")} and sheet.names == {"rate": (2, 1)}


# -- the ways of writing it -----------------------------------------------------------------------
def _tags(xml: str, change) -> str:
    """Every tag rewritten (not the text between them)."""
    return re.sub(r"<[^<>?!]+>", lambda m: change(m[0]), xml)


def prefixed(xml: str) -> str:
    """Every element of the spreadsheet's namespace by the prefix x, as .NET's Open XML SDK writes."""
    xml = re.sub(r"""xmlns(\s*=\s*["'])""" + re.escape(MAIN), r"xmlns:x\g<1>" + MAIN, xml)
    return re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s/>])", r"<\1x:\2", xml)


def single_quoted(xml: str) -> str:
    return _tags(xml, lambda tag: re.sub(r'="([^"]*)"', r"='\1'", tag))


def shuffled(xml: str) -> str:
    """Every tag's attributes in reverse order (r last)."""

    def change(tag):
        m = re.fullmatch(r'<([\w:]+)((?:\s+[\w:]+="[^"]*")*)\s*(/?)>', tag)
        if not m:
            return tag
        attrs = re.findall(r'\s+[\w:]+="[^"]*"', m[2])
        return f"<{m[1]}{''.join(reversed(attrs))}{m[3]}>"

    return _tags(xml, change)


def positionless(xml: str) -> str:
    """No r on a row or cell whose place its order implies (the row after the last, the cell right of
    the last): r is optional, as the standard says."""
    row = col = 0

    def change(m):
        nonlocal row, col
        if m[1] == "row":
            implied, row, col = int(m[2]) == row + 1, int(m[2]), 0
        else:
            letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", m[2]).groups()
            c = column_index_from_string(letters)
            implied, col = c == col + 1 and int(digits) == row, c
        return f"<{m[1]}" if implied else m[0]

    out, n = re.subn(r'<(row|c) r="([^"]+)"', change, xml)
    assert "<row" not in xml or out.count(' r="') < xml.count(' r="'), "nothing left to imply"
    return out


def spaced(xml: str) -> str:
    """A newline and indentation between elements and between attributes, spaces around `=` (but no
    space in a <t>, <v> or <f>, where it would be part of the text)."""
    xml = _tags(xml, lambda tag: re.sub(r'"\s+(?=[\w:]+=)', '"\n    ', tag).replace('="', ' = "'))
    return re.sub(r">(?=<(?!/[tvf]>))", ">\n  ", xml)


def explicit_empty(xml: str) -> str:
    """openpyxl's `<v />` as `<v></v>`, a shared formula's `<f .../>` as `<f ...></f>`."""
    xml = xml.replace("<v />", "<v></v>")
    return re.sub(r'<f( t="shared" si="\d+")\s*/>', r"<f\1></f>", xml)


def tight_empty(xml: str) -> str:
    return xml.replace("<v />", "<v/>").replace(' si="0"/>', ' si="0" />')


def rich_inline(parts: dict) -> None:
    """Shared strings as inline rich strings, their text split in runs, one of them formatted."""
    strings = re.findall(r"<si><t>([^<]*)</t></si>", parts[STRINGS])

    def inline(m):
        text = strings[int(m[2])]
        return (f'<c r="{m[1]}" t="inlineStr"><is><r><t>{text[:1]}</t></r>'
                f'<r><rPr><b/></rPr><t xml:space="preserve">{text[1:]}</t></r></is></c>')  # fmt: skip

    parts[SHEET] = re.sub(r'<c r="([A-Z]+\d+)" t="s"><v>(\d+)</v></c>', inline, parts[SHEET])


def strict(parts: dict) -> None:
    """Strict OOXML: the purl.oclc.org namespaces, in every part."""
    for name, xml in parts.items():
        xml = xml.replace(MAIN, "http://purl.oclc.org/ooxml/spreadsheetml/main")
        parts[name] = xml.replace(RELATIONSHIPS, "http://purl.oclc.org/ooxml/officeDocument/relationships")


def utf16(parts: dict) -> None:
    xml = '<?xml version="1.0" encoding="UTF-16" standalone="yes"?>\n' + parts[SHEET].split("?>", 1)[-1]
    parts[SHEET] = xml.encode("utf-16")  # with its byte-order mark


def commented(xml: str) -> str:
    """A comment between cells, a formula in CDATA."""
    xml = xml.replace('<c r="A3"', '<!-- <c r="Z9"><v>1</v></c> --><c r="A3"')
    return xml.replace("<f>A4+B4</f>", "<f><![CDATA[A4+B4]]></f>")


def in_the_xml(*changes, parts=(SHEET,)):
    """A rewrite of each named part's XML by each change, in turn."""

    def change(all_parts: dict) -> None:
        for name in (p for p in parts if p in all_parts):
            for c in changes:
                all_parts[name] = c(all_parts[name])

    change.changes = changes
    return change


WORKBOOK_PARTS = (SHEET, STRINGS, "xl/workbook.xml")
DOTNET = (positionless, prefixed, single_quoted, shuffled, spaced)
VARIANTS = {
    "prefixed": in_the_xml(prefixed),
    "prefixed-every-part": in_the_xml(prefixed, parts=WORKBOOK_PARTS),
    "single-quoted": in_the_xml(single_quoted, parts=(*WORKBOOK_PARTS, "xl/_rels/workbook.xml.rels")),
    "shuffled-attributes": in_the_xml(shuffled, parts=(*WORKBOOK_PARTS, "xl/_rels/workbook.xml.rels")),
    "no-positions": in_the_xml(positionless),
    "whitespace": in_the_xml(spaced, parts=WORKBOOK_PARTS),
    "explicit-empty": in_the_xml(explicit_empty),
    "tight-empty": in_the_xml(tight_empty),
    "rich-inline-strings": rich_inline,
    "strict": strict,
    "utf-16": utf16,
    "comments-and-cdata": in_the_xml(commented),
    # all at once, in every part
    "dotnet": in_the_xml(*DOTNET, parts=WORKBOOK_PARTS),
    "dotnet-other-order": in_the_xml(positionless, explicit_empty, shuffled, spaced, single_quoted, prefixed),
}  # fmt: skip


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_way_of_writing_the_sheet_reads_the_same(small, tmp_path, variant):
    odd = rewrite(small, tmp_path / f"{variant}.xlsx", VARIANTS[variant])
    assert odd.read_bytes() != small.read_bytes()
    book = reader.read(odd)
    assert reading(book) == reading(reader.read(small))
    assert book.notes == []  # the fast path read it, openpyxl was not needed
    assert [(s.name, s.cells) for s in reader.iter_sheets(odd, formulas=False)] == [
        (s.name, s.cells) for s in reader.iter_sheets(small, formulas=False)
    ]


def test_the_rewrites_are_workbooks_openpyxl_reads_the_same(small, tmp_path):
    """The variants are XML as Excel reads it, not only as our reader does: openpyxl agrees on every
    cell. Not on those it cannot read: strict OOXML, UTF-16, and cells without r (openpyxl moves a
    shared formula to its cell's r, and fails)."""

    def cells(path):
        ws = openpyxl.load_workbook(path)["Data"]
        return {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}

    expected = cells(small)
    for variant, change in VARIANTS.items():
        if variant not in ("strict", "utf-16") and positionless not in getattr(change, "changes", ()):
            assert cells(rewrite(small, tmp_path / f"{variant}.xlsx", change)) == expected, variant


# -- what the fast path cannot read ---------------------------------------------------------------
def _read_nothing(monkeypatch):
    """The fast path's cell pattern matching nothing: every sheet is openpyxl's to read."""
    monkeypatch.setattr(reader, "_CELL", re.compile(r"(?!)" + "()" * 8))


# (openpyxl cannot read a shared formula in a cell without r)
@pytest.mark.parametrize("variant", ["original", "prefixed-every-part", "single-quoted", "whitespace"])
def test_what_the_fast_path_cannot_read_openpyxl_reads(small, tmp_path, monkeypatch, variant):
    path = small if variant == "original" else rewrite(small, tmp_path / "odd.xlsx", VARIANTS[variant])
    expected = reading(reader.read(small))
    _read_nothing(monkeypatch)
    book = reader.read(path)
    assert reading(book) == expected  # formulas (the shared one moved), cached results, names
    (note,) = book.notes
    assert note.startswith("sheet 'Data' read by openpyxl (xl/worksheets/sheet1.xml: 39 of its 39 cells are ")
    assert [s.cells for s in reader.iter_sheets(path)] == [cells for _, cells, _ in expected[0]]


def test_a_cell_the_fast_path_does_not_know_is_not_dropped(small, tmp_path):
    """One cell holding an element no cell holds in Excel's writing (a processing instruction openpyxl
    skips): the sheet is openpyxl's to read, not read without it."""
    odd = rewrite(small, tmp_path / "odd.xlsx", in_the_xml(lambda xml: xml.replace("<v>0.5</v>", "<v>0.5</v><?x?>")))
    book = reader.read(odd)
    assert reading(book) == reading(reader.read(small))
    assert "1 of its 39 cells" in book.notes[0]


def test_the_workbook_part_the_fast_path_cannot_read_is_read_by_openpyxl(small, tmp_path, monkeypatch):
    expected = reading(reader.read(small))

    def broken(book):
        raise ValueError("a workbook.xml it cannot read")

    monkeypatch.setattr(reader, "_book_names", broken)
    book = reader.read(small)
    assert reading(book) == expected
    assert book.notes == ["the workbook read by openpyxl (ValueError: a workbook.xml it cannot read)"]


def test_the_fast_path_needs_no_openpyxl(small, tmp_path, monkeypatch):
    """openpyxl is imported only for a part the fast path cannot read."""
    import builtins

    real = builtins.__import__

    def no_openpyxl(name, *args, **kwargs):
        if name.startswith("openpyxl"):
            raise AssertionError("openpyxl imported")
        return real(name, *args, **kwargs)

    odd = rewrite(small, tmp_path / "dotnet.xlsx", VARIANTS["dotnet"])
    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    assert reader.read(odd).notes == []


def _unparseable(xml: str) -> str:
    return xml.replace("<c ", "<c <")  # no cell is XML any more; the part still ends </worksheet>


def test_a_sheet_neither_can_read_is_unreadable_with_the_reason(small, tmp_path, capsys):
    damaged = rewrite(small, tmp_path / "damaged.xlsx", in_the_xml(_unparseable))
    with pytest.raises(reader.WorkbookError) as e:
        reader.read(damaged)
    assert "39 of its 39 cells are written in a way the fast reader does not know" in str(e.value)
    assert "openpyxl cannot read it either (ParseError: not well-formed (invalid token)" in str(e.value)
    code, out, err = cli.main(["check", str(damaged)]), *capsys.readouterr()
    assert (code, err) == (2, "")
    assert out.startswith(f"{damaged}: UNREADABLE: ") and "xl/worksheets/sheet1.xml: 39 of its 39 cells" in out


def test_a_sheet_part_missing_is_damage_not_a_sheet_left_out(small, tmp_path):
    """openpyxl leaves a sheet whose part is missing out, in silence: the reader says it is missing."""
    damaged = rewrite(small, tmp_path / "damaged.xlsx", lambda parts: parts.update({SHEET: None}))
    with pytest.raises(reader.WorkbookError, match="sheet 'Data' is xl/worksheets/sheet1.xml, and the zip has no"):
        reader.read(damaged)


# -- check on a hand-made sheet, rewritten ---------------------------------------------------------
def with_results(src: Path, dst: Path) -> Path:
    """A hand-made workbook (openpyxl keeps no results) with every formula's cached result, as Excel
    would have saved it: computed by the formula language's evaluator, one cell at a time."""
    ws = openpyxl.load_workbook(src).active
    memo = {}

    def value(sheet, row, col):
        if (row, col) not in memo:
            v = ws.cell(row + 1, col + 1).value
            memo[(row, col)] = excel.evaluate(excel.parse(v), value) if isinstance(v, str) and v[:1] == "=" else v
        return memo[(row, col)]

    def cached(m):
        ref = excel.parse_ref(m[1])
        v = value(None, ref.row, ref.col)
        kind, text = (("e", v.code) if isinstance(v, excel.Error) else ("b", int(v)) if isinstance(v, bool)
                      else ("str", escape(v)) if isinstance(v, str) else ("n", repr(float(v))))  # fmt: skip
        return f'<c r="{m[1]}"{m[2]} t="{kind}"><f>{m[3]}</f><v>{text}</v></c>'

    def change(parts):
        parts[SHEET], n = re.subn(r'<c r="([A-Z]+\d+)"([^>]*)><f>([^<]*)</f><v\s*/></c>', cached, parts[SHEET])
        assert n > 300

    return rewrite(src, dst, change)


@pytest.fixture(scope="module")
def handmade_pair(tmp_path_factory) -> dict[str, Path]:
    """The class sheet's layout, right and with every kind of slip, with cached results."""
    where = tmp_path_factory.mktemp("handmade")
    out = {}
    for kind, slips in (("right", []), ("slips", handmade.slips(handmade.CLASS_SHEET))):
        handmade.write(handmade.CLASS_SHEET, where / f"{kind}-openpyxl.xlsx", slips)
        out[kind] = with_results(where / f"{kind}-openpyxl.xlsx", where / f"{kind}.xlsx")
    return out


def verdict(path: Path):
    (result,) = check.check([path])
    assert result.values == "cached"  # judged on the file's own results: no engine
    return result.verdict, sorted(
        (t.table.rows[0], m.where, m.quantity) for t in result.tables for m in t.report.mistakes
    )


@pytest.mark.parametrize("variant", ["dotnet", "single-quoted", "no-positions", "whitespace", "strict"])
@pytest.mark.parametrize("kind", ["right", "slips"])
def test_check_says_of_a_rewritten_hand_made_sheet_what_it_says_of_the_original(handmade_pair, tmp_path, variant, kind):
    original = verdict(handmade_pair[kind])
    assert original[0] == kind.replace("slips", "wrong") and (kind == "right") == (original[1] == [])
    odd = rewrite(handmade_pair[kind], tmp_path / f"{variant}.xlsx", VARIANTS[variant])
    assert verdict(odd) == original


def test_check_on_a_hand_made_sheet_openpyxl_read(handmade_pair, tmp_path, monkeypatch):
    original = verdict(handmade_pair["slips"])
    odd = rewrite(handmade_pair["slips"], tmp_path / "dotnet.xlsx", VARIANTS["dotnet"])
    _read_nothing(monkeypatch)
    assert reader.read(odd).notes and verdict(odd) == original
    (result,) = check.check([odd])
    assert any("read by openpyxl" in w for w in result.warnings)  # the student is told how it was read
