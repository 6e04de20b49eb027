"""A Jupyter notebook (.ipynb) read as it renders: its Markdown cells, each source line → the text a
reader sees there, at the line of the .ipynb file that holds it, so a mistake is said where an editor
opening the file shows it.

Jupyter, JupyterLab and Colab save a notebook as indented JSON with each line of a cell as a string of
its own on a line of its own (nbformat's `"source": ["h1 = w1*i1 + w2*i2\\n", …]`); those lines are
read in place, and every other line of the file (the JSON around them, code cells, outputs) is blank,
so cells stay paragraphs apart. Code cells and their outputs are code and logs, not the write-up: not
read. A notebook saved otherwise (minified, a cell's source as one string) is read as its Markdown
cells one after another, and its line numbers say so."""

import json

from sheetgen.errors import WorkbookError
from sheetgen.writeup import markdown

SUFFIXES = {".ipynb"}


def render(lines: list[str]) -> tuple[list[str], str | None]:
    """What a reader sees on each line of the notebook (as many lines as the file has), and a warning
    when its lines could not be kept (the Markdown cells' lines counted one after another instead)."""
    try:
        notebook = json.loads("\n".join(lines))
    except json.JSONDecodeError as e:
        raise WorkbookError(f"not a notebook: its JSON breaks at line {e.lineno} ({e.msg})") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if cells is None and isinstance(notebook, dict):  # nbformat 3: cells under worksheets
        cells = [c for w in notebook.get("worksheets", []) for c in w.get("cells", [])]
    if not isinstance(cells, list):
        raise WorkbookError("not a notebook: no cells (a .ipynb holds a JSON object with a 'cells' list)")
    cells = [(c.get("cell_type") == "markdown", _source(c)) for c in cells if isinstance(c, dict)]
    placed = _in_place(lines, cells)
    if placed is not None:
        return markdown.render(placed), None
    flat = [line for shown, cell in cells if shown for line in [*"".join(cell).split("\n"), ""]]
    why = ("its cells are not saved a line to a line as Jupyter saves them: line numbers count the lines of its "
           "Markdown cells, one cell after another")  # fmt: skip
    return markdown.render(flat), why


def _source(cell: dict) -> list[str]:
    source = cell.get("source", [])
    return [source] if isinstance(source, str) else [s for s in source if isinstance(s, str)]


def _in_place(lines: list[str], cells: list[tuple[bool, list[str]]]) -> list[str] | None:
    """Each Markdown cell's line at the file line that holds it, the rest blank; None if a cell's source
    is not one string to a line, in order, as nbformat writes it. Every cell's lines are found in turn,
    a code cell's too, so a line a code cell shares with a Markdown one below it is not taken for it."""
    out = [""] * len(lines)
    n = 0
    for shown, cell in cells:
        for piece in cell:
            text = piece.removesuffix("\n")
            if "\n" in text:
                return None
            written = (json.dumps(piece, ensure_ascii=False), json.dumps(piece))
            while n < len(lines) and lines[n].strip().removesuffix(",") not in written:
                n += 1
            if n == len(lines):
                return None
            out[n] = text if shown else ""
            n += 1
    return out
