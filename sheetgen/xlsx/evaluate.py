"""sheetgen's own recalculation: every formula of a workbook computed by excel.evaluate, in the order
its references ask for, trusting nothing cached.

For where no spreadsheet program runs (the web page, in the browser): LibreOffice and Gnumeric stay the
engines of the command line. A formula this evaluator cannot compute (a function it does not know)
gets no value, as an engine's blank; a cell on a cycle of references gets #CIRC! (excel.CIRCULAR), as
the judge reads LibreOffice's Err:522.
"""

from sheetgen.xlsx import excel
from sheetgen.xlsx.cells import Cells
from sheetgen.xlsx.reader import Book, Sheet

TITLE = "sheetgen's own formula evaluator"
CIRCULAR = excel.Error("#CIRC!")
MAX_RANGE = 100_000  # cells a range may cover and still be read cell by cell


def compute(book: Book) -> int:
    """Replace the value of every formula cell of `book` by what its formula gives; the number of
    formulas computed (those this evaluator cannot compute are left without a value)."""
    run = _Run(book)
    for start in [(s.name, r, c) for s in book.sheets for r, c, _ in s.formula_cells()]:
        if start not in run.done:
            run.walk(start)
    for (name, row, col), value in run.done.items():
        cells = run.sheets[name].cells
        if isinstance(cells, Cells):
            cells.set_value((row, col), value)
        else:
            cells[(row, col)] = (cells[(row, col)][0], value)
    return run.computed


class _Run:
    """One recalculation: each formula parsed once, each formula cell's value computed once (in `done`)."""

    def __init__(self, book: Book):
        self.book = book
        self.sheets = {s.name: s for s in book.sheets}
        self.trees: dict[tuple, object] = {}  # (sheet, row, col) -> parsed formula, or None: cannot be parsed
        self.done: dict[tuple, object] = {}
        self.computed = 0

    def walk(self, start):
        """Compute `start` after every formula cell it reads, marking any cycle on the way."""
        # depth first without recursion: a column of weights is a chain thousands of rows long
        done, on_path = self.done, {start}
        stack = [(start, iter(self.deps(start)))]
        while stack:
            key, pending = stack[-1]
            for dep in pending:
                if dep in done:
                    continue
                if dep in on_path:  # a cycle: every cell on it is circular
                    for k, _ in stack[next(i for i, (k, _) in enumerate(stack) if k == dep) :]:
                        done[k] = CIRCULAR
                    continue
                on_path.add(dep)
                stack.append((dep, iter(self.deps(dep))))
                break
            else:
                stack.pop()
                on_path.discard(key)
                if key in done:  # found circular on the way
                    continue
                done[key] = self.value(key)

    def value(self, key):
        """What the formula at `key` gives, the cells it reads being done; None if it cannot be computed."""
        t = self.tree(key)
        if t is None:
            return None
        sheet = self.sheets[key[0]]
        try:
            value = excel.evaluate(t, self.reader(sheet), lambda text: _name(sheet, self.book, text))
        except (excel.FormulaError, RecursionError, TypeError, ValueError, ArithmeticError):
            return None  # what this evaluator cannot compute (a comparison of whole ranges)
        self.computed += 1
        return value

    def tree(self, key):
        if key not in self.trees:
            formula = self.sheets[key[0]].cells[key[1:]][0]
            try:
                self.trees[key] = excel.parse(formula) if isinstance(formula, str) else None
            except (excel.FormulaError, RecursionError):
                self.trees[key] = None
        return self.trees[key]

    def is_formula(self, key) -> bool:
        s = self.sheets.get(key[0])
        return s is not None and s.cells.get(key[1:], (None, None))[0] is not None

    def deps(self, key):
        """The formula cells `key`'s formula reads (each cell of a range, each defined name's)."""
        t = self.tree(key)
        if t is None:
            return []
        out = []
        for ref in _references(t, self.sheets[key[0]], self.book):
            name = ref.sheet or key[0]
            if ref.end is None:
                cells = [(ref.row, ref.col)]
            elif ref.size <= MAX_RANGE:
                cells = list(ref.cells())
            else:
                continue
            out += [k for rc in cells if self.is_formula(k := (name, *rc))]
        return out

    def reader(self, sheet: Sheet):
        """How excel.evaluate reads a cell from `sheet`'s formulas: a formula's value once done, else the
        cell's own value."""

        def cell(sheet_name, row, col):
            name = sheet_name or sheet.name
            key = (name, row, col)
            if key in self.done:
                return self.done[key]
            other = self.sheets.get(name)
            if other is None:
                return excel.Error("#REF!")
            formula, value = other.cells.get((row, col), (None, None))
            return value if formula is None else None

        return cell


def _references(tree, sheet: Sheet, book: Book):
    """Every reference in a formula's tree, each defined name's too, last argument first."""
    todo = [tree]
    while todo:
        n = todo.pop()
        if not isinstance(n, tuple) or not n:
            continue
        kind = n[0]
        if kind in ("ref", "name"):
            ref = n[1] if kind == "ref" else _name(sheet, book, n[1])
            if ref is not None:
                yield ref
        elif kind in ("neg",):
            todo.append(n[1])
        elif kind == "op":
            todo += [n[2], n[3]]
        elif kind == "call":
            todo += list(n[2])


def _name(sheet: Sheet, book: Book, text: str):
    if text in sheet.names:
        return excel.Ref(None, *sheet.names[text])
    return book.names.get(text)
