"""Stage 6b: prove a workbook right — LibreOffice's recalculation against the reference.

Everything is taken from the workbook itself: the network from the `sheetgen` document
property, the parameters from each tab's named cells (so a user's edits count), the quantities
from the header row. The reference is computed afresh from those parameters.
"""

import json
import math
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import unescape

import openpyxl
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from . import recalc, reference
from .errors import WorkbookError
from .layout import ALPHA, ETA, bias_name, input_name, target_name, weight_name
from .spec import ACTIVATIONS, BIAS_MODES, Spec, weight_count
from .workbook import PROPERTY

RTOL = 1e-9  # LibreOffice writes 15 significant digits back, so ~1e-15 is the floor we can see
# LibreOffice (like Excel) snaps a sum whose terms cancel to within ~2^-48 of their size to exactly 0,
# so a quantity that is rounding noise around zero may be 0 in the sheet and 1e-17 in the reference.
# Such a cell agrees when it is this close in absolute terms, measured against the largest
# magnitude in its row; it is counted as "near zero" and left out of the relative maximum.
NOISE = 1e-13
SHOWN = 10  # mismatching cells listed per tab


@dataclass
class TabReport:
    sheet: str
    cells: int = 0
    max_abs: float = 0.0
    max_rel: float = 0.0
    near_zero: int = 0  # cells judged against the row's scale (see NOISE)
    errors: int = 0  # #NUM! where the reference diverged too
    bad: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.bad == 0 and self.cells > 0

    def fail(self, text: str) -> None:
        self.bad += 1
        if len(self.problems) < SHOWN:
            self.problems.append(text)


@dataclass
class Report:
    path: Path
    tabs: list[TabReport]

    @property
    def ok(self) -> bool:
        return bool(self.tabs) and all(t.ok for t in self.tabs)


def network(path) -> dict:
    """The network recorded in a sheetgen workbook; WorkbookError for anything else."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise WorkbookError(f"{path}: not an .xlsx workbook ({type(e).__name__})") from None
    try:
        if PROPERTY not in wb.custom_doc_props.names:
            raise WorkbookError(f"{path}: not a sheetgen workbook (no '{PROPERTY}' document property)")
        net = json.loads(wb.custom_doc_props[PROPERTY].value)
        layers, acts = net["layers"], net["activations"]
        if not (
            all(isinstance(n, int) and n >= 1 for n in layers)
            and len(acts) == len(layers) - 1
            and set(acts) <= set(ACTIVATIONS)
            and net["bias"] in BIAS_MODES
        ):
            raise ValueError
        return net
    except (ValueError, TypeError, KeyError):
        raise WorkbookError(f"{path}: damaged sheetgen workbook (unreadable '{PROPERTY}' property)") from None
    finally:
        wb.close()


def verify(paths, timeout: float = 300) -> list[Report]:
    """Recalculate all `paths` in one LibreOffice run and compare each with the reference."""
    nets = [network(p) for p in paths]  # refuse foreign files before starting LibreOffice
    with tempfile.TemporaryDirectory(prefix="sheetgen-verify-") as tmp:
        fresh = recalc.recalculate(paths, tmp, timeout)
        return [compare(p, f, net) for p, f, net in zip(paths, fresh, nets)]


def compare(path, recalculated, net) -> Report:
    """Compare a recalculated copy of `path` with the reference, tab by tab."""
    return Report(Path(path), [_compare_tab(sheet, net) for sheet in read_sheets(recalculated)])


@dataclass
class Sheet:
    name: str
    names: dict[str, tuple[int, int]]  # sheet-level defined name -> (row, col), 0-based
    cells: dict[tuple[int, int], tuple[str | None, object]]  # (row, col) -> (formula or None, value)


# one cell: address, attributes, then (formula element, formula text), cached value, inline string.
# A cell holding anything else does not match and so counts as missing: verify fails, never guesses.
_CELL = re.compile(
    r'<c r="([A-Z]+)(\d+)"([^>]*?)'
    r"(?:/>|>(?:(<f\b[^>]*?(?:/>|>([^<]*)</f>)))?(?:<v>([^<]*)</v>)?(?:<is>(.*?)</is>)?</c>)",
    re.S,
)
_TEXT = re.compile(r"<t\b[^>]*>(.*?)</t>", re.S)


def read_sheets(path) -> list[Sheet]:
    """Every tab of a workbook as LibreOffice writes it: one pass of regular expressions over each
    sheet's XML reads formula and value together (openpyxl would need two full passes)."""
    try:
        with zipfile.ZipFile(path) as z:
            book = z.read("xl/workbook.xml").decode()
            rels = {
                _attr(rel, "Id"): _attr(rel, "Target")
                for rel in re.findall(r"<Relationship\b([^>]*)/>", z.read("xl/_rels/workbook.xml.rels").decode())
            }
            shared = []
            if "xl/sharedStrings.xml" in z.namelist():
                shared = [
                    _unescape("".join(_TEXT.findall(si)))
                    for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)
                ]
            sheets = []
            defined = re.findall(r"<definedName\b([^>]*)>([^<]*)</definedName>", book)
            for n, attrs in enumerate(re.findall(r"<sheet\b([^>]*)/>", book)):
                target = rels[_attr(attrs, "r:id")].removeprefix("/xl/").removeprefix("xl/")
                names = {}
                for dn, ref in defined:
                    # parameters name single cells; skip the rest (print titles are rows: $17:$17)
                    cell = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", _unescape(ref).rsplit("!", 1)[-1])
                    if _attr(dn, "localSheetId") == str(n) and cell:
                        names[_attr(dn, "name")] = (int(cell[2]) - 1, column_index_from_string(cell[1]) - 1)
                sheets.append(Sheet(_attr(attrs, "name"), names, _cells(z.read(f"xl/{target}").decode(), shared)))
            return sheets
    except (zipfile.BadZipFile, KeyError, TypeError, ValueError, OSError) as e:
        raise WorkbookError(f"{path}: cannot read the recalculated workbook ({type(e).__name__})") from None


def _cells(xml: str, shared: list[str]) -> dict:
    cells, col_index = {}, {}
    for letters, row, attrs, f_element, f_text, v, inline in _CELL.findall(xml):
        if letters not in col_index:
            col_index[letters] = column_index_from_string(letters) - 1
        kind = attrs.split(' t="', 1)[1].split('"', 1)[0] if ' t="' in attrs else "n"
        if kind == "n":
            value = float(v) if v else None
        elif kind == "inlineStr":
            value = _unescape("".join(_TEXT.findall(inline)))
        elif kind == "s":
            value = shared[int(v)]
        elif kind == "b":
            value = v == "1"
        else:  # str, e: text as written ("#NUM!")
            value = _unescape(v)
        formula = "=" + _unescape(f_text) if f_element else None
        cells[(int(row) - 1, col_index[letters])] = (formula, value)
    return cells


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(rf'(?:^|\s){re.escape(name)}="([^"]*)"', attrs)
    return _unescape(m[1]) if m else None


def _unescape(text: str) -> str:
    return unescape(text, {"&quot;": '"', "&apos;": "'"}) if "&" in text else text


def _compare_tab(sheet: Sheet, net) -> TabReport:
    report = TabReport(sheet.name)
    cells = sheet.cells
    header = min((r for (r, c), (_, v) in cells.items() if c == 0 and v == "Iteration"), default=None)
    if header is None:
        report.fail("no table (no 'Iteration' header)")
        return report
    width = 1 + max(c for (r, c) in cells if r == header)
    columns = [cells.get((header, c), (None, None))[1] for c in range(width)]
    # sheet row -> iteration index, for the table's rows
    table = sorted(r for (r, c), (_, v) in cells.items() if c == 0 and r > header and _is_number(v))
    rows = {r: n for n, r in enumerate(table)}
    try:
        spec = _spec_from_tab(sheet, net, len(rows))
    except ValueError as e:
        report.fail(str(e))
        return report
    expected = reference.run(spec, spec.learning_rates[0])
    known = [name for name in columns if name in expected]
    scale = [max((abs(x) for name in known if (x := expected[name][n]) == x), default=0.0) for n in range(len(rows))]

    def at(r, c):
        return f"{get_column_letter(c + 1)}{r + 1}"

    for (r, c), (formula, got) in cells.items():
        n = rows.get(r)
        name = columns[c] if 0 < c < width else None
        if n is None or name is None:
            if formula is not None:
                report.fail(f"{at(r, c)}: a formula outside the table")
            continue
        if name not in expected:
            report.fail(f"{at(r, c)}: unknown column {name!r}")
            continue
        if formula is None:
            report.fail(f"{at(r, c)}: {name} is not a live formula (holds {got!r})")
            continue
        want = expected[name][n]
        report.cells += 1
        if want != want or got == "#NUM!":  # diverged: both must show the error
            if got == "#NUM!" and want != want:
                report.errors += 1
            else:
                report.fail(f"{at(r, c)}: {name} = {got!r}, expected {'#NUM!' if want != want else repr(want)}")
            continue
        if got.__class__ is not float:  # the reader gives floats for numbers, str for anything else
            report.fail(f"{at(r, c)}: {name} = {got!r}, expected {want!r}")
            continue
        dev = abs(got - want)
        if dev > report.max_abs:
            report.max_abs = dev
        noise = NOISE * scale[n]
        if abs(want) <= noise:
            report.near_zero += 1
            ok = dev <= noise
        else:
            rel = dev / abs(want)
            if rel > report.max_rel:
                report.max_rel = rel
            ok = rel <= RTOL
        if not ok:
            report.fail(f"{at(r, c)}: {name} = {got!r}, expected {want!r}")
    # every cell the table should hold must be there (constant_memory drops late writes silently)
    missing = len(rows) * len(known) - report.cells - report.bad
    if missing > 0:
        report.fail(f"{missing:,} table cells missing")
    return report


def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _spec_from_tab(sheet: Sheet, net, iterations) -> Spec:
    """The tab's network with the parameters as they stand in its named cells."""

    def param(name):
        if name not in sheet.names:
            raise ValueError(f"missing defined name {name}")
        r, c = sheet.names[name]
        value = sheet.cells.get((r, c), (None, None))[1]
        if not _is_number(value):
            raise ValueError(f"{name} ({get_column_letter(c + 1)}{r + 1}) is not a number: {value!r}")
        return float(value)

    layers = tuple(net["layers"])
    bias = net.get("bias", "none")
    return Spec(
        source=sheet.name,
        description="",
        output="verify.xlsx",
        iterations=iterations,
        learning_rates=(param(ETA),),
        layers=layers,
        activations=tuple(net["activations"]),
        bias=bias,
        inputs=tuple(param(input_name(i)) for i in range(layers[0])),
        targets=tuple(param(target_name(j)) for j in range(layers[-1])),
        weights=tuple(param(weight_name(k)) for k in range(1, weight_count(layers) + 1)),
        biases=tuple(param(bias_name(k)) for k in range(1, sum(layers[1:]) + 1)) if bias != "none" else (),
        leaky_slope=param(ALPHA) if "leaky_relu" in net["activations"] else 0.01,
    )
