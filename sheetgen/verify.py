"""Stage 6b: prove a workbook right — LibreOffice's recalculation against the reference.

Everything is taken from the workbook itself: the network from the `sheetgen` document
property, the parameters from each tab's named cells (so a user's edits count), the quantities
from the header row. The reference is computed afresh from those parameters.

Which cells are formulas, and every constant, are read from the stripped copy LibreOffice was
given; every formula's value from what LibreOffice computed (its CSV). No cached result is read.
"""

import json
import math
import re
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import unescape

import openpyxl
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from . import derivation, recalc, reference, summary
from .errors import WorkbookError
from .layout import ALPHA, ETA, bias_name, input_name, target_name, weight_name
from .spec import ACTIVATIONS, BIAS_MODES, Spec, weight_count
from .workbook import PROPERTY

RTOL = 1e-9  # LibreOffice writes 15 significant digits back, so ~1e-15 is the floor we can see
# The rounding floor. A value computed from terms that nearly cancel (o1 = w5·a_h1 + w6·a_h2 → 3e-9
# late in training, from terms of size 0.1) carries rounding noise of ~1e-17 whoever computes it, so
# LibreOffice and the reference can differ in its 8th digit; and LibreOffice (like Excel) snaps a sum
# that cancels to within ~2^-48 to exactly 0. A cell also agrees when it is within this fraction of
# the largest magnitude in its row; such cells are counted ("at the rounding floor") and left out
# of the relative maximum.
NOISE = 1e-13
SHOWN = 10  # mismatching cells listed per tab


@dataclass
class TabReport:
    sheet: str
    cells: int = 0
    max_abs: float = 0.0
    max_rel: float = 0.0
    near_zero: int = 0  # cells that agree only to the row's rounding floor (see NOISE)
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

    def judge(self, at: tuple[int, int], name: str, got, want, floor: float) -> None:
        """One formula cell, at (row, col), against the reference: `want` is a number, NaN for #NUM!,
        or the text the sheet should show. Numbers agree within RTOL relative, or within `floor`
        (see NOISE)."""
        self.cells += 1
        if isinstance(want, str) or want != want or got.__class__ is not float:
            expected = "#NUM!" if want != want else want
            if got == expected:
                self.errors += got == "#NUM!"
            else:
                self.fail(f"{a1(*at)}: {name} = {got!r}, expected {expected!r}")
            return
        dev = abs(got - want)
        self.max_abs = max(self.max_abs, dev)
        if dev <= RTOL * abs(want):
            self.max_rel = max(self.max_rel, dev / abs(want)) if dev else self.max_rel
        elif dev <= floor:
            self.near_zero += 1
        else:
            self.fail(f"{a1(*at)}: {name} = {got!r}, expected {want!r}")


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
        # opened by us, so openpyxl judges the content, not the name (it refuses one without .xlsx)
        with open(path, "rb") as f:
            wb = openpyxl.load_workbook(f, read_only=True)
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


def verify(paths, timeout: float = 300, progress=None) -> list[Report]:
    """Recalculate all `paths` in one LibreOffice run and compare each with the reference.
    `progress(stage)`, if given, hears of each of the 2 + len(paths) stages as it starts, and
    `progress(None)` about once a second while LibreOffice works."""
    progress = progress or (lambda stage: None)
    nets = [network(p) for p in paths]  # refuse foreign files before starting LibreOffice
    with tempfile.TemporaryDirectory(prefix="sheetgen-verify-") as tmp, ThreadPoolExecutor(1) as pool:
        progress("stripping cached results")
        copies = recalc.strip(paths, tmp)
        # LibreOffice takes most of the time, in a process of its own: meanwhile, on the other core,
        # read each copy and compute the reference for its tabs from their parameters
        ahead = [pool.submit(read_ahead, copy, net) for copy, net in zip(copies, nets)]
        progress("LibreOffice recalculating")
        fresh = recalc.recalculate(copies, tmp, timeout, tick=lambda: progress(None))
        reports = []
        for path, f, net, a in zip(paths, fresh, nets, ahead):
            progress(f"comparing {Path(path).name}")
            reports.append(compare(path, f, net, a.result()))
        return reports


def read_ahead(copy, net) -> list[tuple["Sheet", tuple | None]]:
    """Every sheet of a stripped copy, each with (Spec, reference trace) if it is a learning-rate tab
    whose parameters read."""
    out = []
    for sheet in read_xlsx(copy):
        table, expected = _table(sheet), None
        if table is not None and sheet.name not in (summary.NAME, derivation.NAME):
            try:
                spec = _spec_from_tab(sheet, net, len(table[2]))
                expected = (spec, reference.run(spec, spec.learning_rates[0]))
            except ValueError:
                pass
        out.append((sheet, expected))
    return out


def compare(path, recalculated: recalc.Recalculated, net, ahead=None) -> Report:
    """Compare LibreOffice's recalculation of `path` with the reference, tab by tab, then the Summary.
    `ahead`: what read_ahead made of the stripped copy, if it already ran."""
    reports, expected, later = [], {}, []
    for sheet, ready in ahead or ((sheet, None) for sheet in read_xlsx(recalculated.stripped)):
        with_values(sheet, recalculated)
        if sheet.name in (summary.NAME, derivation.NAME):
            later.append(sheet)  # small, and they need every tab's reference first
            continue
        report, expected[sheet.name] = _compare_tab(sheet, net, ready)
        reports.append(report)
    reports += [_compare_summary(sheet, expected) for sheet in later if sheet.name == summary.NAME]
    reports += [_compare_derivation(sheet, expected) for sheet in later if sheet.name == derivation.NAME]
    return Report(Path(path), reports)


@dataclass
class Sheet:
    name: str
    names: dict[str, tuple[int, int]]  # sheet-level defined name -> (row, col), 0-based
    cells: dict[tuple[int, int], tuple[bool | None, object]]  # (row, col) -> (True if a formula, value)

    def __getitem__(self, a1: str):
        """The value at an A1 address, None if empty."""
        letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", a1).groups()
        return self.cells.get((int(digits) - 1, column_index_from_string(letters) - 1), (None, None))[1]

    def rows(self, first: int, last: int | None = None) -> list[list]:
        """The values of rows first..last (1-based, as the sheet numbers them), as wide as the sheet."""
        width = 1 + max(c for _, c in self.cells)
        last = last or 1 + max(r for r, _ in self.cells)
        return [[self.cells.get((r, c), (None, None))[1] for c in range(width)] for r in range(first - 1, last)]


def iter_sheets(recalculated: recalc.Recalculated):
    """Every tab as LibreOffice recalculated it, one at a time (see with_values)."""
    for sheet in read_xlsx(recalculated.stripped):
        yield with_values(sheet, recalculated)


def with_values(sheet: Sheet, recalculated: recalc.Recalculated) -> Sheet:
    """A sheet of the stripped copy LibreOffice computed (its formulas and constants) with every
    formula's value taken from LibreOffice's CSV."""
    csv = recalculated.values(sheet.name)
    if not csv.is_file():
        raise WorkbookError(f"{recalculated.stripped}: LibreOffice wrote no values for sheet {sheet.name!r}")
    values = read_csv(csv)
    for at, (formula, _) in sheet.cells.items():
        if formula:
            sheet.cells[at] = (True, values.get(at))
    return sheet


# one CSV field as LibreOffice writes it (every text quoted), and what ends it
_FIELD = re.compile(r'(?:"((?:[^"]|"")*)"|([^,"]*))(,|$)', re.S)


def read_csv(path) -> dict[tuple[int, int], object]:
    """(row, col) -> value of a sheet LibreOffice wrote as CSV. Quoted fields are text; the rest are
    numbers, or text such as "#NUM!". Table rows hold no quotes and are simply split."""
    values, lines = {}, iter(Path(path).read_text(encoding="utf-8").split("\n"))
    for r, line in enumerate(lines):
        if '"' not in line:
            for c, v in enumerate(line.split(",")):
                if v:
                    values[(r, c)] = _number_or_text(v)
            continue
        while line.count('"') % 2:  # a quoted field running on over a line break
            line += "\n" + next(lines, '"')
        for c, m in enumerate(_FIELD.finditer(line)):
            quoted, bare, end = m.groups()
            if quoted is not None:
                values[(r, c)] = quoted.replace('""', '"')
            elif bare:
                values[(r, c)] = _number_or_text(bare)
            if not end:
                break
    return values


def _number_or_text(v: str):
    try:
        return float(v)
    except ValueError:
        return v


# one cell: address, attributes, then its formula element, cached value, inline string.
# A cell holding anything else does not match and so counts as missing: verify fails, never guesses.
_CELL = re.compile(
    r'<c r="([A-Z]+)(\d+)"([^>]*?)'
    r"(?:/>|>(<f\b[^>]*?(?:/>|>[^<]*</f>))?(?:<v>([^<]*)</v>)?(?:<is>(.*?)</is>)?</c>)",
    re.S,
)
_TEXT = re.compile(r"<t\b[^>]*>(.*?)</t>", re.S)
_FORMULA = (True, None)  # a formula without a cached value: in a stripped copy, 1.7 million of them


def read_xlsx(path):
    """Every tab of an .xlsx, one at a time: one pass of regular expressions over each sheet's XML
    reads formula and value together (openpyxl needs two). A formula's value is the cached one."""
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
            defined = re.findall(r"<definedName\b([^>]*)>([^<]*)</definedName>", book)
            for n, attrs in enumerate(re.findall(r"<sheet\b([^>]*)/>", book)):
                target = rels[_attr(attrs, "r:id")].removeprefix("/xl/").removeprefix("xl/")
                names = {}
                for dn, ref in defined:
                    # parameters name single cells; skip the rest (print titles are rows: $17:$17)
                    cell = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", _unescape(ref).rsplit("!", 1)[-1])
                    if _attr(dn, "localSheetId") == str(n) and cell:
                        names[_attr(dn, "name")] = (int(cell[2]) - 1, column_index_from_string(cell[1]) - 1)
                yield Sheet(_attr(attrs, "name"), names, _cells(z.read(f"xl/{target}").decode(), shared))
    except (zipfile.BadZipFile, KeyError, TypeError, ValueError, OSError) as e:
        raise WorkbookError(f"{path}: cannot read the workbook ({type(e).__name__})") from None


def _cells(xml: str, shared: list[str]) -> dict:
    cells, col_index = {}, {}
    for letters, row, attrs, f_element, v, inline in _CELL.findall(xml):
        if letters not in col_index:
            col_index[letters] = column_index_from_string(letters) - 1
        at = (int(row) - 1, col_index[letters])
        if f_element and not v and not inline:
            cells[at] = _FORMULA
            continue
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
        cells[at] = (True if f_element else None, value)
    return cells


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(rf'(?:^|\s){re.escape(name)}="([^"]*)"', attrs)
    return _unescape(m[1]) if m else None


def _unescape(text: str) -> str:
    return unescape(text, {"&quot;": '"', "&apos;": "'"}) if "&" in text else text


def _table(sheet: Sheet):
    """(header row, column names, sheet row -> iteration index) of a tab's table, or None."""
    cells = sheet.cells
    header = min((r for (r, c), (_, v) in cells.items() if c == 0 and v == "Iteration"), default=None)
    if header is None:
        return None
    width = 1 + max(c for (r, c) in cells if r == header)
    columns = [cells.get((header, c), (None, None))[1] for c in range(width)]
    table = sorted(r for (r, c), (_, v) in cells.items() if c == 0 and r > header and _is_number(v))
    return header, columns, {r: n for n, r in enumerate(table)}


def _compare_tab(sheet: Sheet, net, ahead=None) -> tuple[TabReport, tuple | None]:
    """The tab's report, and (η, its reference trace) for the Summary. `ahead`: (Spec, trace)
    computed beforehand, used only if this copy holds exactly that Spec."""
    report = TabReport(sheet.name)
    cells = sheet.cells
    if (table := _table(sheet)) is None:
        report.fail("no table (no 'Iteration' header)")
        return report, None
    _, columns, rows = table
    width = len(columns)
    try:
        spec = _spec_from_tab(sheet, net, len(rows))
    except ValueError as e:
        report.fail(str(e))
        return report, None
    expected = ahead[1] if ahead and ahead[0] == spec else reference.run(spec, spec.learning_rates[0])
    known = [name for name in columns if name in expected]
    scale = [_row_scale(expected, n) for n in range(len(rows))]

    not_live = 0
    for (r, c), (formula, got) in cells.items():
        n = rows.get(r)
        name = columns[c] if 0 < c < width else None
        if n is None or name is None:
            if formula is not None:
                report.fail(f"{a1(r, c)}: a formula outside the table")
            continue
        if name not in expected:
            report.fail(f"{a1(r, c)}: unknown column {name!r}")
            continue
        if formula is None:
            report.fail(f"{a1(r, c)}: {name} is not a live formula (holds {got!r})")
            not_live += 1
            continue
        report.judge((r, c), name, got, expected[name][n], NOISE * scale[n])
    # every cell the table should hold must be there (constant_memory drops late writes silently)
    missing = len(rows) * len(known) - report.cells - not_live
    if missing > 0:
        report.fail(f"{missing:,} table cells missing")
    return report, (spec.learning_rates[0], expected)


def _compare_summary(sheet: Sheet, expected: dict) -> TabReport:
    """Each Summary row against the reference trace of the tab it names."""
    report = TabReport(sheet.name)
    cells = sheet.cells
    if "threshold" not in sheet.names or not _is_number(cells.get(sheet.names["threshold"], (None, None))[1]):
        report.fail("threshold is missing or not a number")
        return report
    fraction = cells[sheet.names["threshold"]][1]
    header = min((r for (r, c), (_, v) in cells.items() if c == 0 and v == "tab"), default=None)
    if header is None:
        report.fail("no table (no 'tab' header)")
        return report
    headers = {c: v for (r, c), (_, v) in cells.items() if r == header and c > 0}
    rows = {r: v for (r, c), (_, v) in cells.items() if c == 0 and r > header and v in expected}
    for (r, c), (formula, got) in cells.items():
        if r not in rows or c not in headers:
            if formula is not None:
                report.fail(f"{a1(r, c)}: a formula outside the table")
            continue
        if formula is None:
            report.fail(f"{a1(r, c)}: {headers[c]} is not a live formula (holds {got!r})")
            continue
        if expected[rows[r]] is None:
            report.fail(f"{a1(r, c)}: its tab {rows[r]} could not be checked")
            continue
        eta, trace = expected[rows[r]]
        try:
            want = summary.expected_row(headers[c], eta, trace, fraction)
        except KeyError:
            report.fail(f"{a1(r, c)}: unknown column {headers[c]!r}")
            continue
        report.judge((r, c), headers[c], got, want, NOISE * max(_row_scale(trace, 0), _row_scale(trace, -1)))
    if missing := [tab for tab in expected if tab not in rows.values()]:
        report.fail(f"no row for {', '.join(missing)}")
    elif report.cells + report.bad < len(rows) * len(headers):
        report.fail(f"{len(rows) * len(headers) - report.cells - report.bad} cells missing")
    return report


def a1(row: int, col: int) -> str:
    """The A1 address of a 0-based (row, col), for messages."""
    return f"{get_column_letter(col + 1)}{row + 1}"


def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _compare_derivation(sheet: Sheet, expected: dict) -> TabReport:
    """Both live cells of every equation (its own value, and the table's) against the reference."""
    report = TabReport(sheet.name)
    tab = sheet.cells.get((1, 1), (None, None))[1]
    if expected.get(tab) is None:
        report.fail(f"B2 names no checked tab: {tab!r}")
        return report
    _, trace = expected[tab]
    for (r, c), (formula, got) in sheet.cells.items():
        if formula is None:
            continue
        label = sheet.cells.get((r, 0), (None, None))[1]
        name, n = derivation.quantity_of(label) if isinstance(label, str) else (None, 0)
        if c not in (2, 3) or name not in trace or n >= len(trace[name]):
            report.fail(f"{a1(r, c)}: a formula where none belongs")
            continue
        report.judge((r, c), name, got, trace[name][n], NOISE * _row_scale(trace, n))
    return report


def _row_scale(trace: dict, n: int) -> float:
    """The largest finite magnitude in iteration n of a tab: what its rounding floor scales with."""
    return max((abs(x) for column in trace.values() if (x := column[n]) == x), default=0.0)


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
