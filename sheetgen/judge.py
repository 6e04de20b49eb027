"""The local judge: each cell of a table against the rule of its quantity, applied to the cells it reads.

A cell is right when it is the right function of the cells it reads: h1 of its row's w1, w2 and
the inputs; a_h1 of its row's h1; w1 of the row above's w1, ∂E_total/∂w1 and η. So a mistake is
blamed where it is, and nowhere downstream of it; and a correct sheet whose trajectory drifts from
another's by rounding (chaotic runs do) is not blamed at all. The rules are the reference's
(`reference.local`, `reference.sgd`).

For a wrong cell with a formula, the judge looks for the single change that makes it right — one
reference swapped for another column, another row or a parameter; a sign; a missing ½; a path of
the chain rule left out — and says it in the seeds' notation.
"""

import itertools
import math
import re
from dataclasses import dataclass, field

from . import excel, names, reference
from .reader import Book, Sheet
from .spec import OPTIMIZERS, SOFTMAX, Spec, weight_count
from .tables import NEW, Table, new

RTOL = 1e-9  # values read back with 15 significant digits (LibreOffice), or full doubles (Excel)
# The rounding floor: a value computed from terms that nearly cancel carries rounding noise of the
# size of those terms, whoever computes it (o1 = w5·a_h1 + w6·a_h2 → 3e-9 from terms of 0.1, late in a
# long run); LibreOffice and Excel snap a sum that cancels to within ~2^-48 to exactly 0. A cell also
# agrees when it is within this fraction of the largest magnitude in its row; such cells are counted.
NOISE = 1e-13
SHOWN = 10  # cells listed per table when many disagree


@dataclass
class Mistake:
    quantity: str
    cell: str  # its first wrong cell, in row order
    formula: str | None
    expected: object
    got: object
    rows: int  # how many of its rows are wrong
    diagnosis: str

    def as_dict(self) -> dict:
        return {
            "quantity": self.quantity,
            "cell": self.cell,
            "formula": self.formula,
            "expected": _plain(self.expected),
            "got": _plain(self.got),
            "rows": self.rows,
            "diagnosis": self.diagnosis,
        }


def _plain(x):
    if isinstance(x, float) and x != x:
        return "#NUM!"
    return x if isinstance(x, int | float | str | None) else str(x)


@dataclass
class Report:
    """One table (or tab) judged."""

    sheet: str
    cells: int = 0
    max_abs: float = 0.0
    max_rel: float = 0.0
    near_zero: int = 0  # cells that agree only to the row's rounding floor (see NOISE), not within RTOL
    errors: int = 0  # #NUM! where the rule gives #NUM! too
    mistakes: list[Mistake] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what kept cells from being judged at all
    bad: int = 0  # wrong cells, all counted
    live: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.bad == 0 and not self.problems and self.cells > 0

    def fail(self, text: str) -> None:
        self.bad += 1
        if len(self.problems) < SHOWN:
            self.problems.append(text)

    def lines(self) -> list[str]:
        """What is wrong, one line each (at most SHOWN): each wrong quantity at its first wrong cell."""
        out = [
            f"{m.cell}: {m.quantity} = {_show(m.got)}, expected {_show(m.expected)}"
            f" ({m.rows} row{'s' if m.rows != 1 else ''}): {m.diagnosis}"
            for m in self.mistakes
        ]
        return (out + self.problems)[:SHOWN]

    def agrees(self, got, want, floor: float) -> bool:
        """One cell: `want` a number, NaN for #NUM!, or the text the sheet should show. Numbers agree
        within RTOL relative, or within `floor` (see NOISE)."""
        self.cells += 1
        if isinstance(want, str) or want != want or got.__class__ is not float:
            if want != want and isinstance(got, excel.Error):  # an error in, the same error out
                self.errors += 1
                return True
            expected = "#NUM!" if want != want else want
            if isinstance(got, excel.Error):
                got = got.code
            if got == expected or same_caption(got, expected):
                return True
            return isinstance(got, int) and not isinstance(got, bool) and got == want
        dev = abs(got - want)
        self.max_abs = max(self.max_abs, dev)
        if dev <= RTOL * abs(want):
            if dev:
                self.max_rel = max(self.max_rel, dev / abs(want))
            return True
        if dev <= floor:  # agrees only within the row's rounding floor: counted apart
            self.near_zero += 1
            return True
        return False


def same_caption(got, want) -> bool:
    """Captions such as "η = 0.1" (a tab's title, a chart's label) agree when their words do and their
    numbers are equal: each program writes a number into text its own way (LibreOffice 1E-016 where
    Excel writes 1E-16)."""
    if not isinstance(want, str):
        return False
    words, _, number = want.rpartition("= ")
    if not (isinstance(got, str) and words and got.startswith(words)):
        return False
    try:
        return math.isclose(float(got.removeprefix(words + "= ")), float(number), rel_tol=1e-14, abs_tol=1e-20)
    except ValueError:
        return False


def network(table: Table, given: Spec | None = None) -> Spec:
    """The network a table computes: `given` (a sheetgen workbook says which), else read off its
    columns: inputs, hidden neurons and outputs by their names, sigmoid throughout, as the course has it."""
    if given is not None or table.network is not None:
        return given or table.network
    # h1[2], i1[2]: a row of several samples, counted by their numbers
    n_samples = max((s for q in [*table.columns, *table.params] if (s := names.unsampled(q)[1])), default=1)
    cols = {names.unsampled(q)[0] for q in table.columns}
    params = {names.unsampled(q)[0] for q in table.params}

    def count(pattern):
        return max((int(m[1]) for q in cols | params if (m := re.fullmatch(pattern, q))), default=0)

    n_in = count(r"i(\d+)") or 2
    n_out = max(count(r"t(\d+)"), count(r"a?_?o(\d+)"), count(r"E(\d+)")) or 2
    hidden = count(r"(?:a_)?h(\d+)")
    layers = (n_in, hidden, n_out) if hidden else (n_in, n_out)
    n_weights = max(count(r"w(\d+)"), weight_count(layers))
    biases = sorted({q for q in cols | params if re.fullmatch(r"b\d+", q)})
    bias = "none" if not biases else ("trainable" if any(b in cols for b in biases) else "fixed")
    n_biases = sum(layers[1:]) if bias != "none" else 0
    # cross-entropy by its loss's formula: E1 = −t1·LN(a_o1), the output layer's activation a softmax
    e1 = next((c for q, c in table.columns.items() if names.unsampled(q)[0] == names.loss(1)), None)
    formula = table.sheet.formula(table.rows[0], e1) if e1 is not None else None
    loss = "cross_entropy" if isinstance(formula, str) and "LN(" in formula.upper() and n_out > 1 else "mse"
    # the optimizer, by its state's columns as PyTorch names them (exp_avg_w1: Adam); none is plain SGD
    kinds = {of[0] for q in cols if (of := names.of_state(q))}
    optimizer = next((o for o, state in names.STATE.items() if state and set(state) == kinds), "sgd")
    settings = tuple((names.HYPERPARAMETERS[k], x) for k, x in OPTIMIZERS[optimizer].items())
    return Spec(
        source=table.sheet.name,
        description="",
        output="check.xlsx",
        iterations=len(table.rows),
        learning_rates=(1.0,),
        layers=layers,
        activations=("sigmoid",) * (len(layers) - 2) + (SOFTMAX if loss == "cross_entropy" else "sigmoid",),
        bias=bias,
        inputs=(0.0,) * n_in,
        targets=(0.0,) * n_out,
        weights=(0.0,) * n_weights,
        biases=(0.0,) * n_biases,
        samples=((0.0,) * n_in,) * n_samples if n_samples > 1 else (),
        sample_targets=((0.0,) * n_out,) * n_samples if n_samples > 1 else (),
        batch="online" if names.SAMPLE in cols else "full",
        loss=loss,
        optimizer=optimizer,
        settings=settings,  # the defaults; a named cell's value wins, row by row
    )


def judge(
    table: Table, book: Book | None = None, spec: Spec | None = None, strict: bool = False, fresh: bool = False
) -> Report:
    """Every computed cell of a table against its quantity's rule on the cells it reads.

    `spec`: the network, when known (a sheetgen workbook's); else it is read off the columns.
    `strict` (sheetgen's own tabs): every cell of the table must be a live formula.
    `fresh`: the values were just recalculated (by LibreOffice), so they are what the formulas give;
    otherwise a cached value its own formula does not give raises Stale."""
    sheet = table.sheet
    report = Report(sheet.name)
    spec = network(table, spec)
    if weight_count(spec.layers) != len(spec.weights) or any(names.weight(k) not in table.columns for k in
                                                                range(1, len(spec.weights) + 1)):  # fmt: skip
        report.problems.append(f"the table's weights do not make a network with layers {list(spec.layers)}")
        return report
    eta = table.eta
    # online training picks each row's inputs and targets by formula: they are judged too
    computed = {q: c for q, c in table.columns.items() if _is_computed(q) or (spec.online and _is_given(q))}
    cells = sheet.cells
    # each column's (formula, value) per iteration, looked up once
    column = {q: [cells.get((r, c), _EMPTY) for r in table.rows] for q, c in table.columns.items()}
    report.live = any(f is not None for q in computed for f, _ in column[q])
    if not report.live and not strict:  # values pasted over the formulas: nothing left to judge
        report.notes.append("not live: pasted values, no cell of the table is a formula")
        return report
    wrong: dict[str, list] = {}  # quantity -> [(row, want, got, kind)], in row order
    circular = _circular(table, look=not strict)
    if circular:
        culprit, cycle = circular
        r, c = culprit
        q = next(q for q, col in table.columns.items() if col == c)
        same = _copies(table, r, c)
        report.mistakes.append(Mistake(q, excel.a1(r, c), sheet.formula(r, c), None, sheet.value(r, c),
                                       same, _circular_message(table, culprit, cycle)))  # fmt: skip
        report.bad += same
    if not fresh:
        _stale_sample(table, book)
    rule = reference.Local(spec)
    previous = previous_given = None
    initial = {q: p.value for q, p in table.params.items() if names.is_param(q) and p.value is not None}
    # an update (and an optimizer's state) reads the row above, the rest their own row
    above = {q for q in computed if q.startswith(NEW) or names.is_param(q) or names.of_state(q)}
    plain = [(q, column[q]) for q in computed if q not in above]
    updates = [(q, column[q]) for q in computed if q in above]
    weights = [names.weight(k) for k in range(1, len(spec.weights) + 1)]
    values = [(q, [v for _, v in column[q]]) for q in table.columns]
    params = [(q, p) for q, p in table.params.items() if q not in table.columns]
    max_abs = max_rel = 0.0
    for n, r in enumerate(table.rows):
        given = _row(values, params, sheet, n, r, errors=not circular)
        expected = rule(given) if all(q in given for q in weights) else {}
        scale = max((abs(x) for x in expected.values() if x == x), default=0.0)
        floor = NOISE * max(scale, max((abs(x) for x in given.values() if x == x), default=0.0))
        judged = [(q, col[n], expected.get(q)) for q, col in plain]
        if updates:
            optimizer = optimizer_of(spec, given)
            judged += [
                (q, col[n], _want(q, n, given, expected, previous, previous_given, eta, initial, optimizer))
                for q, col in updates
            ]
        for q, (formula, got), want in judged:
            if want is None:
                continue
            if got.__class__ is float and want.__class__ is float and formula is not None:  # the common case
                dev = got - want if got > want else want - got
                if dev <= RTOL * (want if want > 0 else -want):
                    report.cells += 1
                    max_abs = dev if dev > max_abs else max_abs
                    if dev and dev / abs(want) > max_rel:
                        max_rel = dev / abs(want)
                    continue
                if dev <= floor:  # agrees only within the row's rounding floor: counted apart
                    report.cells += 1
                    report.near_zero += 1
                    max_abs = dev if dev > max_abs else max_abs
                    continue
            if circular and isinstance(got, excel.Error):  # the cycle's doing, said once
                continue
            if formula is None and (report.live or strict) and not (names.is_param(q) and n == 0):
                report.cells += 1
                wrong.setdefault(q, []).append((r, want, got, "missing" if got is None and strict else "not live"))
                continue
            if formula is None and names.is_param(q) and n == 0:
                continue  # the initial weights: the table's inputs
            if not report.agrees(got if got.__class__ is not int else float(got), want, floor):
                wrong.setdefault(q, []).append((r, want, got, None))
        previous, previous_given = expected, given
    report.max_abs, report.max_rel = max(report.max_abs, max_abs), max(report.max_rel, max_rel)
    for q, cells in wrong.items():
        report.bad += len(cells)
        r, want, got, kind = cells[0]
        c = table.columns[q]
        formula = sheet.formula(r, c)
        if kind == "not live":
            why = f"not live: a number typed over a formula (holds {_show(got)})"
        elif kind == "missing":
            why = f"missing: {len(cells)} cell(s) of the column are empty"
        elif got is None:
            why = "empty: the cell holds no value"
        elif formula is None:
            why = f"pasted value {_show(got)} is not {q} of the values beside it"
        elif not isinstance(formula, str):  # read without its text (verify's first pass)
            why = f"gives {_show(got)}, expected {_show(want)}"
        else:
            why = diagnose(table, book, spec, q, r, want, got, fresh)
        text = formula if isinstance(formula, str) else None
        report.mistakes.append(Mistake(q, f"{excel.col_name(c)}{r + 1}", text, want, got, len(cells), why))
    report.mistakes.sort(key=lambda m: (table.rows.index(excel.parse_ref(m.cell).row), table.columns[m.quantity]))
    return report


_EMPTY = (None, None)


def _row(values, params, sheet, n, r, errors) -> dict[str, float]:
    """row_values, from the columns looked up once."""
    given = {}
    for q, column in values:
        v = column[n]
        if v.__class__ is float:
            given[q] = v
        elif isinstance(v, int) and not isinstance(v, bool):
            given[q] = float(v)
        elif errors and isinstance(v, excel.Error) and v.code not in CIRCULAR:
            given[q] = reference.NUM_ERROR
    for q, p in params:
        v = sheet.value(r, p.column) if p.column is not None else p.value
        if isinstance(v, int | float) and not isinstance(v, bool):
            given[q] = float(v)
    return given


def _is_computed(q: str) -> bool:
    """What a table computes, as opposed to what it is given (iteration numbers, inputs, targets)."""
    return not (q == names.ITERATION or _is_given(q))


def _is_given(q: str) -> bool:
    return re.fullmatch(r"[it]\d+", q) is not None


def row_values(table: Table, r: int, errors: bool = True) -> dict[str, float]:
    """The row's own values by quantity, and the parameters as the table keeps them. `errors`: an
    error value is the reference's NaN (what is computed from it is an error too), else left out."""
    sheet = table.sheet
    given = {}
    for q, c in table.columns.items():
        v = sheet.value(r, c)
        if v.__class__ is float or (isinstance(v, int) and not isinstance(v, bool)):
            given[q] = float(v)
        elif errors and isinstance(v, excel.Error) and v.code not in CIRCULAR:  # #NUM! and its kind
            given[q] = reference.NUM_ERROR
    for q, p in table.params.items():
        v = sheet.value(r, p.column) if p.column is not None else p.value
        if isinstance(v, int | float) and not isinstance(v, bool):
            given.setdefault(q, float(v))
    return given


CIRCULAR = {"Err:522", "Err:523", "#CIRC!"}  # LibreOffice's "circular reference" (and no convergence)


def _circular(table: Table, look: bool = True):
    """A cycle among the table's formulas: (the cell that reads a later row, the cycle as cells), or
    None. In an iteration table every formula reads its own row or rows above; a reference to a row
    below is where a cycle closes. LibreOffice shows a cycle as Err:522 (and saves it as #VALUE!);
    Excel saves 0. `look`: search even when no cell shows LibreOffice's Err:522."""
    sheet = table.sheet
    cols = set(table.columns.values())
    shown = (v for (_, c), (_, v) in sheet.cells.items() if c in cols)
    if not look and not any(isinstance(v, excel.Error) and v.code in CIRCULAR for v in shown):
        return None
    if sheet.reads is None:  # worked out once per sheet, however many tables it holds
        sheet.reads = {}
        for at, (formula, _) in sheet.cells.items():
            if isinstance(formula, str):
                try:
                    found = [ref for ref in excel.refs(formula) if ref.sheet in (None, sheet.name)]
                except excel.FormulaError:
                    found = []
                sheet.reads[at] = [cell for ref in found if ref.end is None or len(ref.cells()) < 1000
                                   for cell in ref.cells()]  # fmt: skip
    reads = sheet.reads
    state, path = {}, []
    for start in sorted(reads):
        if start in state:
            continue
        stack = [(start, iter(reads.get(start, ())))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                path.pop()
                stack.pop()
            elif state.get(child) == 1:
                cycle = path[path.index(child) :] + [child]
                forward = [(a, b) for a, b in zip(cycle, cycle[1:]) if b[0] > a[0] and a[1] in cols]
                culprit = min(forward)[0] if forward else min(x for x in cycle if x[1] in cols)
                return culprit, cycle
            elif child not in state and child in reads:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(reads[child])))
    return None


def _copies(table: Table, r: int, c: int) -> int:
    """How many rows of a column hold the formula of (r, c) copied down (the same slip in each)."""
    formula = table.sheet.formula(r, c)
    try:
        return sum(1 for row in table.rows if table.sheet.formula(row, c) == excel.move(formula, row - r, 0))
    except (excel.FormulaError, TypeError):
        return 1


def _circular_message(table: Table, culprit, cycle) -> str:
    r, c = culprit
    start = cycle.index(culprit)
    loop = cycle[start:-1] + cycle[:start] + [culprit]
    shown = " → ".join(excel.a1(*x) for x in loop[:8]) + (" → …" if len(loop) > 8 else "")
    later = [b for a, b in zip(loop, loop[1:]) if a == culprit]
    what = ""
    if later and later[0][0] > r:
        b = later[0]
        q = next((q for q, col in table.columns.items() if col == b[1]), excel.a1(*b))
        what = f"reads {q} from row {b[0] + 1} in row {r + 1}: "
    return f"{what}a circular reference ({shown}); no spreadsheet can compute it (LibreOffice: Err:522)"


def _complete(spec: Spec, given: dict) -> bool:
    return all(names.weight(k) in given for k in range(1, len(spec.weights) + 1))


def optimizer_of(spec: Spec, given: dict) -> reference.Optimizer:
    """The spec's optimizer, with its hyperparameters as the row's named cells hold them."""
    return reference.Optimizer(spec.optimizer, {label: given.get(label, x) for label, x in spec.settings})


def _want(q, n, given, expected, previous, previous_given, eta, initial, optimizer):
    """What a cell of quantity q in iteration n (from 0) should hold, or None if it cannot be said."""
    if of := names.of_state(q):  # the optimizer's state: the row above's, and this row's gradient
        kind, p = of
        g = given.get(names.grad(p), expected.get(names.grad(p)))
        before = None if n == 0 else tuple(previous_given.get(names.state(k, p)) for k in optimizer.kinds)
        if g is None or kind not in optimizer.kinds or (before is not None and None in before):
            return None
        return optimizer.state(before, g)[optimizer.kinds.index(kind)]
    if q.startswith(NEW):  # new w1 = w1 − η·∂E_total/∂w1, in the same row
        w = q[len(NEW) :]
        g = given.get(names.grad(w), expected.get(names.grad(w)))
        if eta is None or w not in given or g is None:
            return None
        return reference.sgd([given[w]], [g], _eta(eta, given))[0]
    if names.is_param(q):
        if n == 0 and q in initial:  # the first row copies the initial value from its named cell
            return initial[q]
        if n == 0 or previous_given is None:
            return None
        if new(q) in previous_given:  # written as "new w1" in the row above
            return previous_given[new(q)]
        g = previous_given.get(names.grad(q), previous.get(names.grad(q)) if previous else None)
        state = tuple(previous_given.get(names.state(kind, q)) for kind in optimizer.kinds)
        if eta is None or q not in previous_given or g is None or None in state:
            return None
        t = previous_given.get(names.ITERATION, float(n))  # the step the row above takes: its iteration
        return optimizer.step(previous_given[q], g, state, t, _eta(eta, previous_given))
    return expected.get(q)


def _eta(eta, given) -> float:
    return given.get(names.ETA, eta.value)


def _show(x) -> str:
    if isinstance(x, float):
        return "#NUM!" if x != x else f"{x:.10g}"
    return repr(x) if isinstance(x, str) else str(x)


# -- saying why --------------------------------------------------------------------------------------
def _slip(q, wrong, right, note):
    return (q, wrong, right), note


CLASS_SHEET = "the course's class sheet has this slip, and sheets built on it copy it"
w, g, a = names.weight, (lambda k: names.grad(names.weight(k))), names.act
KNOWN_SLIPS = dict(  # (quantity, the name it uses, the name that belongs) -> whose slip it is
    [
        _slip(names.loss(2), a("o1"), a("o2"), "seed 001 writes E2 = ½(t2 − a_o1)²"),
        _slip(g(3), a("h1"), a("h2"), CLASS_SHEET),
        _slip(g(4), a("h1"), a("h2"), CLASS_SHEET),
        _slip(g(7), a("o1"), a("o2"), "seed 002 writes ∂E/∂w7 = (a_o1 − t1)·a_o1·(1 − a_o2)·a_h1"),
        _slip(g(8), a("o1"), a("o2"), "seed 002 writes ∂E/∂w8 = (a_o1 − t1)·a_o1·(1 − a_o2)·a_h2"),
        _slip(w(8), w(6), w(8), "seed 004 writes w8 = w6 − η·∂E/∂w6"),
    ]
)
del w, g, a
MISSING_PATH_SLIP = "seed 002 chains ∂E_total/∂w1 through o1 alone"


def _stale_sample(table: Table, book: Book | None) -> None:
    """Raise Stale if a cached value in a column's first, second or last row is not what its own
    formula gives from the cells it reads (Excel always saves them in step; a file edited by a
    program, or saved with calculation off, may not). The judge blames values, so they must be true."""
    evaluate = _evaluator(table.sheet, book)
    rows = sorted({table.rows[0], table.rows[min(1, len(table.rows) - 1)], table.rows[-1]})
    for c in table.columns.values():
        for r in rows:
            formula, got = table.sheet.cells.get((r, c), _EMPTY)
            if not isinstance(formula, str) or got is None:
                continue
            try:
                value = evaluate(excel.parse(formula))
            except excel.FormulaError:
                continue
            if not _close(value, got) and not (isinstance(value, excel.Error) and str(value) == str(got)):
                raise Stale(f"{table.sheet.name}!{excel.a1(r, c)}")


class Stale(Exception):
    """A cached value is not what its own formula computes from the cells it reads: the file needs
    recalculating before it can be judged."""


def _close(a, b) -> bool:
    if isinstance(a, excel.Error) or isinstance(b, excel.Error) or a is None or b is None:
        return False
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, int | float) or not isinstance(b, int | float):
        return a == b
    if b != b:
        return False
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) or abs(a - b) <= 1e-15


def diagnose(table: Table, book: Book | None, spec: Spec, q: str, r: int, want, got, fresh: bool = False) -> str:
    """The single change that makes the formula at (r, q's column) give `want`, said in names."""
    sheet = table.sheet
    formula = sheet.formula(r, table.columns[q])
    evaluate = _evaluator(sheet, book)
    try:
        tree = excel.parse(formula)
        value = evaluate(tree)
    except excel.FormulaError:
        return f"gives {_show(got)}, expected {_show(want)} (its formula could not be read: {formula})"
    if not fresh and not _close(value, got) and not (isinstance(value, excel.Error) and str(value) == str(got)):
        raise Stale(f"{sheet.name}!{excel.col_name(table.columns[q])}{r + 1}")
    place = _places(table)
    refs = list(dict.fromkeys(ref for ref in excel.refs(formula) if ref.end is None))

    def where(ref) -> str:
        if isinstance(ref, str):
            return f"η = {ref}"
        what = place.get((ref.sheet or sheet.name, ref.row, ref.col))
        address = ref.text()
        if what is None:
            return address
        name, row = what
        return f"{name} ({address})" if row == r or row is None else f"{name} ({address}, row {row + 1})"

    def value_of(*swaps):
        """The formula's value with each (old, new) reference swapped: the tree is edited, not re-parsed."""

        def change(ref):
            for old, instead in swaps:
                if _same(ref, old):
                    return float(instead) if isinstance(instead, str) else instead
            return None

        try:
            return evaluate(excel.substitute(tree, change))
        except excel.FormulaError:
            return None

    def value_of_text(text):
        try:
            return evaluate(excel.parse(text))
        except excel.FormulaError:
            return None

    def known(x_name, y_name):
        note = KNOWN_SLIPS.get((q.removeprefix(NEW), x_name, y_name))
        return f" — {note}" if note else ""

    # 1. one reference (every occurrence of it) swapped for another cell
    for old in refs:
        for candidate in _candidates(table, old, r):
            if _close(value_of((old, candidate)), want):
                return _swap_message(table, sheet, place, old, candidate, r, where, known)
    # 1b. one defined name (a parameter's cell: t_1, beta_1) written where another belongs
    tokens = excel.tokenize(formula)
    defined = list(dict.fromkeys([*sheet.names, *(book.names if book is not None else ())]))
    for i, old in enumerate(tokens):
        if old.kind != "name":
            continue
        # the likeliest first: the same quantity of another sample (i1[2] for i1[3]), then its kind (β2, β1)
        base, kind = names.unsampled(names.label(old.text))[0], re.sub(r"[\d_].*", "", old.text)
        for other in sorted(
            defined, key=lambda d: (names.unsampled(names.label(d))[0] != base, not d.startswith(kind))
        ):
            swapped = tokens[:i] + [excel.Token("name", other)] + tokens[i + 1 :]
            if other != old.text and _close(value_of_text(excel.untokenize(swapped)), want):
                return f"uses {names.label(old.text)} ({old.text}) where {names.label(other)} ({other}) belongs"
    # 2. a sign, or a factor of 2 (the ½ of E = ½(t − a)²)
    if _close(_neg(value), want):
        return f"the sign is wrong: gives {_show(got)}, expected {_show(want)}"
    if isinstance(value, float) and _close(value * 0.5, want):
        return "a missing ½: gives twice the expected value"
    if isinstance(value, float) and _close(value * 2, want):
        return "an extra ½: gives half the expected value"
    # 2b. Excel's LOG is base 10: the natural log of cross-entropy is LN
    natural = re.sub(r"\bLOG(?:10)?\(", "LN(", formula, flags=re.I)
    if natural != formula and _close(value_of_text(natural), want):
        return "LOG is the base-10 logarithm in Excel, LibreOffice and Google Sheets: cross-entropy's ln is LN"
    # 3. the chain rule through one output only
    of = names.of_grad(q)
    if of is not None and len(spec.layers) > 2:
        outputs = range(1, spec.layers[-1] + 1)
        for j in outputs:
            partial = reference.local(spec, row_values(table, r), of=names.loss(j)).get(names.grad(of, names.loss(j)))
            if partial is not None and _close(value, partial) and not _close(partial, want):
                others = ", ".join(f"o{k}" for k in outputs if k != j)
                slip = f" — {MISSING_PATH_SLIP}" if re.fullmatch(r"w[1-4]", of) and len(spec.layers) == 3 else ""
                return f"{q} through o{j} only: the path through {others} is missing{slip}"
    # 4. two references swapped at once (w8 = w6 − η·∂E/∂w6; a_o1 and t1 where a_o2 and t2 belong)
    pairs = (
        (old1, old2, c1, c2)
        for i, old1 in enumerate(refs)
        for old2 in refs[i + 1 :]
        for c1 in _candidates(table, old1, r, same_row_only=True)
        for c2 in _candidates(table, old2, r, same_row_only=True)
    )
    for old1, old2, c1, c2 in itertools.islice(pairs, 20_000):  # a few seconds at the most
        if _close(value_of((old1, c1), (old2, c2)), want):
            a, b = place.get(_key(sheet, old1)), place.get(_key(sheet, old2))
            ya, yb = place.get(_key(sheet, c1)), place.get(_key(sheet, c2))
            note = next((known(x[0], y[0]) for x, y in ((a, ya), (b, yb)) if x and y and known(x[0], y[0])), "")
            return f"uses {where(old1)} and {where(old2)} where {where(c1)} and {where(c2)} belong{note}"
    return f"gives {_show(got)}, expected {_show(want)}: {q} = {in_names(table, formula, r)} is not its rule"


def _swap_message(table, sheet, place, old, new, r, where, known) -> str:
    if isinstance(new, str):
        return f"reads {old.text()} where η ({new}) belongs"
    a, b = place.get(_key(sheet, old)), place.get(_key(sheet, new))
    if a and b and a[0] == b[0] and a[1] is not None and b[1] is not None:
        return f"reads {a[0]} from row {a[1] + 1} in row {r + 1} ({old.text()} where {new.text()} belongs)"
    if b and b[1] is None and not old.row_abs and (a is None or a[0] != b[0]) and _drifted(table, old, new):
        return (
            f"{b[0]} is referenced relatively: this row reads {old.text()} where {b[0]} ({new.text()}) belongs — "
            f"the reference drifts down the column; write it as ${excel.col_name(new.col)}${new.row + 1}"
        )
    note = known(a[0], b[0]) if a and b else ""
    return f"uses {where(old)} where {where(new)} belongs{note}"


def _drifted(table: Table, old: excel.Ref, param_cell: excel.Ref) -> bool:
    """A relative reference that pointed at the parameter in the table's first row and has moved
    down with every row since."""
    return old.col == param_cell.col and old.row > param_cell.row


def _neg(x):
    return -x if isinstance(x, float) else None


def _key(sheet: Sheet, ref):
    return None if isinstance(ref, str) else (ref.sheet or sheet.name, ref.row, ref.col)


def _same(a: excel.Ref, b: excel.Ref) -> bool:
    return a.end is None and (a.sheet, a.row, a.col) == (b.sheet, b.row, b.col)


def _places(table: Table) -> dict:
    """(sheet, row, col) -> (quantity, row or None for a parameter cell), for every cell a formula of
    the table might read."""
    name = table.sheet.name
    out = {}
    for q, c in table.columns.items():
        for r in table.rows:
            out[(name, r, c)] = (q, r)
    for q, p in table.params.items():
        if p.cell is not None:
            out[(name, *p.cell)] = (q, None)
    return out


def _candidates(table: Table, old: excel.Ref, r: int, same_row_only: bool = False):
    """The cells a slip may have meant: another column of the same row, the same column in this row
    or the one above, or a parameter's cell."""
    name = table.sheet.name
    in_table = old.sheet in (None, name) and old.row in set(table.rows)
    cols = sorted(set(table.columns.values()))
    out = []
    if in_table:
        out += [excel.Ref(old.sheet, old.row, c) for c in cols if c != old.col]
        if not same_row_only:
            out += [excel.Ref(old.sheet, row, old.col) for row in (r, r - 1) if row != old.row and row in table.rows]
    if not same_row_only:
        out += [
            excel.Ref(None, *p.cell, True, True)
            for p in table.params.values()
            if p.cell is not None and (p.cell != (old.row, old.col))
        ]
        if not in_table and (eta := table.eta) is not None and eta.cell is None:
            out.append(repr(eta.value))  # η known only as a number (from the tab's name)
    return out


def _evaluator(sheet: Sheet, book: Book | None):
    def cell(sheet_name, row, col):
        if sheet_name is None or sheet_name == sheet.name:
            return sheet.value(row, col)
        other = book.sheet(sheet_name) if book else None
        return other.value(row, col) if other else None

    def name(text):
        if text in sheet.names:
            return excel.Ref(None, *sheet.names[text])
        if book is not None and text in book.names:
            return book.names[text]
        return None

    return lambda tree: excel.evaluate(tree, cell, name)


def in_names(table: Table, formula: str, r: int) -> str:
    """A formula with its references as the quantities they hold: =(R3-A3)*R3 -> (a_o1-t1)*a_o1."""
    place = _places(table)

    def change(ref):
        what = place.get((ref.sheet or table.sheet.name, ref.row, ref.col)) if ref.end is None else None
        if what is None:
            return None
        name, row = what
        return name if row in (r, None) else f"{name}[row {row + 1}]"

    return excel.edit(formula, change)[1:]


def is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
