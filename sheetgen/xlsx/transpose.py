"""A sheet seen sideways: each row a column and each column a row, its formulas' references to itself
turned with it, so that a table laid out with one iteration per column reads as one per row.

Other sheets' cells are not turned (a formula reading 'Params'!B2 still reads B2 there); the sheet's
own defined names, and the workbook's that point into it, are. `back` turns what is said of the view
(an address, a formula, a sentence naming cells) into what it is on the sheet itself.
"""

import re

from sheetgen.xlsx import excel
from sheetgen.xlsx.reader import Book, Sheet


def view(sheet: Sheet, book: Book | None = None) -> Sheet:
    """The sheet turned: cell (r, c) of the view is cell (c, r) of the sheet."""
    cells = {}
    for (r, c), (_, value) in list(sheet.scan()):
        formula = sheet.formula(r, c)
        if isinstance(formula, str):
            try:
                formula = excel.edit(formula, lambda ref: _turned(ref, sheet.name))
            except excel.FormulaError:
                pass  # kept as written: it reads as unparsable in the view too
        cells[(c, r)] = (formula, value)
    named = {name: (c, r) for name, (r, c) in sheet.names.items()}
    if book is not None:  # the workbook's names of this sheet's cells: its own, turned, in the view
        for name, ref in book.names.items():
            if ref.sheet == sheet.name and ref.end is None and name not in named:
                named[name] = (ref.col, ref.row)
    return Sheet(sheet.name, cells, named)


def _turned(ref: excel.Ref, name: str) -> excel.Ref | None:
    if ref.sheet not in (None, name):
        return None
    end = None if ref.end is None else (ref.end[1], ref.end[0], ref.end[3], ref.end[2])
    return excel.Ref(ref.sheet, ref.col, ref.row, ref.col_abs, ref.row_abs, end)


def address(text: str) -> str:
    """A view's address (or range) as the sheet has it: C5 is E3."""
    return _CELLS.sub(_swap, text)


def formula(text: str | None, name: str) -> str | None:
    """A formula written in the view, as it reads on the sheet."""
    if not isinstance(text, str):
        return text
    try:
        return excel.edit(text, lambda ref: _turned(ref, name))
    except excel.FormulaError:
        return text


# a cell in a sentence: not a quantity's name (E1, E2 are losses before they are cells)
_CELLS = re.compile(r"(?<![\w$'])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\w(])")
_ROW = re.compile(r"\b(rows?) (\d+)(?:-(\d+))?")


def _swap(m: re.Match) -> str:
    col_abs, letters, row_abs, digits = m.groups()
    return f"{row_abs}{excel.col_name(int(digits) - 1)}{col_abs}{excel.col_index(letters) + 1}"


def sentence(text: str) -> str:
    """A sentence about the view's cells, about the sheet's: addresses turned, `row 5` said `column E`."""

    def cell(m: re.Match) -> str:
        if not m[1] and not m[3] and re.fullmatch(r"E\d", m[0]) and re.match(r"\s*[(=,]|$", text[m.end() :]):
            return m[0]  # E1, E2 as the losses' names: "uses E1 (U5)", "E1 = …", "E1, E2 not found"
        return _swap(m)

    def row(m: re.Match) -> str:
        first = excel.col_name(int(m[2]) - 1)
        if m[3]:
            return f"columns {first}-{excel.col_name(int(m[3]) - 1)}"
        return f"{'columns' if m[1] == 'rows' else 'column'} {first}"

    text2 = _ROW.sub(row, _CELLS.sub(cell, text))
    for view_words, sheet_words in _WORDS:
        text2 = text2.replace(view_words, sheet_words)
    return text2


_WORDS = (("this row", "this column"), ("down the column", "along the row"), ("the row above", "the column before"))
