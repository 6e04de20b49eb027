"""A LaTeX document read as it typesets, each source line → the text a reader sees there: its math —
`$…$`, `\\(…\\)`, `\\[…\\]`, `$$…$$` and the equation, align, gather … environments, each row on the line it
begins on — read as LaTeX (latex.py, through markdown.take_out_math, which finds math the same way in
a Markdown file), the rest as prose; comments (`% …`) and the preamble are nothing a reader sees."""

import re

from sheetgen.writeup import markdown

SUFFIXES = {".tex", ".latex"}
_COMMENT = re.compile(r"(?<!\\)%.*$")  # `% a note`, not `50\%`
_BEGIN = re.compile(r"\\begin\s*\{document\}")
# \includegraphics[width=0.7\textwidth]: no equation; but `\left[ … \right]`, `\big[`: a bracket of the math
_OPTIONS = re.compile(r"(\\(?!(?:left|right|[bB]igg?[lr]?)\b)[a-zA-Z]+\*?)\[[^\]\n]*\]")


def render(lines: list[str]) -> list[str]:
    """What a reader sees on each line of a LaTeX document (as many lines as it has)."""
    lines = [_OPTIONS.sub(r"\1", _COMMENT.sub("", line)) for line in lines]
    start = next((n for n, line in enumerate(lines) if _BEGIN.search(line)), None)
    if start is not None:  # the preamble (\usepackage, \newcommand …) typesets nothing
        lines = [""] * (start + 1) + lines[start + 1 :]
    source, shown, formulas = markdown.take_out_math(lines)
    out = [""] * len(lines)
    for n, text in enumerate(source):
        markdown.put(out, n, markdown.restore(text, formulas))
    for n, text in shown.items():
        markdown.put(out, n, text)
    return out
