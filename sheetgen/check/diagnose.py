"""Saying why: for a wrong cell, the single change that makes its formula right, in the seeds' notation.

One reference swapped for another column, another row or a parameter's cell (the course's class
sheet: `uses a_h1 (J5) where a_h2 (L5) belongs`); a relative reference to η drifting down the
column; a sign; a missing ½; a path of the chain rule left out; two references at once; and a
circular reference named where it closes (a cell reading a row below its own). Whether a cached
value is what its own formula gives (else the file is recalculated first) is decided here too,
since it takes the same evaluation of the formula.
"""

import functools
import itertools
import math
import random
import re
from typing import NamedTuple

from sheetgen.check.tables import Table, row_values
from sheetgen.model import names, reference
from sheetgen.model.slips import KNOWN_SLIPS, MISSING_PATH_SLIP
from sheetgen.model.spec import Spec
from sheetgen.model.spelling import NEW
from sheetgen.xlsx import excel
from sheetgen.xlsx.cells import Cells
from sheetgen.xlsx.reader import Book, Sheet

_EMPTY = (None, None)


def circular(table: Table, look: bool = True):
    """A cycle among the table's formulas: (the cell that reads a later row, the cycle as cells, what
    each formula cell reads), or None. In an iteration table every formula reads its own row or rows
    above; a reference to a row below is where a cycle closes. LibreOffice shows a cycle as Err:522
    (and saves it as #VALUE!); Excel saves 0; Gnumeric computes numbers. `look`: search even when no
    cell shows LibreOffice's Err:522."""
    sheet = table.sheet
    cols = set(table.columns.values())
    shown = (v for (_, c), (_, v) in sheet.scan() if c in cols)
    if not look and not any(isinstance(v, excel.Error) and v.code in excel.CIRCULAR for v in shown):
        return None
    if sheet.reads is None and _acyclic(sheet):  # no cycle: nothing of it need be kept
        sheet.reads = {}
    if sheet.reads is None:  # worked out once per sheet, however many tables it holds
        sheet.reads = {}
        for at, (formula, _) in sheet.cells.items():
            if isinstance(formula, str):
                try:
                    found = [ref for ref in excel.refs(formula) if ref.sheet in (None, sheet.name)]
                except excel.FormulaError:
                    found = []
                sheet.reads[at] = [cell for ref in found if ref.size < 1000 for cell in ref.cells()]
    reads = sheet.reads
    cycle = find_cycle(reads, sorted(reads))
    if cycle is None:
        return None
    forward = [(a, b) for a, b in zip(cycle, cycle[1:]) if b[0] > a[0] and a[1] in cols]
    culprit = min(forward)[0] if forward else min(x for x in cycle if x[1] in cols)
    return culprit, cycle, reads


def find_cycle(edges: dict, starts) -> list | None:
    """A cycle of the graph `edges` (node -> the nodes it reads), as its nodes from where it closes back
    to there, or None: a depth-first walk without recursion (a sheet's chain of reads runs thousands deep)."""
    state, path = {}, []  # state: 1 on the walk's path, 2 done
    for start in starts:
        if start in state:
            continue
        stack = [(start, iter(edges.get(start, ())))]
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
                return path[path.index(child) :] + [child]
            elif child not in state and child in edges:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(edges[child])))
    return None


def _acyclic(sheet: Sheet) -> bool:
    """Whether the sheet's formulas surely make no cycle, found without keeping what each reads (a
    sheet may hold millions of formulas). A cycle that leaves a row must come back to it, so it holds
    a reference to a row below; if no formula reads a row below its own, any cycle lies within one
    row. So: no formula reads a row below its own, and no row's formulas read each other round in a
    circle. A row of the same shapes as one already seen (a formula copied down) is not looked at
    again. False (look the long way) for anything else: a reference to a row below, a cycle in a row,
    a range part absolute and part relative, rows out of order."""
    reads_of: dict[int, tuple | None] = {}  # shape -> ((row distance, col) relative, (row, col) absolute)
    seen: set = set()  # the rows' shapes found without a cycle
    done: set[int] = set()
    row, cells = None, []  # the row being read: its formula cells [(col, shape, [cols it reads in the row])]

    def read(r, c, n):
        """The cells (r, c) reads, as (row distance, col) relative and (row, col) absolute; None: odd."""
        if n is not None and n in reads_of:
            return reads_of[n]
        formula = sheet.formula(r, c)
        if not isinstance(formula, str):
            return (), ()
        try:
            refs = [ref for ref in excel.refs(formula) if ref.sheet in (None, sheet.name) and ref.size < 1000]
        except excel.FormulaError:
            refs = []
        relative, absolute = [], []
        for ref in refs:
            ends = [ref.row_abs] if ref.end is None else [ref.row_abs, ref.end[2]]
            if all(ends):
                absolute += ref.cells()
            elif not any(ends):
                relative += [(rr - r, cc) for rr, cc in ref.cells()]
            else:
                return None
        found = (tuple(relative), tuple(absolute))
        if n is not None:
            reads_of[n] = found
        return found

    def circle(cells) -> bool:
        """Whether a row's formula cells read each other round in a circle."""
        edges = {c: within for c, _, within in cells}
        return find_cycle(edges, edges) is not None

    def settle() -> bool:
        if not cells:
            return True
        if all(n is not None for _, n, _ in cells):
            key = tuple((c, n) for c, n, _ in cells)
            if key in seen:
                return True
        else:
            key = None
        formula_cols = {c for c, _, _ in cells}
        cells[:] = [(c, n, [x for x in within if x in formula_cols]) for c, n, within in cells]
        if circle(cells):
            return False
        if key is not None:
            seen.add(key)
        return True

    plain: dict[int, list] = {}  # shape -> the columns of its own row it reads: one seen to read rows above only
    for r, c, n in sheet.formula_cells():
        if r != row:
            if not settle() or r in done:
                return False
            if row is not None:
                done.add(row)
            row, cells = r, []
        if (within := plain.get(n)) is not None:  # a copy of a formula already looked at (most of them)
            cells.append((c, n, within))
            continue
        found = read(r, c, n)
        if found is None:
            return False
        relative, absolute = found
        within = [cc for d, cc in relative if d == 0]
        if any(d > 0 for d, _ in relative) or any(rr > r for rr, _ in absolute):
            return False
        if absolute:
            within += [cc for rr, cc in absolute if rr == r]
            n = None  # its reads in the row depend on the row: not shared with another
        elif n is not None:
            plain[n] = within
        cells.append((c, n, within))
    return settle()


def reach(cycle, reads) -> set:
    """The cells of a cycle and every cell that reads one of them, however indirectly."""
    readers: dict = {}
    for cell, read in reads.items():
        for x in read:
            readers.setdefault(x, []).append(cell)
    seen, todo = set(cycle), list(cycle)
    while todo:
        for cell in readers.get(todo.pop(), ()):
            if cell not in seen:
                seen.add(cell)
                todo.append(cell)
    return seen


def copies(table: Table, r: int, c: int) -> int:
    """How many rows of a column hold the formula of (r, c) copied down (the same slip in each)."""
    formula = table.sheet.formula(r, c)
    try:
        return sum(1 for row in table.rows if table.sheet.formula(row, c) == excel.move(formula, row - r, 0))
    except (excel.FormulaError, TypeError):
        return 1


def circular_message(table: Table, culprit, cycle, engine: str | None = None) -> str:
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
    shows = {None: "LibreOffice shows Err:522", "LibreOffice": "LibreOffice: Err:522"}.get(
        engine, f"{engine} computes a number for it anyway, {show(table.sheet.value(r, c))} here, which means nothing"
    )  # the engine whose values are judged: Gnumeric iterates a cycle
    return f"{what}a circular reference ({shown}); no spreadsheet can compute it ({shows})"


def show(x) -> str:
    if isinstance(x, float):
        return "#NUM!" if x != x else f"{x:.10g}"
    if isinstance(x, bool):  # as a spreadsheet shows it
        return "TRUE" if x else "FALSE"
    return repr(x) if isinstance(x, str) else str(x)


def stale_sample(table: Table, book: Book | None, columns: dict | None = None) -> None:
    """Raise Stale if a formula in any row has no cached value, or one that is not what it gives
    from the cells it reads (Excel always saves them in step; a file edited by a program, or saved
    with calculation off, may not). The judge blames values, so they must be true. A formula copied down the column
    is parsed once, and evaluated as moved to each row (excel.shape). `columns`: col -> its cells at the
    table's rows, as Sheet.column gives them, where the caller has read them already."""
    sheet = table.sheet
    cell, name = _reader(sheet, book)
    # the sheet's own cells read from its columns as lists, each made once: a list index where a
    # search in the store was (4 cells a formula, 17,400 formulas a key: 72 ms of it, 32 ms so)
    dense = None
    if (column_0 := sheet.dense(0)) is not None:
        dense, anywhere, own = {0: column_0}, cell, sheet.name

        def column(col):
            values = dense.get(col)
            if values is None:
                values = dense[col] = sheet.dense(col)
            return values

        def cell(sheet_name, row, col):
            if sheet_name is None or sheet_name == own:
                values = column(col)
                return values[row] if 0 <= row < len(values) else None
            return anywhere(sheet_name, row, col)

    rows = table.rows
    for c in table.columns.values():
        shape, ahead = None, {}
        shapes = sheet.shapes(c, rows)
        cells = columns[c] if columns is not None and c in columns else sheet.column(c, rows)
        for k, (r, (formula, got), here) in enumerate(zip(rows, cells, shapes)):
            if formula is None:
                continue
            if got is None:  # not an empty cell: a program wrote the formula without its result
                raise Stale(f"{sheet.name}!{excel.a1(r, c)}", "has no cached result")
            # `here`: a number, when the sheet keeps its formulas by shape
            if here is None or here != shape:
                formula = sheet.formula(r, c)
                if not isinstance(formula, str):
                    continue
                if here is None:
                    here = excel.shape(formula, r)
            try:
                if here is None or here != shape:
                    evaluate, shape, first, ahead = _compiled(formula), here, r, {}
                    # the rows down to where the formula changes, computed at once (what is not a
                    # finite double there, evaluate says as before, row by row in its turn)
                    if dense is not None and here.__class__ is int and (fast := _compiled_rows(formula)):
                        same = []
                        for j in range(k, len(rows)):
                            if cells[j][0] is not None:
                                if shapes[j] != here:
                                    break
                                same.append(rows[j])
                        ahead = dict(zip(same, fast(cell, name, [x - first for x in same], column)))
                value = ahead.get(r)
                if value is None:
                    value = evaluate(cell, name, r - first)
            except excel.FormulaError:
                continue
            if not _close(value, got) and not (isinstance(value, excel.Error) and str(value) == str(got)):
                raise Stale(f"{table.sheet.name}!{excel.a1(r, c)}")


@functools.lru_cache(maxsize=1024)
def _compiled_rows(formula: str):
    """excel.compiled_rows of a formula's text (None if it is not compiled)."""
    return excel.compiled_rows(excel.parse(formula))


@functools.lru_cache(maxsize=1024)
def _compiled(formula: str):
    """excel.compiled of a formula's text: six tabs of one layout hold the same formulas."""
    return excel.compiled(excel.parse(formula))


class Diagnosis(NamedTuple):
    """Why a cell is wrong, and (when the change is in its references) the formula it should hold,
    for the first wrong cell: fill it down the column as the author did the wrong one."""

    code: str  # one of finding.CODES
    text: str
    fix: str | None = None


class Stale(Exception):
    """A cached value is not what its own formula computes from the cells it reads: the file needs
    recalculating before it can be judged."""


def _close(a, b) -> bool:
    if a.__class__ is float and b.__class__ is float:  # the common case first (NaN: False, as below)
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) or abs(a - b) <= 1e-15
    if isinstance(a, excel.Error) or isinstance(b, excel.Error) or a is None or b is None:
        return False
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, int | float) or not isinstance(b, int | float):
        return a == b
    if b != b:
        return False
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) or abs(a - b) <= 1e-15


class Formula:
    """The wrong cell's formula, ready to be changed: what it gives, what it should give, and the ways
    of saying and of checking a change (each strategy below proposes changes through it)."""

    def __init__(self, table: Table, book: Book | None, spec: Spec, q: str, r: int, want, got, formula: str,
                 tree, evaluate, probes: "Probes | None") -> None:  # fmt: skip
        self.table, self.book, self.spec, self.sheet = table, book, spec, table.sheet
        self.q, self.r, self.want, self.got = q, r, want, got
        self.text, self.tree, self.evaluate, self.probes = formula, tree, evaluate, probes
        self.value = evaluate(tree)
        self.place = _places(table)
        self.refs = list(dict.fromkeys(ref for ref in excel.refs(formula) if ref.end is None))
        # a slip is never a reference to the cell itself, nor to a cell computed from it: a cycle
        self.own = own = (r, table.columns[q])
        self.exclude = {own} | {(r, c) for c in table.columns.values() if own in _reads(self.sheet, r, c)}

    def where(self, ref) -> str:
        if isinstance(ref, str):
            return f"η = {ref}"
        what = self.place.get((ref.sheet or self.sheet.name, ref.row, ref.col))
        address = ref.text()
        if what is None:
            return address
        name, row = what
        return f"{name} ({address})" if row == self.r or row is None else f"{name} ({address}, row {row + 1})"

    def value_of(self, *swaps):
        """The formula's value with each (old, new) reference swapped: the tree is edited, not re-parsed."""

        def change(ref):
            for old, instead in swaps:
                if _same(ref, old):
                    return float(instead) if isinstance(instead, str) else instead
            return None

        try:
            return self.evaluate(excel.substitute(self.tree, change))
        except excel.FormulaError:
            return None

    def value_at_use(self, old, k: int, instead):
        """The formula's value with only the k-th use of reference `old` (in the tree's order) swapped."""
        seen = iter(range(10**6))

        def change(ref):
            return instead if _same(ref, old) and next(seen) == k else None

        try:
            return self.evaluate(excel.substitute(self.tree, change))
        except excel.FormulaError:
            return None

    def value_of_text(self, text):
        try:
            return self.evaluate(excel.parse(text))
        except excel.FormulaError:
            return None

    def fixed(self, code: str, text: str, *swaps) -> "Diagnosis":
        """The diagnosis, with the formula as it should read: each (old, new) reference swapped."""

        def change(ref):
            return next((new for old, new in swaps if _same(ref, old)), None)  # a Ref, or η's number as text

        fix = excel.edit(self.text, change) if swaps else None
        return Diagnosis(code, text, fix if fix is not None and _close(self.value_of_text(fix), self.want) else None)

    def known(self, x_name, y_name) -> str:
        note = KNOWN_SLIPS.get((self.q.removeprefix(NEW), x_name, y_name))
        return f" — {note}" if note else ""

    def general(self, found: "Diagnosis") -> bool:
        """Whether a fix holds at the probes too (True when it cannot be told: no fix, or no probes)."""
        return not (self.probes and found.fix and _holds_not(self.table, self.book, self.q, self.r, self.probes,
                                                             found.fix))  # fmt: skip


# -- the strategies: each proposes the changes that make the formula give what it should -----------------
def one_reference(f: Formula):
    """One reference (every occurrence of it) swapped for another cell: another column (the class
    sheet's a_h1 for a_h2), the same column in another row, a parameter's cell (η drifting down)."""
    for old in f.refs:
        # the cell a relative reference read where the formula was first written first (η drifting down)
        for candidate in _origin_first(f.table, f.own, f.text, old, _candidates(f.table, old, f.r, exclude=f.exclude)):
            if _close(f.value_of((old, candidate)), f.want):
                yield f.fixed(*_swap_message(f, old, candidate), (old, candidate))


def one_occurrence(f: Formula):
    """One use of a reference written twice, swapped for another cell (h1 = w1·i1 + w2·i1: the second i1
    is i2). Tried on the parsed formula, one use at a time (a_o1 is written three times in ∂E/∂w5, each
    tried against some thirty cells: no text is edited and parsed again until one gives what it should),
    then the fix written at that use alone."""
    written = _refs_in_order(f.text)
    for old in f.refs:
        uses = [n for n, ref in enumerate(written) if _same(ref, old)]
        if len(uses) < 2:
            continue
        for candidate in _candidates(f.table, old, f.r, exclude=f.exclude):
            if isinstance(candidate, str):
                continue
            for k in range(len(uses)):
                if not _close(f.value_at_use(old, k, candidate), f.want):
                    continue
                # the use the tree visits k-th may stand elsewhere in the text: the one that gives it
                for use in uses:
                    fix = _edit_use(f.text, use, candidate)
                    if _close(f.value_of_text(fix), f.want):
                        code, said = _swap_message(f, old, candidate)
                        yield Diagnosis(code, f"{said} (at one of its {len(uses)} uses)", fix)
                        break
                break


def _refs_in_order(text: str) -> list:
    return [excel.parse_ref(t.text) for t in excel.tokenize(text) if t.kind == "ref"]


def _edit_use(text: str, use: int, new) -> str:
    """The formula with its `use`-th reference (from 0, in the order written) replaced by `new`."""
    count = iter(range(10**6))
    return excel.edit(text, lambda ref: new if next(count) == use else None)


def defined_name(f: Formula):
    """One defined name (a parameter's cell: t_1, beta_1) written where another belongs."""
    tokens = excel.tokenize(f.text)
    defined = list(dict.fromkeys([*f.sheet.names, *(f.book.names if f.book is not None else ())]))
    for i, old in enumerate(tokens):
        if old.kind != "name":
            continue
        # the likeliest first: the same quantity of another sample (i1[2] for i1[3]), then its kind (β2, β1)
        base, kind = names.unsampled(names.label(old.text))[0], re.sub(r"[\d_].*", "", old.text)
        for other in sorted(
            defined, key=lambda d: (names.unsampled(names.label(d))[0] != base, not d.startswith(kind))
        ):
            swapped = tokens[:i] + [excel.Token("name", other)] + tokens[i + 1 :]
            if other != old.text and _close(f.value_of_text(fix := excel.untokenize(swapped)), f.want):
                said = f"uses {names.label(old.text)} ({old.text}) where {names.label(other)} ({other}) belongs"
                yield Diagnosis("wrong-parameter", said, fix)


def sign_or_half(f: Formula):
    """A sign, or a factor of 2 (the ½ of E = ½(t − a)²)."""
    if _close(_neg(f.value), f.want):
        yield Diagnosis("sign", f"the sign is wrong: gives {show(f.got)}, expected {show(f.want)}")
    elif isinstance(f.value, float) and _close(f.value * 0.5, f.want):
        yield Diagnosis("missing-half", "a missing ½: gives twice the expected value")
    elif isinstance(f.value, float) and _close(f.value * 2, f.want):
        yield Diagnosis("missing-half", "an extra ½: gives half the expected value")


def log_base(f: Formula):
    """Excel's LOG is base 10: the natural log of cross-entropy is LN."""
    natural = re.sub(r"\bLOG(?:10)?\(", "LN(", f.text, flags=re.I)
    if natural != f.text and _close(f.value_of_text(natural), f.want):
        said = "LOG is the base-10 logarithm in Excel, LibreOffice and Google Sheets: cross-entropy's ln is LN"
        yield Diagnosis("log-base", said, natural)


def sigmoid_slope(f: Formula):
    """σ′ written as a·(1 + a): the sigmoid's slope is a·(1 − a)."""
    tokens = excel.tokenize(f.text)
    for i, t in enumerate(tokens):
        if not (t.kind == "number" and float(t.text) == 1):
            continue
        j = next((j for j in range(i + 1, len(tokens)) if tokens[j].kind != "space"), None)
        k = next((k for k in range(j + 1, len(tokens)) if tokens[k].kind != "space"), None) if j is not None else None
        if k is None or tokens[j].text != "+" or tokens[k].kind != "ref":
            continue
        what = f.place.get(_key(f.sheet, excel.parse_ref(tokens[k].text)))
        if what is None or not what[0].startswith("a_"):
            continue
        fix = excel.untokenize(tokens[:j] + [excel.Token("op", "-")] + tokens[j + 1 :])
        if _close(f.value_of_text(fix), f.want):
            a = what[0]
            said = f"σ′ written as {a}·(1 + {a}): the sigmoid's slope σ′({a[2:]}) is {a}·(1 − {a})"
            yield Diagnosis("wrong-definition", said, fix)
            return


def one_path(f: Formula):
    """The chain rule through one output only: the formula gives the gradient of one output's loss."""
    of, spec = names.of_grad(f.q), f.spec
    if of is None or len(spec.layers) <= 2:
        return
    outputs = range(1, spec.layers[-1] + 1)
    for j in outputs:
        partial = reference.local(spec, row_values(f.table, f.r), of=names.loss(j)).get(names.grad(of, names.loss(j)))
        if partial is not None and _close(f.value, partial) and not _close(partial, f.want):
            others = ", ".join(f"o{k}" for k in outputs if k != j)
            slip = f" — {MISSING_PATH_SLIP}" if re.fullmatch(r"w[1-4]", of) and len(spec.layers) == 3 else ""
            yield Diagnosis("one-path", f"{f.q} through o{j} only: the path through {others} is missing{slip}")
            return


def two_references(f: Formula):
    """Two references swapped at once (w8 = w6 − η·∂E/∂w6; a_o1 and t1 where a_o2 and t2 belong)."""
    candidates = lambda old: _candidates(f.table, old, f.r, same_row_only=True, exclude=f.exclude)  # noqa: E731
    pairs = (
        (old1, old2, c1, c2)
        for i, old1 in enumerate(f.refs)
        for old2 in f.refs[i + 1 :]
        for c1 in candidates(old1)
        for c2 in candidates(old2)
    )
    for old1, old2, c1, c2 in itertools.islice(pairs, 20_000):  # a few seconds at the most
        if _close(f.value_of((old1, c1), (old2, c2)), f.want):
            a, b = f.place.get(_key(f.sheet, old1)), f.place.get(_key(f.sheet, old2))
            ya, yb = f.place.get(_key(f.sheet, c1)), f.place.get(_key(f.sheet, c2))
            note = next((f.known(x[0], y[0]) for x, y in ((a, ya), (b, yb)) if x and y and f.known(x[0], y[0])), "")
            said = f"uses {f.where(old1)} and {f.where(old2)} where {f.where(c1)} and {f.where(c2)} belong{note}"
            yield f.fixed("two-references", said, (old1, c1), (old2, c2))


class Strategy(NamedTuple):
    propose: object  # Formula -> the Diagnoses of the changes that make it right, likeliest first
    # a change of references: preferred when it holds at the probes too; one that holds here only is
    # said if nothing else holds, and keeps the strategies that are not of references from being tried
    references: bool


STRATEGIES = (
    Strategy(one_reference, True),
    Strategy(defined_name, True),
    Strategy(sign_or_half, False),
    Strategy(log_base, False),
    Strategy(sigmoid_slope, False),
    Strategy(one_path, False),
    # after the cheap ones: a sign or ½ explains most formulas that write a reference twice or thrice
    Strategy(one_occurrence, True),
    Strategy(two_references, True),
)


def why(
    table: Table,
    book: Book | None,
    spec: Spec,
    q: str,
    r: int,
    want,
    got,
    fresh: bool = False,
    cells=None,
    formula: str | None = None,
    probes: "Probes | None" = None,
) -> Diagnosis:
    """The single change that makes the formula at (r, q's column) give `want`, said in names, with
    the formula that makes it when the change is one of references (checked: it gives `want`): the
    STRATEGIES tried in order. `cells`: the value of each cell the formula may read, at a probe point
    (see coincidence); `formula`: another formula than the cell's (a fix, probed in its turn); `probes`:
    random points where a change of references must hold too, to be preferred over one that holds at
    these numbers only (a_o1 mended alone, t1 left where t2 belongs, right here since both are 0.5)."""
    sheet = table.sheet
    formula = formula or sheet.formula(r, table.columns[q])
    evaluate = _evaluator(sheet, book, cells)
    try:
        f = Formula(table, book, spec, q, r, want, got, formula, excel.parse(formula), evaluate, probes)
    except excel.FormulaError:
        text = f"gives {show(got)}, expected {show(want)} (its formula could not be read: {formula})"
        return Diagnosis("unparsed-formula", text)
    if not fresh and not _close(f.value, got) and not (isinstance(f.value, excel.Error) and str(f.value) == str(got)):
        raise Stale(f"{sheet.name}!{excel.col_name(table.columns[q])}{r + 1}")
    first = None  # the first change of references that holds here only: said if none holds in general
    for strategy in STRATEGIES:
        if first is not None and not strategy.references:
            continue
        for found in strategy.propose(f):
            if not strategy.references or f.general(found):
                return found
            first = first or found
    if first is not None:
        return first
    text = f"gives {show(got)}, expected {show(want)}: {q} = {in_names(table, formula, r)} is not its rule"
    return Diagnosis("wrong-value", text)


# -- right by coincidence ----------------------------------------------------------------------------------
PROBES = 3  # random points a formula must be its rule at, beyond the sheet's own numbers


class _Elsewhere(excel.FormulaError):
    """A probe reads a cell that is no quantity of the row, nor a parameter: its value is its own."""


class Probes(NamedTuple):
    computed: frozenset  # the quantities the rule computes from the others: those a probe can judge
    points: list  # each a dict of every quantity's value there


def probe_points(spec: Spec, rule, given: dict, seed: str) -> Probes:
    """PROBES points of random given values (inputs, targets, weights, parameters: what the rule does
    not compute from the row's other quantities) and all that follows from them, so a formula may
    compute ∂E_total/∂a_h1 inline or read its column, and either is right there. Drawn once per table."""
    computed = frozenset(rule(given))
    leaves = {k: x for k, x in given.items() if k not in computed}
    rng, points = random.Random(seed), []
    for _ in range(PROBES):
        point = {k: x if k == names.ITERATION else rng.uniform(0.1, 0.9) for k, x in leaves.items()}
        if spec.loss == "cross_entropy":  # a sample's targets are a distribution: p − t is the gradient then
            _to_distributions(point)
        points.append(point)
    # a named column the rule neither computes nor reads (∂E1/∂a_h1, whose sum is ∂E_total/∂a_h1) is no
    # given value: drawn at random, it would make a right formula wrong. Left out of the points, a formula
    # reading it is not probed, as one reading a helper column is not. Whether the rule reads it is seen
    # at a random point: at the sheet's own, an error value (NaN) downstream would hide it.
    first = rule(points[0])
    read = {k for k in leaves if k == names.ITERATION or rule(points[0] | {k: points[0][k] + 0.1}) != first}
    points = [{k: x for k, x in point.items() if k in read} | rule(point) for point in points]
    return Probes(computed, points)


def coincidence(
    table: Table, book: Book | None, spec: Spec, q: str, r: int, probes: Probes, formula: str | None = None
) -> Diagnosis | None:
    """Why the formula of q at row r, right at the sheet's numbers, is not q's rule, or None.
    The course's own targets are equal (t1 = t2 = 0.5): ½(t1 − a_o2)² for E2 gives the right number on
    every row, and would not on a sheet of other targets. So the formula is evaluated at random given
    values, every quantity computed from them (`probes`), against q there. Only a formula that reads
    nothing but this row's quantities and the parameters' cells is probed: a helper column the table
    does not name keeps its own number, which no probe can move. An update (new w1), whose rule reads
    the row above, is not probed. `formula`: another formula than the cell's (a fix, probed in its turn)."""
    sheet = table.sheet
    formula = formula or sheet.formula(r, table.columns[q])
    if not isinstance(formula, str) or q not in probes.computed:
        return None
    holds = lambda text: all(_close(g, w) for _, w, g in _probed(table, book, q, r, probes,  # noqa: E731
                                                                 excel.parse(text)))  # fmt: skip
    try:
        for cells, want, got in _probed(table, book, q, r, probes, excel.parse(formula)):
            if not isinstance(got, float) or not isinstance(want, float) or not math.isfinite(want):
                return None
            if not _close(got, want):
                return _typed(table, formula, r, probes, holds) or why(
                    table, book, spec, q, r, want, got, fresh=True, cells=cells, formula=formula
                )
    except _Elsewhere:  # a cell no probe moves: a given value's copy typed in a cell of its own (i2 in AD1)?
        return _typed(table, formula, r, probes, holds)
    except excel.FormulaError:
        return None
    return None


def _probed(table: Table, book: Book | None, q: str, r: int, probes: Probes, tree):
    """At each probe point: the cells' values there (for excel.evaluate), q's value, and the formula's.
    Raises _Elsewhere (a FormulaError) for a formula reading a cell no probe moves: another row's, or
    one the table does not name."""
    place = _places(table, rows=[r])  # this row's cells, and the parameters'
    for point in probes.points:

        def cells(sheet_name, row, col, point=point):
            what = place.get((sheet_name or table.sheet.name, row, col))
            if what is None or what[1] not in (r, None) or what[0] not in point:
                raise _Elsewhere(excel.a1(row, col))
            return point[what[0]]

        yield cells, point.get(q), _evaluator(table.sheet, book, cells)(tree)


def _holds_not(table: Table, book: Book | None, q: str, r: int, probes: Probes, formula: str) -> bool:
    """Whether a formula of q's row is shown not to be q's rule at the probes (False when it cannot be
    probed: it reads another row, a cell the table does not name, or q is no probed quantity)."""
    if q not in probes.computed:
        return False
    try:
        for _, want, got in _probed(table, book, q, r, probes, excel.parse(formula)):
            if not isinstance(want, float) or not math.isfinite(want):
                return False
            if not _close(got, want):
                return True
    except excel.FormulaError:
        return False
    return False


def _typed(table: Table, formula: str, r: int, probes: Probes, holds) -> Diagnosis | None:
    """A given value typed into the formula as a number (=E4*0.05+F4*0.1 for h1, i1 and i2 typed): the
    formula, with each such number read from its cell instead, is the rule at every probe."""
    actual = row_values(table, r)
    cell = {q: excel.a1(r, c) for q, c in table.columns.items()}
    cell |= {q: excel.Ref(p.sheet, *p.cell, True, True).text() for q, p in table.params.items()
             if p.cell and q not in cell}  # fmt: skip
    tokens = excel.tokenize(formula)
    choices = []  # per number of the formula (or cell outside the table holding one): what it may stand for
    copied = _copies(table, tokens, r)  # token -> the number typed in the cell it reads
    for i, t in enumerate(tokens):
        if t.kind == "number" or i in copied:
            x = copied[i] if i in copied else float(t.text)
            same = [k for k in probes.points[0] if k not in probes.computed and k in cell and k in actual
                    and k != names.ITERATION and math.isclose(actual[k], x, rel_tol=1e-12)]  # fmt: skip
            if same:
                choices.append((i, [None, *same]))
    for pick in itertools.islice(itertools.product(*(c for _, c in choices)), 1, 257):  # the first is the formula
        typed = [(i, k) for (i, _), k in zip(choices, pick) if k is not None]
        text = excel.untokenize([excel.Token("ref", cell[k]) if (k := dict(typed).get(i)) else t
                                 for i, t in enumerate(tokens)])  # fmt: skip
        try:
            if not holds(text):
                continue
        except excel.FormulaError:
            continue
        if any(i in copied for i, _ in typed):  # i2 read from a copy of it: right while the two agree
            said = ", ".join(f"{k} from {tokens[i].text} (a {show(copied[i])} typed there)" if i in copied
                             else f"{k} as {tokens[i].text} typed into the formula" for i, k in typed)  # fmt: skip
            cells = " and ".join(cell[k] for _, k in typed)
            return Diagnosis("swap-reference", f"reads {said}, not from {cells}", text)
        said = ", ".join(f"{k} as {tokens[i].text}" for i, k in typed)
        cells = " and ".join(cell[k] for _, k in typed)
        return Diagnosis("typed-number", f"reads {said}, typed into the formula, not from {cells}: "
                         "right only while the cells hold these numbers", text)  # fmt: skip
    return None


def _copies(table: Table, tokens: list, r: int) -> dict[int, float]:
    """Of a formula's tokens, the references to a cell of the sheet that is neither a quantity of row
    r nor a parameter's cell and holds a number typed in it (a copy of i2 in AD1): token -> number."""
    place = _places(table, rows=[r])
    out = {}
    for i, t in enumerate(tokens):
        if t.kind == "ref" and (ref := excel.parse_ref(t.text)).end is None and ref.sheet in (None, table.sheet.name):
            formula, value = table.sheet.cells.get((ref.row, ref.col), _EMPTY)
            if formula is None and excel.is_number(value) and (table.sheet.name, ref.row, ref.col) not in place:
                out[i] = float(value)
    return out


def _to_distributions(point: dict) -> None:
    """Each sample's targets (t1, t2 or t1[2], t2[2]) scaled to sum to 1."""
    samples: dict = {}
    for k in point:
        base, sample = names.unsampled(k)
        if re.fullmatch(r"t\d+", base):
            samples.setdefault(sample, []).append(k)
    for ks in samples.values():
        total = sum(point[k] for k in ks)
        point.update({k: point[k] / total for k in ks})


def _swap_message(f: Formula, old, new) -> tuple[str, str]:
    """What one reference swapped for another is, as a code and in words."""
    if isinstance(new, str):
        return "swap-reference", f"reads {old.text()} where η ({new}) belongs"
    a, b = f.place.get(_key(f.sheet, old)), f.place.get(_key(f.sheet, new))
    if a and b and a[0] == b[0] and a[1] is not None and b[1] is not None:
        said = f"reads {a[0]} from row {a[1] + 1} in row {f.r + 1} ({old.text()} where {new.text()} belongs)"
        return "other-row", said
    if b and b[1] is None and not old.row_abs and (a is None or a[0] != b[0]) and _drifted(f.table, old, new):
        return "relative-parameter", (
            f"{b[0]} is referenced relatively: this row reads {old.text()} where {b[0]} ({new.text()}) belongs — "
            f"the reference drifts down the column; write it as ${excel.col_name(new.col)}${new.row + 1}"
        )
    note = f.known(a[0], b[0]) if a and b else ""
    return "swap-reference", f"uses {f.where(old)} where {f.where(new)} belongs{note}"


def _drifted(table: Table, old: excel.Ref, param_cell: excel.Ref) -> bool:
    """A relative reference that pointed at the parameter in the table's first row and has moved
    down with every row since."""
    return old.col == param_cell.col and old.row > param_cell.row


def _origin_first(table: Table, cell: tuple[int, int], formula: str, old: excel.Ref, candidates: list) -> list:
    """The candidates, the cell a relative reference read where its formula was first written first:
    copied down, it drifted from there (η at $B$14, not t1 at $B$4, which holds the same 0.5)."""
    r, c = cell
    if old.row_abs or old.end is not None:
        return candidates
    try:
        moved = excel.mover(formula)
    except excel.FormulaError:
        return candidates
    first = next((row for row in table.rows if row < r and table.sheet.formula(row, c) == moved(row - r, 0)), None)
    if first is None:
        return candidates
    origin = (old.row + first - r, old.col)
    return sorted(candidates, key=lambda x: isinstance(x, str) or (x.row, x.col) != origin)


def _neg(x):
    return -x if isinstance(x, float) else None


def _key(sheet: Sheet, ref):
    return None if isinstance(ref, str) else (ref.sheet or sheet.name, ref.row, ref.col)


def _same(a: excel.Ref, b: excel.Ref) -> bool:
    return a.end is None and (a.sheet, a.row, a.col) == (b.sheet, b.row, b.col)


def _places(table: Table, rows=None) -> "_Places":
    """(sheet, row, col) -> (quantity, row or None for a parameter cell), for every cell a formula of
    the table might read (or those of `rows` only, and the parameters')."""
    return _Places(table, rows)


class _Places:
    """_places' mapping, looked up (get, in) without being made: a table's every cell was 18,000 entries
    made for each wrong cell diagnosed. As the dict was made: a parameter's cell over a table's, a later
    column's over an earlier one's."""

    def __init__(self, table: Table, rows=None):
        self.name = table.sheet.name
        self.rows = set(table.rows if rows is None else rows)
        self.cols = {c: q for q, c in table.columns.items()}
        self.params = {
            (p.sheet or self.name, *p.cell): (q, None) for q, p in table.params.items() if p.cell is not None
        }

    def get(self, at, default=None):
        if at in self.params:
            return self.params[at]
        sheet, r, c = at
        if sheet == self.name and c in self.cols and r in self.rows:
            return self.cols[c], r
        return default

    def __contains__(self, at) -> bool:
        return self.get(at) is not None


def _reads(sheet: Sheet, r: int, c: int) -> set[tuple[int, int]]:
    """The cells of its own sheet that the formula at (r, c) reads."""
    formula = sheet.formula(r, c)
    try:
        refs = excel.refs(formula) if isinstance(formula, str) else []
    except excel.FormulaError:
        return set()
    return {cell for ref in refs if ref.sheet in (None, sheet.name) and ref.end is None for cell in ref.cells()}


def _candidates(table: Table, old: excel.Ref, r: int, same_row_only: bool = False, exclude=frozenset()):
    """The cells a slip may have meant: another column of the same row, the same column in this row
    or the one above, or a parameter's cell; none of `exclude` (the cell itself, and what reads it)."""
    name = table.sheet.name
    in_table = old.sheet in (None, name) and old.row in set(table.rows)
    cols = sorted(set(table.columns.values()))
    if same_row_only:  # two slips at once: the iteration's number is too often "right" by chance (t > 0)
        cols = [c for c in cols if c != table.columns.get(names.ITERATION)]
    out = []
    if in_table:
        out += [excel.Ref(old.sheet, old.row, c) for c in cols if c != old.col]
        if not same_row_only:
            out += [excel.Ref(old.sheet, row, old.col) for row in (r, r - 1) if row != old.row and row in table.rows]
    if not same_row_only:
        out += [
            excel.Ref(p.sheet, *p.cell, True, True)
            for p in table.params.values()
            if p.cell is not None and (p.cell != (old.row, old.col))
        ]
        if not in_table and (eta := table.eta) is not None and eta.cell is None:
            out.append(repr(eta.value))  # η known only as a number (from the tab's name)
    return [x for x in out if isinstance(x, str) or (x.row, x.col) not in exclude]


def _evaluator(sheet: Sheet, book: Book | None, cells=None):
    cell, name = _reader(sheet, book, cells)
    return lambda tree, rows=0: excel.evaluate(tree, cell, name, rows)


def _reader(sheet: Sheet, book: Book | None, cells=None):
    """evaluate's cell(sheet, row, col) and name(text) for formulas of `sheet`."""
    value = sheet.cells.value if isinstance(sheet.cells, Cells) else sheet.value

    def cell(sheet_name, row, col):
        if cells is None and (sheet_name is None or sheet_name == sheet.name):
            return value(row, col)
        if cells is not None:
            return cells(sheet_name, row, col)
        if sheet_name is None or sheet_name == sheet.name:
            return sheet.value(row, col)
        other = book.sheet(sheet_name) if book else None
        return other.value(row, col) if other else None

    named: dict[str, excel.Ref | None] = {}

    def name(text):
        if text not in named:
            if text in sheet.names:
                named[text] = excel.Ref(None, *sheet.names[text])
            else:
                named[text] = book.names[text] if book is not None and text in book.names else None
        return named[text]

    return cell, name


def in_names(table: Table, formula: str, r: int) -> str:
    """A formula with its references as the quantities they hold: =(R3-A3)*R3 -> (a_o1-t1)*a_o1; a
    column not identified by its header, quoted: =X3*J3 -> 'helper 1'*a_h1."""
    place = _places(table)
    unknown = dict(table.unidentified)

    def change(ref):
        what = place.get((ref.sheet or table.sheet.name, ref.row, ref.col)) if ref.end is None else None
        if what is None and ref.end is None and ref.sheet in (None, table.sheet.name) and ref.col in unknown:
            return repr(unknown[ref.col]) + ("" if ref.row == r else f"[row {ref.row + 1}]")
        if what is None:
            return None
        name, row = what
        return name if row in (r, None) else f"{name}[row {row + 1}]"

    return excel.edit(formula, change)[1:]
