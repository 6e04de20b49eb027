"""A reStructuredText write-up read as it renders, each source line → the text a reader sees there:
math — the `:math:` role inline, the `.. math::` directive's indented block (each paragraph of it one
formula, each row on the line it begins on) — is read as LaTeX (latex.py); the rest as written."""

import re

from sheetgen.writeup import latex

SUFFIXES = {".rst"}
_ROLE = re.compile(r":math:`([^`]+)`")
_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+math::\s*(.*)$")
_OPTION = re.compile(r"^\s*:[\w-]+:")  # :label: eq1, :nowrap:


def render(lines: list[str]) -> list[str]:
    """What a reader sees on each line of a reStructuredText file (as many lines as it has)."""
    out = [_ROLE.sub(lambda m: f" {latex.text(m[1])} ", line) for line in lines]
    _simple_tables(out)
    _grid_tables(out)
    _list_tables(out, out)  # (its roles rendered: a header cell :math:`\eta` is read as η)
    n = 0
    while n < len(lines):
        m = _DIRECTIVE.match(lines[n])
        if m is None:
            n += 1
            continue
        out[n] = ""
        formulas = [(n, m[2])] if m[2].strip() else []  # `.. math:: E = …` on the directive's line
        end = n + 1
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > len(m[1])):
            out[end] = ""
            end += 1
        paragraph: list[tuple[int, str]] = []
        for k in [*range(n + 1, end), None]:  # a blank line ends a formula
            if k is not None and lines[k].strip() and not (not paragraph and _OPTION.match(lines[k])):
                paragraph.append((k, lines[k]))
                continue
            if paragraph:
                formulas.append((paragraph[0][0], "\n".join(text for _, text in paragraph)))
                paragraph = []
        for first, formula in formulas:
            # (rows are counted from the first line that holds one: not a `\begin{aligned}` of its own, which
            # put every row of the block a line above its own)
            formula = latex.ENVIRONMENT.sub(" ", formula)
            first += next((k for k, text in enumerate(formula.split("\n")) if text.strip()), 0)
            for offset, row, span in latex.rows_spans(formula):
                at = first + offset
                out[at] = f"{out[at]} ; {row}" if out[at] and out[at] != latex.CONTINUED else row
                for k in range(at + 1, at + span + 1):  # the lines it goes on over: read with it
                    out[k] = out[k] or latex.CONTINUED
        n = end
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


_BORDER = re.compile(r"^\s*=+(?:\s+=+)+\s*$")  # ====  ======  ====: a simple table's border


def _simple_tables(lines: list[str]) -> None:
    """A simple table (columns under runs of `=`) rewritten in place as a Markdown table's rows —
    `| w5 | (out_o1 − t1) · … | 0.012881 |`, the border under its header a rule — so its rows are read
    as a table's, by their header (tables.py)."""
    n = 0
    while n < len(lines):
        if not _BORDER.match(lines[n]):
            n += 1
            continue
        spans = [m.span() for m in re.finditer(r"=+", lines[n])]
        borders = [n]
        end = n + 1
        while end < len(lines) and lines[end].strip():
            if _BORDER.match(lines[end]):
                borders.append(end)
            end += 1
        for k in range(n, end):
            if k in borders:
                ruled = len(borders) > 2 and k == borders[1]  # the border under the header
                lines[k] = "|" + "---|" * len(spans) if ruled else ""
                continue
            cells = [lines[k][a : spans[i + 1][0] if i + 1 < len(spans) else None].strip()
                     for i, (a, _) in enumerate(spans)]  # fmt: skip
            apart = lines[k].split()  # a row written past its column's border (`0,1496234887     -0,0001253493`
            if len(apart) == len(spans) and any(_cut(lines[k], a) for a, _ in spans[1:]):  # under `====  ====`):
                cells = apart  # cut at the border, its numbers were read as -0,0 and 001253493; its words part it
            lines[k] = "| " + " | ".join(cells) + " |"
        n = end


def _cut(line: str, at: int) -> bool:
    """Whether a column's border at `at` falls inside a word of the line (not between two)."""
    return 0 < at < len(line) and not line[at - 1].isspace() and not line[at].isspace()


_GRID_BORDER = re.compile(r"^\s*\+(?:-+\+)+\s*$")  # +-----+------+: a grid table's border
_GRID_HEADER = re.compile(r"^\s*\+(?:=+\+)+\s*$")  # +=====+======+: the border under its header
_GRID_ROW = re.compile(r"^\s*\|.*\|\s*$")


def _grid_tables(lines: list[str]) -> None:
    """A grid table with a header (`+===+` under it) and rows of one line each, rewritten in place as a
    Markdown table's rows: its borders between rows rules, read as no row, the first and last nothing. A
    table whose rows go on over lines (a cell of two lines) is left as it is: which line says what is unsure."""
    n = 0
    while n < len(lines):
        if not _GRID_BORDER.match(lines[n]):
            n += 1
            continue
        end = n
        while end + 1 < len(lines) and (_GRID_ROW.match(lines[end + 1]) or _GRID_BORDER.match(lines[end + 1])
                                        or _GRID_HEADER.match(lines[end + 1])):  # fmt: skip
            end += 1
        block = range(n, end + 1)
        borders = [k for k in block if not _GRID_ROW.match(lines[k])]
        one_line_rows = all((k - n) % 2 == (0 if k in borders else 1) for k in block) and end > n
        headed = sum(1 for k in borders if _GRID_HEADER.match(lines[k])) == 1 and not _GRID_HEADER.match(lines[n])
        if one_line_rows and headed and not _GRID_ROW.match(lines[end]):
            columns = lines[n].count("+") - 1
            for k in borders:
                lines[k] = "" if k in (n, end) else "|" + "---|" * columns
        n = end + 1


_LIST_TABLE = re.compile(r"^(\s*)\.\.\s+list-table::")
_ITEM = re.compile(r"^(\s*)([*-])\s+(?:-\s+)?(.*)$")  # `* - cell` begins a row, `  - cell` goes on with it


def _list_tables(lines: list[str], out: list[str]) -> None:
    """A list-table (a row `* - cell`, each cell below it `- cell`, a line each) rewritten as a Markdown
    table's rows, each cell on its own source line: its header row whole on the header's first line, a
    rule on the others; each line of a row below the header a row of the row's first cell (its key: η,
    the iteration, the quantity) and that line's cell, the others empty, so each number is read on the
    line that writes it. A table of one row under its header (`w1 … w8` over `0.15 … 0.55`) is a list of
    each header's name and its value. A cell over two lines, or rows of other lengths, leave it unread."""
    n = 0
    while n < len(lines):
        if not (m := _LIST_TABLE.match(lines[n])):
            n += 1
            continue
        end = n + 1
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > len(m[1])):
            end += 1
        header_rows = int(h[1]) if (h := re.search(r":header-rows:\s*(\d+)", "\n".join(lines[n:end]))) else 0
        rows: list[list[tuple[int, str]]] = []
        whole = True
        for k in range(n + 1, end):
            if not lines[k].strip() or _OPTION.match(lines[k]):
                continue
            item = _ITEM.match(lines[k])
            if item is None:
                whole = False  # a cell that goes on over a line: which line says what is unsure
                break
            if item[2] == "*":
                rows.append([(k, item[3].strip())])
            elif rows:
                rows[-1].append((k, item[3].strip()))
        if whole and rows and len({len(r) for r in rows}) == 1 and len(rows[0]) >= 2 and header_rows <= 1:
            for k in range(n, end):
                out[k] = ""
            width = len(rows[0])
            header, data = (rows[0], rows[1:]) if header_rows else (None, rows)
            if header and len(data) == 1:
                for (_, name), (k, cell) in zip(header, data[0], strict=True):
                    out[k] = f"| {name} | {cell} |"
            else:
                if header:
                    out[header[0][0]] = "| " + " | ".join(c for _, c in header) + " |"
                    for k in range(header[0][0] + 1, data[0][0][0] if data else end):
                        out[k] = "|" + "---|" * width
                for row in data:
                    key = row[0][1]
                    for i, (k, cell) in enumerate(row):
                        cells = [key, *(cell if j == i and i else "" for j in range(1, width))]
                        out[k] = "| " + " | ".join(cells) + " |"
        n = end
