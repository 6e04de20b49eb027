"""A Markdown write-up read as it renders (markdown-it-py, CommonMark with GitHub's tables): each
source line → the text a reader sees there, so every equation keeps its line number.

Escapes are undone (`w1\\*i1` is w1*i1; a visible `a\\_h1` is a_h1), code spans and blocks are read as
written, a table row is its cells (`| h1 = w1*i1 | a comment |`), HTML is its text (W<sub>new</sub> is
W_new), an image is its alt text and, when its address is a LaTeX renderer's
(`latex.codecogs.com/svg.latex?\\frac{…}`), the formula in it. Math — `$…$`, `$$…$$`, `\\[…\\]`, `\\(…\\)`,
`\\begin{align*}…`, a ```math block — is taken out before Markdown can mangle it (`_` and `*` are
emphasis to Markdown) and read as LaTeX (latex.py)."""

import html
import re
from urllib.parse import unquote, unquote_plus

from markdown_it import MarkdownIt

from sheetgen.writeup import latex, tables

SUFFIXES = {".md", ".markdown", ".qmd", ".rmd"}  # (Quarto and R Markdown: Markdown with code chunks)
_MD = MarkdownIt("commonmark").enable("table")
_HOLD = "\ue000{}\ue001"  # where a formula was taken out of a line, by its number
_HELD = re.compile("\ue000(\\d+)\ue001")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_OPEN = re.compile(r"\$\$|\\\[|\\begin\{(equation|align|aligned|eqnarray|gather|multline|split|array)\*?\}")
_CLOSES = {"$$": r"\$\$", "\\[": r"\\\]"}
_INLINE = re.compile(r"\$`([^`\n]+)`\$|(?<![\\$\w])\$(?![\s$])((?:\\\$|[^$\n])+?)(?<!\\)\$(?![\w$])|\\\((.+?)\\\)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


_YAML = re.compile(r"\s*(?:#.*|[\w-]+\s*:.*|-\s.*)?|\s+\S.*")  # `title: "…"`, `  html:`, `- item`


def _front_matter(lines: list[str]) -> list[str]:
    """A Quarto, R Markdown or Jekyll file's YAML header (`---`, `title: …`, `format: html`, `---`) blanked:
    settings for the renderer, nothing a reader sees."""
    if not lines or lines[0].strip() != "---":
        return lines
    end = next((k for k in range(1, min(len(lines), 200)) if lines[k].strip() in ("---", "...")), None)
    if end is None or not all(_YAML.fullmatch(line) for line in lines[1:end]):
        return lines
    return [""] * (end + 1) + lines[end + 1 :]


def render(lines: list[str]) -> list[str]:
    """What a reader sees on each line of a Markdown file (as many lines as it has)."""
    # its own LaTeX macros (`$\newcommand{\pd}[2]{…}$`, as MathJax and KaTeX take them), expanded
    source, shown, formulas = take_out_math(latex.expand(_front_matter(list(lines))))
    out = [""] * len(lines)
    tokens = _MD.parse("\n".join(_RENDERER_URL.sub(_kept, line) for line in source))
    for k, t in enumerate(tokens):
        if t.map is None:
            continue
        first = t.map[0]
        if t.type == "inline" and not _in_table(tokens, k):
            for n, text in enumerate(_inline(t.children or [], formulas)):
                put(out, first + n, text)
        elif t.type == "tr_open":
            cells = []
            for inner in tokens[k + 1 :]:
                if inner.type == "tr_close":
                    break
                if inner.type == "inline":
                    cells.append(" ".join(_inline(inner.children or [], formulas)))
            put(out, first, "| " + " | ".join(cells) + " |")
            if k > 0 and tokens[k - 1].type == "thead_open":  # the rule under the header, as written
                put(out, first + 1, "|" + "---|" * len(cells))
        elif t.type == "code_block":
            for n, text in enumerate(t.content.split("\n")[: t.map[1] - first]):
                put(out, first + n, restore(text, formulas, code=True))
        elif t.type == "fence":
            body = t.content.split("\n")[: max(0, t.map[1] - first - 1)]
            if t.info.strip().lower() in ("math", "latex", "tex", "katex"):
                for n, text in _block(body):
                    if text != latex.CONTINUED or not out[first + 1 + n]:
                        put(out, first + 1 + n, text)
            else:
                for n, text in enumerate(body):
                    put(out, first + 1 + n, restore(text, formulas, code=True))
        elif t.type == "html_block":
            for n, text in enumerate(t.content.split("\n")[: t.map[1] - first]):
                put(out, first + n, _html_row(text, formulas) or _html(restore(text, formulas)))
    for n, text in shown.items():
        put(out, n, text)
    return out


def put(out: list[str], n: int, text: str) -> None:
    if 0 <= n < len(out) and text.strip():
        out[n] = f"{out[n]} ; {text}" if out[n] else text


def _in_table(tokens, k: int) -> bool:
    return k > 0 and tokens[k - 1].type in ("th_open", "td_open")


# -- math, taken out before Markdown reads the file ------------------------------------------------
def take_out_math(lines: list[str]):
    """The lines with display math blanked (said on the line each row begins on, in `shown`) and
    inline math held by a mark (`formulas`); fenced code is left alone."""
    shown: dict[int, str] = {}
    formulas: list[str] = []
    fence = None
    n = 0
    while n < len(lines):
        line = lines[n]
        if m := _FENCE.match(line):
            if fence is None:
                fence = m[1][0] * len(m[1])
            elif line.strip().startswith(fence):
                fence = None
            n += 1
            continue
        if fence is not None:
            n += 1
            continue
        opened = _display_start(line)
        if opened is not None:
            at, start, close = opened
            end, stop = _display_end(lines, n, start, close)
            if end is not None:
                body = _between(lines, n, start, end, stop, close)
                for k, text in _array_table(body) or _block(body):
                    if n + k not in shown or shown[n + k] == latex.CONTINUED:
                        shown[n + k] = text
                    elif text != latex.CONTINUED:
                        shown[n + k] = f"{shown[n + k]} ; {text}"
                before = lines[n][:at]
                after = lines[end][stop:]
                for k in range(n, end + 1):
                    lines[k] = ""
                lines[n] = before
                if after.strip():
                    lines[end] = _hold_inline(after, formulas)
                    lines[end] = lines[end] if end != n else before + " " + lines[end]
                n = end + 1
                continue
        lines[n] = _hold_inline(line, formulas)
        n += 1
    return lines, shown, formulas


def _display_start(line: str):
    """Where display math opens on a line, outside code spans, and the pattern that closes it."""
    masked = _CODE_SPAN.sub(lambda m: " " * len(m[0]), line)
    m = _OPEN.search(masked)
    if m is None:
        return None
    if m[0].startswith("\\begin"):
        return m.start(), m.start(), re.escape(f"\\end{{{m[1]}") + r"\*?\}"
    return m.start(), m.end(), _CLOSES[m[0]]


def _display_end(lines, n: int, start: int, close: str):
    """The line and column where the display math that opens at (n, start) closes (within 60 lines)."""
    for k in range(n, min(len(lines), n + 60)):
        text = lines[k][start:] if k == n else lines[k]
        if m := re.search(close, text):
            offset = start if k == n else 0
            return k, offset + m.end()
        if k > n and _FENCE.match(lines[k]):
            return None, None
    return None, None


def _between(lines, n: int, start: int, end: int, stop: int, close: str) -> list[str]:
    """The display math's lines, its delimiters cut off (a `\\begin{…}` environment kept whole)."""
    body = []
    for k in range(n, end + 1):
        text = lines[k]
        if k == end:
            text = text[:stop]
            if not close.startswith(r"\\end"):
                text = re.sub(f"{close}$", "", text)
        if k == n:
            text = text[start:] if k != end else text[start:]
        body.append(text)
    return body


_MATRIX = re.compile(r"(?s)\\begin\{((?:[pbBvV]|small)?matrix|array)\*?\}.*?\\end\{\1\*?\}")
_MATRIX_ROW = "\ue016\ue016"
_LABEL = re.compile(r"\\(?:label|tag\*?)\s*\{[^{}]*\}|\\(?:nonumber|notag)\b")  # no part of what a row says
_LAYOUT_BEGIN = re.compile(r"^\s*\\begin\{(?:(?:[pbBvV]|small)?matrix|array)\*?\}(?:\{[^{}]*\})?[ \t]*(?=\n)")


_ARRAY = re.compile(r"(?s)\s*\\begin\{array\}\{[^{}]*\}(.*)\\end\{array\}\s*")
_NUMERIC = re.compile(r"[-−]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-−]?\d+)?")


def _array_table(body: list[str]) -> list[tuple[int, str]] | None:
    """A display that is one array of a header row of names over rows of numbers (`k & \\mathrm{w1} & … \\\\
    \\hline` then `1 & 0.150000 & …`): a table, each row as a table's row on the line it is written on, the
    header marked one (tables.HEADER), as tables.py reads any other; None for any other display (an
    array that lays out equations, a matrix)."""
    text = "\n".join(body)
    m = _ARRAY.fullmatch(text)
    if m is None:
        return None
    rows, at = [], m.start(1)
    for raw in re.split(r"\\\\(?![a-zA-Z])", m[1]):
        lead = len(raw) - len(re.sub(r"^(?:\s|\\hline)*", "", raw))  # (the row begins past `\hline`)
        line = text.count("\n", 0, at + lead)
        at += len(raw) + 2
        cells = [latex.text(c.replace("\\hline", " ")).strip() for c in raw.replace("\\hline", " ").split("&")]
        if any(cells):
            rows.append((line, cells))
    if len(rows) < 3 or len({len(c) for _, c in rows}) != 1 or len(rows[0][1]) < 2:
        return None
    header, data = rows[0][1], rows[1:]
    if any("=" in c for _, c_ in data for c in c_):
        return None  # an array that lays out equations (latex._laid_out), not a table of values
    if any(_NUMERIC.fullmatch(c) for c in header) or not all(any(_NUMERIC.fullmatch(c) for c in c_) for _, c_ in data):
        return None
    out = [(rows[0][0], tables.HEADER + "| " + " | ".join(header) + " |")]
    return out + [(line, "| " + " | ".join(c) + " |") for line, c in data]


def _block(body: list[str]) -> list[tuple[int, str]]:
    """A block of display math → (line within it, text) for each row, on the line the row begins on;
    each further line a row goes on over, latex.CONTINUED."""
    # a matrix's `\\` ends one of its rows, not a row of the display (latex.MATRICES): held apart, as
    # long as it is, so every place in the text stays where it was
    text = _MATRIX.sub(lambda m: m[0].replace("\\\\", _MATRIX_ROW), "\n".join(body))
    out, left, at = [], None, 0
    for segment in re.split(r"(\\\\(?![a-zA-Z]))", text):
        if segment == "\\\\":
            at += 2
            continue
        masked = latex.ENVIRONMENT.sub(lambda m: " " * len(m[0]), segment)  # \begin{aligned} on a line of its own
        # and an array's that lays out equations (latex._laid_out), whose rows begin on the line below it
        masked = _LAYOUT_BEGIN.sub(lambda m: " " * len(m[0]), masked)
        # and `\label{eq:do1}` after `\begin{equation}`: the row begins on the line below, where it is written
        masked = _LABEL.sub(lambda m: " " * len(m[0]), masked)
        line = text.count("\n", 0, at + len(masked) - len(masked.lstrip()))
        at += len(segment)
        begins = latex.rows_spans(latex.ENVIRONMENT.sub(" ", segment).replace(_MATRIX_ROW, "\\\\"))
        rows, left = latex.carry([row for _, row, _ in begins], left)
        for i, ((k, _, span), row) in enumerate(zip(begins, rows)):  # each row on the line it begins on
            above = next((j for j in range(len(out) - 1, -1, -1) if out[j][1] != latex.CONTINUED), None)
            if i == 0 and above is not None and latex.goes_on(out[above][1], row):
                # `… w_5 \\` then `&\quad + (a_{o2} − t_2)…w_7`: one sum over two rows, read as one
                out[above] = (out[above][0], f"{out[above][1]} {row}")
                out += [(line + k + j, latex.CONTINUED) for j in range(0, span + 1)]
                continue
            out.append((line + k, row))
            out += [(line + k + j, latex.CONTINUED) for j in range(1, span + 1)]
    return out


def _hold_inline(line: str, formulas: list[str]) -> str:
    """Inline math ($…$, $`…`$, \\(…\\)) outside code spans, held by a mark; its text in `formulas`."""
    spans = [m.span() for m in _CODE_SPAN.finditer(line)]

    def hold(m):
        if any(a <= m.start() < b for a, b in spans):
            return m[0]
        formulas.append(latex.text(m[1] or m[2] or m[3]))
        return _HOLD.format(len(formulas) - 1)

    return _INLINE.sub(hold, line) if ("$" in line or "\\(" in line) else line


def restore(text: str, formulas: list[str], code: bool = False) -> str:
    text = _HELD.sub(lambda m: f" {formulas[int(m[1])]} ", text)
    return text if code else re.sub(r"\\([_*])", r"\1", text)  # a\_h1 as GitHub shows it: a_h1


# -- inline Markdown --------------------------------------------------------------------------------
def _inline(children, formulas: list[str]) -> list[str]:
    """An inline run → its text, one string per source line (soft and hard breaks end a line)."""
    pieces: list = []  # str, or ("em", markup) for emphasis, decided once its neighbours are known
    for c in children:
        if c.type == "text":
            pieces.append(restore(c.content, formulas))
        elif c.type == "code_inline":
            pieces.append(restore(c.content, formulas, code=True))
        elif c.type in ("softbreak", "hardbreak"):
            pieces.append("\n")
        elif c.type == "image":
            alt = " ".join(_inline(c.children or [], formulas))
            pieces.append(f" ; {alt} ; {_rendered_url(c.attrs.get('src', ''))} ; ")
        elif c.type == "html_inline":
            pieces.append(_html(c.content, inline=True))
        elif c.type in ("em_open", "em_close", "strong_open", "strong_close"):
            pieces.append(("em", c.markup))
        elif c.type in ("link_open", "link_close"):
            pieces.append(" ")
    text = ""
    for k, p in enumerate(pieces):
        if isinstance(p, tuple):  # w1*i1*w2: a `*` between letters is a product Markdown took for emphasis
            after = next((q for q in pieces[k + 1 :] if isinstance(q, str) and q), "")
            if p[1].startswith("*") and text[-1:].strip() and after[:1].strip() and after[:1] != "\n":
                text += p[1]
            continue
        text += p
    return text.split("\n")


_ROW = re.compile(r"(?is)^\s*<tr\b[^>]*>(.*)</tr>\s*$")
_CELL = re.compile(r"(?is)<(t[hd])\b[^>]*>(.*?)</t[hd]\s*>")


def _html_row(text: str, formulas: list[str]) -> str | None:
    """An HTML table's row on one line, `<tr><td>w1</td><td>0.15</td></tr>`, as a Markdown table's
    (`| w1 | 0.15 |`), a row of <th> marked as its header (tables.HEADER): its cells are read as a
    table's, by their header."""
    m = _ROW.match(text)
    cells = _CELL.findall(m[1]) if m else []
    if not cells:
        return None
    row = "| " + " | ".join(_html(restore(cell, formulas), inline=True).strip() for _, cell in cells) + " |"
    return tables.HEADER + row if all(tag.lower() == "th" for tag, _ in cells) else row


_SUB_END = "\x00"  # where a subscript ends: a space before a name that follows it (δ<sub>o1</sub>w<sub>5</sub>)
_TAGS = {"sub": "_", "/sub": _SUB_END, "sup": "^(", "/sup": ")", "br": " ; ", "br/": " ; "}
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _html(text: str, inline: bool = False) -> str:
    """HTML as its text: <sub>new</sub> is _new, <sup>2</sup> ^(2); an <img> its alt and its formula."""

    def img(m):
        attrs = {a.lower(): b or c or d for a, b, c, d in _ATTR.findall(m[0])}
        return f" ; {attrs.get('alt', '')} ; {_rendered_url(attrs.get('src', ''))} ; "

    text = _IMG.sub(img, text)
    tag = re.compile(r"<\s*(/?\s*[a-zA-Z]+\s*/?)[^>]*>")
    text = tag.sub(lambda m: _TAGS.get(re.sub(r"\s", "", m[1]).lower(), " " if not inline else ""), text)
    # δ<sub>o1</sub>w<sub>5</sub> shows two names side by side, a product: not one name δ_o1w_5
    text = re.sub(f"{_SUB_END}(?=[^\\W\\d_])", " ", text).replace(_SUB_END, "")
    # its entities as the characters a browser shows (&middot; ·, &minus; −, &part; ∂, &nbsp; a space):
    # markdown-it leaves an HTML block's text as it is written
    return html.unescape(text).replace("\xa0", " ")


# LaTeX renderers whose address carries the formula: codecogs (`…/svg.latex?\frac{…}`), GitHub's and
# Google's chart (`?math=…`, `?chl=…`), and the like
_RENDERER = re.compile(r"(?i)codecogs\.com/[^?]*\?(.+)$|[?&](?:math|chl|tex|latex|from)=([^&]+)")
_SIZES = re.compile(
    r"\\(?:dpi\{\d+\}|bg_\w+|bg\{\w+\}|fn_\w+|inline|large|Large|LARGE|huge|Huge|small|tiny|normalsize)"
)


# a LaTeX renderer's address in an image (codecogs writes spaces as &space;, so it runs to a space)
_RENDERER_URL = re.compile(r"(?<=\]\()https?://\S*?(?:codecogs|latex|math|chart|tex)\S*")


def _kept(m: re.Match) -> str:
    r"""The address with its backslashes kept through Markdown's unescaping, which would make LaTeX's
    `\,` (a thin space) a comma: `(out_o1 − t_1)\,out_o1` was read as two pieces of a list."""
    return re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", m[0])


def _rendered_url(src: str) -> str:
    """The formula an image's address renders, in plain notation, or ''."""
    m = _RENDERER.search(src)
    if m is None:
        return ""
    formula = unquote(m[1]) if m[1] else unquote_plus(m[2])
    # (and its editor writes + as &plus;: an HTML entity, as &amp; and &lt; are, decoded as a browser would)
    return latex.text(html.unescape(_SIZES.sub(" ", formula).replace("&space;", " ")))
