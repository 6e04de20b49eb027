"""An HTML page read as a browser shows it, each source line → the text a reader sees there: what
<head>, <style>, <script> and comments hold is nothing a reader sees; the body is read as markdown.py
reads HTML in a Markdown file (<sub>5</sub> is _5, <sup>2</sup> ^(2), &middot; ·, a one-line <tr> a
table's row), and MathJax's or KaTeX's math (`\\(…\\)`, `\\[…\\]`, `$$…$$`) as LaTeX."""

import re

from sheetgen.writeup import markdown

SUFFIXES = {".html", ".htm", ".xhtml"}
_HIDDEN = re.compile(r"(?is)<!--.*?-->|<(head|style|script|title|noscript)\b.*?</\1\s*>|<!DOCTYPE[^>]*>")


def render(lines: list[str]) -> list[str]:
    """What a reader sees on each line of an HTML page (as many lines as it has)."""
    text = _HIDDEN.sub(lambda m: "\n" * m[0].count("\n"), "\n".join(lines))
    # a page's indentation is nothing a browser shows, but four spaces after a blank line are a code
    # block to Markdown, whose tags would be read as written
    return markdown.render([line.lstrip() for line in text.split("\n")])
