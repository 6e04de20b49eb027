"""Reading workbooks as people save them: any .xlsx, and LibreOffice's recalculated values.

Three sources of cell values, one shape (`Sheet`):
  - a workbook's cached results, as Excel, LibreOffice, Google Sheets, WPS or openpyxl saved them
    (shared strings or inline, shared formulas, an empty `<v/>` where openpyxl keeps no result);
  - a stripped copy (recalc.strip): formulas and constants, no results;
  - an engine's recalculation of that copy (LibreOffice's or Gnumeric's), one CSV per sheet
    (with_values).

One pass of regular expressions over each sheet's XML reads formula and value together (openpyxl
needs two passes and is ten times slower on a 1.7-million-cell workbook).
"""

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import unescape

from sheetgen.errors import WorkbookError
from sheetgen.xlsx import excel

FORMULA = True  # a formula whose text was not kept (read with formulas=False)
# XML deflates 5 to 20 to 1; a part of more than BOMB_SIZE that inflates more than BOMB_RATIO to 1 is
# a zip bomb (gigabytes of spaces in a few megabytes), refused before it is inflated into memory
BOMB_RATIO, BOMB_SIZE = 200, 16 << 20
# what a damaged zip raises when a part is read: a bad CRC, a corrupt deflate stream, one cut short,
# a password, a compression method Python does not have
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


class Damaged(ValueError):
    """A part of the workbook is not what it says it is (its message says what, in a few words)."""


@dataclass
class Sheet:
    name: str
    # (row, col) from 0 -> (formula, value): formula is its text ("=A1+1"), FORMULA when the text was
    # not kept, or None for a constant; value is a float, str, bool, excel.Error, or None (no result)
    cells: dict[tuple[int, int], tuple[object, object]]
    names: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet-level names of single cells
    reads: dict | None = field(default=None, repr=False, compare=False)  # (row, col) -> cells its formula reads

    def value(self, row: int, col: int):
        return self.cells.get((row, col), (None, None))[1]

    def formula(self, row: int, col: int):
        return self.cells.get((row, col), (None, None))[0]

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

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


# one cell: its attributes, then its formula element, cached value (or an empty <v/>), inline string.
# A cell holding anything else does not match and so counts as missing: nothing is guessed.
_CELL = re.compile(
    r'<c r="([A-Z]+)(\d+)"([^>]*?)'
    r"(?:/>|>(<f\b([^>]*?)(?:/>|>([^<]*)</f>))?(?:<v>([^<]*)</v>|<v\s*/>)?(?:<is>(.*?)</is>)?(?:<extLst>.*?</extLst>)?</c>)",
    re.S,
)
_TEXT = re.compile(r"<t\b[^>]*>(.*?)</t>|<t\b[^>]*/>", re.S)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)  # the reading aid of East Asian text: not part of it
_NO_RESULT = (FORMULA, None)  # a formula without a cached value: in a stripped copy, millions of them


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
    with open_zip(path) as z:
        try:
            sheets = list(_sheets(z, path, formulas))
            names = {}
            for attrs, text in _defined_names(z):
                if _attr(attrs, "localSheetId") is None:
                    try:
                        names[_attr(attrs, "name")] = excel.parse_ref(_unescape(text).lstrip("="))
                    except excel.FormulaError:
                        pass  # a name for a constant or a formula: not a place in the sheet
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
    return Book(Path(path), sheets, names, charts, app[1].decode() if app else None, properties, description)


def iter_sheets(path, formulas: bool = True):
    """Every sheet, one at a time (a large workbook's sheets need not all be in memory at once)."""
    with open_zip(path) as z:
        try:
            yield from _sheets(z, path, formulas)
        except (KeyError, UnicodeDecodeError, ValueError, OSError, *ZIP_ERRORS) as e:
            raise WorkbookError(f"{path}: cannot read the workbook ({_reason(e)})") from None


def _reason(e: Exception) -> str:
    if isinstance(e, Damaged):
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
    if info.file_size > BOMB_SIZE and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
        raise Damaged(f"{name} inflates {info.compress_size:,} bytes into {info.file_size:,}: a zip bomb, not a sheet")
    return z.read(info)


def _part(z: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return _read(z, name)
    except KeyError:
        return None


def _defined_names(z) -> list[tuple[str, str]]:
    return re.findall(r"<definedName\b([^>]*)>([^<]*)</definedName>", _read(z, "xl/workbook.xml").decode())


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
        for rel in re.findall(r"<Relationship\b([^>]*?)/?>", xml.decode())
        if _attr(rel, "TargetMode") != "External"
    }


def _sheets(z, path, formulas):
    book = _read(z, "xl/workbook.xml").decode()
    rels = _rels(z, "xl/workbook.xml")
    shared = []
    if (strings := _part(z, "xl/sharedStrings.xml")) is not None:
        shared = [_text(si) for si in re.findall(r"<si>(.*?)</si>|<si/>", strings.decode(), re.S)]
    defined = _defined_names(z)
    for n, attrs in enumerate(re.findall(r"<sheet\b([^>]*?)/?>", book)):
        target = rels.get(_attr(attrs, "r:id"))
        if target is None:
            raise Damaged(f"sheet {_unescape(_attr(attrs, 'name') or '')!r} has no part in the zip")
        if not target.startswith("xl/worksheets/"):
            continue  # a chart sheet, or a dialog sheet: no cells
        names = {}
        for dn, ref in defined:
            # parameters name single cells; skip the rest (print titles are rows: $17:$17)
            cell = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", _unescape(ref).rsplit("!", 1)[-1])
            if _attr(dn, "localSheetId") == str(n) and cell:
                names[_attr(dn, "name")] = (int(cell[2]) - 1, excel.col_index(cell[1]))
        xml = _read(z, target).decode()
        if not re.search(r"</(?:\w+:)?worksheet>\s*$", xml[-200:]):
            raise Damaged(f"{target} is cut short (it does not end with </worksheet>)")
        yield Sheet(_unescape(_attr(attrs, "name")), _cells(xml, shared, formulas), names)


def _cells(xml: str, shared: list[str], formulas: bool) -> dict:
    cells, col_index, masters = {}, {}, {}
    for letters, row, attrs, f_element, f_attrs, f_text, v, inline in _CELL.findall(xml):
        if letters not in col_index:
            col_index[letters] = excel.col_index(letters)
        at = (int(row) - 1, col_index[letters])
        formula = None
        if f_element:
            formula = _formula(f_attrs, _unescape(f_text), at, masters) if formulas else FORMULA
        if formula is not None and not v and not inline:
            cells[at] = (formula, None) if formula is not FORMULA else _NO_RESULT
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
            value = v == "1"
        elif kind == "e":
            value = excel.Error(_unescape(v))
        else:  # str (a formula's text result), d (a date, as written)
            value = _unescape(v)
        cells[at] = (formula, value)
    return cells


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
            xml = _read(z, name).decode()
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
    for at, (formula, _) in sheet.cells.items():
        if formula is not None:
            sheet.cells[at] = (formula, values.get(at))
    return sheet
