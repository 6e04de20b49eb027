"""The local judge: each cell of a table against the rule of its quantity, applied to the cells it reads.

A cell is right when it is the right function of the cells it reads: h1 of its row's w1, w2 and
the inputs; a_h1 of its row's h1; w1 of the row above's w1, ∂E_total/∂w1 and η. So a mistake is
blamed where it is, and nowhere downstream of it; and a correct sheet whose trajectory drifts from
another's by rounding (chaotic runs do) is not blamed at all. The rules are the reference's
(`reference.Local`, the optimizers' steps). Why a wrong cell is wrong is diagnose's to say.
"""

import math
import re
from dataclasses import dataclass, field

from sheetgen.check import diagnose, functions, helpers, tables
from sheetgen.check.diagnose import show
from sheetgen.check.tables import Table
from sheetgen.finding import Finding
from sheetgen.model import names, reference
from sheetgen.model.spec import OPTIMIZERS, SOFTMAX, Spec, weight_count
from sheetgen.model.spelling import NEW, new
from sheetgen.xlsx import excel
from sheetgen.xlsx.reader import Book

RTOL = 1e-9  # values read back with 15 significant digits (LibreOffice), or full doubles (Excel)
# The rounding floor: a value computed from terms that nearly cancel carries rounding noise of the
# size of those terms, whoever computes it (o1 = w5·a_h1 + w6·a_h2 → 3e-9 from terms of 0.1, late in a
# long run); LibreOffice and Excel snap a sum that cancels to within ~2^-48 to exactly 0. A cell also
# agrees when it is within this fraction of the largest magnitude in its row; such cells are counted.
NOISE = 1e-13
SHOWN = 10  # cells listed per table when many disagree


@dataclass
class Report:
    """One table (or tab) judged."""

    sheet: str
    cells: int = 0
    max_abs: float = 0.0
    max_rel: float = 0.0
    near_zero: int = 0  # cells that agree only to the row's rounding floor (see NOISE), not within RTOL
    errors: int = 0  # #NUM! where the rule gives #NUM! too
    beyond: int = 0  # numbers where a double overflows into #NUM! (an engine of a wider range): not judged
    mistakes: list[Finding] = field(default_factory=list)  # each wrong quantity at its first wrong cell
    problems: list[str] = field(default_factory=list)  # what kept cells from being judged at all
    bad: int = 0  # wrong cells, all counted
    live: bool = True
    notes: list[str] = field(default_factory=list)
    network: str = ""  # the network judged against, in words (Spec.network)

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
            f"{m.where}: {m.quantity} = {show(m.got)}, expected {show(m.expected)}"
            f" ({m.rows} row{'s' if m.rows != 1 else ''}): {m.message}"
            for m in self.mistakes
        ]
        return (out + self.problems)[:SHOWN]

    def agrees(self, got, want, floor: float) -> bool:
        """One cell: `want` a number, NaN for #NUM!, or the text the sheet should show. Numbers agree
        within RTOL relative, or within `floor` (see NOISE)."""
        self.cells += 1
        if got == want:  # ±inf too: a number beyond a double's range, as an extended-range engine holds it
            return True
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
    hidden_act = _activation(table, "h1")
    output_act = SOFTMAX if loss == "cross_entropy" else _activation(table, "o1")
    # the optimizer, by its state's columns as PyTorch names them (exp_avg_w1: Adam); none is plain SGD
    kinds = {of[0] for q in cols if (of := names.of_state(q))}
    optimizer = next((o for o, state in names.STATE.items() if state and set(state) == kinds), "sgd")
    settings = [(names.HYPERPARAMETERS[k], x) for k, x in OPTIMIZERS[optimizer].items()]
    settings = tuple((label, table.params[label].value if label in table.params else x) for label, x in settings)
    return Spec(
        source=table.sheet.name,
        description="",
        output="check.xlsx",
        iterations=len(table.rows),
        learning_rates=(1.0,),
        layers=layers,
        activations=(hidden_act,) * (len(layers) - 2) + (output_act,),
        leaky_slope=table.params[names.ALPHA].value if names.ALPHA in table.params else 0.01,
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
        settings=settings,  # the named cells' (else the defaults); a named cell's value wins, row by row
    )


def _activation(table: Table, neuron: str) -> str:
    """A layer's activation, by what its first neuron's column computes of the neuron's own column at
    probe points (functions.activation: 0.5*(1+TANH(h1/2)) is σ, whatever functions it names):
    sigmoid, as the course has it, unless it plainly computes another. A bare =h1 is not taken for
    `linear`: a forgotten σ would then pass."""
    col = lambda q: next((c for p, c in table.columns.items() if names.unsampled(p)[0] == q), None)  # noqa: E731
    if (c := col(names.act(neuron))) is None or not table.rows:
        return "sigmoid"
    return functions.activation(table.sheet, table.book, table.rows, c, col(neuron)) or "sigmoid"


def judge(
    table: Table,
    book: Book | None = None,
    spec: Spec | None = None,
    strict: bool = False,
    fresh: bool = False,
    extended: bool = False,
    engine: str | None = None,
) -> Report:
    """Every computed cell of a table against its quantity's rule on the cells it reads.

    `spec`: the network, when known (a sheetgen workbook's); else it is read off the columns.
    `strict` (sheetgen's own tabs): every cell of the table must be a live formula.
    `fresh`: the values were just recalculated (by an engine), so they are what the formulas give;
    otherwise a cached value its own formula does not give raises Stale.
    `extended`: the values come from an engine that computes beyond a double's range (Gnumeric's
    long double): where the rule, in doubles as Excel computes, overflows into #NUM! (EXP(1000), a
    result beyond 1.8e308), such an engine may still hold a number. That formula cell is not judged,
    only counted (Report.beyond) — unless an error value in its row or the row above, rather than an
    overflow, may be what makes the rule #NUM! (and the row holds no number beyond a double's range).
    `engine`: whose values they are (its name), said where it matters (a circular reference)."""
    sheet = table.sheet
    report = Report(sheet.name)
    spec = network(table, spec)
    report.network = spec.network()
    if why := _unjudgeable(table, spec):
        report.problems.append(why)
        return report
    helpers.settle(table, spec)  # a δ column read as what its values are (∂E_total/∂o1, −∂E_total/∂o1, …)
    # online training picks each row's inputs and targets by formula: they are judged too
    computed = {q: c for q, c in table.columns.items() if _is_computed(q) or (spec.online and _is_given(q))}
    # each column's (formula, value) per iteration, looked up once (a formula as FORMULA: only whether
    # there is one matters here; a wrong cell's text is read again to say why)
    column = {q: sheet.column(c, table.rows) for q, c in table.columns.items()}
    report.live = any(f is not None for q in computed for f, _ in column[q])
    if not report.live and not strict:  # values pasted over the formulas: nothing left to judge
        report.problems.append("not judged: pasted values, no formula in the table: nothing was computed to judge")
        return report
    circular = diagnose.circular(table, look=not strict)
    reach = _circular(table, circular, report, engine) if circular else set()
    if not fresh:
        diagnose.stale_sample(table, book, {table.columns[q]: cells for q, cells in column.items()})
    rule = helpers.rule(spec, table.columns)
    # an input or target the finder did not find is not 0: the cells whose rule reads it are not judged
    unknown = [q for q in rule.reads if q not in table.columns and q not in table.params]
    # an update (and an optimizer's state) reads the row above, the rest their own row
    above = {q for q in computed if q.startswith(NEW) or names.is_param(q) or names.of_state(q)}
    plain = [(q, column[q]) for q in computed if q not in above]
    updates = [(q, column[q]) for q in computed if q in above]
    values = [(q, [v for _, v in column[q]]) for q in table.columns]
    params = [(q, p) for q, p in table.params.items() if q not in table.columns]
    # helper columns (δo1, ∂E_total/∂a_h1, σ′): each cell's rule pins only the helpers its formula reads
    plan = helpers.Plan(table, rule, spec, [q for q, _ in plain]) if isinstance(rule, helpers.Rule) else None
    wrong, unjudged = _compare(table, spec, rule, report, plain, updates, values, params, unknown, bool(circular),
                               reach, strict, extended, plan)  # fmt: skip
    if not circular and table.rows and (first := _row(values, params, sheet, 0, table.rows[0], errors=False)):
        _coincidences(table, book, spec, rule, [q for q, _ in plain if q not in wrong], first, report)
    if plan is not None:
        first_row = _row(values, params, sheet, 0, table.rows[0], errors=False)
        report.notes += _not_computed(table, spec, rule, [q for q, _ in plain], first_row)
    if unknown:
        report.fail(
            f"{', '.join(unknown)} not found (no column, no cell labelled so, no defined name):"
            f" {unjudged} cells that depend on {'it' if len(unknown) == 1 else 'them'} are not judged"
        )
    for q, found in wrong.items():
        report.bad += len(found)
        report.mistakes.append(_finding(table, book, spec, rule, q, found, fresh))
    report.mistakes.sort(key=lambda m: (table.rows.index(excel.parse_ref(m.where).row), table.columns[m.quantity]))
    return report


def _not_computed(table: Table, spec: Spec, rule, quantities, given: dict) -> list[str]:
    """The helper columns whose quantity the rule does not give (∂h1/∂w3 of a weight that does not feed
    h1; one output's share in a row of several samples): not judged, and said so."""
    if not all(names.weight(k) in given for k in range(1, len(spec.weights) + 1)):
        return []
    told = rule(given)
    return [f"{table.spellings.get(q, q)!r} ({excel.col_name(table.columns[q])}) is read as {q}, which the judge "
            "does not compute for this network: not judged"
            for q in quantities if q in rule.helpers and q not in told]  # fmt: skip


def _unjudgeable(table: Table, spec: Spec) -> str | None:
    """Why no cell of the table can be judged, or None: its weights make no network (a column missing),
    or a value it is given is no number."""
    absent = [w for k in range(1, len(spec.weights) + 1) if (w := names.weight(k)) not in table.columns]
    if weight_count(spec.layers) != len(spec.weights) or absent:
        why = f"the table's weights do not make a network with layers {list(spec.layers)}"
        if absent:
            why = f"not judged: no column for {', '.join(absent)}: " + why
        if twice := tables.said_twice(table.sheet, table.header_row):  # the repeat split the header row in two
            why += f" (its header row names {twice}: the table found starts at the repeat)"
        return why
    return _not_a_number(table)


def _circular(table: Table, circular, report: Report, engine: str | None) -> set:
    """A circular reference, said once where it closes; every cell computed from the cycle (whatever
    it shows is the cycle's doing)."""
    culprit, cycle, reads = circular
    r, c = culprit
    q = next(q for q, col in table.columns.items() if col == c)
    same = diagnose.copies(table, r, c)
    message = diagnose.circular_message(table, culprit, cycle, engine)
    report.mistakes.append(Finding("circular", excel.a1(r, c), q, message, None, table.sheet.value(r, c),
                                   formula=table.sheet.formula(r, c), rows=same))  # fmt: skip
    report.bad += same
    return diagnose.reach(cycle, reads)


def _compare(table, spec, rule, report, plain, updates, values, params, unknown, circular, reach, strict, extended,
             plan=None):  # fmt: skip
    """Each row's cells against the rule on the row's values (and the row above's, for an update):
    the wrong cells of each quantity, [(row, want, got, kind)] in row order, and how many cells were
    not judged because their rule reads an `unknown` quantity. Counts what agrees in `report`.
    `plan` (helpers.Plan): which helpers each cell's rule pins, for a table with helper columns."""
    sheet, eta = table.sheet, table.eta
    wrong: dict[str, list] = {}
    unjudged = 0
    previous = previous_given = None
    initial = {q: p.value for q, p in table.params.items() if names.is_param(q) and p.value is not None}
    weights = [names.weight(k) for k in range(1, len(spec.weights) + 1)]
    max_abs = max_rel = 0.0
    above = (False, False)  # the row above holds a number beyond a double's range (±inf); an error (NaN)
    for n, r in enumerate(table.rows):
        given = _row(values, params, sheet, n, r, errors=not circular)
        if extended:
            here = (any(x - x != 0 and x == x for x in given.values()), any(x != x for x in given.values()))
            beyond = here[0] or above[0] or not (here[1] or above[1])
            above = here
        if reach:  # what the cycle computed is read by nothing, as LibreOffice's Err:522 would not be
            given = {q: x for q, x in given.items() if (r, table.columns.get(q)) not in reach}
        groups = plan.groups(n) if plan is not None else ((None, None),)
        apart = {}  # the cells judged by a rule of their own pins (see helpers.Plan)
        expected = {}
        for pins, qs in groups if all(q in given for q in weights) else ():
            found = rule(given) if pins is None else rule(given, pins)
            if unknown and found:  # what does not change when the unknown do (0 in the rule, then 1)
                other = rule(given | dict.fromkeys(unknown, 1.0)) if pins is None else rule(
                    given | dict.fromkeys(unknown, 1.0), pins)  # fmt: skip
                if qs is None:
                    unjudged += sum(1 for q, _ in plain if q in found and other.get(q) != found[q])
                found = {q: x for q, x in found.items() if other.get(q) == x}
            if qs is None:
                expected = found
            else:
                apart.update((q, found.get(q)) for q in qs)
        # finite values only (x - x is NaN for ±inf as for NaN): an infinite floor would let anything agree
        scale = max((abs(x) for x in expected.values() if x - x == 0), default=0.0)
        floor = NOISE * max(scale, max((abs(x) for x in given.values() if x - x == 0), default=0.0))
        judged = [(q, col[n], apart[q] if q in apart else expected.get(q)) for q, col in plain]
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
            if extended and beyond and want != want and got.__class__ is float and formula is not None:
                report.beyond += 1  # #NUM! in doubles, a number in the engine's wider range
                continue
            # the cycle's doing, said once: LibreOffice shows Err:522 there, Gnumeric some number
            if circular and (isinstance(got, excel.Error) or (r, table.columns[q]) in reach):
                continue
            # a hand-made table's first row holds its initial weights, typed; ours reads them, =w_1
            initial_typed = names.is_param(q) and n == 0 and not strict
            if formula is None and (report.live or strict) and not initial_typed:
                report.cells += 1
                wrong.setdefault(q, []).append((r, want, got, "missing" if got is None and strict else "not live"))
                continue
            if formula is None and initial_typed:
                continue
            if not report.agrees(got if got.__class__ is not int else float(got), want, floor):
                wrong.setdefault(q, []).append((r, want, got, None))
        previous, previous_given = expected, given
    report.max_abs, report.max_rel = max(report.max_abs, max_abs), max(report.max_rel, max_rel)
    return wrong, unjudged


def _finding(table: Table, book, spec: Spec, rule, q: str, wrong: list, fresh: bool) -> Finding:
    """The Finding of a quantity's wrong cells [(row, want, got, kind)]: said at the first of them."""
    r, want, got, kind = wrong[0]
    c = table.columns[q]
    formula = table.sheet.formula(r, c)
    fix = None
    if kind == "not live" and got is None:  # a blank cell in a live table: nothing typed over anything
        code, why = "empty", "empty: the cell holds no value"
    elif kind == "not live":
        code, why = "not-live", f"not live: a number typed over a formula (holds {show(got)})"
    elif kind == "missing":
        code, why = "empty", f"missing: {len(wrong)} cell(s) of the column are empty"
    elif got is None:
        code, why = "empty", "empty: the cell holds no value"
    elif formula is None:
        code, why = "not-live", f"pasted value {show(got)} is not {q} of the values beside it"
    elif not isinstance(formula, str):  # read without its text (verify's first pass)
        code, why = "wrong-value", f"gives {show(got)}, expected {show(want)}"
    else:
        code, why, fix = _diagnosis(table, book, spec, rule, q, r, want, got, fresh)
    text = formula if isinstance(formula, str) else None
    return Finding(code, excel.a1(r, c), q, why, want, got, fix, formula=text, rows=len(wrong),
                   wrong_rows=[row for row, *_ in wrong])  # fmt: skip


def _diagnosis(table: Table, book, spec: Spec, rule, q: str, r: int, want, got, fresh: bool):
    """diagnose.why's (code, text, fix), preferring a change that holds at random points too, not here
    only (see diagnose.coincidence)."""
    probes = diagnose.probe_points(spec, rule, tables.row_values(table, r), f"{q} {r}")
    code, why, fix = diagnose.why(table, book, spec, q, r, want, got, fresh, probes=probes)
    # a fix still right only at these numbers (two slips, one of them t1 for t2: both 0.5) is mended too
    if fix and (more := diagnose.coincidence(table, book, spec, q, r, probes, fix)):
        if more.fix:  # two references wrong, then, the second invisible at these numbers
            code, why, fix = "two-references", f"{why}; and {more.text} (equal here, not in general)", more.fix
        else:  # no change of references mends it in general: a number typed in, say
            why, fix = f"{why} — at these numbers only: at others the formula is still not {q}'s rule", None
    return code, why, fix


_EMPTY = (None, None)

# the codes of a swap of references: said of two cells that hold one number here
SWAPS = {"swap-reference", "other-row", "wrong-parameter", "two-references"}


def _coincidences(table: Table, book, spec: Spec, rule, quantities, given: dict, report: Report) -> None:
    """The columns whose first formula gives the right numbers here but is not the quantity's rule
    (t1 where t2 belongs, both 0.5): a mistake of every row the formula is copied to."""
    r = table.rows[0]
    try:
        probes = diagnose.probe_points(spec, rule, given, f"{table.sheet.name} {r}")
    except KeyError:  # a given value the first row holds no number for (a weight's #REF!): nothing to probe
        return
    for q in quantities:
        found = diagnose.coincidence(table, book, spec, q, r, probes)
        if found is None:
            continue
        c = table.columns[q]
        code = "typed-number" if found.code == "typed-number" else "coincidence"
        if found.code == "typed-number":  # a given value typed as a number: said as it is
            text = found.text
        elif found.code in SWAPS:  # a swap of two cells that hold one number here
            text = f"{found.text}: the two hold the same number here, so every value is right, but not the formula"
        else:  # its numbers are the probe's, not the sheet's: say it in names
            formula = diagnose.in_names(table, table.sheet.formula(r, c), r)
            text = f"right at these numbers only: {q} = {formula} is not its rule (other numbers would show it)"
        rows = diagnose.copies(table, r, c)
        report.bad += rows
        value = table.sheet.value(r, c)
        report.mistakes.append(Finding(code, excel.a1(r, c), q, text, value, value, found.fix,
                                       formula=table.sheet.formula(r, c), rows=rows))  # fmt: skip


def _row(values, params, sheet, n, r, errors) -> dict[str, float]:
    """row_values, from the columns looked up once."""
    given = {}
    for q, column in values:
        v = column[n]
        if v.__class__ is float:
            given[q] = v
        elif isinstance(v, int) and not isinstance(v, bool):
            given[q] = float(v)
        elif errors and isinstance(v, excel.Error) and v.code not in excel.CIRCULAR:
            given[q] = reference.NUM_ERROR
        elif v.__class__ is str and (x := excel.number(v)) is not None:  # stored as text: formulas compute with it
            given[q] = x
    for q, p in params:
        v = sheet.value(r, p.column) if p.column is not None else p.value
        if (x := excel.number(v)) is not None:
            given[q] = x
    return given


def _not_a_number(table: Table) -> str | None:
    """Why a table cannot be judged at all, or None: a value it is given (an input, a target, a first
    weight, a parameter's cell) is no number ('abc', TRUE, #N/A). Every cell computed from it is then
    an error, which would agree with the rule's error, or be blamed, for nothing."""
    for q, (r, c) in tables.given_cells(table):
        if (v := table.sheet.value(r, c)) is not None and excel.number(v) is None:
            return f"not judged: {q} at {excel.a1(r, c)} holds {show(v)}, not a number: nothing computed from it can be"
    return None


def _is_computed(q: str) -> bool:
    """What a table computes, as opposed to what it is given (iteration numbers, inputs, targets)."""
    return not (q == names.ITERATION or _is_given(q))


def _is_given(q: str) -> bool:
    return re.fullmatch(r"[it]\d+", q) is not None


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
