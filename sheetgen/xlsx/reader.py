"""Reading workbooks as people save them: any .xlsx, and LibreOffice's recalculated values.

Three sources of cell values, one shape (`Sheet`):
  - a workbook's cached results, as Excel, LibreOffice, Google Sheets, WPS or openpyxl saved them
    (shared strings or inline, shared formulas, an empty `<v/>` where openpyxl keeps no result);
  - a stripped copy (recalc.strip): formulas and constants, no results;
  - an engine's recalculation of that copy (LibreOffice's or Gnumeric's), one CSV per sheet
    (with_values).

One pass of regular expressions over each sheet's XML reads formula and value together (openpyxl
needs two passes and is ten times slower on a 1.7-million-cell workbook). The regular expressions
read XML as Excel writes it; a part written otherwise, as XML allows and Excel accepts (a namespace
prefix, .NET's `<x:c>`; single quotes; attributes in another order; cells and rows without `r`,
placed by their order; whitespace between elements; the strict namespaces), is first rewritten
into Excel's way (_normalise), which costs nothing on parts already written so. A sheet whose cells
still cannot be read, or a part whose reading fails for any reason but damage, is read by openpyxl
instead (loaded only then), and the Book's notes say so: never 0 cells in silence.
"""

import codecs
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from sheetgen.errors import WorkbookError
from sheetgen.xlsx import excel
from sheetgen.xlsx.cells import FORMULA, Cells

# XML deflates 5 to 20 to 1; a part of more than BOMB_SIZE that inflates more than BOMB_RATIO to 1 is
# a zip bomb (gigabytes of spaces in a few megabytes), refused before it is inflated into memory
BOMB_RATIO, BOMB_SIZE = 200, 16 << 20
# what a damaged zip raises when a part is read: a bad CRC, a corrupt deflate stream, one cut short,
# a password, a compression method Python does not have
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


class Damaged(ValueError):
    """A part of the workbook is not what it says it is (its message says what, in a few words)."""


class Unread(ValueError):
    """A sheet some of whose cells the fast path cannot read, even normalised: openpyxl's to read."""


# what a part's reading raises when it is written in a way the fast path does not follow (Damaged
# among them, and always let through: damage is said, never read around)
PARSE_ERRORS = (KeyError, UnicodeDecodeError, ValueError, TypeError, IndexError, AttributeError)


@dataclass
class Sheet:
    name: str
    # (row, col) from 0 -> (formula, value): formula is its text ("=A1+1"), FORMULA when the text was
    # not kept, or None for a constant; value is a float, str, bool, excel.Error, or None (no result).
    # A dict, or as read from a file a Cells (xlsx.cells: the same mapping, held compactly)
    cells: dict[tuple[int, int], tuple[object, object]] | Cells
    names: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet-level names of single cells
    reads: dict | None = field(default=None, repr=False, compare=False)  # (row, col) -> cells its formula reads

    def value(self, row: int, col: int):
        if self.cells.__class__ is Cells:
            return self.cells.value(row, col)
        return self.cells.get((row, col), (None, None))[1]

    def formula(self, row: int, col: int):
        return self.cells.get((row, col), (None, None))[0]

    def scan(self):
        """(at, (formula, value)) of every cell in order, a formula's text perhaps given as FORMULA:
        for what looks at every cell and needs no formula's text (a Cells then makes none)."""
        return self.cells.scan() if isinstance(self.cells, Cells) else self.cells.items()

    def texts(self) -> list:
        """(at, text) of every constant cell holding text (not a formula's), in order."""
        if isinstance(self.cells, Cells):
            return self.cells.texts()
        return [(at, v) for at, (f, v) in self.cells.items() if f is None and isinstance(v, str)]

    def last_row(self, default: int) -> int:
        """The largest row of any cell (`default` if there is none)."""
        if isinstance(self.cells, Cells):
            return self.cells.last_row(default)
        return max((r for r, _ in self.cells), default=default)

    def formula_cells(self):
        """(row, col, shape) of every formula cell, in order (shape: see shape(); None if it has none)."""
        if isinstance(self.cells, Cells):
            return self.cells.formulas()
        return ((r, c, None) for (r, c), (f, _) in self.cells.items() if f is not None)

    def column(self, col: int, rows) -> list:
        """[(formula, value)] of column `col` at each of `rows` (ascending), a formula given as FORMULA."""
        if isinstance(self.cells, Cells):
            return self.cells.column(col, rows)
        get = self.cells.get
        return [get((r, col), _EMPTY) for r in rows]

    def shapes(self, col: int, rows) -> list:
        """shape() of `col` at each of `rows` (ascending)."""
        return self.cells.shapes(col, rows) if isinstance(self.cells, Cells) else [None] * len(rows)

    def dense(self, col: int) -> list | None:
        """The values of `col` from row 0 to its last cell, by row (None where empty); None where the
        cells are a plain dict (Cells.dense)."""
        return self.cells.dense(col) if isinstance(self.cells, Cells) else None

    def shape(self, row: int, col: int) -> int | None:
        """A number the same for a formula and its copies down the column (Cells.shape), or None."""
        return self.cells.shape((row, col)) if isinstance(self.cells, Cells) else None

    def __getitem__(self, address: str):
        """The value at an A1 address, None if empty."""
        ref = excel.parse_ref(address)
        return self.value(ref.row, ref.col)

    def rows(self, first: int, last: int | None = None) -> list[list]:
        """The values of rows first..last (1-based, as the sheet numbers them), as wide as the sheet."""
        width = 1 + max(c for _, c in self.cells)
        last = last or 1 + max(r for r, _ in self.cells)
        return [[self.value(r, c) for c in range(width)] for r in range(first - 1, last)]


@dataclass
class Book:
    path: Path
    sheets: list[Sheet]
    names: dict[str, excel.Ref]  # workbook-level defined names of cells and ranges
    charts: list[excel.Ref]  # the cells every chart series plots (its values)
    application: str | None  # docProps/app.xml's Application, if any (Google Sheets writes none)
    properties: dict[str, str] = field(default_factory=dict)  # custom document properties (text ones)
    description: str = ""  # docProps/core.xml's description (Excel: File > Info > Comments)
    notes: list[str] = field(default_factory=list)  # how it was read, when not by the fast path (openpyxl)

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


# one cell: its attributes, then its formula element, cached value (or an empty <v/>), inline string.
# Any other cell (`<c>`, `<c s="1" r=…`, `<c r='…`, a child it does not know) matches the last
# alternative, every group empty: nothing is guessed, the sheet is normalised and read again (and
# then, if need be, by openpyxl). Telling them apart costs the regular expression nothing.
_CELL = re.compile(
    r'<c(?: r="([A-Z]+)(\d+)"([^>]*?)'
    r"(?:/>|>(<f\b([^>]*?)(?:/>|>([^<]*)</f>))?(?:<v>([^<]*)</v>|<v\s*/>)?(?:<is>(.*?)</is>)?(?:<extLst>.*?</extLst>)?</c>)"
    r"|(?=[\s/>]))",
    re.S,
)
_TEXT = re.compile(r"<t\b[^>]*>(.*?)</t>|<t\b[^>]*/>", re.S)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)  # the reading aid of East Asian text: not part of it
_EMPTY = (None, None)


def open_zip(path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except OSError as e:  # it may well be a workbook: it cannot be read
        raise WorkbookError(f"{path}: cannot read: {e.strerror or e}") from None
    except (zipfile.BadZipFile, ValueError) as e:
        if _starts_with(path, OLE2):  # Excel saves a workbook with a password as an OLE2 file, not a zip
            raise WorkbookError(f"{path}: not an .xlsx workbook (an OLE2 file: a password-protected workbook, "
                                "or an .xls; save it as .xlsx without a password)") from None  # fmt: skip
        if _starts_with(path, ZIP):  # a zip's first part, without the directory a zip ends with
            raise WorkbookError(f"{path}: not an .xlsx workbook (a zip cut short: its end is missing, as in a "
                                "file caught half-saved or a download cut off)") from None  # fmt: skip
        raise WorkbookError(f"{path}: not an .xlsx workbook ({_reason(e)})") from None


ZIP = b"PK\x03\x04"  # the signature a zip file starts with
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # the signature of an OLE2 compound file (.xls, encrypted .xlsx)


def _starts_with(path, signature: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(signature)) == signature
    except OSError:
        return False


def read(path, formulas: bool = True) -> Book:
    """The whole workbook: every sheet, its defined names, the ranges its charts plot."""
    with open_zip(path) as z, _Openpyxl(path) as fallback:
        try:
            try:
                sheets = list(_sheets(z, path, formulas, fallback))
                names = _book_names(_workbook(z))
            except PARSE_ERRORS as e:  # the workbook's own parts, not a sheet's: openpyxl reads it all
                if isinstance(e, Damaged) or _missing_part(e):  # damage: openpyxl would need the part too
                    raise
                sheets, names = fallback.book(formulas, _reason(e))
            charts = _chart_series(z)
            app = re.search(rb"<Application>([^<]*)</Application>", _part(z, "docProps/app.xml") or b"")
            core = re.search(rb"<dc:description>([^<]*)</dc:description>", _part(z, "docProps/core.xml") or b"")
            description = _unescape(core[1].decode()) if core else ""
            custom = (_part(z, "docProps/custom.xml") or b"").decode()
            properties = {
                _unescape(name): _unescape(value)
                for name, value in re.findall(r'<property\b[^>]*\bname="([^"]*)"[^>]*>\s*<vt:lpwstr>([^<]*)', custom)
            }
        except (KeyError, UnicodeDecodeError, ValueError, OSError, *ZIP_ERRORS) as e:
            raise WorkbookError(f"{path}: cannot read the workbook ({_reason(e)})") from None
    application = app[1].decode() if app else None
    return Book(Path(path), sheets, names, charts, application, properties, description, fallback.notes)


def iter_sheets(path, formulas: bool = True):
    """Every sheet, one at a time (a large workbook's sheets need not all be in memory at once)."""
    with open_zip(path) as z, _Openpyxl(path) as fallback:
        try:
            done = 0
            try:
                for sheet in _sheets(z, path, formulas, fallback):
                    done += 1
                    yield sheet
            except PARSE_ERRORS as e:
                if isinstance(e, Damaged):
                    raise
                yield from fallback.book(formulas, _reason(e))[0][done:]
        except (KeyError, UnicodeDecodeError, ValueError, OSError, *ZIP_ERRORS) as e:
            raise WorkbookError(f"{path}: cannot read the workbook ({_reason(e)})") from None


def _book_names(book: str) -> dict[str, excel.Ref]:
    """The workbook-level defined names of cells and ranges."""
    names = {}
    for attrs, text in _defined_names(book):
        if _attr(attrs, "localSheetId") is None:
            try:
                names[_attr(attrs, "name")] = excel.parse_ref(_unescape(text).lstrip("="))
            except excel.FormulaError:
                pass  # a name for a constant or a formula: not a place in the sheet
    return names


def _reason(e: Exception) -> str:
    if isinstance(e, Damaged | Unread):
        return str(e)
    if isinstance(e, RuntimeError) and "encrypted" in str(e):
        return "its parts are encrypted (a password-protected file)"
    if isinstance(e, zipfile.BadZipFile) and str(e) == "File is not a zip file":
        return "not a zip file"
    if isinstance(e, ZIP_ERRORS):
        return f"a damaged zip: {e}"
    if isinstance(e, KeyError) and e.args and isinstance(e.args[0], str):  # zipfile: "There is no item named …"
        missing = re.search(r"named '(.*)'", e.args[0])
        return f"{missing[1] if missing else e.args[0]} is missing from the zip: a file cut short, or not a workbook"
    return type(e).__name__ if not str(e) else f"{type(e).__name__}: {e}"


def _read(z: zipfile.ZipFile, name: str) -> bytes:
    """A part, refused before it is inflated if it is a zip bomb."""
    info = z.getinfo(name)
    _read_check(info)
    return z.read(info)


def _read_check(info: zipfile.ZipInfo) -> None:
    if info.file_size > BOMB_SIZE and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
        name = info.filename
        raise Damaged(f"{name} inflates {info.compress_size:,} bytes into {info.file_size:,}: a zip bomb, not a sheet")


def _part(z: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return _read(z, name)
    except KeyError:
        return None


def _defined_names(book: str) -> list[tuple[str, str]]:
    return re.findall(r"<definedName\b([^>]*)>([^<]*)</definedName>", book)


def _workbook(z) -> str:
    return _normalise(_decode(_read(z, "xl/workbook.xml")))  # a few kB: always normalised


def _target(base: str, target: str | None) -> str | None:
    """A relationship's target as a name in the zip: relative to the part's folder, or absolute;
    None if it has none, or leads out of the zip (`../../..`)."""
    if target is None:
        return None
    if target.startswith("/"):
        return target[1:]
    parts = base.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _rels(z, part: str) -> dict[str, str]:
    """Id -> target part of a part's relationships."""
    folder, name = part.rsplit("/", 1)
    xml = _part(z, f"{folder}/_rels/{name}.rels")
    if xml is None:
        return {}
    return {
        _attr(rel, "Id"): _target(part, _attr(rel, "Target"))
        for rel in re.findall(r"<Relationship\b([^>]*?)/?>", _normalise(_decode(xml)))
        if _attr(rel, "TargetMode") != "External"
    }


def _sheets(z, path, formulas, fallback):
    book = _workbook(z)
    rels = _rels(z, "xl/workbook.xml")
    shared = _shared_strings(z)
    defined = _defined_names(book)
    for n, attrs in enumerate(re.findall(r"<sheet\b([^>]*?)/?>", book)):
        name = _attr(attrs, "name")
        target = rels.get(_attr(attrs, "r:id"))
        if target is None:
            raise Damaged(f"sheet {name or ''!r} has no part in the zip")
        if not target.startswith("xl/worksheets/"):
            continue  # a chart sheet, or a dialog sheet: no cells
        names = {}
        for dn, ref in defined:
            # parameters name single cells; skip the rest (print titles are rows: $17:$17)
            cell = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", _unescape(ref).rsplit("!", 1)[-1])
            if _attr(dn, "localSheetId") == str(n) and cell:
                names[_attr(dn, "name")] = (int(cell[2]) - 1, excel.col_index(cell[1]))
        try:
            cells = _streamed(z, target, shared, formulas)
        except KeyError:  # damage (openpyxl would leave the sheet out in silence)
            raise Damaged(f"sheet {name!r} is {target}, and the zip has no such part") from None
        except (_Odd, *PARSE_ERRORS) as e:
            if isinstance(e, Damaged):
                raise
            cells = None  # read again, whole
        if cells is None:
            try:
                xml = _decode(_read(z, target))
            except KeyError:
                raise Damaged(f"sheet {name!r} is {target}, and the zip has no such part") from None
            _ends(xml, target)
            try:
                cells = _cells(xml, shared, formulas)
            except PARSE_ERRORS as e:
                if isinstance(e, Damaged):
                    raise
                cells = fallback.cells(name, target, formulas, _reason(e))
            del xml
        yield Sheet(name, cells, names)


STREAMED = 4 << 20  # a sheet's XML larger than this is read a piece at a time, never whole in memory
_PIECE = 1 << 20


def _ends(xml: str, target: str) -> None:
    if not re.search(r"</(?:[\w.-]+:)?worksheet\s*>\s*$", xml[-200:]):
        raise Damaged(f"{target} is cut short (it does not end with </worksheet>)")


def _streamed(z, target: str, shared: list[str], formulas: bool) -> Cells | None:
    """A large sheet's cells, read as Excel writes them a piece at a time (each piece ending with a
    row): the XML is never whole in memory. None where a sheet is small, or not written so (in UTF-16,
    a namespace prefix, no cell read): read whole then. Raises _Odd for a cell it does not read."""
    info = z.getinfo(target)
    if info.file_size <= STREAMED:
        return None
    _read_check(info)
    with z.open(info) as part:
        head = part.read(_PIECE)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return None
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        text = decoder.decode(head)
        if "<sheetData" not in text:
            return None

        def pieces():
            nonlocal text
            while True:
                data = part.read(_PIECE)
                text += decoder.decode(data, final=not data)
                cut = text.rfind("</row>") + len("</row>") if data else len(text)
                if cut >= len("</row>"):
                    piece, text = text[:cut], text[cut:]
                    if not data:
                        text = piece[-200:]
                    yield from (m.groups("") for m in _CELL.finditer(piece))
                if not data:
                    return

        cells = _read_cells(pieces(), shared, formulas)
    _ends(text, target)
    return cells if cells else None


def _shared_strings(z) -> list[str]:
    if (strings := _part(z, "xl/sharedStrings.xml")) is None:
        return []
    xml = _decode(strings)
    found = _SI.findall(xml)
    if len(found) != len(_ANY_SI.findall(xml)):  # written otherwise than Excel does
        found = _SI.findall(xml := _normalise(xml))
    return [_text(si) for si in found]


_SI = re.compile(r"<si>(.*?)</si>|<si/>", re.S)
_ANY_SI = re.compile(r"<(?:[\w.-]+:)?si[\s/>]")


class _Odd(Exception):
    """A cell the regular expression does not read."""


def _cells(xml: str, shared: list[str], formulas: bool) -> dict:
    if "<sheetData" in xml:  # not a prefixed one (found in the first few kB)
        try:
            cells = _read_cells((m.groups("") for m in _CELL.finditer(xml)), shared, formulas)
            if cells or not _ANY_CELL.search(xml):  # none read: there must be none (a few kB to search)
                return cells
        except _Odd:
            pass
    found = _CELL.findall(xml := _normalise(xml, cells=True))
    odd = sum(1 for cell in found if not cell[0]) or (0 if found else len(_ANY_CELL.findall(xml)))
    if odd:  # a cell dropped in silence would be a wrong verdict
        total = max(len(found), odd)
        raise Unread(f"{odd:,} of its {total:,} cells are written in a way the fast reader does not know")
    return _read_cells(found, shared, formulas)


def _read_cells(found, shared: list[str], formulas: bool) -> Cells:
    cells, col_index, masters = Cells(), {}, {}
    for letters, row, attrs, f_element, f_attrs, f_text, v, inline in found:
        if letters not in col_index:  # a letter seen for the first time, or a cell it does not read
            if not letters:
                raise _Odd
            col_index[letters] = excel.col_index(letters)
        r, c = int(row) - 1, col_index[letters]
        formula = None
        if f_element:
            if not formulas:
                formula = FORMULA
            elif f_attrs:  # shared, perhaps
                formula = _formula(f_attrs, _unescape(f_text), (r, c), masters)
            else:  # _formula's plain case, inline: two calls less a cell
                formula = "=" + (f_text if "&" not in f_text else _unescape(f_text))
        if formula is not None and not v and not inline:
            cells.add(r, c, formula, None)
            continue
        kind = attrs.split(' t="', 1)[1].split('"', 1)[0] if ' t="' in attrs else "n"
        if not v and not inline:
            value = None
        elif kind == "n":
            value = float(v)
        elif kind == "inlineStr":
            value = _text(inline)
        elif kind == "s":
            if not 0 <= (i := int(v)) < len(shared):
                raise Damaged(f"cell {letters}{row} is shared string {i}, and there are {len(shared)}")
            value = shared[i]
        elif kind == "b":
            value = v.strip() in ("1", "true")
        elif kind == "e":
            value = excel.Error(_unescape(v))
        else:  # str (a formula's text result), d (a date, as written)
            value = _unescape(v)
        cells.add(r, c, formula, value)
    return cells


_ANY_CELL = re.compile(r"<(?:[\w.-]+:)?c[\s/>]")  # by any prefix (once normalised: one no namespace declares)


def _formula(attrs: str, text: str, at: tuple[int, int], masters: dict) -> str:
    """A cell's formula text. A shared formula is written once, in its first cell, and its other
    cells say only which one they share: each reads it moved by its own offset."""
    if ' t="shared"' in f" {attrs}" and (si := _attr(attrs, "si")) is not None:
        if text:
            try:
                masters[si] = (excel.mover("=" + text), at)
            except excel.FormulaError:
                masters[si] = (lambda rows, cols, text=text: "=" + text, at)
            return "=" + text
        if si in masters:
            moved, (row, col) = masters[si]
            return moved(at[0] - row, at[1] - col)
    return "=" + text


def _chart_series(z) -> list[excel.Ref]:
    """What every chart in the workbook plots: the value range of each series (line, bar, scatter)."""
    out = []
    for name in z.namelist():
        if re.fullmatch(r"xl/charts/chart\d+\.xml", name):
            xml = _decode(_read(z, name))
            if f'xmlns:c="{_CHART}"' not in xml[:2000]:  # its namespace by another prefix, or none
                xml = _normalise(xml)
            for block in re.findall(r"<c:(?:val|yVal)>(.*?)</c:(?:val|yVal)>", xml, re.S):
                for text in re.findall(r"<c:f>([^<]*)</c:f>", block):
                    # several areas, (Sheet1!$T$3:$T$9,Sheet1!$T$11:$T$70): a chart of cells picked apart
                    for area in _AREA.findall(_unescape(text).strip("()")):
                        try:
                            out.append(excel.parse_ref(area))
                        except excel.FormulaError:
                            pass
    return out


_AREA = re.compile(r"(?:'(?:[^']|'')*'|[^,'])+")  # one area of a reference: up to a comma outside quotes


def _text(xml: str) -> str:
    """The text of a shared or inline string: its runs joined, without phonetic readings."""
    if "<rPh" in xml:
        xml = _PHONETIC.sub("", xml)
    return _unescape("".join(m or "" for m in _TEXT.findall(xml)))


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(rf'(?:^|\s){re.escape(name)}="([^"]*)"', attrs)
    return _unescape(m[1]) if m else None


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    text = re.sub(r"&#x([0-9a-fA-F]+);", lambda m: chr(int(m[1], 16)), text)
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), text)
    return unescape(text, {"&quot;": '"', "&apos;": "'"})


# -- XML as Excel writes it -------------------------------------------------------------------------
_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
# the namespaces the regular expressions read, by the prefix they read them with (strict OOXML too)
_PREFIX = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "",
    "http://purl.oclc.org/ooxml/spreadsheetml/main": "",
    "http://schemas.openxmlformats.org/package/2006/relationships": "",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "r",
    "http://purl.oclc.org/ooxml/officeDocument/relationships": "r",
    _CHART: "c",
    "http://purl.oclc.org/ooxml/drawingml/chart": "c",
}
# one tag, its attributes in either quotes (a value may hold '>', never '<'), and the space after it
_TAG = re.compile(r"""<(/?)([\w.:-]+)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>(\s*)""")
_ATTRIBUTE = re.compile(r"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_POSITION = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def _decode(data: bytes) -> str:
    """A part's text: UTF-8, with or without a byte-order mark, or UTF-16 (which XML allows too)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    return data.decode("utf-8-sig" if data[:3] == b"\xef\xbb\xbf" else "utf-8")


def _normalise(xml: str, cells: bool = False) -> str:
    """The part as Excel writes it, for the regular expressions: the namespaces they read by the
    prefix they expect (none for the spreadsheet's own), every attribute in double quotes, no space
    between elements (but inside <t>, where it is text), no comments or CDATA; and, for a sheet
    (`cells`), every row and cell with its position `r` (first among a cell's attributes), those
    without one placed by their order as the standard says: a row after the row before it, a cell
    right of the cell before it. Only parts not already so pay for it."""
    if "<!--" in xml:
        xml = re.sub(r"<!--.*?-->", "", xml, flags=re.S)
    if "<![CDATA[" in xml:
        xml = re.sub(r"<!\[CDATA\[(.*?)\]\]>", lambda m: escape(m[1]), xml, flags=re.S)
    prefixes = {}  # a prefix as written ('' the default namespace) -> as the regular expressions read it
    at = [0, 0]  # the last row and column placed, from 1

    def tag(m: re.Match) -> str:
        close, name, attrs, empty, space = m.groups()
        pairs = []
        for a in _ATTRIBUTE.finditer(attrs):
            key, value = a[1], a[2] if a[2] is not None else a[3].replace('"', "&quot;")
            if key == "xmlns" or key.startswith("xmlns:"):
                if (canonical := _PREFIX.get(_unescape(value))) is not None:
                    prefixes[key[6:]] = canonical
            elif ":" in key and prefixes.get(key.split(":", 1)[0]) == "r":
                key = "r:" + key.split(":", 1)[1]
            pairs.append((key, value))
        prefix, _, local = name.rpartition(":")
        if prefix in prefixes:
            name = f"{prefixes[prefix]}:{local}" if prefixes[prefix] else local
        if close:
            return f"</{name}>"
        if cells and name == "row":
            r = next((v for k, v in pairs if k == "r"), None)
            at[:] = [int(r) if r and r.strip().isdigit() else at[0] + 1, 0]
            pairs = [("r", str(at[0]))] + [(k, v) for k, v in pairs if k != "r"]
        elif cells and name == "c":
            r = next((v for k, v in pairs if k == "r"), None)
            if r and (p := _POSITION.fullmatch(r.strip())):
                at[:] = [int(p[2]), excel.col_index(p[1]) + 1]
            else:
                at[1] += 1
            pairs = [("r", f"{excel.col_name(at[1] - 1)}{at[0]}")] + [(k, v) for k, v in pairs if k != "r"]
        out = "<" + name + "".join(f' {k}="{v}"' for k, v in pairs) + ("/>" if empty else ">")
        return out + space if local == "t" and not empty else out

    return _TAG.sub(tag, xml)


class _Openpyxl:
    """openpyxl's reading of a workbook, for what the fast path cannot read: imported and loaded
    (twice: formulas, then cached results) only when first needed. `notes` says what it read."""

    def __init__(self, path):
        self.path, self.notes, self.books, self.files = path, [], None, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for book in self.books or ():
            book.close()
        for f in self.files:
            f.close()

    def load(self, reason: str):
        if self.books is None:
            import openpyxl  # only here: the fast path needs none of it

            books = []
            try:
                for data_only in (False, True):
                    self.files.append(f := open(self.path, "rb"))  # a file: openpyxl would judge a name by its suffix
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")  # of extensions it does not read: not ours to say
                        books.append(openpyxl.load_workbook(f, read_only=True, data_only=data_only, keep_links=False))
            except Exception as e:  # anything at all: openpyxl on a file it cannot read raises what it may
                for book in books:
                    book.close()
                raise Damaged(f"{reason}; openpyxl cannot read it either ({_one_line(e)})") from None
            self.books = books
        return self.books

    def cells(self, name: str, part: str, formulas: bool, reason: str) -> dict:
        """A sheet's cells, the fast path having failed on its part for `reason`."""
        reason = f"{part}: {reason}"
        books = self.load(reason)
        try:
            cells = _openpyxl_cells(books[0][name], books[1][name], formulas, books[0].epoch)
        except Exception as e:
            raise Damaged(f"{reason}; openpyxl cannot read it either ({_one_line(e)})") from None
        if not cells:  # the fast path saw cells (or failed on one): openpyxl must read some
            raise Damaged(f"{reason}; openpyxl reads none of its cells either")
        self.notes.append(f"sheet {name!r} read by openpyxl ({reason})")
        return cells

    def book(self, formulas: bool, reason: str) -> tuple[list[Sheet], dict[str, excel.Ref]]:
        """Every sheet and the workbook's names, the fast path having failed on the workbook's parts."""
        books = self.load(reason)
        try:
            sheets, names = [], {}
            for ws in books[0].worksheets:
                local = {}
                for dn_name, dn in getattr(ws, "defined_names", {}).items():
                    if p := _POSITION.fullmatch(dn.attr_text.rsplit("!", 1)[-1]):
                        local[dn_name] = (int(p[2]) - 1, excel.col_index(p[1]))
                cells = _openpyxl_cells(ws, books[1][ws.title], formulas, books[0].epoch)
                sheets.append(Sheet(ws.title, cells, local))
            for dn_name, dn in books[0].defined_names.items():
                try:
                    names[dn_name] = excel.parse_ref(dn.attr_text.lstrip("="))
                except excel.FormulaError:
                    pass
        except Exception as e:
            raise Damaged(f"{reason}; openpyxl cannot read it either ({_one_line(e)})") from None
        self.notes.append(f"the workbook read by openpyxl ({reason})")
        return sheets, names


def _missing_part(e: Exception) -> bool:
    """zipfile's KeyError for a part the zip does not hold ("There is no item named … in the archive")."""
    return isinstance(e, KeyError) and "in the archive" in str(e)


def _one_line(e: Exception) -> str:
    return " ".join(_reason(e).split())[:200]


def _openpyxl_cells(formulas_sheet, values_sheet, formulas: bool, epoch) -> dict:
    """A sheet's cells as the fast path gives them, from openpyxl's two readings of it."""
    from openpyxl.cell.read_only import EmptyCell
    from openpyxl.utils.datetime import to_excel

    def value(cell):
        v = cell.value
        if cell.data_type == "e":
            return excel.Error(str(v))
        if isinstance(v, bool | str):
            return v
        if isinstance(v, int | float):
            return float(v)
        return float(to_excel(v, epoch))  # a number in a date's format, which openpyxl made a date

    values, cells = {}, {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # of a date out of range, say: the cell reads as openpyxl gives it
        values_sheet.reset_dimensions()  # read every row, not only those its <dimension> claims
        for row in values_sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    values[(cell.row - 1, cell.column - 1)] = value(cell)
        formulas_sheet.reset_dimensions()
        for row in formulas_sheet.iter_rows():
            for cell in row:
                if isinstance(cell, EmptyCell):
                    continue
                at, formula = (cell.row - 1, cell.column - 1), None
                if cell.data_type == "f":
                    text = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", None)
                    formula = (text or "=") if formulas else FORMULA
                cells[at] = (formula, values.get(at))
    return cells


# -- an engine's values ---------------------------------------------------------------------------
# one CSV field as LibreOffice writes it (every text quoted), and what ends it
_FIELD = re.compile(r'(?:"((?:[^"]|"")*)"|([^,"]*))(,|$)', re.S)


def read_csv(path) -> dict[tuple[int, int], object]:
    """(row, col) -> value of a sheet LibreOffice or Gnumeric wrote as CSV. Quoted fields are text;
    the rest are numbers, error values such as #NUM!, or (Gnumeric quotes only text that needs it)
    text. Table rows hold no quotes and are simply split. A number beyond a double's range, which
    only Gnumeric's long double holds (1e412), reads as ±inf."""
    values, lines = {}, iter(Path(path).read_text(encoding="utf-8").split("\n"))
    for r, line in enumerate(lines):
        if '"' not in line:
            for c, v in enumerate(line.split(",")):
                if v:
                    values[(r, c)] = _number_or_error(v)
            continue
        while line.count('"') % 2:  # a quoted field running on over a line break
            line += "\n" + next(lines, '"')
        for c, m in enumerate(_FIELD.finditer(line)):
            quoted, bare, end = m.groups()
            if quoted is not None:  # text, or an error value (LibreOffice quotes "Err:522", "#NAME?")
                text = quoted.replace('""', '"')
                values[(r, c)] = excel.Error(text) if _ERROR.fullmatch(text) else text
            elif bare:
                values[(r, c)] = _number_or_error(bare)
            if not end:
                break
    return values


_ERROR = re.compile(r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A)|Err:\d{3}")


def _number_or_error(v: str):
    try:
        return float(v)
    except ValueError:
        return excel.Error(v) if v.startswith("#") else v


def with_values(sheet: Sheet, csv: Path, engine: str = "LibreOffice") -> Sheet:
    """A sheet of a stripped copy (its formulas and constants) with every formula's value taken
    from an engine's recalculation of it."""
    if not csv.is_file():
        raise WorkbookError(f"{engine} wrote no values for sheet {sheet.name!r}")
    values = read_csv(csv)
    if isinstance(sheet.cells, Cells):
        sheet.cells.fill(values)
        return sheet
    for at, (formula, _) in sheet.cells.items():
        if formula is not None:
            sheet.cells[at] = (formula, values.get(at))
    return sheet
