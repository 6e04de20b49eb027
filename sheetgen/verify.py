"""Stage 6b: prove a workbook right — LibreOffice's recalculation against the reference.

Everything is taken from the workbook itself: the network from the `sheetgen` document
property, the parameters from each tab's named cells (so a user's edits count), the quantities
from the header row. The reference is computed afresh from those parameters.
"""

import json
import math
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

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
    formulas = openpyxl.load_workbook(recalculated, read_only=True)
    values = openpyxl.load_workbook(recalculated, read_only=True, data_only=True)
    try:
        return Report(Path(path), [_compare_tab(formulas[n], values[n], net) for n in formulas.sheetnames])
    finally:
        formulas.close()
        values.close()


def _compare_tab(ws_formulas, ws_values, net) -> TabReport:
    report = TabReport(ws_formulas.title)
    grid = list(ws_values.iter_rows(values_only=True))
    text = list(ws_formulas.iter_rows(values_only=True))
    header = next((r for r, row in enumerate(grid) if row and row[0] == "Iteration"), None)
    if header is None:
        report.fail("no table (no 'Iteration' header)")
        return report
    columns = grid[header]
    # sheet row -> iteration index, for the table's rows
    rows = {r: n for n, r in enumerate(r for r in range(header + 1, len(grid)) if isinstance(grid[r][0], int | float))}
    try:
        spec = _spec_from_tab(ws_values, grid, net, len(rows))
    except ValueError as e:
        report.fail(str(e))
        return report
    expected = reference.run(spec, spec.learning_rates[0])
    known = [name for name in columns if name in expected]
    scale = [max((abs(x) for name in known if (x := expected[name][n]) == x), default=0.0) for n in range(len(rows))]

    for r, row in enumerate(text):
        for c, cell in enumerate(row):
            is_formula = isinstance(cell, str) and cell.startswith("=")
            in_table = r in rows and c > 0 and c < len(columns) and columns[c] is not None
            where = f"{openpyxl.utils.get_column_letter(c + 1)}{r + 1}"
            if not in_table:
                if is_formula:
                    report.fail(f"{where}: a formula outside the table")
                continue
            name = columns[c]
            if name not in expected:
                report.fail(f"{where}: unknown column {name!r}")
                continue
            if not is_formula:
                report.fail(f"{where}: {name} is not a live formula (holds {cell!r})")
                continue
            got, want = grid[r][c], expected[name][rows[r]]
            report.cells += 1
            if want != want or got == "#NUM!":  # diverged: both must show the error
                if got == "#NUM!" and want != want:
                    report.errors += 1
                else:
                    report.fail(f"{where}: {name} = {got!r}, expected {'#NUM!' if want != want else repr(want)}")
                continue
            if not isinstance(got, int | float) or isinstance(got, bool):
                report.fail(f"{where}: {name} = {got!r}, expected {want!r}")
                continue
            dev = abs(got - want)
            report.max_abs = max(report.max_abs, dev)
            noise = NOISE * scale[rows[r]]
            if abs(want) <= noise:
                report.near_zero += 1
                ok = dev <= noise
            else:
                report.max_rel = max(report.max_rel, dev / abs(want))
                ok = dev <= RTOL * abs(want)
            if not ok:
                report.fail(f"{where}: {name} = {got!r}, expected {want!r}")
    return report


def _spec_from_tab(ws, grid, net, iterations) -> Spec:
    """The tab's network with the parameters as they stand in its named cells."""
    names = ws.defined_names

    def param(name):
        if name not in names:
            raise ValueError(f"missing defined name {name}")
        (_, coord), *_ = names[name].destinations
        col, row = openpyxl.utils.cell.coordinate_from_string(coord.replace("$", ""))
        value = grid[row - 1][openpyxl.utils.column_index_from_string(col) - 1]
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise ValueError(f"{name} ({coord}) is not a number: {value!r}")
        return float(value)

    layers = tuple(net["layers"])
    bias = net.get("bias", "none")
    return Spec(
        source=ws.title,
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
