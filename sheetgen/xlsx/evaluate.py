"""sheetgen's own recalculation: every formula of a workbook computed by excel.evaluate, in the order
its references ask for, trusting nothing cached.

For where no spreadsheet program runs (the web page, in the browser): LibreOffice and Gnumeric stay the
engines of the command line. A formula this evaluator cannot compute (a function it does not know)
gets no value, as an engine's blank; a cell on a cycle of references gets #CIRC! (excel.CIRCULAR), as
the judge reads LibreOffice's Err:522.
"""

from sheetgen.xlsx import excel
from sheetgen.xlsx.reader import Book, Sheet

TITLE = "sheetgen's own formula evaluator"
CIRCULAR = excel.Error("#CIRC!")
MAX_RANGE = 100_000  # cells a range may cover and still be read cell by cell


def compute(book: Book) -> int:
    """Replace the value of every formula cell of `book` by what its formula gives; the number of
    formulas computed (those this evaluator cannot compute are left without a value)."""
    sheets = {s.name: s for s in book.sheets}
    trees: dict[tuple, object] = {}  # (sheet, row, col) -> parsed formula, or None: cannot be parsed
    done: dict[tuple, object] = {}

    def tree(key):
        if key not in trees:
            formula = sheets[key[0]].cells[key[1:]][0]
            try:
                trees[key] = excel.parse(formula) if isinstance(formula, str) else None
            except (excel.FormulaError, RecursionError):
                trees[key] = None
        return trees[key]

    def is_formula(key) -> bool:
        s = sheets.get(key[0])
        return s is not None and s.cells.get(key[1:], (None, None))[0] is not None

    def deps(key):
        """The formula cells `key`'s formula reads (each cell of a range, each defined name's)."""
        t = tree(key)
        if t is None:
            return []
        out, todo = [], [t]
        sheet = sheets[key[0]]
        while todo:
            n = todo.pop()
            if not isinstance(n, tuple) or not n:
                continue
            kind = n[0]
            ref = None
            if kind == "ref":
                ref = n[1]
            elif kind == "name":
                ref = _name(sheet, book, n[1])
            elif kind in ("neg",):
                todo.append(n[1])
            elif kind == "op":
                todo += [n[2], n[3]]
            elif kind == "call":
                todo += list(n[2])
            if ref is not None:
                name = ref.sheet or key[0]
                if ref.end is None:
                    cells = [(ref.row, ref.col)]
                elif ref.size <= MAX_RANGE:
                    cells = list(ref.cells())
                else:
                    continue
                out += [k for rc in cells if is_formula(k := (name, *rc))]
        return out

    def value_of(sheet: Sheet):
        def cell(sheet_name, row, col):
            name = sheet_name or sheet.name
            key = (name, row, col)
            if key in done:
                return done[key]
            other = sheets.get(name)
            if other is None:
                return excel.Error("#REF!")
            formula, value = other.cells.get((row, col), (None, None))
            return value if formula is None else None

        return cell

    computed = 0
    order = [(s.name, *at) for s in book.sheets for at, (f, _) in s.cells.items() if f is not None]
    for start in order:
        if start in done:
            continue
        # depth first without recursion: a column of weights is a chain thousands of rows long
        on_path = {start}
        stack = [(start, iter(deps(start)))]
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
                stack.append((dep, iter(deps(dep))))
                break
            else:
                stack.pop()
                on_path.discard(key)
                if key in done:  # found circular on the way
                    continue
                t = tree(key)
                sheet = sheets[key[0]]
                value = None
                if t is not None:
                    try:
                        value = excel.evaluate(t, value_of(sheet), lambda text, s=sheet: _name(s, book, text))
                        computed += 1
                    except (excel.FormulaError, RecursionError, TypeError, ValueError, ArithmeticError):
                        value = None  # what this evaluator cannot compute (a comparison of whole ranges)
                done[key] = value
    for (name, row, col), value in done.items():
        cells = sheets[name].cells
        cells[(row, col)] = (cells[(row, col)][0], value)
    return computed


def _name(sheet: Sheet, book: Book, text: str):
    if text in sheet.names:
        return excel.Ref(None, *sheet.names[text])
    return book.names.get(text)
