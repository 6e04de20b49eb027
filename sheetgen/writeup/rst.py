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
            for offset, row in latex.rows_at(formula):
                at = first + offset
                out[at] = f"{out[at]} ; {row}" if out[at] else row
        n = end
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())
