"""LaTeX math as it renders → the plain notation the equation reader reads (equations.py), through
pylatexenc's node walker: `\\frac{\\partial E_{total}}{\\partial w_5} &= (a_{o1} - t_1) \\cdot a_{h1}`
is `∂E_total/∂w_5 = (a_o1 - t_1) * a_h1`, so a LaTeX equation becomes the same tree as its plain
spelling. Rows of an aligned environment (`\\\\`) are rows; a row that begins at `&=` carries the left
side of the row above, as it reads on the page."""

import re

from pylatexenc import macrospec
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexSpecialsNode,
    LatexWalker,
    LatexWalkerError,
    get_default_latex_context_db,
)

# a macro -> what it shows: a symbol, an operator or nothing
SYMBOLS = {
    "partial": "∂", "delta": "δ", "sigma": "σ", "eta": "η", "alpha": "α", "cdot": "*", "times": "*", "ast": "*",
    "div": "/", "exp": "exp", "log": "log", "ln": "ln", "approx": "≈", "leftarrow": "←", "gets": "←",
    "rightarrow": " → ", "Rightarrow": " ⇒ ", "implies": " ⇒ ", "to": " → ", "longrightarrow": " → ",
    "cdots": " … ", "ldots": " … ", "dots": " … ", "prime": "'", "infty": "∞", "pm": "±", "sum": " Σ ",
    "theta": "θ", "lambda": "λ", "mu": "μ", "beta": "β", "gamma": "γ", "epsilon": "ε", "varepsilon": "ε",
    "nabla": "∇", "neq": "≠", "ne": "≠", "leq": "≤", "geq": "≥", "equiv": "≡", "quad": "\ue012", "qquad": "\ue012",
    ",": " ", ";": " ", ":": " ", "!": "", " ": " ", "left": "", "right": "", "big": "", "Big": "", "bigg": "",
    "Bigg": "", "bigl": "", "bigr": "", "Bigl": "", "Bigr": "", "nonumber": "", "notag": "", "displaystyle": "",
    "textstyle": "", "limits": "", "{": "{", "}": "}", "_": "_", "%": "%", "$": "$", "#": "#", "&": "&",
    # vectors' and matrices' operators, which the reader knows it does not read (equations._UNREAD)
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "|": "‖", "odot": "⊙", "otimes": "⊗", "circ": "∘", "top": "ᵀ",
    "intercal": "ᵀ", "T": "ᵀ",
}  # fmt: skip
# (\mathcal{L} and the like: the letter L, in a typeface)
TEXT = {"text", "mathrm", "textrm", "mathit", "textit", "mathbf", "textbf", "boldsymbol", "mathsf", "operatorname",
        "mbox", "mathnormal", "bm", "textnormal", "mathtt", "texttt", "emph", "mathcal", "mathscr", "mathfrak",
        "mathbb"}  # fmt: skip
FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}
# macros that show a word or a letter of their own: read as that word (φ is a name as good as phi)
WORDS = {
    "tanh",
    "sinh",
    "cosh",
    "sin",
    "cos",
    "tan",
    "max",
    "min",
    "arg",
    "lim",
    "det",
    "sgn",
    "argmin",
    "argmax",
    "phi",
    "varphi",
    "psi",
    "omega",
    "rho",
    "tau",
    "xi",
    "zeta",
    "kappa",
    "nu",
    "pi",
    "chi",
    "Delta",
    "Gamma",
    "Lambda",
    "Theta",
    "Phi",
    "Psi",
    "Omega",
    "Sigma",
    "Pi",
    "Xi",
    "Upsilon",
    "vartheta",
    "upsilon",
    "iota",
    "varrho",
    "varsigma",
    "ell",
    "in",
    "forall",
    "exists",
    "sim",
    "propto",
    "cdotp",
    "colon",
    "mid",
    "ast",
    "star",
    "bullet",
    "circ",
    "hline",
    "newline",
    "par",
    "item",
    "noindent",
    "centering",
    "small",
    "large",
    "Large",
    "footnotesize",
    "normalsize",
    "scriptsize",
    "tiny",
    "huge",
    "bf",
    "it",
    "rm",
    "em",
    "medskip",
    "bigskip",
    "smallskip",
    "quad",
    "qquad",
    "enspace",
    "thinspace",
    "negthinspace",
    "relax",
    "displaybreak",
    "allowbreak",
    "checkmark",
    "dagger",
    "cdot",
    "times",
    "ldotp",
    "vdots",
    "ddots",
    "leftrightarrow",
    "mapsto",
    "uparrow",
    "downarrow",
    "searrow",
    "nearrow",
    "Leftarrow",
    "iff",
    "therefore",
    "because",
    "degree",
    "le",
    "ge",
    "ll",
    "gg",
    "neq",
    "simeq",
    "cong",
    "doteq",
    "coloneqq",
    "eqqcolon",
    "triangleq",
    "underbrace",
    "overbrace",
    "boxed",
    "cancel",
    "bcancel",
    "xcancel",
    "not",
    "today",
    "LaTeX",
    "TeX",
    "ref",
    "eqref",
    "cite",
    "url",
    "href",
    "footnote",
    "caption",
    "includegraphics",
    "section",
    "subsection",
    "subsubsection",
    "paragraph",
    "chapter",
    "title",
    "author",
    "date",
    "maketitle",
    "textsuperscript",
    "textsubscript",
    "underline",
    "lbrace",
    "rbrace",
    "langle",
    "rangle",
    "lvert",
    "rvert",
    "vert",
    "lfloor",
    "rfloor",
    "lceil",
    "rceil",
    "backslash",
    "dots",
    "dotsc",
    "dotsb",
    "dotsm",
}
UNKNOWN = "\ue017"  # around a macro this reader does not know (equations._UNREAD: its equation is not read)
DROPPED = {"tag", "label", "color", "textcolor", "hspace", "vspace", "phantom"}
FUNCTIONS = {"σ", "exp", "log", "ln"}  # \exp{-h1}: its group is its argument
ROW = "\n"  # what `\\` becomes: the end of a row
SOFT = "\ue013"  # a line break of the source, inside a row: the row may go on, or a new one begin
CONTINUED = "\ue015"  # a source line a row of display math begun above goes on over (said there, read with it)
QUAD = "\ue012"  # what \quad and \qquad become: a wide space, between two equations or inside one
AMP = "\ue014"  # an alignment tab, `&`: where a row is aligned, or (every second one) where its next column begins

_CONTEXT = get_default_latex_context_db()
_CONTEXT.add_context_category(
    "sheetgen",
    prepend=True,
    macros=[macrospec.MacroSpec(f, "{{") for f in ("dfrac", "tfrac", "cfrac")]
    + [macrospec.MacroSpec(f, "{") for f in ("operatorname", "mathnormal", "bm", "boldsymbol", "textnormal", "tag")]
    + [macrospec.MacroSpec(f, "{{") for f in ("textcolor", "underset", "overset", "stackrel")],
)


def rows(latex: str) -> list[str]:
    """The rows of a formula in plain notation (one for most; one per `\\\\` of an aligned one), the
    left side carried onto a row that begins at `&=`."""
    return [row for _, row in rows_at(latex)]


# an environment's \begin and \end (not a matrix's): where a display's rows begin, none of them
ENVIRONMENT = re.compile(r"\\(?:begin|end)\{(?!(?:[pbBvV]|small)?matrix\b|array\b)[a-zA-Z]+\*?\}(?:\{[^{}]*\})?")


def rows_at(latex: str) -> list[tuple[int, str]]:
    """rows(), each with the source line it begins on, counted from the formula's first line that
    holds anything."""
    return [(n, row) for n, row, _ in rows_spans(latex)]


def rows_spans(latex: str) -> list[tuple[int, str, int]]:
    """rows_at(), each with how many source lines after its first it goes on over."""
    latex = _DECIMAL_COMMA.sub(r"\1.\2", _EVALUATED.sub(" ", latex))
    try:
        nodes, _, _ = LatexWalker(latex, latex_context=_CONTEXT, tolerant_parsing=True).get_latex_nodes()
    except (LatexWalkerError, IndexError, RecursionError, ValueError):
        return [(0, latex, 0)]
    at, ends, rendered = (
        zip(*_lines([_columns(row) for row in _render(nodes or []).split(ROW)])) if latex.strip() else ((), (), ())
    )
    rendered = [_apart(re.sub(r"\s+", " ", _asides(row)).strip()) for row in rendered]
    rendered = [" ; ".join(_juxtaposed(part.strip()) for part in row.split(" ; ")) for row in rendered]
    kept = [(n, end, row) for n, end, row in zip(at, ends, rendered) if row]
    kept = _went_on(kept)
    first = kept[0][0] if kept else 0
    rows_ = carry([row for _, _, row in kept])[0]
    return [(n - first, row, end - n) for (n, end, _), row in zip(kept, rows_)]


def goes_on(above: str, row: str) -> bool:
    """Whether a row goes on the row above: it begins with an operator, the one above is an equation."""
    return bool(re.match(r"\s*[-+−·*×]\s*\S", row)) and "=" in above


def _went_on(rows_: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A row that begins with an operator goes on the row above (`… w_5 \\` then `&\\quad + (a_{o2} − t_2)…w_7
    \\`: one sum split over two rows, as long formulas are; read apart, the first was blamed for the path it
    left to the next row)."""
    out: list[tuple[int, int, str]] = []
    for n, end, row in rows_:
        if out and goes_on(out[-1][2], row):
            begins, _, above = out[-1]
            out[-1] = (begins, end, f"{above} {row}")
        else:
            out.append((n, end, row))
    return out


# `\left.\frac{∂E}{∂w_5}\right|_{w_5 = 0.4}`: the derivative evaluated at a point the text is about anyway
# (the first iteration's); the bar and its subscript say where, and are no part of the equation
_EVALUATED = re.compile(
    r"\\left\s*\.|\\(?:right|[bB]igg?r?|[bB]ig)?\s*(?:\||\\vert)\s*_\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?\w+)"
)


_DECIMAL_COMMA = re.compile(r"(\d)\s*\{,\}\s*(\d)")  # 0{,}6065: the decimal comma, as French and German typeset it


def _columns(row: str) -> str:
    """`h_1 &= w_1 i_1 + w_2 i_2 & a_{h1} &= \\sigma(h_1)`: an align row's `&`s alternate — the first
    aligns its equation at `=`, the second begins the next column, an equation of its own (a wide space
    between two finished pieces, as \\quad: read as a product, 0.0275·a_h1 was blamed)."""
    pieces = row.split(AMP)
    out = pieces[0]
    for k, piece in enumerate(pieces[1:], 1):
        out += (QUAD if k % 2 == 0 else " ") + piece
    return out


def _lines(rows_: list[str]) -> list[tuple[int, int, str]]:
    """Rows whose source lines are read as they render, each with the source line it begins on: a line
    that begins with an operator or `=` (`&= …`, `+ \\frac{1}{2}(t_2 - a_{o_2})^2`), or follows one that
    ends with one or leaves a bracket open, goes on the same row — display math breaks a line only at
    `\\\\`; a line that is finished and followed by a finished one (two equations a line apart, the
    `\\\\` left out) begins a row."""
    out, line = [], 0
    for row in rows_:
        pieces = row.split(SOFT)
        current, begins, last = pieces[0], line, line
        for piece in pieces[1:]:
            line += 1
            if not current.strip():
                current, begins, last = piece, line, line
            elif not piece.strip() or _OPEN_END.search(current) or _OPEN_START.match(piece):
                current += " " + piece
                last = line if piece.strip() else last
            elif current.count("(") > current.count(")") or current.count("[") > current.count("]"):
                current += " " + piece
                last = line
            elif (
                "=" in current
                and "=" not in piece
                and re.match(r"\s*(?:∂|\()", piece)
                and not _FINISHED.search(current)
            ):
                # (or a bracketed factor alone on its line, as `\underbrace{a_{o1}(1-a_{o1})}_{…}` shows one)
                # `= \frac{∂E_1}{∂out_{o_1}}\,` then `\frac{∂out_{o_1}}{∂net_{o_1}}\,`: a partial alone on its line
                # (no `=` of its own) is no equation; it goes on the product above (round 27's `equation`)
                current += " · " + piece
                last = line
            else:
                out.append((begins, last, current))
                current, begins, last = piece, line, line
        out.append((begins, last, current))
    return out


_FINISHED = re.compile(r"=\s*[-+−]?(?:\d+\.\d*|\.\d+|\d+)\s*$")  # a row that ends on its value
_OPEN_END = re.compile(r"(?:[-+*/^=(\[←≈,]|∂/∂[\w']+)\s*$")  # (`[`: a matrix whose rows are written below)
_OPEN_START = re.compile(r"^\s*[-+*/^=)\]←≈,]")


def _apart(row: str) -> str:
    """`h_1 = w_1 i_1 + w_2 i_2 \\qquad h_2 = …`: a wide space between two finished pieces parts two
    equations (never a product); beside an operator or `=` (`\\frac{∂E}{∂w_5} \\quad = \\quad …`) it is
    only a space."""
    parts = row.split(QUAD)
    out = parts[0]
    for part in parts[1:]:
        apart = out.strip() and part.strip() and not _OPEN_END.search(out) and not _OPEN_START.match(part)
        out += " ; " if apart else " "
        out += part
    return out


def carry(rows_: list[str], left: str | None = None) -> tuple[list[str], str | None]:
    """Rows with the left side carried onto each that begins at `=` (`&= …`), and the last left side."""
    out = []
    for row in rows_:
        if not row:
            continue
        if row.startswith("=") and left:  # &= …: the row above's left side
            row = f"{left} {row}"
        elif "=" in row:  # the last equation's, when a wide space parts several (`a = b ; c = d`)
            left = [piece for piece in row.split(" ; ") if "=" in piece][-1].split("=", 1)[0].strip() or left
        out.append(row)
    return out, left


_PIECE = re.compile(r"\s+")
_CALLED = {"σ", "exp", "log", "ln", "sigmoid"}


def _juxtaposed(row: str) -> str:
    """`w_5 a_{h1}` is w_5·a_h1: in mathematics two symbols side by side are a product (a function
    and its argument, σ (h1), the operator ∂/∂o_1 and what it acts on, and words are not)."""
    pieces = _PIECE.split(row)
    out = pieces[:1]
    for piece in pieces[1:]:
        if _ends_operand(out[-1]) and _starts_operand(piece):
            out.append("*")
        out.append(piece)
    return " ".join(out)


def _mathy(word: str) -> bool:
    from sheetgen.writeup.equations import symbol  # the reader's names: w_5, a_o1, E_total, η

    # `s_1`, `in_{h_1}`: a short name with a subscript is mathematics whoever's name it is (a word in
    # \text{} has none), so `s_1\, σ(h1)` is a product, not a word before σ(h1)
    return len(word) == 1 or symbol(word) is not None or re.fullmatch(r"[^\W\d_]{1,3}_\w+", word) is not None


def _ends_operand(piece: str) -> bool:
    if re.search(r"∂/∂[\w']+$", piece):
        return False
    if piece.endswith(")"):
        return True
    m = re.search(r"([^\W\d][\w']*|\d+(?:\.\d+)?)$", piece)
    return bool(m) and (m[1][0].isdigit() or _mathy(m[1]))


def _starts_operand(piece: str) -> bool:
    if piece.startswith("("):
        return True
    m = re.match(r"([^\W\d][\w']*)", piece)
    return bool(m) and (_mathy(m[1]) or m[1] in _CALLED)


def text(latex: str) -> str:
    """A formula on one line: its rows joined by `;` (which ends an equation)."""
    return " ; ".join(rows(latex))


# `w_5a_{h1}` typesets w₅·a_h1: a script without braces is one token, and a letter after a digit's is the
# next symbol (a letter's, `E_total`, is the student's name, read whole as they mean it)
_ONE_TOKEN = re.compile(r"(_\d)(?=[^\W\d_])")


def _render(nodes) -> str:
    out: list[str] = []
    i = 0
    while i < len(nodes):
        n = nodes[i]
        nxt = nodes[i + 1] if i + 1 < len(nodes) else None
        if isinstance(n, LatexCharsNode):
            chars = _ONE_TOKEN.sub(r"\1 ", n.chars.replace("\n", SOFT))
            if chars.endswith(("_", "^")) and nxt is not None and not isinstance(nxt, LatexCharsNode):
                inner = _render([nxt]).strip()
                out.append(chars[:-1] + _script(chars[-1], inner))
                after = nodes[i + 2] if i + 2 < len(nodes) else None
                if (isinstance(after, LatexCharsNode) and after.chars[:1].isalpha()) or _names(after):
                    # `δ_{o1}w_5`, `w_{5}\delta_{o1}`, `\mathrm{g}_{h_1}\mathrm{x}_1`: two symbols, side by side
                    out.append(" ")
                i += 2
                continue
            out.append(chars)
            if re.search(r"_\d$", chars) and _names(nxt):  # `w_2\mathrm{x}_2`: w_2·x_2
                out.append(" ")
        elif isinstance(n, LatexGroupNode):
            out.append(_render(n.nodelist or []))
        elif isinstance(n, LatexMathNode):
            out.append(_render(n.nodelist or []))
        elif isinstance(n, LatexEnvironmentNode) and n.environmentname.rstrip("*") in MATRICES:
            inner = _render(n.nodelist or [])
            out.append(_laid_out(inner) if "=" in inner else _matrix(inner))
        elif isinstance(n, LatexEnvironmentNode):
            out.append(ROW + _render(n.nodelist or []) + ROW)
        elif isinstance(n, LatexSpecialsNode):
            out.append({"&": AMP, "~": " "}.get(n.specials_chars, n.specials_chars))
        elif (
            isinstance(n, LatexMacroNode)
            and n.macroname == "nabla"
            and isinstance(nxt, LatexCharsNode)
            and nxt.chars == "_"
            and i + 3 < len(nodes)
            and (atom := _atom(nodes[i + 3]))
        ):
            # `\nabla_{w_5}\mathcal{L}`, the gradient of L by w_5: ∂L/∂w_5 (read as ∇_w_5L, a name of nothing)
            out.append(f" ∂{atom[0]}/∂{_render([nodes[i + 2]]).strip()} {atom[1]}")
            i += 3
        elif isinstance(n, LatexMacroNode) and n.macroname in ("underbrace", "overbrace") and _args(n):
            # `\underbrace{\tfrac12(t_1 - o_1)^2}_{E_1}`: the term, its label under the brace only a remark;
            # a number under it (`\underbrace{\frac{∂o_1}{∂w_6}}_{0.5069}`) is what the term is worth, said
            body = _render(_args(n)[-1:])
            label = (
                _render([nodes[i + 2]])
                if isinstance(nxt, LatexCharsNode) and nxt.chars in ("_", "^") and i + 2 < len(nodes)
                else ""
            )
            out.append("(" + body + ")" + _aside(body, label))
            if label:
                i += 2
        elif isinstance(n, LatexMacroNode):
            shown, used = _macro(n, nxt)
            out.append(shown)
            i += used
            # `\cdot` at a line's end: the line break is the macro's trailing space, a break of the source
            # all the same (the row goes on over it: its lines are read with it)
            last = nodes[i]
            if isinstance(last, LatexMacroNode) and last.macroname != "\\":
                out.append(SOFT * (getattr(last, "macro_post_space", "") or "").count("\n"))
        elif isinstance(n, LatexCommentNode):
            pass
        i += 1
    return "".join(out)


_NAMING = ("mathcal", "mathrm", "mathit", "mathbf", "text", "operatorname")  # macros that write a name


def _names(node) -> bool:
    """Whether a node is a macro that shows a name (`\\mathrm{x}`, `\\delta`)."""
    return isinstance(node, LatexMacroNode) and (
        SYMBOLS.get(node.macroname, "")[:1].isalpha() or node.macroname in _NAMING
    )


def _atom(node) -> tuple[str, str] | None:
    """The one name a node begins with (`\\mathcal{L}`, `{E}`, `E = 2`'s E) and what it shows after it;
    None if it begins with none, or with a name that goes on (`E_{total}`: its script another node)."""
    if isinstance(node, LatexMacroNode) and node.macroname in _NAMING:
        shown, rest = _render(_args(node)[-1:]).strip(), ""
    elif isinstance(node, LatexGroupNode):
        shown, rest = _render([node]).strip(), ""
    elif isinstance(node, LatexCharsNode) and (m := re.match(r"\s*([A-Za-z]\w*)(?![\w^])", node.chars)):
        shown, rest = m[1], _render([node])[m.end() :]
    else:
        return None
    return (shown, rest) if re.fullmatch(r"[A-Za-zℒ]\w*", shown) and not shown.endswith("_") else None


# a matrix's rows are its rows, not an aligned environment's (`x = \begin{pmatrix} i_1 \\ i_2 \end{pmatrix}
# = …` was read as `x = i_1` and `i_2 = 0.05`): written as the vector or matrix it is, [i_1, i_2],
# [[w_1, w_2], [w_3, w_4]], which vectors.py reads element by element
MATRICES = {"matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "array"}


def _matrix(inner: str) -> str:
    """`[a, b]` or `[[a, b], [c, d]]`; a line break of the source between its rows kept beside the row it
    is before or after (SOFT), so the row of display math goes on over the lines its matrix is written on
    (`= \\begin{bmatrix} 0.0722 & 0.0727 \\\\` then `0.0425 & -0.0428 \\end{bmatrix}`: a number blamed is said
    on the second line, where it is written)."""
    rows = []
    for row in inner.split(ROW):
        text = row.replace(SOFT, " ").strip()
        if not text:
            continue
        content = row.strip(" \t" + SOFT)
        lead = row[: row.find(content)].count(SOFT) + content.count(SOFT) if content else 0
        trail = row[row.find(content) + len(content) :].count(SOFT) if content else 0
        rows.append((lead, [c.strip() for c in text.split(AMP)], trail))
    if all(len(cells) == 1 for _, cells, _ in rows):
        return "[" + ", ".join(SOFT * lead + cells[0] + SOFT * trail for lead, cells, trail in rows) + "]"
    return (
        "[" + ", ".join(SOFT * lead + "[" + ", ".join(cells) + "]" + SOFT * trail for lead, cells, trail in rows) + "]"
    )


def _laid_out(inner: str) -> str:
    """`\\begin{array}{lcl} h_1 & = & w_1 i_1 + … \\\\ … \\end{array}`: an array whose cells hold `=` lays out
    equations, a row each, not a matrix (read as one, its rows were one vector `[[h_1, =, …]]`): a cell
    that is or meets a relation goes on the equation beside it; two finished cells (`i_1 = 0.05 & i_2 =
    0.1`) are two equations, a wide space apart."""
    rows_ = []
    for row in inner.split(ROW):
        cells = row.split(AMP)
        joined = cells[0]
        for cell in cells[1:]:
            apart = joined.strip() and cell.strip() and not _OPEN_END.search(joined) and not _OPEN_START.match(cell)
            joined += (QUAD if apart else " ") + cell
        rows_.append(joined)
    return ROW + ROW.join(rows_) + ROW


def _script(mark: str, inner: str) -> str:
    """a_{o1} → a_o1; x^{2} → x^(2); E_{total} → E_total."""
    if mark == "_":
        word = re.sub(r"\s+", "", inner)
        return "_" + word if re.fullmatch(r"[\w']+", word) else f"_({inner})"
    return f"^({inner})"


# a label that says what the term under it is worth (`0.5069`, `= 0.5069`, `a_{h_2} = 0.5106`): said on the
# row as an equation of its own, after the row's (ASIDE … ASIDE_END, taken out and put last by _asides)
ASIDE, ASIDE_END, ASIDE_IS = "\ue030", "\ue031", "\ue032"
_WORTH = re.compile(r"\s*(?:(?P<name>[^\W\d][\w']*)\s*)?(?:[=≈]\s*)?(?P<value>[-−]?(?:\d+\.\d*|\.\d+|\d+))\s*")


def _aside(term: str, label: str) -> str:
    """The aside that a term is worth its label's number (with the label's name, if it names one: under
    `∂o_1/∂w_6`, `a_h_1 = 0.5069` says the factor is a_h1), or nothing when the label is no such thing."""
    m = _WORTH.fullmatch(label.replace("{", "").replace("}", ""))
    if (
        not m
        or re.search(r"(?<![\w.])\d+(?:\.\d+)?\s*[-+*/×·]|[=≈]", term)
        or (m["name"] and "=" not in label and "≈" not in label)
    ):
        return ""
    said = f"{m['name']} {ASIDE_IS} " if m["name"] else ""
    return f"{ASIDE}{term.strip()} {ASIDE_IS} {said}{m['value']}{ASIDE_END}"


def _asides(row: str) -> str:
    """The row with its asides put last, each an equation of its own: `∂E/∂w_6 = (…)(∂o_1/∂w_6) = 0.0722 ;
    ∂o_1/∂w_6 = 0.5069`."""
    said = re.findall(f"{ASIDE}(.*?){ASIDE_END}", row)
    row = re.sub(f"{ASIDE}.*?{ASIDE_END}", "", row)
    return row + "".join(f" ; {x.replace(ASIDE_IS, '=')}" for x in said)


def _args(n: LatexMacroNode) -> list:
    return [a for a in (n.nodeargd.argnlist if n.nodeargd else []) if a is not None]


def _macro(n: LatexMacroNode, nxt) -> tuple[str, int]:
    """What a macro shows, and how many of the nodes after it it took (a function's group)."""
    name = n.macroname
    args = _args(n)
    if name == "\\":
        return ROW, 0
    if name in FRACTIONS and len(args) >= 2:
        return _fraction(args[0], args[1]), 0
    if name in TEXT:
        return " ".join(_render([a]) for a in args), 0
    if name in DROPPED:
        return " ", 0
    if name in ("underset", "overset", "stackrel") and len(args) >= 2:
        # `\underset{0.1424}{\frac{∂E}{∂o_1}}`, `\underset{w_8 = 0.55}{…}`: the factor, its label under it a
        # remark (read whole, `w_8 = 0.55 ∂o_2/∂a_h2 = 0.0180` blamed w8); `\overset{def}{=}` its relation
        main = _render(args[-1:]).strip()
        if not re.search(r"\w", main):
            return f" {main} ", 0
        return f"({main})" + (_aside(main, _render(args[:1])) if name == "underset" else ""), 0
    if name == "sqrt" and args:
        return f"({_render([args[-1]])})^(0.5)", 0
    if name in ("hat", "bar", "tilde", "vec", "overline", "dot") and args:
        return f"{_render([args[-1]]).strip()}_{name}", 0
    if name == "mathrm" or name == "operatorname":
        return " ".join(_render([a]) for a in args), 0
    shown = SYMBOLS.get(name)
    if shown is None and name in WORDS:
        shown = f" {name} " + "".join(_render([a]) for a in args)
    elif shown is None:  # `\pd{E}{w_5}` with no definition in sight: what it shows is unknown, and so is
        # its equation (read as the words pd E w_5 it blamed `w5 = 0.0722`): said, never read
        shown = f" {UNKNOWN}{name}{UNKNOWN} " + "".join(_render([a]) for a in args)
    if shown in FUNCTIONS and isinstance(nxt, LatexGroupNode):  # \exp{-h1}, \sigma{h1}
        return f"{shown}({_render(nxt.nodelist or [])})", 1
    if shown in FUNCTIONS | {"∂", "δ"}:
        return shown, 0
    return shown, 0


# what a partial is by: a name (w_5, a_o1), a layer's (a^{[2]}_1 or a_1^{[2]}, the output layer's first
# activation, or a^{(2)}_1), or a name with a word above it (Mazur's h_1^{out})
_BY = r"[\w']+(?:\^\((?:\[\d\]|\(\d\))\)_\w+)?|[\w']+_\w+\^\((?:\[\d\]|\(\d\)|[A-Za-z]+)\)"
_D = re.compile(r"\s*(?:∂|δ|d(?![a-zA-Z]{2,}))\s*")  # ∂ w_5, d w5, dE: the mark of a derivative


def _fraction(num, den) -> str:
    """\\frac{A}{B}: ∂X/∂y when it is a partial (its numerator a name or an expression after ∂ —
    `\\frac{\\frac{1}{2} ∂(t1 − a_o1)^2}{∂a_o1}` is ½·∂((t1 − a_o1)^2)/∂a_o1 — or ∂ alone, the operator
    ∂/∂y before what it acts on); else (A)/(B)."""
    top, bottom = _render([num]).strip(), _render([den]).strip()
    d = _D.match(bottom)
    if d and (by := bottom[d.end() :].strip()) and (net := re.fullmatch(r"σ\s*\(\s*([ho]_?\d)\s*\)", by)):
        by = f"σ{net[1]}"  # ∂E/∂σ(h_1): by the activation σ(h1), a_h1 (as σh1 is read)
    if d and by and re.fullmatch(_BY, by):
        if _D.fullmatch(top):  # \frac{\partial}{\partial o_1}(…): the operator
            return f" ∂/∂{by} "
        # d a_o1 (\mathrm{d} a_{o_1}, an upright d and a space) as da_o1
        m = re.search(r"(?:^|(?<=[\s*·(]))(∂|δ)", top) or (re.match(r"d\s*(?=[A-Za-zσ(])", top))
        if m:
            before, of = top[: m.start()].strip(), top[m.end() :].strip()
            of = of if re.fullmatch(r"[\w']+", of) else f"({of})"
            partial = f"∂{of}/∂{by}"
            if before:
                return f"({before.rstrip('*').strip()}) * {partial}"
            return f" {partial} "
    if re.fullmatch(r"[\w.']+", top) and re.fullmatch(r"[\w.']+", bottom):
        return f"({top}/{bottom})"
    return f"(({top})/({bottom}))"


# A write-up's own macros (`\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}`, `\def\Et{E_{total}}`,
# `\DeclareMathOperator{\sig}{\sigma}`), in a LaTeX document's preamble or a Markdown file's math, expanded
# where they are used, as LaTeX typesets them: `\pd{\Et}{w_5}` is read ∂E_total/∂w_5 (unexpanded, it was
# read as the words pd E w_5, and `w5 = 0.0722` blamed).
_DEFINE = re.compile(
    r"\\(?:(?:re|provide)?newcommand|DeclareRobustCommand)\*?\s*(?:\{\s*\\([a-zA-Z]+)\s*\}|\\([a-zA-Z]+))"
    r"\s*(?:\[\s*(\d)\s*\])?\s*(\[[^\]]*\])?\s*\{"
    r"|\\def\s*\\([a-zA-Z]+)((?:\s*#\d)*)\s*\{"
    r"|\\DeclareMathOperator\*?\s*(?:\{\s*\\([a-zA-Z]+)\s*\}|\\([a-zA-Z]+))\s*\{"
)
_MAX_GROWTH = 4  # a macro that calls itself, or grows without end, stops at four times the text


def expand(lines: list[str]) -> list[str]:
    """The lines with their own macros' definitions blanked and every use expanded, each line where
    it was (an expansion over several lines is put on the first, the others left empty)."""
    text = "\n".join(lines)
    if not _DEFINE.search(text):
        return lines
    macros: dict[str, tuple[int, str | None, str]] = {}  # name -> (arguments, the first's default, body)
    out, at = [], 0
    for m in _DEFINE.finditer(text):
        if m.start() < at:
            continue
        body, end = _group(text, m.end() - 1)
        if body is None:
            continue
        if m[1] or m[2]:
            default = m[4][1:-1] if m[4] else None
            macros[m[1] or m[2]] = (int(m[3] or 0), default, body)
        elif m[5]:
            macros[m[5]] = (len(re.findall(r"#\d", m[6] or "")), None, body)
        else:
            macros[m[7] or m[8]] = (0, None, rf"\operatorname{{{body}}}")
        # a space where it was: `$\def\Et{E}$` left as `$$` would open display math in Markdown
        out += [text[at : m.start()], " " + "\n" * text.count("\n", m.start(), end)]
        at = end
    text = "".join([*out, text[at:]])
    if not macros:
        return lines
    use = re.compile(r"\\(" + "|".join(sorted(map(re.escape, macros), key=len, reverse=True)) + r")(?![a-zA-Z])")
    limit = _MAX_GROWTH * len(text) + 1000
    for _ in range(10):  # a macro's body may use another
        text, changed = _expand_once(text, use, macros)
        if not changed or len(text) > limit:
            break
    expanded = text.split("\n")
    return expanded if len(expanded) == len(lines) else lines


def _expand_once(text: str, use: re.Pattern, macros: dict) -> tuple[str, bool]:
    out, at, changed = [], 0, False
    for m in use.finditer(text):
        if m.start() < at:
            continue
        count, default, body = macros[m[1]]
        args, end = [], m.end()
        for k in range(count):
            j = end
            while j < len(text) and text[j] in " \t":
                j += 1
            if k == 0 and default is not None:
                if j < len(text) and text[j] == "[":
                    close = text.find("]", j)
                    args.append(text[j + 1 : close] if close > 0 else default)
                    end = close + 1 if close > 0 else end
                else:
                    args.append(default)
                continue
            if j < len(text) and text[j] == "{":
                arg, end = _group(text, j)
                if arg is None:
                    break
            elif j < len(text) and text[j] == "\\":
                name = re.match(r"\\(?:[a-zA-Z]+|.)", text[j:])
                arg, end = name[0], j + len(name[0])
            elif j < len(text) and text[j] not in "}\n":
                arg, end = text[j], j + 1
            else:
                break
            args.append(arg)
        if len(args) < count:
            continue
        shown = re.sub(r"#(\d)", lambda d, a=args: a[int(d[1]) - 1] if 0 < int(d[1]) <= len(a) else "", body)
        span = text[m.start() : end]
        # kept on its first line, the lines it went over left empty: every line keeps its number
        out += [text[at : m.start()], "{" + shown.replace("\n", " ") + "}" + "\n" * span.count("\n")]
        at, changed = end, True
    return "".join([*out, text[at:]]), changed


def _group(text: str, start: int) -> tuple[str | None, int]:
    """The inside of the braced group that opens at `start`, and where it ends (after its `}`)."""
    depth = 0
    for k in range(start, len(text)):
        c = text[k]
        if c == "\\":
            continue
        if c == "{" and text[k - 1 : k] != "\\":
            depth += 1
        elif c == "}" and text[k - 1 : k] != "\\":
            depth -= 1
            if depth == 0:
                return text[start + 1 : k], k + 1
    return None, start
