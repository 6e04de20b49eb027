"""A LaTeX document read as it typesets, each source line → the text a reader sees there: its math —
`$…$`, `\\(…\\)`, `\\[…\\]`, `$$…$$` and the equation, align, gather … environments, each row on the line it
begins on — read as LaTeX (latex.py, through markdown.take_out_math, which finds math the same way in
a Markdown file), the rest as prose; comments (`% …`) and the preamble are nothing a reader sees."""

import re

from sheetgen.writeup import latex, markdown, tables

SUFFIXES = {".tex", ".latex"}
_COMMENT = re.compile(r"(?<!\\)%.*$")  # `% a note`, not `50\%`
_BEGIN = re.compile(r"\\begin\s*\{document\}")
# \includegraphics[width=0.7\textwidth]: no equation; but `\left[ … \right]`, `\big[`: a bracket of the math
_OPTIONS = re.compile(r"(\\(?!(?:left|right|[bB]igg?[lr]?)\b)[a-zA-Z]+\*?)\[[^\]\n]*\]")


def render(lines: list[str]) -> list[str]:
    """What a reader sees on each line of a LaTeX document (as many lines as it has)."""
    lines = latex.expand([_COMMENT.sub("", line) for line in lines])  # its own macros, as they typeset
    lines = [_OPTIONS.sub(r"\1", line) for line in lines]
    start = next((n for n, line in enumerate(lines) if _BEGIN.search(line)), None)
    if start is not None:  # the preamble (\usepackage, \newcommand …) typesets nothing
        lines = [""] * (start + 1) + lines[start + 1 :]
    _tabulars(lines)
    source, shown, formulas = markdown.take_out_math(lines)
    out = [""] * len(lines)
    for n, text in enumerate(source):
        markdown.put(out, n, markdown.restore(text, formulas))
    for n, text in shown.items():
        markdown.put(out, n, text)
    return out


_TABULAR = re.compile(r"^\s*\\begin\s*\{(?:tabular\*?|tabularx|longtable)\}")
_TABULAR_END = re.compile(r"^\s*\\end\s*\{(?:tabular\*?|tabularx|longtable)\}\s*$")
_RULE = re.compile(
    r"^\s*(?:\\(?:toprule|midrule|bottomrule|hline|cline\s*\{[^{}]*\}|cmidrule(?:\([^()]*\))?\s*\{[^{}]*\})\s*)+$"
)
_RULED = re.compile(r"\\\\\s*\\(?:hline|midrule|toprule)\b")  # a row with the rule under it on its line
_ROW_END = re.compile(r"\\\\\s*(?:\\(?:hline|midrule|toprule|bottomrule)\s*)*$")


def _tabulars(lines: list[str]) -> None:
    """A tabular whose rows are one line each (`$w_1$ & $0.000188$ & $0.149849$ \\\\`) rewritten in place as a
    Markdown table's rows, its cells parted by `|` — the rule under its first row (`\\midrule`, `\\hline`)
    the rule under a header, the others rules read as no row — so its rows are read as a table's, by
    their header (tables.py). A table of rows over several lines or of joined cells (`\\multicolumn`) is
    left as it is: which line says what is unsure."""
    n = 0
    while n < len(lines):
        if not _TABULAR.match(lines[n]) or re.search(r"\\end\s*\{", lines[n]):  # not one on a line of its own
            n += 1
            continue
        end = next((k for k in range(n + 1, len(lines)) if _TABULAR_END.match(lines[k])), None)
        if end is None:
            return
        inner = range(n + 1, end)
        rows = [k for k in inner if lines[k].strip() and not _RULE.match(lines[k])]
        whole = (
            rows
            and all(_ROW_END.search(lines[k]) or k == rows[-1] for k in rows)
            and not any(re.search(r"\\multi(?:column|row)", lines[k]) for k in rows)
        )
        if whole:
            lines_ = {k: lines[k] for k in rows}
            columns = max(lines[k].count("&") for k in rows) + 1
            for k in inner:
                if k in rows:
                    cells = _ROW_END.sub("", lines[k]).split("&")
                    lines[k] = "| " + " | ".join(c.strip() for c in cells) + " |"
                    if k == rows[0] and _RULED.search(lines_[k]):  # `η & 1 update & … \\ \hline`: its header,
                        lines[k] = tables.HEADER + lines[k]  # the rule under it on its own line
                elif _RULE.match(lines[k]):
                    after_first = k > rows[0] and not any(r < k for r in rows[1:])
                    lines[k] = "|" + "---|" * columns if after_first else ""
            lines[n] = lines[end] = ""
        n = end + 1
