"""The parameters where the formulas read them: on the table's sheet, on another ('Params'!$B$2), in a
defined name of any name (`input_1`, `learning_rate`), in a cell with no label at all.

h1 = w1·i1 + w2·i2: the cell h1's formula multiplies with w1 is i1, the one with w2 is i2 (and h2's,
with w3 and w4); E1 = ½(t1 − a_o1)²: the cell E1's formula subtracts a_o1 from is t1 (moved together
with a_o1, E1 does not change); w1 ← w1 − η·∂E_total/∂w1: the cell an update multiplies with the
gradient, negated, is η. Each is told by what the formula computes when that cell changes (a mixed
difference), not by how the cell is labelled, so a label confirms and never decides. The table finder
takes these for what no column, label or recognised name gave.
"""

from sheetgen.check import functions
from sheetgen.model import names
from sheetgen.model.spelling import NEW
from sheetgen.xlsx import excel

TOL = 1e-9
SHIFT = 0.125  # how far a target and its output are moved together (exact in binary)


def read_by_formulas(table, label_of=None) -> dict[str, dict]:
    """{parameter: Param's fields} for the inputs, targets and η the first iterations' formulas read.
    Where they disagree (a slip reads i2 for i1), the cell most of them read; on a tie, the one a label
    beside it names (`label_of(cell)`: the parameter its label names, or None); else none is taken."""
    if not table.rows:
        return {}
    found: dict[str, dict[tuple, list]] = {}  # q -> the cell -> [how it is written, who reads it]
    voices = [*_inputs(table), *_input_factors(table), *_targets(table), *_target_factors(table), *_eta(table)]
    for q, cell, how, reader in voices:
        found.setdefault(q, {}).setdefault(cell, [how, reader, 0])[2] += 1
    out, taken = {}, set()
    # the surest first (most voices for one cell); a cell taken is no other parameter's (t2 is not the
    # cell t1 is, though a slip reading t1 for t2 votes so)
    for q in sorted(found, key=lambda q: -max(n for *_, n in found[q].values())):
        cells = {cell: x for cell, x in found[q].items() if cell not in taken}
        if not cells:
            continue
        most = max(n for *_, n in cells.values())
        tied = [(cell, x) for cell, x in cells.items() if x[2] == most]
        if len(tied) > 1:  # the formulas do not agree on one cell: a label may confirm one
            tied = [(cell, x) for cell, x in tied if label_of is not None and label_of(cell) == q]
        if len(tied) != 1:
            continue  # none is taken: unsure, so said not found, never guessed
        best = tied[0]
        (where, r, c), (how, reader, _) = best
        out[q] = _param(table, q, (where, r, c), how, reader)
        taken.add(best[0])
    return {q: p for q, p in out.items() if p is not None}


def _param(table, q: str, cell, how, reader: str) -> dict | None:
    sheet = table.sheet
    where, r, c = cell
    if isinstance(how, excel.Ref) and where == sheet.name and not how.row_abs and r == table.rows[0]:
        if all(sheet.formula(row, c) is None for row in table.rows):  # a column of its own, each row's value
            return {"column": c, "source": f"column {excel.col_name(c)}, read by {reader} as {q}"}
        return None
    value = excel.number(functions.value(sheet, table.book, cell))
    if value is None:
        return None
    at = excel.a1(r, c)
    place = at if where == sheet.name else excel.Ref(where, r, c).text()
    said = f"defined name {how} ({place})" if isinstance(how, str) else f"cell {place}"
    return {"value": value, "cell": (r, c), "sheet": None if where == sheet.name else where,
            "source": f"{said}, read by {reader} as {q}"}  # fmt: skip


def _reader(table, q: str, r: int) -> str:
    return f"{q}'s formula ({excel.a1(r, table.columns[q])})"


def _known(table, r: int) -> set:
    """The cells of row r (and the one above) that are the table's known columns."""
    name = table.sheet.name
    return {(name, row, c) for c in table.columns.values() for row in (r, r - 1)}


def _leaves(table, r: int, q: str):
    """(f, {cell: its number}, [(cell, how)] not of the known columns) of q's formula in row r, or None."""
    sheet, book = table.sheet, table.book
    at = (r, table.columns[q])
    f = functions.evaluator(sheet, book, at)
    if f is None:
        return None
    leaves = functions.reads(sheet, book, at)
    pinned = {cell: excel.number(functions.value(sheet, book, cell)) for cell, _ in leaves}
    pinned = {cell: x for cell, x in pinned.items() if x is not None}
    known = _known(table, r)
    others = [(cell, how) for cell, how in leaves if cell not in known and cell in pinned]
    return f, pinned, others


def _inputs(table):
    cols, r = table.columns, table.rows[0]
    for h, weights in (("h1", ("w1", "w2")), ("h2", ("w3", "w4"))):
        if h not in cols or any(w not in cols for w in weights) or (got := _leaves(table, r, h)) is None:
            continue
        f, pinned, others = got
        for w, i in zip(weights, ("i1", "i2")):
            wc = (table.sheet.name, r, cols[w])
            if wc not in pinned:
                continue
            for cell, how in others:
                if (m := functions.times(f, cell, wc, pinned)) is not None and abs(m - 1) <= TOL:
                    yield i, cell, how, _reader(table, h, r)


def _input_factors(table):
    """∂E_total/∂w1 = δh1·i1: the cell a hidden weight's gradient is proportional to is its input (w1 and
    w3 take i1, w2 and w4 i2): four more voices, so that one slip in h1 or h2 does not decide."""
    cols, r = table.columns, table.rows[0]
    for k, i in ((1, "i1"), (2, "i2"), (3, "i1"), (4, "i2")):
        g = names.grad(names.weight(k))
        if g not in cols or (got := _leaves(table, r, g)) is None or not (base := got[0]({})):
            continue
        f, pinned, others = got
        for cell, how in others:
            zero, twice = f({cell: 0.0}), f({cell: 2 * pinned[cell]})
            if zero is not None and twice is not None and abs(zero) <= TOL * abs(base) \
                    and abs(twice - 2 * base) <= TOL * abs(base):  # fmt: skip
                yield i, cell, how, _reader(table, g, r)


def _targets(table):
    cols, r = table.columns, table.rows[0]
    for e, a, t in (("E1", "a_o1", "t1"), ("E2", "a_o2", "t2")):
        if e not in cols or a not in cols or (got := _leaves(table, r, e)) is None:
            continue
        f, pinned, others = got
        ac = (table.sheet.name, r, cols[a])
        if ac not in pinned:  # E2 = ½(t2 − a_o1)², a slip: its target still moves with the output it reads
            other = "a_o1" if a == "a_o2" else "a_o2"
            ac = (table.sheet.name, r, cols[other]) if other in cols else ac
        if ac not in pinned or (base := f({})) is None:
            continue
        for cell, how in others:
            together = f({cell: pinned[cell] + SHIFT, ac: pinned[ac] + SHIFT})
            alone = f({cell: pinned[cell] + SHIFT})
            if together is not None and alone is not None and abs(together - base) <= TOL * max(1, abs(base)) \
                    and abs(alone - base) > TOL * max(1, abs(base)):  # fmt: skip
                yield t, cell, how, _reader(table, e, r)


def _target_factors(table):
    """∂E_total/∂w5 = (a_o1 − t1)·a_o1·(1 − a_o1)·a_h1 is 0 where t1 holds a_o1's value: the cell that
    zeroes w5's and w6's gradients so is t1 (w7's and w8's, t2): four more voices beside E1's and E2's."""
    cols, r = table.columns, table.rows[0]
    for k, (a, t) in zip(range(5, 9), (("a_o1", "t1"), ("a_o1", "t1"), ("a_o2", "t2"), ("a_o2", "t2"))):
        g = names.grad(names.weight(k))
        if g not in cols or a not in cols or (got := _leaves(table, r, g)) is None or not (base := got[0]({})):
            continue
        f, pinned, others = got
        out = excel.number(table.sheet.value(r, cols[a]))
        if out is None:
            continue
        for cell, how in others:
            zero = f({cell: out})
            if zero is not None and abs(zero) <= TOL * abs(base) and abs(pinned[cell] - out) > TOL:
                yield t, cell, how, _reader(table, g, r)


def _eta(table):
    cols, rows = table.columns, table.rows
    for k in range(1, 9):
        w, g = names.weight(k), names.grad(names.weight(k))
        if g not in cols:
            continue
        if NEW + w in cols:  # new w1 = w1 − η·∂E_total/∂w1 in the same row
            q, r, gr = NEW + w, rows[0], rows[0]
        elif w in cols and len(rows) > 1:  # w1 of the next row, from the row above's
            q, r, gr = w, rows[1], rows[0]
        else:
            continue
        if (got := _leaves(table, r, q)) is None:
            continue
        f, pinned, others = got
        gc = (table.sheet.name, gr, cols[g])
        if gc not in pinned:
            continue
        for cell, how in others:
            if (m := functions.times(f, cell, gc, pinned)) is not None and abs(m + 1) <= TOL:
                yield names.ETA, cell, how, "the weight updates"
