"""The compact cell store (xlsx.cells) holds what a dict holds, and compiled formulas give what
evaluate gives."""

import math
import random

import pytest

from sheetgen.xlsx import excel
from sheetgen.xlsx.cells import FORMULA, Cells

CELLS = {
    (0, 0): (None, "w1"),
    (0, 1): (None, 0.15),
    (1, 0): ("=A1*2", 0.3),
    (1, 1): ('="A5"&B1', "A50.15"),  # text in quotes: kept as written, never reshaped
    (1, 2): ("=A01+$B$1", None),  # a leading zero: kept as written
    (2, 0): ("=A2*2", 0.6),  # A2's formula copied down: one shape
    (2, 1): (None, excel.Error("#N/A")),
    (2, 2): (FORMULA, 1.0),
    (3, 0): ("=SUM(A1:A3)+'Other sheet'!B4", float("nan")),
    (3, 3): (None, True),
}


def test_it_holds_what_a_dict_holds_in_the_same_order():
    cells = Cells()
    for (r, c), (f, v) in CELLS.items():
        cells.add(r, c, f, v)
    got = dict(cells.items())
    assert list(got) == list(CELLS)
    for at, (f, v) in CELLS.items():
        assert got[at][0] == f and (got[at][1] == v or (v != v and got[at][1] != got[at][1]))
        assert cells.get(at)[0] == f
    assert cells.shape((1, 0)) == cells.shape((2, 0)) is not None
    assert cells.shape((1, 1)) is None and cells.shape((0, 0)) is None
    assert len(cells) == len(CELLS) and (5, 5) not in cells and cells.get((5, 5)) is None
    assert [f for _, (f, _) in cells.scan()] == [None if f is None else FORMULA for f, _ in CELLS.values()]
    column = cells.column(0, [0, 1, 2, 3, 4])
    assert column[:3] == [(None, "w1"), (FORMULA, 0.3), (FORMULA, 0.6)] and column[4] == (None, None)
    assert column[3][0] is FORMULA and math.isnan(column[3][1])


def test_a_cell_out_of_order_turns_it_into_a_dict_that_keeps_every_cell():
    cells = Cells(CELLS)
    cells[(0, 3)] = ("=D4", 1.0)  # above D4, already there
    cells.set_value((1, 0), 7.0)
    assert cells[(1, 0)] == ("=A1*2", 7.0)
    assert dict(cells.items()) == {**CELLS, (0, 3): ("=D4", 1.0), (1, 0): ("=A1*2", 7.0)} | {(3, 0): cells[(3, 0)]}
    assert list(cells)[-1] == (0, 3)


def test_fill_sets_every_formulas_value_and_keeps_its_text():
    cells = Cells(CELLS)
    cells.fill({(1, 0): 1.5, (2, 0): "x", (3, 0): 2.0})  # (3, 0): NaN before, a number now
    assert cells[(1, 0)] == ("=A1*2", 1.5) and cells[(2, 0)] == ("=A2*2", "x") and cells[(1, 2)] == ("=A01+$B$1", None)
    assert cells[(0, 1)] == (None, 0.15) and cells[(3, 0)] == (CELLS[(3, 0)][0], 2.0)
    cells.fill({(2, 0): 3.0})  # text before, a number now; the rest have none
    assert cells[(2, 0)] == ("=A2*2", 3.0) and cells[(1, 0)] == ("=A1*2", None) and cells[(3, 0)][1] is None
    assert dict(cells.items()) == {**CELLS, (1, 0): ("=A1*2", None), (1, 1): ('="A5"&B1', None),
                                   (2, 0): ("=A2*2", 3.0), (2, 2): (FORMULA, None),
                                   (3, 0): (CELLS[(3, 0)][0], None)} | {(1, 2): ("=A01+$B$1", None)}  # fmt: skip


def test_only_keeps_the_cells_asked_for_as_a_dict_in_the_stores_order():
    keep = {(3, 0), (0, 1), (1, 1), (2, 2), (9, 9)}  # (9, 9): not in it, left out
    wanted = [at for at in CELLS if at in keep]
    cells = Cells(CELLS)
    got = cells.only(keep)
    assert list(got) == wanted and got[(1, 1)] == CELLS[(1, 1)] and got[(2, 2)] == CELLS[(2, 2)]
    assert got[(3, 0)][0] == CELLS[(3, 0)][0] and math.isnan(got[(3, 0)][1])
    cells[(0, 3)] = ("=D4", 1.0)  # above D4: a plain dict inside from here on
    assert list(cells.only(keep | {(0, 3)})) == [*wanted, (0, 3)]


def test_a_columns_shapes_and_values_read_in_one_walk_are_what_each_cell_says():
    cells = Cells(CELLS)
    rows = [0, 1, 2, 3, 7]
    assert cells.shapes(0, rows) == [cells.shape((r, 0)) for r in rows]
    assert cells.shapes(1, rows) == [None] * 5 and cells.shapes(9, rows) == [None] * 5
    values = cells.dense(1)
    assert values == [0.15, "A50.15", excel.Error("#N/A")] and cells.dense(9) == []
    assert cells.dense(3) == [None, None, None, True]
    assert cells.texts() == [((0, 0), "w1")]  # constants holding text: not a formula's text result
    assert cells.last_row(-1) == 3 and Cells().last_row(-1) == -1
    cells[(0, 3)] = ("=D4", 1.0)  # a plain dict inside: no shapes, no dense column
    assert cells.shapes(0, rows) == [None] * 5 and cells.dense(1) is None
    cells[(4, 0)] = (None, "x")
    assert cells.texts() == [((0, 0), "w1"), ((4, 0), "x")] and cells.last_row(-1) == 4


def test_a_column_read_over_rows_is_what_each_cell_says_whether_sliced_or_walked():
    """column() slices a column without a gap over a run of rows, and walks any other: each gives each
    row's (FORMULA or None, value), (None, None) where empty, the rows before, over and past the column."""
    rng = random.Random(1)
    for _ in range(2000):
        cells, start = Cells(), rng.randint(0, 5)
        for r in range(start, start + rng.randint(1, 12)):
            value = rng.choice([1.5, None, "t", excel.Error("#N/A")])
            cells[(r, 3)] = (None if rng.random() < 0.3 else f"=A{r + 1}", value)
        if rng.random() < 0.2:  # a gap: walked
            cells[(start + 20, 3)] = ("=A1", 2.0)
        a = rng.randint(0, 20)
        rows = range(a, rng.randint(a, 30))
        want = [((None if cells[(r, 3)][0] is None else FORMULA), cells[(r, 3)][1]) if (r, 3) in cells
                else (None, None) for r in rows]  # fmt: skip
        assert cells.column(3, rows) == cells.column(3, list(rows)) == want


def test_a_formula_copied_down_is_known_for_its_shape_whether_or_not_it_was_guessed():
    """add() guesses a cell's shape is the formula's above, copied down, and keeps the guess only if its
    text is the cell's: each cell gets the shape, and the text, that cutting its own text gives."""
    written = {}
    for r in range(1, 40):
        written[(r, 0)] = f"=A{r}*2"  # copied down
        written[(r, 1)] = "=$A$1+B1" if r % 7 else f"=A{r}+B{r}"  # now and then another
        written[(r, 2)] = f"=C{r}+C{r - 1 if r > 1 else 1}" if r % 5 else f"=C{r}-1"  # a break in the copies
        written[(r, 3)] = f'="{r}"&D{r}' if r % 2 else f"=D{r}^2"  # text in quotes: never a shape
        written[(r, 4)] = f"=E{r * 3}+E{r - 1 if r > 9 else r}"  # rows a shape cannot follow
    guessed, cut = Cells(), Cells()
    for (r, c), f in written.items():
        value = float(r) if r % 3 else None  # a result, or none (a stripped copy's)
        guessed.add(r, c, f, value)
        cut[(r, c)] = (f, value)  # __setitem__: cut, never guessed
    assert [guessed.shape(at) for at in written] == [cut.shape(at) for at in written]
    assert [guessed[at] for at in written] == [cut[at] for at in written]
    assert [guessed[at][0] for at in written] == list(written.values()) and guessed[(3, 0)][1] is None
    assert len({guessed.shape((r, 0)) for r in range(1, 40)}) == 1


@pytest.mark.parametrize(
    "formula, values",
    [
        ("=A1*B1+EXP(-A1)/(1+B1)", {"A1": 0.5, "B1": 2.0}),
        ("=1/A1", {"A1": 0.0}),  # #DIV/0!
        ("=A1+B1", {"A1": 0.5, "B1": "text"}),  # #VALUE!
        ("=A1+B1", {"A1": 0.5}),  # an empty cell is 0
        ("=EXP(A1)", {"A1": 1000.0}),  # #NUM!
        ("=LN(A1)^0.5+SQRT(B1)", {"A1": -1.0, "B1": 4.0}),
        ("=(-A1)^0.5", {"A1": 2.0}),  # a complex result: #NUM!
        ("=MAX(A1,B1)-SUM(A1,B1)+TANH(eta)*ABS(-B1)", {"A1": 0.25, "B1": -3.0, "C1": 0.1}),
        ("=A1*1E308*10", {"A1": 1.0}),  # an overflow on the way
        ("=IF(A1>0,A1,0)", {"A1": 1.0}),  # not compiled: evaluate's
        ("=A1", {"A1": "text"}),
    ],
)
def test_compiled_formulas_give_what_evaluate_gives(formula, values):
    refs = {a: excel.parse_ref(a) for a in values}
    cells = {(refs[a].row, refs[a].col): v for a, v in values.items()}
    cell = lambda sheet, row, col: cells.get((row, col))  # noqa: E731
    name = lambda text: excel.parse_ref("C1") if text == "eta" else None  # noqa: E731
    tree = excel.parse(formula)
    want, got = excel.evaluate(tree, cell, name), excel.compiled(tree)(cell, name)
    assert got == want or (isinstance(want, float) and math.isnan(want) and math.isnan(got))
    assert type(got) is type(want)


@pytest.mark.parametrize(
    "formula",
    ["=A1*B1+EXP(-A1)/(1+B1)", "=1/(A1-B2)", "=LN(A1)+SQRT(B1)*eta", "=A1+'Other'!B1", "=$A$1*A1", "=A1*1E308*B1",
     "=IF(A1>0,A1,0)", "=SUM(A1,B1)^2"],
)  # fmt: skip
def test_compiled_rows_give_what_each_row_gives_or_leave_it_to_it(formula):
    """compiled_rows, a formula copied down a column computed for many rows in one call: each row's
    finite double as compiled's run gives it, None where run goes to evaluate (text, an empty cell, an
    error, a division by zero, an overflow); a defined name read once."""
    column_a = [1.0, -2.0, "x", None, 0.0, 700.0, 1e300, 0.5]
    column_b = [0.5, 0.5, 0.0, 2.0, -1.0, 3.0, 2.0, "0.5"]
    values = {0: column_a, 1: column_b, 2: [0.25]}
    cell = lambda sheet, row, col: None if sheet else (values[col] + [None] * 9)[row]  # noqa: E731
    name = lambda text: excel.parse_ref("C1") if text == "eta" else None  # noqa: E731
    tree = excel.parse(formula)
    fast, run = excel.compiled_rows(tree), excel.compiled(tree)
    if fast is None:  # IF: not compiled, row by row it is evaluate's
        assert formula.startswith("=IF")
        return
    offsets = list(range(8))
    got = fast(cell, name, offsets, lambda col: values[col])

    def read_as_numbers(rows):  # every cell it reads, moved down `rows`, a double (on its own sheet)
        refs = [ref for ref in excel.refs(formula) if ref.end is None]
        return all(ref.sheet is None and cell(None, ref.row + (0 if ref.row_abs else rows), ref.col).__class__
                   is float for ref in refs)  # fmt: skip

    for rows, x in zip(offsets, got):
        want = run(cell, name, rows)
        finite = type(want) is float and math.isfinite(want)
        assert (x is not None) == (read_as_numbers(rows) and finite) and (x is None or x == want)
    assert any(x is not None for x in got) == ("Other" not in formula)
