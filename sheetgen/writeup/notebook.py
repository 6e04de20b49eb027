"""A Jupyter notebook (.ipynb) read as it renders: its Markdown cells, each source line → the text a
reader sees there, at the line of the .ipynb file that holds it, so a mistake is said where an editor
opening the file shows it.

Jupyter, JupyterLab and Colab save a notebook as indented JSON with each line of a cell as a string of
its own on a line of its own (nbformat's `"source": ["h1 = w1*i1 + w2*i2\\n", …]`); those lines are
read in place, and every other line of the file (the JSON around them, code cells, outputs) is blank,
so cells stay paragraphs apart. A code cell is read as a Markdown file's fenced code is, and its printed
output as a log (`dE_dw8 = delta_o2 * a_h1` and the `dE_dw8 = -0.042455250` it prints are the student's
working as much as the LaTeX above them: a notebook of round 31 had 73 of its 88 equation lines there). A
notebook saved otherwise (minified, a cell's source as one string) is read as its Markdown cells one
after another, and its line numbers say so."""

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
    cells = [c for c in cells if isinstance(c, dict)]
    kinds = [(c.get("cell_type") == "markdown", _source(c)) for c in cells]
    placed = _in_place(lines, kinds)
    if placed is not None:
        shown, code, spans = placed
        out = markdown.render(shown)
        for n, text in code.items():
            out[n] = text
        taken = set(code) | {n for n, text in enumerate(shown) if text}
        for n, text in _outputs(lines, cells, spans, taken).items():
            out[n] = text
        return out, None
    flat = [line for shown, cell in kinds if shown for line in [*"".join(cell).split("\n"), ""]]
    why = ("its cells are not saved a line to a line as Jupyter saves them: line numbers count the lines of its "
           "Markdown cells, one cell after another")  # fmt: skip
    return markdown.render(flat), why


def _source(cell: dict) -> list[str]:
    source = cell.get("source", [])
    return [source] if isinstance(source, str) else [s for s in source if isinstance(s, str)]


def _in_place(lines: list[str], cells: list[tuple[bool, list[str]]]):
    """Each Markdown cell's line at the file line that holds it, the rest blank; each code cell's line (file
    line -> its text); and each cell's first and last file line (None if it has none). None if a cell's
    source is not one string to a line, in order, as nbformat writes it. Every cell's lines are found in
    turn, so a line a code cell shares with a Markdown one below it is not taken for it."""
    out = [""] * len(lines)
    code: dict[int, str] = {}
    spans: list[tuple[int, int] | None] = []
    n = 0
    for shown, cell in cells:
        first = None
        for piece in cell:
            text = piece.removesuffix("\n")
            if "\n" in text:
                return None
            written = _as_written(piece)
            while n < len(lines) and lines[n].strip().removesuffix(",") not in written:
                n += 1
            if n == len(lines):
                return None
            if shown:
                out[n] = text
            else:
                code[n] = text
            first = n if first is None else first
            n += 1
        spans.append((first, n - 1) if first is not None else None)
    return out, code, spans


def _outputs(lines: list[str], cells: list[dict], spans: list, taken: set[int]) -> dict[int, str]:
    """Each line a code cell printed (a stream's text, a result's text/plain), at the file line that holds
    it: looked for, in order, among the lines of no cell's source between the cell above's source and the
    cell below's (nbformat writes `outputs` before `source`); one not found there is not read."""
    out: dict[int, str] = {}
    for k, c in enumerate(cells):
        printed = [t for o in c.get("outputs", []) if isinstance(o, dict) for t in _printed(o)]
        if not printed:
            continue
        low = next((s[1] + 1 for s in reversed(spans[:k]) if s), 0)
        high = next((s[0] for s in spans[k + 1 :] if s), len(lines))
        n = low
        for piece in printed:
            written = _as_written(piece)
            at = (m for m in range(n, high) if m not in taken and lines[m].strip().removesuffix(",") in written)
            m = next(at, None)
            if m is None:
                break
            out[m] = piece.removesuffix("\n")
            taken.add(m)
            n = m + 1
    return out


def _as_written(piece: str) -> tuple[str, str]:
    """A string of a cell as nbformat writes it on its line (its characters as they are, or escaped)."""
    return json.dumps(piece, ensure_ascii=False), json.dumps(piece)


def _printed(output: dict) -> list[str]:
    """What an output shows as text: a stream's lines, a result's text/plain ones."""
    text = output.get("text") if output.get("output_type") == "stream" else output.get("data", {}).get("text/plain")
    if isinstance(text, str):
        return [line + "\n" for line in text.split("\n")]
    return [t for t in text or [] if isinstance(t, str)]
