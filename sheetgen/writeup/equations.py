"""The notation of a backprop write-up: one line of text -> the equations in it, as expression trees
over the network's quantity names (names.py).

Write-ups spell one quantity many ways — ∂E_total/∂w5, δ(E_Total)/δw5, dE/dw5; ·, *, ×; ½, 1/2,
0.5; ², ^2, **2; σ(x), sigmoid(x), 1/(1+exp(-x)); η, learning_rate, lr; a_01 for a_o1 — and wrap
their equations in prose. A line is cut into runs of mathematical tokens (a word that names nothing
ends a run); a run with `=` whose every side parses is an equation. A run that goes on into prose
(`w1 - learning_rate * gradients for w1`) is skipped and said to be, never guessed at; so is one
that speaks of generic symbols (y = σ(z), E = ½(t − a)²) or of functions the network is not made of
(ReLU(x) = max(0, x)). σ(x) = …, σ'(x) = …, dσ/dx = … define a function: their x is any number.
"""

import re
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass, field

from sheetgen.model import names, spelling


# -- the expression tree ----------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)  # eq=False: two equal literals are still two places in the text
class Num:
    value: float
    text: str  # as printed: its last digit says how precise it is


@dataclass(frozen=True)
class Sym:
    """A quantity by its name in names.py: w1, a_o1, E_total, η; `new w1` for w1 after the update;
    `w` and `new w` for any weight (w_old, w_new); `x` the free variable of σ(x) = 1/(1 + exp(−x))."""

    name: str


@dataclass(frozen=True)
class Partial:
    """∂of/∂by, both quantity names: ∂E_total/∂w5, ∂a_o1/∂o1, ∂E1/∂a_h1."""

    of: str
    by: str

    @property
    def name(self) -> str:
        return names.grad(self.by, self.of)


@dataclass(frozen=True)
class Deriv:
    """∂(expression)/∂by: ∂(E1 + E2)/∂w5, ∂(½·(t1 − a_o1)²)/∂a_o1."""

    expr: object
    by: str


@dataclass(frozen=True)
class Op:
    op: str  # + - * / ^
    left: object
    right: object


@dataclass(frozen=True)
class Neg:
    arg: object


@dataclass(frozen=True)
class Call:
    fn: str  # σ | exp | ln
    arg: object


GENERIC, NEW_GENERIC = "w", "new w"  # any weight, as w_old / w_new write it
FREE = "x"


@dataclass
class Equation:
    sides: list  # A = B = C: each `=` is checked
    text: str  # as written in the file
    notes: list[str] = field(default_factory=list)  # what it reads leniently (a_01, δa_o1/o1)
    update: bool = False  # `w1 = w1 − η·∂E_total/∂w1`: its left side is read as w1 after the step
    # other ways the line may be read (a line that goes on from one above: which left side it goes on
    # from): if it is right under any of them, it is right
    readings: list[list] = field(default_factory=list)
    eta: float | None = None  # the learning rate it is of, where its line says (a table's row of η)
    iteration_said: bool = False  # the line or its heading says which iteration it is of
    first_said: bool = False  # the line, or else its heading, says it is of the first iteration


@dataclass
class Skipped:
    text: str
    reason: str


def walk(e):
    """Every node of a tree, the root first."""
    yield e
    if isinstance(e, Op):
        yield from walk(e.left)
        yield from walk(e.right)
    elif isinstance(e, Neg | Call):
        yield from walk(e.arg)
    elif isinstance(e, Deriv):
        yield from walk(e.expr)


def atoms(e) -> list[str]:
    """The quantity names a tree mentions, in the order written (inside partials too): what a slip
    may have swapped."""
    out = []
    for node in walk(e):
        if isinstance(node, Sym):
            out.append(node.name)
        elif isinstance(node, Partial):
            out += [node.of, node.by]
        elif isinstance(node, Deriv):
            out.append(node.by)
    return list(dict.fromkeys(a.removeprefix(spelling.NEW) for a in out))


def rebuild(e, leaf):
    """The tree made again with `leaf(node)` in place of each name, partial and ∂(…)/∂y."""
    if isinstance(e, Op):
        return Op(e.op, rebuild(e.left, leaf), rebuild(e.right, leaf))
    if isinstance(e, Neg):
        return Neg(rebuild(e.arg, leaf))
    if isinstance(e, Call):
        return Call(e.fn, rebuild(e.arg, leaf))
    if isinstance(e, Deriv):
        return leaf(Deriv(rebuild(e.expr, leaf), e.by))
    return leaf(e)


def rename(e, mapping: dict[str, str]):
    """The tree with quantities renamed everywhere (`new w6` follows w6), as one slip would swap them."""

    def n(name):
        bare = name.removeprefix(spelling.NEW)
        return name[: len(name) - len(bare)] + mapping.get(bare, bare)

    def leaf(x):
        if isinstance(x, Sym):
            return Sym(n(x.name))
        if isinstance(x, Partial):
            return Partial(n(x.of), n(x.by))
        return Deriv(x.expr, n(x.by)) if isinstance(x, Deriv) else x

    return rebuild(e, leaf)


def substitute(e, old, new):
    """The tree with the one node `old` (that very occurrence) replaced by `new`."""
    return rebuild(e, lambda x: new if x is old else x)


def _fn(e) -> str | None:
    return e.fn if isinstance(e, Call) else None


def free_variable(e) -> str | None:
    """The variable a function's definition is of: σ(x), σ'(x), dσ/dx, ∂(σ(x))/∂x give x."""
    if isinstance(e, Deriv):
        e = e.expr if e.expr == Call(_fn(e.expr), Sym(e.by)) else None
    return e.arg.name if isinstance(e, Call) and isinstance(e.arg, Sym) else None


_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}
_SHOW = {"+": " + ", "-": " − ", "*": "·", "/": "/", "^": "^"}


def render(e, prec: int = 0) -> str:
    """A tree in the seeds' notation: (a_o1 − t1)·a_o1·(1 − a_o1)·a_h1."""
    if isinstance(e, Num):
        text = e.text
    elif isinstance(e, Sym):
        text = e.name
    elif isinstance(e, Partial):
        text = e.name
    elif isinstance(e, Deriv) and e.expr == Call(_fn(e.expr), Sym(e.by)):
        text = f"{e.expr.fn}'({e.by})"  # σ'(x), the slope of σ at x
    elif isinstance(e, Deriv):
        text = f"∂({render(e.expr)})/∂{e.by}"
    elif isinstance(e, Call):
        text = f"{e.fn}({render(e.arg)})"
    elif isinstance(e, Neg):
        text = "−" + render(e.arg, 4)
        return text if prec < 4 else f"({text})"
    else:
        p = _PREC[e.op]
        text = render(e.left, p) + _SHOW[e.op] + render(e.right, p + (0 if e.op in "+*" else 1))
        return text if prec <= p else f"({text})"
    return text


# -- reading a line ---------------------------------------------------------------------------------
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ˣᶻʰᵒ", "0123456789-+xzho")  # e⁻ʰ¹: exp(−h1)
# E₁ = ½(t₁ − a_o₁)²: E1, t1, a_o1; Eₜₒₜₐₗ: E_total (every letter Unicode has below the line)
_BELOW = "₀₁₂₃₄₅₆₇₈₉ₒₕᵢₜₐₑₓₖₗₘₙₚₛᵣᵤᵥⱼ"
SUBSCRIPTS = str.maketrans(_BELOW, "0123456789ohitaexklmnpsruvj")
# Markdown's bold and italic around a name or an equation (`- **h1** = …`), not a power (w1**2)
_EMPHASIS = re.compile(r"(?<![\w)\]*])(\*\*?)(?=[^\s*])([^*\n]*?[^\s*])\1(?![\w(*])")
# δ_o1, delta_h2: a neuron's error signal, as a write-up defines it — ∂E_total/∂o1 (most do), ∂E_total/∂a_o1,
# or −∂E_total/∂o1 (the textbooks' δ = (t − a)·a(1 − a), added to the weights): each a reading of the line
# (spelling.delta_readings, as a sheet's δo1 column is read); d_o1 in code too
_DELTA = re.compile(r"(?<![\w/∂])(?:δ|\bdelta|\bd_)_?([ho])_?(\d)(?![\w/])")
_DELTA_AS: ContextVar[int] = ContextVar("delta_as", default=0)  # which of the readings
# ∂_{a_o1}E, ∂_w5 E, \partial_{w_5} E_{total}: the partial derivative of E by what its subscript names
_PARTIAL_BY = re.compile(r"∂_(?:\{\s*([^{}\s]+)\s*\}|([^\W\d][\w']*?))\s*(E(?:_?[Tt]otal|_?tot|_?\d)?)(?![\w'])")


def _delta(m: re.Match) -> str:
    """δ_o1 as the reading being read: ∂E_total/∂o1, ∂E_total/∂a_o1 or (-∂E_total/∂o1)."""
    q = spelling.delta_readings(f"{m[1]}{m[2]}")[_DELTA_AS.get()]
    # a neuron's δ, whatever the file's h1 names (δ_{h_1} where h_1 = σ(z_1) is still ∂E_total/∂z_1)
    return f"(-{unaliased(minus)})" if (minus := names.of_negative(q)) else unaliased(q)


def _partial_by(m: re.Match) -> str:
    by = m[1] or m[2]
    return f"∂{m[3]}/∂{by}" if symbol(by) is not None else m[0]


# "new" in the languages students write in, in a weight's superscript or suffix: w_8^{baru} (Indonesian),
# w^{yeni} (Turkish), w^{neu}, w^{novo}, w^{nuevo}, w^{nouveau}, w^{nuovo}
_NEW_WORDS = "baru|yeni|neue?|nov[oa]|nuev[oa]|nouveau|nouvelle|nuovo"
# (pattern, replacement): the many ways of writing one symbol, made one before tokenizing
_NORMAL = [
    # `w1: 0.15 -> 0.149842`, a log of the step: the weight before it and after it
    (
        r"^\s*([wW]_?\d)\s*:\s*(\d*\.\d+|\d+)\s*(?:->|→)\s*(\d*\.\d+)\s*$",
        lambda m: f"{m[1]} = {m[2]} ; new_{m[1].lower().replace('_', '')} = {m[3]}",
    ),
    # `f["a_o1"]`, `fwd['h1']`: code's dict of the quantities, keyed by their names (the key is the name)
    (r"(?<![\w.])[A-Za-z_]\w*\[\s*([\"'])([A-Za-z_]\w*)\1\s*\]", lambda m: m[2] if symbol(m[2]) else m[0]),
    # `h_1^{in}`, `o_2^{out}` (Mazur's net and out as superscripts): the neuron's net and its activation
    (
        r"(?<![\w])([hoHO])_?\{?(\d)\}?\s*\^\s*[({]?\s*(in|net|out)\s*[)}]?(?![\w])",
        lambda m: f"{'out' if m[3] == 'out' else 'net'}_{m[1].lower()}{m[2]}",
    ),
    # `E1 := ½(t1 − a_o1)²  → 0.1778928`: an arrow after a finished formula, to a number that ends the
    # line, is what the formula evaluates to (not `0.01418 → 0.01410`, a loss going down: trajectory)
    (
        r"(?<=[\w)\]²³'′])\s*(?:→|⟶|->)\s*(?=[-+−]?(?:\d+\.\d*|\.\d+|\d+)\s*$)",
        # (not a number's arrow: `η = 0.2: 0.01418138 → 0.00422894` is a loss going down, after an η's `=`)
        lambda m: (
            " = "
            if re.search(r"(?<![<>!=])=(?!=)", m.string[: m.start()])
            and not re.search(r"(?:^|[\s:=(])[-+−]?(?:\d+\.\d*|\.\d+|\d+)\s*$", m.string[: m.start()])
            else m[0]
        ),
    ),
    # `**Step 4** – a_o1 = σ(o1)`, `– a_o1 = …`: a dash between spaces before the line's first `=` parts a
    # label from its equation (as a bullet does); after an `=` it is a minus (t1 – a_o1)
    (r"(?:^|(?<=\s))[–—](?=\s+[^\W\d][\w']*\s*(?::=|=))", lambda m: ";" if "=" not in m.string[: m.start()] else m[0]),
    # `[o1] = (a_o1 − t1)·…`, `dE/dw5 = [o1]*a_h1`: a name alone in square brackets is the file's own
    # notation for something of o1's, not o1 (a vector's brackets hold a comma; out[o1] is read apart)
    # (a factor's bracket after an operator groups it: `…]*[a_h1*(1-a_h1)]*[i1]`)
    (r"(?<![\w\]\)*·×/+\-−])\[\s*([^\W\d]\w*)\s*\](?!\s*[(\[])", lambda m: f"box_{m[1]}"),
    (r"!?\[[^\]]*\]\([^)]*\)|https?://\S+|<[^>]+>", " ; "),  # links, images, URLs, HTML: prose
    (r"`", ""),  # inline code: its text is read with the line's
    (r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+", ""),  # a list marker is not a minus sign
    (r"\s*(?:\.{3}|…)\s*\(\s*\d+(?:\.\d+)*\s*\)\s*$", ""),  # an equation's label: ... (3.1)
    # an equation's number or name at the end of its line: `out_h2  -(12)`, `a_h1 (6)`, `a_o1 – t1  ---- x`
    (r"(?:\s{2,}|\t)[-–—]*\s*\(\s*\d{1,3}[a-z]?\s*\)\s*$|(?<=[\w)\]])\s+\(\s*\d{1,3}[a-z]?\s*\)\s*$", ""),
    (r"\s+[-–—]{2,8}\s*(?:\(\s*\w{1,3}\s*\)|\w{1,3})\s*$", ""),
    (
        r"(?<=[+(\s])e\s*\^\s*\{\s*-\s*([^\W\d]\w*)\s*\}|(?<=[+(\s])e\^?-([^\W\d]\w*)",
        lambda m: f"exp(-{m[1] or m[2]})",
    ),  # 1/(1+e-h1)
    (r"(?<=[+(\s])e\s*\^\s*[-−](\d*\.?\d+)(?![\d.])", lambda m: f"exp(-{m[1]})"),  # 1/(1+e^-0.0275)
    (r"\be\s*\^\s*\{([^{}]*)\}", lambda m: f"exp({m[1]})"),  # e^{-x} in plain text
    # `E_total (iteration 2) = 0.0134`: the iteration the name is of, said in brackets (the line is judged
    # at the iteration it names: extract), no factor
    # (after a name, not a number: `E_tot in row 6 (iteration 2) = 0.2313` is no equation of row 6's)
    (
        r"(?i)([\w.')]+)\s*\(\s*(?:iteration|iter|epoch)\s*#?\s*\d+\s*\)(?=\s*=(?!=))",
        lambda m: m[0] if re.fullmatch(r"[\d.]+", m[1]) else m[1] + " ",
    ),
    (r"\)([23])(?=\s|$|[)\]=+\-*/,;|])", lambda m: f")^{m[1]}"),  # (t1 - a_o1)2: a superscript lost (²), said
    (r"^\s*\*{2,3}(?=\S)|(?<=\S)\*{2,3}\s*$", ""),  # **∂E/∂w5 = …: bold left open is no product
    # `h1 = w1*x1 + w2*x2   # = 0.0275`: code and its value in a comment, one equation; and its numbers
    # (`w2_new = w2 - lr*dL_dw2    # 0.2 - 0.2*0.000188256 = 0.199962349`)
    (r"(?<=[\w)\]])\s+(?:#|//)\s*(?=(?:=|≈)\s*[-+−]?\d*\.?\d)", " "),
    (r"(?<=[\w)\]])\s+(?:#|//)\s*(?=[-+−(]?\s*\d*\.?\d[\d.\s*·×/+\-−()eE]*=\s*[-+−]?\d*\.?\d[\d.eE\-]*\s*$)", " = "),
    # `w_new(1)`, `w(5)`: a weight indexed as Octave and MATLAB index a vector
    (r"(?<![\w])(w|W|w_new|w_old|new_w|old_w)\((\d)\)", lambda m: _indexed_weight(m)),
    # `L after 1000 updates = 0.0125`: the loss after so many steps (which iteration: extract)
    (r"(?i)(?<=[\w)])\s+after\s+\d+\s+(?:updates?|steps?|iterations?|epochs?)\s*(?==\s*[-+]?\d*\.?\d)", " "),
    (r"←|:=|≈|(?<=[\w)\]'′]\s)<-(?=\s)", lambda m: _assigned(m)),  # an update (w5 ← …, w5 <- …); a rounded value
    # w1 = 0.15<tab>w2 = 0.2, dE/dw5 = 0.0716   dE/dw6 = 0.0722: two equations (a name without spaces, before =)
    # (and `σ(z) = 1/(1+e^-z)        σ'(z) = σ(z)(1-σ(z))`: a function's definition after the spaces)
    (r"(?:\t|\s{3,})(?=\s*[^\W\d∂][\w']*(?:/[^\W\d∂][\w']*|\([^()=]{1,12}\))?\s*=|\s*∂[^\s=]+\s*=)", " ; "),
    (r"\s+(?=([^\W\d][\w']*)\s*=(?!=))", lambda m: _apart(m)),  # w1 = 0.15  w2 = 0.2, w6 = 0.45 w7 = 0.5
    # (and a partial, `dE/dw7 = -0.042455  dE/dw8 = …`, or a name the file's notation wrote as one: `dw8 = …`)
    (
        r"\s{2,}(?=(?:∂|d(?=[A-Z]))[^\s=]+\s*=(?!=))",
        lambda m: " ; " if _VALUED.search(m.string, 0, m.start()) else m[0],
    ),
    # `i1 = 0.05 · i2 = 0.1`: a dot between a finished `name = value` and the next name's `=` parts them
    # (0.05·i2 = 0.1 is no reading that holds); `w5 = 0.4 − 0.5 · g5 = …` is not finished at 0.5
    # (and words before the name: `i2 = 0.1 · learning rate η = 0.5`)
    (
        r"\s*[·•]\s*(?=(?:[^\W\d]{2,}\s+){0,2}[^\W\d][\w']*\s*=(?!=))",
        lambda m: " ; " if _VALUED.search(m.string, 0, m.start()) else m[0],
    ),
    # `out_o1-t1 = 0.1065     out_o1*(1-out_o1) = 0.2387`: three spaces after a finished `… = value`
    # and before another `=` part two equations, whatever the next one begins with
    (r"(?:\t|\s{3,})(?=[^\s=;][^=;]*?=(?!=))", lambda m: " ; " if _VALUED.search(m.string, 0, m.start()) else m[0]),
    # i1 = 0,05, σ(0,0425): a decimal comma (never i1 = 0; nor the interval (0,1))
    (r"(?<![\w.,(\[])0,(?=\d+(?![\d]|[.,]\d))|(?<=\()0,(?=\d\d+(?![\d]|[.,]\d))", "0."),
    (r"(?<=[\w})])′", "'"),  # w₆′: the prime sign, as an apostrophe
    (r"\bE_\{?Σ\}?(?![\w^_])", "E_Sigma"),  # E_Σ, the summed error: a name, not a sum
    # ∇w5, g_w5: the loss's gradient by one weight (not ∇W₂ of a matrix: a capital is left unread)
    (r"(?<![\w∂/])(?:∇\s*|g_)([wb])_?(\d+)(?![\w(])", lambda m: f"∂E_total/∂{m[1]}{m[2]}"),
    (r"(?<![\w(])σ_?([ho])_?(\d)(?!\w)", lambda m: f"a_{m[1]}{m[2]}"),  # σh1, σ_o1: σ of the net, the activation
    (r"(?<![\w])net\s*\(\s*([^\W\d][\w]*)\s*\)", lambda m: _net_of(m)),  # net(H1): the net of the neuron H1 names
    # out(h1), output(o2): the neuron's activation, as net(h1) is its net
    (r"(?i)(?<![\w])(?:out|output)\s*\(\s*([ho])_?(\d)\s*\)", lambda m: f"a_{m[1].lower()}{m[2]}"),
    # `w4 → 0.3 − 0.2·g_w4 = …`: a weight taken to a step of gradient descent is its update
    (r"^\s*([wb]_?\d+)\s*(?:→|->)\s*(?=\d*\.?\d+\s*[-−+])", lambda m: f"{m[1]} = "),
    # w_5^+, w_5^{new}, w_5^{(new)}, w₅⁺, w^{+}, w_i^{new}, w^{(t+1)}, w', w1(new), w1(next), w1_naya (Hindi), and
    # `w5+ = …` (a + before the `=`, with nothing to add): w5 (any weight) after the step
    (
        r"\b(?:([wWbB])_?([\d₀-₉]+)|(w)(?:_?([ijk]))?)(?:\s*\^\s*[({]?\s*(?:\+|new|updated|\(\s*(?:new|t\s*\+\s*1)\s*\)"
        rf"|t\s*\+\s*1|{_NEW_WORDS})\s*[)}}]?|⁺|(?<=[wijk\d₀-₉])'|\s*\(\s*(?:new|updated|next|after|t\s*\+\s*1)\s*\)|_(?:naya|nayā|{_NEW_WORDS})"
        r"|\+(?=\s*=(?!=)))(?![\w(']|\s*\()",
        lambda m: f"new_{m[1].lower()}{m[2].translate(SUBSCRIPTS)}" if m[1] else f"new_w{'_' + m[4] if m[4] else ''}",
    ),
    (r"(?<=[^\W_])_\{\s*([\w']+)\s*\}", lambda m: f"_{m[1]}"),  # a_{h1}, E_{total} in plain text: a_h1, E_total
    (r"[−–‒]", "-"),
    (r"[·×⋅∙✕∗]", "*"),
    (r"[÷⁄]", "/"),
    (r"\*\*", "^"),
    (r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ˣᶻʰᵒ]+", lambda m: "^(" + m[0].translate(_SUPERSCRIPTS) + ")"),  # e⁻ˣ, (t − a)²
    (rf"[{_BELOW}]", lambda m: m[0].translate(SUBSCRIPTS)),
    # δ_o1, delta_h2: a neuron's error signal, ∂E_total/∂o1 (not the δ of δE/δw5, a partial's mark)
    (_DELTA.pattern, _delta),
    (r"[𝜕𝛛𝝏әӘδ]", "∂"),
    (_PARTIAL_BY.pattern, lambda m: _partial_by(m)),  # ∂_{w5}E, ∂_w5 E: ∂E/∂w5
    (r"(?i)learning\s+rate", "learning_rate"),
    (r"(?i)\b(?:learning_rate|lr)\s*\(?\s*(η|α|lr)(?:\s*\))?(?=\s*[=:])", lambda m: m[1]),  # learning rate η = 0.5
    (r"\be\^", "exp"),  # e^(-x)
    (r"\u00a0", " "),
]
_VALUED = re.compile(r"=\s*[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?$")  # `= 2.4038e-02`, as printed
_DECIMAL_VALUED = re.compile(r"=\s*[-+]?(?:\d+\.\d+|\.\d+)(?:[eE][-+]?\d+)?$")


def _indexed_weight(m: re.Match) -> str:
    name, k = m[1].lower(), m[2]
    return f"w{k}_new" if "new" in name else f"w{k}_old" if "old" in name else f"w{k}"


def _assigned(m: re.Match) -> str:
    """`w5 <- 0.39356` assigns as ← does (R writes it so); `o1 = … <- the first output` points at a remark."""
    if m[0] != "<-":
        return "="
    before = re.split(r";|\t|\s{3,}", m.string[: m.start()])[-1]
    return "=" if "=" not in before else m[0]


def _apart(m: re.Match) -> str:
    """The space between `w1 = 0.15` and `w2 = 0.2`: two equations (0.15·w2 = 0.2 is no reading that
    holds), when two spaces part them or the name is a given value's; else the space it is."""
    if _VALUED.search(m.string, 0, m.start()) and (len(m[0]) > 1 or re.fullmatch(r"[itwbITWB]_?\d+", m[1])):
        return " ; "
    # `a_h1=0.5069 a_h2=0.5106 a_o1=0.6065`: a printout's values, one space apart (read as a_h1 = 0.5069·a_h2
    # = 0.5106, blamed); a decimal, then a quantity's name and its `=`
    if _DECIMAL_VALUED.search(m.string, 0, m.start()) and symbol(m[1]) is not None:
        return " ; "
    return m[0]


_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<num>(?:\d+\.\d+|\d+|\.\d+)(?:[eE][-+]?\d+)?(?![^\W\d]))  # not 1st
    |(?P<half>½)
    |(?P<wt>[wWbB]\d+(?:\((?:i|t|k|n)\s*\+\s*1\)|\((?:i|t|k|n)\)|'))
    |(?P<prime>[^\W\d]\w*['′’](?=\())  # σ'(x): a function's slope
    |(?P<word>[^\W\d]\w*)
    |(?P<d>∂)
    |(?P<prose>-->|->|=>|==|<=|>=|!=|<-)
    |(?P<op>[-+*/^])
    |(?P<lp>[(\[])
    |(?P<rp>[)\]])
    |(?P<eq>=)
    |(?P<other>.)""",
    re.X,
)
ETA_WORDS = {"η", "ɳ", "ƞ", "eta", "lr", "learning_rate", "learningrate", "α"}  # w1 − α·∂E/∂w1
FUNCTIONS = {"σ": "σ", "sigmoid": "σ", "sig": "σ", "sigma": "σ", "exp": "exp", "ln": "ln", "log": "ln"}
# Functions a write-up may define or use that the network's quantities are not made of: f(x) = …,
# ReLU(x) = max(0, x). What is said with them is skipped, never judged.
OTHER_FUNCTIONS = {"f", "g", "relu", "leakyrelu", "leaky_relu", "lrelu", "tanh", "softmax", "softplus", "max", "min"}
OTHER_FUNCTIONS |= {"φ", "phi", "act"}
# A letter (or a letter and a subscript, y_hat, o_j) a write-up uses for no one quantity: y = σ(z),
# E = ½(t − a)². One is read as mathematics only next to an operator, a bracket or `=`: `a` is an
# article elsewhere. x (or z) is the variable of a function's definition, σ(x) = 1/(1 + exp(−x)).
_LETTER = re.compile(r"[abhiopstxyz](?:_[^\W\d_]+)?")
_GENERIC = {"w": GENERIC, "w_old": GENERIC, "old_w": GENERIC, "wold": GENERIC}
_GENERIC |= {w: NEW_GENERIC for w in ("w_new", "new_w", "wnew", "w_updated", "updated_w")}
_GENERIC |= {f"w_{new}": NEW_GENERIC for new in ("novo", "nova", "nuevo", "nouveau", "neu", "nuovo", "baru", "yeni")}
_GENERIC |= {f"w_{old}": GENERIC for old in ("antigo", "viejo", "ancien", "alt", "vecchio", "lama", "eski")}
for _i in ("i", "j", "k", "_i", "_j", "_k"):  # w_i, wi, new_wi: any weight, said by its index
    _GENERIC |= {f"w{_i}": GENERIC, f"old_w{_i}": GENERIC, f"w{_i}_old": GENERIC}
    _GENERIC |= {f"new_w{_i}": NEW_GENERIC, f"w{_i}_new": NEW_GENERIC}
_E = re.compile(
    r"E(?:_?(?:[Tt]ot(?:al)?|TOT(?:AL)?)|_?[Tt])?|E[Tt]otal|ETOTAL"  # Et, E_t: the total, abbreviated
    r"|E_?(?:общ\w*|[Gg]es(?:amt)?|[Tt]otale|总|合计|合計|全体|전체|총)"  # E_общ, E_gesamt: spelling._TOTAL
)  # E_total's spellings with no digit; not "error", "loss"


# Spellings write-ups use that sheets' headers do not, each → one the vocabulary knows (spelling.py)
_WRITTEN = [
    (re.compile(r"(?i)err(?:or)?_?(?:total|tot)"), "E_total"),  # Err_total, Error_tot
    (re.compile(r"E_?(?:gesamt|ges|totale|totaal)"), "E_total"),  # E_gesamt, E_totale: E_total in German, French
    (re.compile(r"E_?(?:Sigma|sum|Sum)"), "E_total"),  # E_{\Sigma}: the summed error
    (re.compile(r"(?i)err(?:or)?_?(\d)"), r"E\1"),  # Err_1, Error1
    (re.compile(r"(?i)([ho])_?(\d)_?(?:out|act)"), r"out_\1\2"),  # H1_out, o1out: the neuron's output
    (
        re.compile(r"(?i)([ho])_?(\d)_?(?:in|input|net)"),
        lambda m: f"{m[1].lower()}{m[2]}",
    ),  # H1in, o1_net: its net input
    (re.compile(r"(?i)(?:y_?hat|ŷ|yhat)_?(\d)"), r"a_o\1"),  # y_hat1, ŷ1: the network's prediction
    (re.compile(r"(?i)net_?([ho])_?(\d)"), r"\1\2"),  # net_h1, net_o1 (Mazur's): the weighted sum, h1, o1
    (re.compile(r"(?i)target_?(?:o_?)?(\d)"), r"t\1"),  # target_o1, target1: t1
    (re.compile(r"E_?o_?(\d)"), r"E\1"),  # E_o1 (Mazur's): output 1's error, E1
    (re.compile(r"(?i)(?:δ|delta)_?([ho])_?(\d)"), r"∂E_total/∂\1\2"),  # δ_o1: ∂E_total/∂o1
]
# dE_dw5, dE_total_dah1, dL_dw5 (L the file's loss): a gradient named in code
_CODE_GRAD = re.compile(r"d([A-Z]\w*?)_d(\w+)")


# A file's own names for quantities, read from the file (y1 = σ(o1): y1 is a_o1): set while its
# equations are read (extract.equations), as y1 may be a target in another file
ALIASES: ContextVar[dict[str, str] | None] = ContextVar("aliases", default=None)
_OUTPUT_NAMED = re.compile(
    r"(?<![\w])([A-Za-z])_?(\d)\s*=\s*(?:(?:σ|sigmoid|sigma|sig)\s*\(\s*o_?(\d)\s*\)|(?:a_?|out_?)o_?(\d)(?!\w))"
)


_OWN = r"(?<![\w∂/])([^\W\d_][^\W\d]*_?\d)"  # e_h1, s_o1, z1: a name ending in its neuron's number
# (its end: `=`, a comma, the line's end, or prose: `… + w_2 * i_2  et  s_h1 = σ(e_h1)`)
_NET_NAMED = re.compile(
    _OWN + r"\s*=\s*w_?(\d)\s*[*·×⋅]?\s*(\w+)\s*\+\s*w_?(\d)\s*[*·×⋅]?\s*(\w+)\s*(?:=|$|[,;.]|(?=[^\W\d_]{2,}\s))"
)
# (or σ written out: `H_1 = 1/(1+e^(-h_1))`, `1 / (1 + exp(-h1))`)
# σ written out, of {x}: `1/(1+e^(-h_1))`, `((1)/(1+e^(-h_1)))` as LaTeX's \frac shows it, `1 / (1 + exp(-h1))`
_SIGMOID_WRITTEN = r"\(*\s*1\s*\)*\s*/\s*\(\s*1\s*\+\s*(?:e\s*\^\s*\(?|exp\s*\()\s*[-−]\s*\(?\s*{x}\s*\)*"
_ACTIVATION_NAMED = re.compile(
    _OWN + r"\s*=\s*(?:(?:σ|sigmoid|sigma|sig)\s*\(\s*([^\W\d][\w]*)\s*\)"
    r"|" + _SIGMOID_WRITTEN.format(x=r"([^\W\d][\w]*)") + ")"
)
_Y_AGAINST_OUTPUT = re.compile(
    r"(?<![\w])y_?\{?([12])\}?\s*[-−]\s*(?:(?:a|out)_?\{?o_?\{?|a\^\([\[(]2[\])]\)_\{?)\1(?![\d])"
    r"|(?:a|out)_?\{?o_?\{?([12])\}*\s*[-−]\s*y_?\{?\2(?![\d])"
)  # (or an output in layers, `y_1 - a^{[2]}_1`)
_TABLE_DEFINES = re.compile(r"\s*\|\s*\**\s*([^\W\d_][\w]*)\s*\**\s*\|\s*([^|=]*[^\s|=])\s*\|")
NET_OF = {("1", "2"): "h1", ("3", "4"): "h2", ("5", "6"): "o1", ("7", "8"): "o2"}  # the course's wiring


_STEP_FACTOR = re.compile(
    r"(?<![\w∂/])([wb]_?\d)\s*=\s*([wb]_?\d)\s*[-+]\s*([A-Za-z]{1,2})\s*[*·×⋅]?\s*(?:\(?\s*(?:d|∂)\s*E|∂_|grad|g_)"
)


def aliases(lines: list[str]) -> dict[str, str]:
    """The names a file gives the network's outputs (`y_1 = σ(o_1)`, `y1 = a_o1`): name -> a_o1, for the
    letters no quantity is named by; a letter given to two outputs' or to other things is not one. And
    its own names for net inputs and activations, by their definitions (`e_h1 = w1·i1 + w2·i2` is h1,
    `s_h1 = σ(e_h1)` a_h1): a name no quantity has, given one meaning only."""
    out: dict[str, str] = {}
    for line in lines:
        for m in _OUTPUT_NAMED.finditer(letters(line)):
            letter, k, o = m[1], m[2], m[3] or m[4]
            if k == o and letter.lower() not in "aeitwbho" and out.get(letter + k, f"a_o{k}") == f"a_o{k}":
                out[letter + k] = f"a_o{k}"
    own: dict[str, set[str]] = {}
    plain = [letters(line).translate(SUBSCRIPTS).replace("−", "-") for line in lines]
    # a table's row of a name and its formula, `| z1 | w1·i1 + w2·i2 | 0.0275 |`, defines the name as `=` does
    plain += [f"{m[1]} = {m[2]}" for line in plain if (m := _TABLE_DEFINES.match(line))]
    # the names said in words, which may rename a neuron's net or activation (H1, the first hidden neuron's
    # output); one its equations define otherwise (`h1 = w1·i1 + w2·i2` said to be the output) is no one's
    said = {name: q for line in plain for name, q in said_in_words(line)}
    for line in plain:
        for m in _NET_NAMED.finditer(line):
            if (net := NET_OF.get((m[2], m[4]))) and (symbol(m[1]) is None or _key(m[1]) in said):
                own.setdefault(_key(m[1]), set()).add(net)
    nets = {name: next(iter(q)) for name, q in own.items() if len(q) == 1}
    renamed: set[str] = set()  # names of nets the file gives to activations (h1 = σ(z1), H₁ = σ(h₁))
    for line in plain:
        for m in _ACTIVATION_NAMED.finditer(line):
            arg = m[2] or m[3]
            net = nets.get(_key(arg)) or symbol(arg)
            if net not in NET_OF.values() or _key(m[1]) in nets:
                continue
            if symbol(m[1]) is None or _key(m[1]) in said:
                own.setdefault(_key(m[1]), set()).add(f"a_{net}")
            elif symbol(m[1]) == net and _key(m[1]) != _key(arg):
                # `h1 = σ(z1)` where z1 = w1·x1 + w2·x2, `H₁ = σ(h₁)`: the file calls the activation by a
                # name the course gives the net, and the net by another (read as the course's, h1 = σ(h1)
                # is no equation: 10 right lines of a cheat sheet were blamed)
                own.setdefault(_key(m[1]), set()).add(f"a_{net}")
                renamed.add(_key(m[1]))
    for line in plain:
        for name, q in said_in_words(line):
            own.setdefault(_key(name), set()).add(q)
    for name, q in own.items():
        if name not in said and name not in renamed and symbol(name) is not None:
            continue
        if len(q) == 1 and name not in out:
            out[name] = next(iter(q))
    # a name said for one neuron names its sibling alike: H1 said to be the first hidden neuron's output
    # makes H2 the second's (read as h2, by the course's names, it would be blamed for the file's notation)
    for name, q in list(out.items()):
        # and one the file defines (y_h1 = sigmoid(z_h1)) names its sibling (y_h2) where that one is a name
        # of nothing else: read so, or not at all
        if (
            (m := re.fullmatch(r"([A-Za-z][\w]*?)([12])", name))
            and (k := re.fullmatch(r"(a_[ho]|[hoEit])([12])", q))
            and (name in said or name in renamed or symbol(m[1] + ("2" if m[2] == "1" else "1")) is None)
        ):
            other = "2" if m[2] == "1" else "1"
            sibling = m[1] + other
            if (
                sibling not in out
                and len(own.get(sibling, set())) <= 1
                and own.get(sibling, {k[1] + other}) == {k[1] + other}
            ):
                out[sibling] = k[1] + other
    # a prefix the file gives a layer's nets or activations (e_h1 = w_1 i_1 + w_2 i_2, s_h1 = σ(e_h1)) names the
    # other layer's alike (s_o1, written with no definition: a_o1), where that name is no one else's
    text = "\n".join(plain)
    for name, q in list(out.items()):
        m, k = re.fullmatch(r"([^\W\d]+?_?)([ho])(\d)", name), re.fullmatch(r"(a_)?([ho])(\d)", q)
        if not (m and k and (m[2], m[3]) == (k[2], k[3])) or m[1].rstrip("_") in ("", "a", "d", "δ", "∂", "D", "Δ"):
            continue
        for other, meaning in ((f"{m[1]}{x}{d}", f"{k[1] or ''}{x}{d}") for x in "ho" for d in "12"):
            if other not in out and symbol(other) is None and re.search(rf"(?<![\w]){re.escape(other)}(?!\w)", text):
                out[other] = meaning
    # x₁, x₂: the inputs, as machine learning writes them, in a file that names no i1, i2 and gives x₁
    # no other meaning
    text = "\n".join(plain)
    if not re.search(r"(?<![\w∂/])i_?\{?[12]\}?(?![\w(])", text):
        for k in "12":
            if f"x{k}" not in out and re.search(rf"(?<![\w∂/])x_?\{{?{k}\}}?(?![\w(])", text):
                out[f"x{k}"] = f"i{k}"
    # y₁, y₂: the targets, as machine learning writes them beside ŷ₁, ŷ₂ or y_pred1 (the outputs), in a file that
    # gives y₁ no other meaning (`E₁ = ½(y₁ − ŷ₁)²` was read as E1 = ½, and blamed)
    # (or set against an output in a loss or its slope: `½(y_1 − a_{o_1})²`, `a_o1 − y_1`)
    if re.search(r"ŷ|y_?hat|\\hat\s*\{?\s*y|y_?pred", text) or _Y_AGAINST_OUTPUT.search(text):
        for k in "12":
            if f"y{k}" not in out and f"y{k}" not in own and re.search(rf"(?<![\w∂/])y_?\{{?{k}\}}?(?![\w(])", text):
                out[f"y{k}"] = f"t{k}"
    # an output's δ under a name of the file's own that spells a loss: `err1 = (yhat1 - t1)*yhat1*(1 - yhat1)`
    # ("I call the product err1") is ∂E_total/∂o1, not the error E1 that `err1` spells (read so, the 7 lines
    # using it were blamed); E1, E_1 written as δ are a slip, judged
    for line in plain:
        for m in _DELTA_NAMED.finditer(line):
            k = _delta_of(m, lambda word: out.get(_key(word)) or symbol(word))  # (act_o1: its a_o1 said above)
            # (a name of nothing, `δ1`, `g_o1`, is the file's own, read by its definition: extract.definitions)
            if k and m[1] not in out and not re.fullmatch(r"E_?\d", m[1]) and symbol(m[1]) in ("E1", "E2"):
                out[_key(m[1])] = names.grad(f"o{k}")
    # the factor of the gradient in the file's updates is its learning rate: `w5 = w5 - n * dE_total/dw5`
    # on two lines or more, n a name of no quantity, is η (`UPDATE (n = 0.5)`)
    factors: dict[str, int] = {}
    for line in plain:
        for m in _STEP_FACTOR.finditer(line):
            if m[1] == m[2] and symbol(m[3]) is None and m[3].lower() not in ETA_WORDS:
                factors[m[3]] = factors.get(m[3], 0) + 1
    for name, n in factors.items():
        if n >= 2 and name not in out:
            out[name] = names.ETA
    return out


_SIDE = r"\(?\s*(\w+)\s*[-−]\s*(\w+)\s*\)"  # (a_o1 − t1)
_SLOPE = r"(\w+)\s*[*·×⋅]?\s*\(\s*1\s*[-−]\s*(\w+)\s*\)"  # a_o1·(1 − a_o1)
_DELTA_NAMED = re.compile(
    _OWN + rf"\s*=\s*(?:{_SIDE}\s*[*·×⋅]?\s*{_SLOPE}|{_SLOPE}\s*[*·×⋅]?\s*{_SIDE})\s*(?:=|$|[,;])"
)


def _delta_of(m: re.Match, named) -> str | None:
    """The output (1 or 2) whose δ, (a_ok − tk)·a_ok·(1 − a_ok), a _DELTA_NAMED match defines, or None;
    `named`, the quantity a word names."""
    a, t, b, c = (m[2], m[3], m[4], m[5]) if m[2] else (m[8], m[9], m[6], m[7])
    k = re.fullmatch(r"a_o([12])", named(a) or "")
    if k and named(t) == f"t{k[1]}" and named(b) == named(c) == named(a):
        return k[1]
    return None


def _net_of(m: re.Match) -> str:
    """net(H1), net(a_o1): the net input of the neuron the argument names (its net or its output)."""
    q = symbol(m[1])
    return q.removeprefix("a_") if q and re.fullmatch(r"(?:a_)?[ho]\d", q) else m[0]


def _key(name: str) -> str:
    """A file's own name as ALIASES keys it: e_h_1 and e_h1 alike."""
    return re.sub(r"_(?=\d)", "", name)


# -- names a file gives in words ---------------------------------------------------------------------
# `L = total loss, L1, L2 = loss of each output`, `the loss is L`, `inputs: x_1 = 0.05, x_2 = 0.1`, `the
# output of the first hidden neuron, which I call H1`: a short name (a letter or two, perhaps numbered)
# said to be a quantity by a description of it
_SAID_NAME = r"(?<![\w∂/^_\[(])(?:(?:[A-Za-z]{1,2}|[α-ωΑ-Ω])_?\{?\d\}?|[B-HJ-Z])(?![\w(\[{^'′⁺])"
_SAID_NAMES = rf"({_SAID_NAME}(?:\s*(?:,|and)\s*{_SAID_NAME})*)"
_DESCRIPTION = r"((?:the\s+|a\s+|its\s+)?[^\W\d][^=,;.()\[\]:]{1,45})"
_NAME_FIRST = re.compile(
    rf"{_SAID_NAMES}\s*(?:=|:|[–—]|\bis\b|\bare\b|\bdenotes?\b|\bmeans?\b|\bfor\b)\s*{_DESCRIPTION}"
)
_NAME_LAST = re.compile(
    rf"{_DESCRIPTION}(?:\s*,?\s*(?:which|that)\s+(?:I|we)\s+(?:call|write|denote|name)|\s+(?:I|we)\s+(?:call|write|denote)"
    rf"|\s+is\s+(?:called|denoted(?:\s+by)?|written(?:\s+as)?|named)|\s+is|\s*=|\s*:)\s+(?:it\s+)?(?:as\s+|by\s+)?"
    rf"{_SAID_NAMES}(?:\s*\([^()]{{1,30}}\))?\s*(?=$|[,.;:)]|=(?!=)|\s+(?:and|which|here|below|from|is)\b)"
)  # a gloss in brackets after the name (`which I call P1 ("prediction 1"), is …`); `the cost is C = …`
_WEIGHTS_SAID = re.compile(
    r"(?<![\w∂/^_\[(])([A-Za-z]|[α-ωΑ-Ω])_?\{?1\}?\s*,?\s*(?:…|\.{2,3}|\\ldots|\\dots)\s*,?\s*\1_?\{?8\}?(?![\w(\[{^'′⁺])"
    r"\s*(?:=|:|[–—]|\bare\b|\bdenote\b)\s*(?:the\s+)?(?:(?:eight|8)\s+)?weights\b"
)
# (`inputs, $x_1 = 0.05$, $x_2 = 0.1$`: in math of its own too)
_GIVEN_AS = re.compile(
    r"(?i)\b(inputs?|targets?)\b\s*[:=,]?\s*((?:[$`]?[A-Za-z]_?\d\s*=\s*[-+]?[\d.,]+[$`]?\s*(?:,|and|;)?\s*)+)"
)
_ORDINALS = {"first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2}
_NET_WORDS = r"net(?:\s+input)?|weighted\s+sum|pre-?activation|(?:total\s+)?input\s+(?:of|to|into|going)|sum\b"
_ACT_WORDS = (
    r"output\s+of|activation|\bout\b|after\s+the\s+(?:sigmoid|activation)|sigmoid|σ"
    r"|outputs?\b(?!\s+(?:neuron|unit|node|layer))"
)


# `loss L = L_1 + L_2`, `the error is J = J1 + J2`: a letter the sentence says is the loss, summed of its
# numbered two, each output's (read as nothing, `∂L / ∂w_5 = …` was skipped: 11 lines of a file)
_LOSS_SUMMED = re.compile(
    rf"(?i:{spelling.LOSS_WORDS})[^=.;]{{0,25}}?(?<![\w∂/])([A-Z])\s*=\s*\1_?\{{?1\}}?\s*\+\s*\1_?\{{?2\}}?(?![\w(])"
)


def said_in_words(line: str) -> list[tuple[str, str]]:
    """(name, quantity) for each short name the line says in words is one of the network's quantities
    (`L = total loss`: E_total; `L1, L2 = loss of each output`: E1, E2; `inputs: x_1 = 0.05`: i1; `the net
    input of the second hidden neuron, which I call z2`: h2). A name that is already a quantity's is not one."""
    out = []
    for m in _GIVEN_AS.finditer(line):
        letter = "i" if m[1].lower().startswith("input") else "t"
        for name in re.findall(r"([A-Za-z]_?\d)\s*=", m[2]):
            out.append((name, f"{letter}{name[-1]}"))
    for m in _LOSS_SUMMED.finditer(line):
        out += [(m[1], names.E_TOTAL), (f"{m[1]}1", "E1"), (f"{m[1]}2", "E2")]
    for m in _WEIGHTS_SAID.finditer(line):  # `ω₁ … ω₈ – weights`: each the weight of its number
        out += [(f"{m[1]}{k}", f"w{k}") for k in range(1, 9)]
    for pattern, first in ((_NAME_FIRST, True), (_NAME_LAST, False)):
        for m in pattern.finditer(line):
            said, description = (m[1], m[2]) if first else (m[2], m[1])
            for name in re.split(r"\s*(?:,|\band\b)\s*", said.strip()):
                name = re.sub(r"[{}]", "", name)
                if (q := _described(description, name)) is not None:
                    out.append((name, q))
    return [(_key(name), q) for name, q in out if name.lower() not in ETA_WORDS and _may_name(name)]


def _may_name(name: str) -> bool:
    """Whether a file may give the name a meaning of its own: one no quantity has, or a neuron's net or
    activation (`the output of the first hidden neuron, which I call H1`: H1 is a_h1 there, not h1)."""
    q = symbol(name)
    return q is None or bool(re.fullmatch(r"(?:a_)?[ho]\d", q))


def _described(description: str, name: str) -> str | None:
    """The quantity a description names, its number the name's where it gives none: `total loss`
    (E_total), `loss of each output` (E1 for L1), `net input of hidden neuron 1` (h1), `the output of the
    first hidden neuron` (a_h1); None for anything else, or a name the description cannot number."""
    d = re.sub(r"^(?:(?:and|so|where|while|then|here|also|now|with)\s+)+", "", description.lower().strip())
    k = name[-1] if name[-1].isdigit() else None
    said = re.search(r"\b(?:neuron|unit|node|output)\s*#?\s*(\d)\b|\b(first|1st|second|2nd)\b", d)
    n = (said[1] or str(_ORDINALS[said[2]])) if said else k
    if re.match(r"(?:the\s+)?(?:two|both)\s+(?:squared\s+)?(?:losses|errors|costs)\b", d):
        return f"E{k}" if k in ("1", "2") else None  # `ε₁, ε₂ – the two errors`: each output's
    if re.match(r"(?:the\s+)?(?:(?:total|overall|whole|summed)\s+)?(?:squared\s+)?(?:loss|error|cost)\b", d):
        each = re.search(r"\b(?:each|per|every|of\s+(?:the\s+)?(?:output|o_?\d)|output\s+\d)", d)
        if each:
            return f"E{n}" if n in ("1", "2") else None
        return names.E_TOTAL if k is None else None
    if k is None or n not in ("1", "2"):
        return None
    if re.match(r"(?:the\s+)?(?:inputs?|input\s+(?:value|neuron|node))\b", d):
        return f"i{n}"
    if re.match(r"(?:the\s+)?(?:targets?|target\s+(?:value|output)|desired\s+output|expected\s+output)\b", d):
        return f"t{n}"
    # `α₁, α₂ – hidden outputs`, `β₁, β₂ – network outputs`: a layer's outputs, said without its neurons
    if re.match(r"(?:the\s+)?(?:two\s+)?hidden(?:[- ]layer)?\s+(?:outputs|activations)\b", d):
        return f"a_h{n}"
    if re.match(r"(?:the\s+)?(?:two\s+)?(?:network|final|output[- ]layer)\s+(?:outputs|activations)\b", d):
        return f"a_o{n}"
    layer = re.search(r"\b(hidden|output)\s+(?:layer'?s?\s+)?(?:neuron|unit|node)", d)
    if layer is None:
        return None
    net, act = re.search(_NET_WORDS, d), re.search(_ACT_WORDS, d)
    if not (net or act):
        return None
    neuron = ("h" if layer[1] == "hidden" else "o") + n
    return neuron if net and (not act or net.start() < act.start()) else f"a_{neuron}"


# -- notations a file defines, and one with a single meaning ---------------------------------------------
@dataclass(frozen=True)
class Notation:
    """What a file's own notation means, learned from its definitions (set while its equations are
    read): its functions of a neuron or a weight (`A[x] = activation of neuron x`, `N[x]` = net input,
    `g(w) = ∂L/∂w`, `E'(w) is the gradient of E with respect to w`), name -> `act`, `net` or the loss
    whose gradient it is; whether a ⁺ after a net is its activation (`h1⁺ = σ(h1)`); whether layers are
    numbered in square brackets, as Andrew Ng's course does (`z^{[1]}_1` is h1, `a^{[2]}_2` a_o2)."""

    functions: dict[str, str] = field(default_factory=dict)
    plus: bool = False
    layers: bool = False
    # the file's own names defined by an equation (`ε₁ := (y_o₁ − t₁)·y_o₁·(1 − y_o₁)`, `u₁₂ = w2`,
    # `∇ₖ := ∂E/∂wₖ`), name (its number plain: ε1, u12, ∇5) -> what it is read as: a quantity's name, or
    # its definition's expression in brackets (extract.definitions)
    macros: dict[str, str] = field(default_factory=dict)
    # a prefix the file says names the loss's gradient by what follows it (`g_xx is my short name for
    # dE_tot/dxx`): prefix -> the loss (g_out_h1 is ∂E_total/∂a_h1)
    prefixes: dict[str, str] = field(default_factory=dict)


NOTATION: ContextVar[Notation | None] = ContextVar("notation", default=None)
# the variable of a function's definition: x, w, n; or a neuron it is said of (`act(H1) = σ(H1)`: act is the
# activation, of any neuron; its 3 lines, E2 = ½(t2 − act(O1))² among them, were skipped)
_ARG = r"[^\W\d_](?:\w?\d)?"
_FUNCTION_SAID = re.compile(
    r"(?<![\w∂/'′])([A-Za-z]\w{0,5}['′]?)\s*(?:\[\s*(" + _ARG + r")\s*\]|\(\s*(" + _ARG + r")\s*\))\s*"
    r"(?:=|:|\bis\b|\bmeans\b|\bdenotes\b|\bstands\s+for\b)\s*([^,;]{1,60})"
)
# a glossary's line, the function's name and what it is in a column beside it: `  s(.)     sigmoid
# 1/(1+e^-x)` (no `=`: a wide space its separator)
_FUNCTION_LISTED = re.compile(r"^\s*(?:[-*•]\s*)?([A-Za-z]\w{0,5})\s*\(\s*(x|\.|·|_|…)?\s*\)\s{2,}()(\S[^,;]{0,59})")
# h1⁺, h_1^{+}, h1^+, and a prime where the file defines one so (`h_1' = \frac{1}{1+e^{-h_1}}`: read as h_1,
# 8 right lines of a file were blamed)
_PLUS = r"\s*(?:⁺|\^\s*\{\s*\+\s*\}|\^\s*\(\s*\+\s*\)|\^\s*\+|'(?!'))"
_PLUS_SAID = re.compile(
    r"(?<![\w∂])([ho])_?(\d)" + _PLUS + r"\s*=\s*(?:(?:σ|sigmoid|sigma|sig)\s*\(\s*\1_?\2\s*\)"
    r"|" + _SIGMOID_WRITTEN.format(x=r"\1_?\2") + ")"
)
_PLUS_USED = re.compile(r"(?<![\w])([hoHO])_?(\d)" + _PLUS + r"(?!\w)")
# Andrew Ng's layers: z^{[l]}_k (the net of neuron k of layer l), a^{[l]}_k its activation, δ^{[l]}_k its
# δ; layer 0 the inputs, 1 the hidden layer, 2 the outputs — a network of more layers is no 2-2-2 one
# (or in round brackets, as LaTeX's `a^{(2)}_1` shows them: `a^((2))_1`; not `a_1^(2)`, a square)
_LAYER = r"\^\s*(?:[({]?\s*\[\s*(\d)\s*\](?:\s*[)}])?|\(\s*\(\s*(\d)\s*\)\s*\))"
_UNIT = r"_\s*\{?\s*(\d)(?:\s*\})?"
_LAYERED = re.compile(rf"(?<![\w\\])([zaδ])\s*(?:{_LAYER}\s*{_UNIT}|{_UNIT}\s*{_LAYER})(?![\w])")
LAYER_NAMES = {("z", "1"): "h{}", ("z", "2"): "o{}", ("a", "0"): "i{}", ("a", "1"): "a_h{}", ("a", "2"): "a_o{}"}
LAYER_NAMES |= {("δ", "1"): "δ_h{}", ("δ", "2"): "δ_o{}"}


def notation(lines: list[str]) -> Notation:
    """The notation a file's lines define (Notation); a function given two meanings is none."""
    kinds: dict[str, set[str]] = {}
    plus, layers, deeper = False, False, False
    for n, line in enumerate(lines):
        line = letters(line).translate(SUBSCRIPTS).replace("′", "'")
        # a definition's words may go on to the next line (`E'(w) is the gradient of` / `the loss …`)
        said = line + " " + (lines[n + 1] if n + 1 < len(lines) and re.search(r"\w\s*$", line) else "")
        listed = [m for m in [_FUNCTION_LISTED.match(line)] if m and not _FUNCTION_SAID.match(line.strip())]
        for m in [*_FUNCTION_SAID.finditer(said), *listed]:
            name = m[1]
            if name.rstrip("'").lower() in FUNCTIONS or symbol(name) is not None:
                continue
            if kind := _function_kind(m[4], m[2] or m[3]):
                kinds.setdefault(name, set()).add(kind)
        plus = plus or bool(_PLUS_SAID.search(line))
        for m in re.finditer(_LAYER, line):
            if m[1]:  # (a layer in round brackets only on z, a or δ and a unit: `w_5^{(3)}` is the third step's)
                layers, deeper = True, deeper or int(m[1]) > 2
        for m in _LAYERED.finditer(line):
            layers, deeper = True, deeper or int(_layer_unit(m)[0]) > 2
    functions = {name: next(iter(k)) for name, k in kinds.items() if len(k) == 1}
    prefixes: dict[str, set[str]] = {}
    for line in lines:
        for m in _PREFIX_SAID.finditer(letters(line)):
            if (loss := symbol(m[3])) in (names.E_TOTAL, "E1", "E2"):
                prefixes.setdefault(m[1], set()).add(loss)
    prefixed = {p: next(iter(q)) for p, q in prefixes.items() if len(q) == 1}
    return Notation(functions, plus, layers and not deeper, prefixes=prefixed)


# `g_xx is my short name for dE_tot/dxx`, `dxx := ∂E/∂xx`: a prefix and a placeholder (xx, x, X, *, …) said
# to be the loss's gradient by what the placeholder stands for
_PREFIX_SAID = re.compile(
    r"(?<![\w∂/])([A-Za-z]{1,3}_?)(xx|XX|x|X|\*|…|<x>)(?![\w])[^.;=]{0,40}?(?:=|:|\bis\b|\bfor\b|\bmeans\b)\s*"
    r"(?:[^.;=]{0,30}?\s)?(?:∂|d|δ)\s*\(?\s*([^\W\d][\w]*)\s*\)?\s*/\s*(?:∂|d|δ)\s*\2(?![\w])"
)


# a function said to be the sigmoid: by name (`sigmoid`, `the logistic function`, then a formula or
# nothing), or by its formula in its own variable, 1/(1 + exp(−x))
_SIGMOID_SAID = re.compile(
    r"(?i)(?:the\s+)?(?:sigmoid|logistic)(?:\s+function)?\s*(?:$|[=:(]\s*(?:1\s*/|$)|1\s*/\s*\(\s*1\s*\+)"
)
_SIGMOID_OF = r"1\s*/\s*\(\s*1\s*\+\s*(?:exp\s*\(\s*-\s*{x}\s*\)|e\s*\^\s*\(?\s*-\s*{x}\s*\)?)\s*\)"


def _function_kind(description: str, arg: str) -> str | None:
    """What a function of a neuron or weight is, by its definition's description: `act` (activation of
    neuron x, σ(N[x])), `net` (net input, weighted sum) or a loss's name (∂L/∂w, the gradient of E_tot)."""
    d = description.strip()
    if _SIGMOID_SAID.match(d) or re.fullmatch(rf"{_SIGMOID_OF.format(x=re.escape(arg))}\s*", d):
        return "σ"  # `S(x) = sigmoid = 1/(1+exp(-x))`, `f(x) = 1/(1+e^(-x))`: the sigmoid itself
    if m := re.match(rf"(?:∂|d)\s*\(?\s*([^\W\d][\w]*)\s*\)?\s*/\s*(?:∂|d)\s*{arg}(?![\w])", d):
        return of if (of := symbol(m[1])) in (names.E_TOTAL, "E1", "E2") else None
    low = d.lower()
    if re.match(r"(?:the\s+)?(?:gradient|derivative|partial(?:\s+derivative)?)\b", low):
        said = [symbol(w) for w in re.findall(r"[^\W\d][\w]*", d)]
        losses = [q for q in said if q in (names.E_TOTAL, "E1", "E2")]
        return losses[0] if losses else names.E_TOTAL if re.search(r"\b(?:loss|error|cost)\b", low) else None
    if re.match(r"(?:σ|sigmoid|sigma|sig)\s*\([^()]*\)(?!\s*[-+*/^(·×−\d])", low):
        return "act"  # S[n] = σ(Z[n]): the sigmoid of something alone (not σ(x)(1 − σ(x)), its slope)
    if not re.match(r"[^\W\d]", low):
        return None  # another expression: g(x) = σ(x)·(1 − σ(x)), f(x) = 1/(1 + e^(−x))
    net, act = re.search(_NET_WORDS, low), re.search(_ACT_WORDS, low)
    if not (net or act) or not re.search(r"\b(?:neuron|unit|node)\b", low):
        return None
    return "net" if net and (not act or net.start() < act.start()) else "act"


def _own_steps() -> list:
    """The file's notation as normalize's steps: (pattern, replacement), before the rest."""
    own = NOTATION.get()
    if own is None:
        return []
    steps = []
    if own.layers:
        steps.append((_LAYERED.pattern, _layered))
    if own.plus:
        steps.append((_PLUS_USED.pattern, lambda m: f"a_{m[1].lower()}{m[2]}"))
    if own.functions:
        called = "|".join(re.escape(f) for f in sorted(own.functions, key=len, reverse=True))
        arg = r"([^\[\]()\s]{1,8})"
        steps.append((rf"(?<![\w'′])({called})\s*(?:\[\s*{arg}\s*\]|\(\s*{arg}\s*\))", _applied))
    if own.macros:
        steps.append((macro_pattern(own.macros), lambda m: _macro(m, own.macros)))
    for prefix, loss in own.prefixes.items():
        steps.append(
            (rf"(?<![\w∂/]){re.escape(prefix)}([^\W\d][\w]*)(?![\w(])", lambda m, loss=loss: _prefixed(m, loss))
        )
    return steps


_SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"


def macro_pattern(macros: dict[str, str]) -> str:
    """Where a file's own names are written, in any of their spellings (ε₁, ε_1, ε_{1}, ε1); one whose
    reading is no single name is not read right after ∂ or / (`dE/dw5` is no use of a name dw5)."""
    spelled = []
    for name in sorted(macros, key=len, reverse=True):
        m = re.fullmatch(r"(\D+?)(\d*)", name)
        digits = m[2]
        if not digits:  # ε: a name of one letter, not one of its numbered names (ε₁)
            spelled.append(re.escape(name))
            continue
        sub = "".join(_SUBSCRIPT_DIGITS[int(d)] for d in digits)
        after = "" if _plain(macros[name]) else r"(?<![∂/])"
        spelled.append(rf"{after}{re.escape(m[1])}(?:_?\{{?{digits}\}}?|{sub})")
    return rf"(?<![\w])(?:{'|'.join(spelled)})(?![\w₀-₉])"


def _plain(reading: str) -> bool:
    """Whether a name's reading is one quantity's name (not a partial, not an expression)."""
    return re.fullmatch(r"[\w]+", reading) is not None


def macro_key(written: str) -> str:
    """A file's own name as Notation.macros keys it: ε₁, ε_{1}, ε_1 all ε1."""
    return re.sub(r"_?\{?(\d+)\}?$", r"\1", written.translate(str.maketrans(_SUBSCRIPT_DIGITS, "0123456789")))


def _macro(m: re.Match, macros: dict[str, str]) -> str:
    return macros.get(macro_key(m[0]), m[0])


def _own(text: str) -> str:
    """The text with the file's own notation read (δ^{[2]}_1 is δ_o1), and nothing else."""
    for pattern, repl in _own_steps():
        text = re.sub(pattern, repl, text)
    return text


def _prefixed(m: re.Match, loss: str) -> str:
    """g_out_h1, in a file whose g_xx is dE_tot/dxx: ∂E_total/∂a_h1; as written where what follows the
    prefix names no quantity (or a gradient, η)."""
    q = symbol(m[1])
    if q is None or q == names.ETA or names.of_grad(q) or q == loss:
        return m[0]
    return f"∂{loss}/∂{q}"


def own_names(text: str) -> str:
    """The text with a file's own names for neurons read as the course's, where its notation says so:
    layered (`a^{[2]}_1`, a_o1) and marked (`o_1'`, `h1⁺`: the activation, a_o1)."""
    own = NOTATION.get()
    if own is not None and own.layers:
        text = re.sub(_LAYERED, _layered, text)
    if own is not None and own.plus:
        text = re.sub(_PLUS_USED, lambda m: f"a_{m[1].lower()}{m[2]}", text)
    return text


def _layered(m: re.Match) -> str:
    layer, unit = _layer_unit(m)
    shape = LAYER_NAMES.get((m[1], layer))
    return shape.format(unit) if shape else m[0]


def _layer_unit(m: re.Match) -> tuple[str, str]:
    """A _LAYERED match's layer and unit: the digit raised and the digit below."""
    return re.search(r"\^\D*(\d)", m[0])[1], re.search(r"_\D*(\d)", m[0])[1]


def _applied(m: re.Match) -> str:
    """A file's function of a neuron or a weight, applied (A[o1]: a_o1; N[h1]: h1; g(w6): ∂E_total/∂w6;
    A[x], of the definition's variable: σ(x)); as written where its argument is nothing it reads."""
    kind, arg = NOTATION.get().functions[m[1].replace("′", "'")], (m[2] or m[3]).replace("′", "'")
    if kind == "σ":  # `S(x) = sigmoid = 1/(1+exp(-x))`: S(H2in) is σ(H2in), of anything
        return f"σ({arg})"
    q = symbol(arg)
    if kind in ("net", "act"):
        if q in NET_OF.values():
            return q if kind == "net" else f"a_{q}"
        if len(arg) == 1 and q is None:  # of the definition's variable: of any net, as σ(x) is
            return FREE if kind == "net" else f"σ({FREE})"
        return m[0]
    if q is None or q == names.ETA or names.of_grad(q):
        return m[0]
    return f"∂{kind}/∂{q}"


def unaliased(reading: str) -> str:
    """A quantity's name (∂E_total/∂h1), spelled so that the file's own names do not read it again: in a
    file where h1 names the activation (h1 = σ(z1)), the net h1 is spelled net_h1."""
    own = ALIASES.get() or {}
    return re.sub(r"(?<![\w])([ho][12])(?![\w])", lambda m: f"net_{m[1]}" if m[1] in own else m[1], reading)


def _written(word: str) -> str:
    """A write-up's own spelling of a quantity in one a sheet's header uses (Err_total is E_total,
    H1_out out_h1, y_hat1 a_o1, dE_dw5 dE/dw5); any other word as it is."""
    if own := ALIASES.get():
        if (q := own.get(re.sub(r"_(?=\d)", "", word))) is not None:
            return q
    for pattern, repl in _WRITTEN:
        if pattern.fullmatch(word):
            return pattern.sub(repl, word)
    if (m := _CODE_GRAD.fullmatch(word)) and symbol(_written(m[1])) and symbol(_written(m[2])):
        return f"d{_written(m[1])}/d{_written(m[2])}"
    return word


def symbol(word: str) -> str | None:
    """The quantity a word names, or None for prose."""
    word = _written(word)
    low = word.lower()
    if low in ETA_WORDS:
        return names.ETA
    if low in _GENERIC:
        return _GENERIC[low]
    if (m := re.fullmatch(r"d(E\w*)/d(\w+)", word)) and symbol(m[2]) == GENERIC and (of := symbol(m[1])):
        return names.grad(GENERIC, of)  # dE_dw, dE_dw_i in code: ∂E/∂w of any weight
    if m := re.fullmatch(r"old_?(w\d+)|(w\d+)_?old", low):
        return m[1] or m[2]
    if m := re.fullmatch(r"(?:grad|gradient)_?(w\d+)|(w\d+)_grad", low):  # grad_w5, w5_grad: code's names
        return names.grad(m[1] or m[2])
    if m := re.fullmatch(r"([wb]\d+)\((?:i|t|k|n)\s*(\+\s*1)?\)", low):  # w1(i+1), w1(t)
        return spelling.new(m[1]) if m[2] else m[1]
    q = spelling.quantity(word)
    if q is None or q == names.ITERATION:
        return None
    if not re.search(r"\d", word) and not _E.fullmatch(word):
        return None  # 'error', 'loss', 'e' are words of prose
    return q


@dataclass
class _Tok:
    kind: str  # num sym gen fn other d op ( ) , = prose
    value: object
    start: int
    end: int


# Letters as typeset: mathematical italic and bold (𝜎, 𝜕, 𝑤, 𝟃), ℎ, full-width letters are the letters
# they are (NFKC, one character for one); ð and the Armenian ղ are how some keyboards write ∂ and η.
_LETTERS = {"ð": "∂", "ղ": "η", "Ә": "∂", "ә": "∂"}


def _letter(c: str) -> str:
    if c in _LETTERS:
        return _LETTERS[c]
    if "\U0001d400" <= c <= "\U0001d7ff" or c == "ℎ" or "\uff01" <= c <= "\uff5e" or "₀" <= c <= "₉":
        folded = unicodedata.normalize("NFKC", c)
        return folded if len(folded) == 1 else c
    return c


def letters(line: str) -> str:
    """The line with its typeset letters read as the letters they are, one character for one; a layer's
    letter raised after δ (δᵒ₁, δʰ₂: the output and hidden layers' error signals) as δo1, δh2 write it."""
    if line.isascii():
        return line
    return re.sub(r"(?<=δ)[ᵒʰ]", lambda m: "o" if m[0] == "ᵒ" else "h", "".join(map(_letter, line)))


# ω₁x₁, δᵒ₁ω₆: two names each closed by its subscript, side by side — a product (no one name holds a
# subscript between its letters)
_SUBSCRIPTED_SIDE_BY_SIDE = re.compile(r"(?<=[₀-₉])(?=[^\W\d_][₀-₉])")


# w1x1 + w2x2, w5h1: a weight and a name of the network side by side, in plain letters — a product, as no
# quantity is named so (read only where what follows the weight names one: w1x1 in a file of x inputs)
_WEIGHT_GLUED = re.compile(r"(?<![\w∂/])([wW]_?\d)([A-Za-z]{1,3}_?\d)(?![\w.'′(])")


def _glued(m: re.Match) -> str:
    return f"{m[1]}·{m[2]}" if symbol(m[2]) is not None and not names.is_param(symbol(m[2]) or "") else m[0]


def apart(line: str) -> str:
    """The line with a product's sign between two subscripted names written side by side (ω₁x₁), or a
    weight and a name (w1x1)."""
    line = _WEIGHT_GLUED.sub(_glued, line)
    return _SUBSCRIPTED_SIDE_BY_SIDE.sub("·", line) if not line.isascii() else line


def normalize(line: str) -> tuple[str, list[int]]:
    """The line with every symbol written one way, and where each of its characters came from."""
    line = letters(line)
    text, origin = line, list(range(len(line)))
    for pattern, repl in [*_own_steps(), *_NORMAL]:
        out, where, at = [], [], 0
        for m in re.finditer(pattern, text):
            out.append(text[at : m.start()])
            where += origin[at : m.start()]
            new = repl(m) if callable(repl) else repl
            out.append(new)
            if new:  # a replacement spans what it replaced: its last character comes from the last one
                where += [origin[m.start()]] * (len(new) - 1) + [origin[max(m.start(), m.end() - 1)]]
            at = m.end()
        out.append(text[at:])
        where += origin[at:]
        text, origin = "".join(out), where
    return text, origin


_KIND = {"lp": "(", "rp": ")", "eq": "=", "other": "prose"}  # a token's kind by its pattern's name
_MATH = {"op", "=", "fn", "other", "d"}  # what makes a letter beside it a symbol; a bracket, only touching it


def tokens(text: str) -> list[_Tok]:
    out = []
    calls = []  # for each open bracket, whether it holds a function's arguments
    for m in _TOKEN.finditer(text):
        kind, s, at, end = m.lastgroup, m[0], m.start(), m.end()
        if kind in ("num", "half"):
            out.append(_Tok("num", Num(0.5 if s == "½" else float(s), s), at, end))
        elif kind in ("word", "wt", "prime"):
            out += _word(s, at, end, called=text.startswith("(", end))
        elif s == "," and calls and calls[-1]:  # max(0, x): the comma between a function's arguments
            out.append(_Tok(",", s, at, end))
        elif kind != "ws":
            out.append(_Tok(_KIND.get(kind, kind), s, at, end))
        if kind == "lp":
            calls.append(len(out) > 1 and out[-2].kind in ("fn", "other"))
        elif kind == "rp" and calls:
            calls.pop()
    for n, t in enumerate(out):
        if t.kind == "fn" and n + 1 < len(out) and out[n + 1].kind == "fn" and not (n and out[n - 1].kind == "d"):
            t.kind = "prose"  # the sigmoid σ(x) = …: the function's name in prose, before its symbol
            continue
        if t.kind == "num" and _numbered(out, n):
            t.kind = "prose"  # Step 2 h1 = …, EPOCH: 7 LR = …: step 2's h1, not 2·h1
            continue
        if t.kind != "prose" or not _LETTER.fullmatch(t.value):
            continue
        before, after = out[n - 1] if n else None, out[n + 1] if n + 1 < len(out) else None
        if t.value == "x" and before and after and before.kind in ("sym", "num", ")") and after.kind in _OPERAND:
            t.kind, t.value = "op", "*"  # w1 x i1: a times sign
        elif _label(out, n):
            before.kind = after.kind = "prose"  # (a) h1 = …: a list's label
        elif any(  # y = σ(z), (t − a)²: a letter beside mathematics is a generic symbol
            x is not None and (x.kind in _MATH or x.kind in "()" and (x.end == t.start or x.start == t.end))
            for x in (before, after)
        ):
            t.kind = "gen"
    return out


_OPERAND = {"sym", "num", "(", "fn", "d"}


def _numbered(toks: list[_Tok], n: int) -> bool:
    """Whether the number toks[n] numbers what follows: after step, iteration, epoch (`EPOCH: 7`, `Step #2`)."""
    k = n - 1
    while k >= 0 and toks[k].kind == "prose" and toks[k].value in ":#-.":
        k -= 1
    return k >= 0 and toks[k].kind == "prose" and toks[k].value.lower() in _NUMBERED


def _label(toks: list[_Tok], n: int) -> bool:
    """Whether toks[n] is the a of `(a) `, not of `σ(a)` or `(t − a)`."""
    before, after = toks[n - 1] if n else None, toks[n + 1] if n + 1 < len(toks) else None
    if not (before and after and before.kind == "(" and after.kind == ")" and len(toks[n].value) == 1):
        return False
    called = n > 1 and toks[n - 2].end == before.start and toks[n - 2].kind in ("fn", "other", "sym", "gen")
    spaced = n + 2 == len(toks) or toks[n + 2].start > after.end
    return not called and spaced


def _word(s: str, at: int, end: int, called: bool = False) -> list[_Tok]:
    """A quantity's name, a function (σ'; ReLU, called), dE and dσ (the partial's mark d and a name),
    or prose."""
    q = spelling.quantity(s) if s.endswith("'") else symbol(s)
    if q is not None:
        return [_Tok("sym", q, at, end)]
    bare = s.rstrip("'′’").lower()
    if bare in FUNCTIONS:
        return [_Tok("fn", FUNCTIONS[bare] + "'" * (bare != s.lower()), at, end)]
    if called and bare in OTHER_FUNCTIONS:
        return [_Tok("other", s, at, end)]
    if s == "d" and called:
        return [_Tok("d", "d", at, end)]  # d(E1 + E2)/dw5
    if s[0] == "d" and len(s) > 1 and (q := symbol(s[1:])) is not None and not names.of_grad(q):
        return [_Tok("d", "d", at, at + 1), _Tok("sym", q, at + 1, end)]  # dE/dw5
    if s[0] == "d" and s[1:].lower() in FUNCTIONS:
        return [_Tok("d", "d", at, at + 1), _Tok("fn", FUNCTIONS[s[1:].lower()], at + 1, end)]  # dσ/dx
    if s[0] == "d" and _LETTER.fullmatch(s[1:]):
        return [_Tok("d", "d", at, at + 1), _Tok("gen", s[1:], at + 1, end)]  # the dx of dσ/dx
    return [_Tok("prose", s, at, end)]


class ParseError(Exception):
    pass


# Bounds on one equation (the longest in the seeds holds 62 symbols and nests 4 deep): they keep every
# tree shallow enough for the recursive walks (walk, render, writeup.value), whatever the text.
MAX_TOKENS = 300
MAX_DEPTH = 30


class _Parser:
    """expr := term (± term)*; term := unary ((*|/|implied ·) unary)*; unary := −unary | power;
    power := primary (^ unary)?; primary := number | name | ∂name/∂name | ∂(expr)/∂name | f(expr) | (expr)."""

    def __init__(self, toks: list[_Tok], final: bool = True, first: bool = False):
        self.toks, self.i, self.notes, self.depth, self.final = toks, 0, [], 0, final  # final: the last side
        self.first = first  # the left side

    def peek(self, kind=None, value=None):
        if self.i >= len(self.toks):
            return None
        t = self.toks[self.i]
        if (kind and t.kind != kind) or (value and t.value != value):
            return None
        return t

    def take(self, kind, value=None) -> _Tok:
        t = self.peek(kind, value)
        if t is None:
            raise ParseError(f"expected {value or kind}")
        self.i += 1
        return t

    def parse(self):
        e = self.expr()
        if self.i != len(self.toks):
            raise ParseError("unexpected " + str(self.toks[self.i].value))
        return e

    def expr(self):
        e = self.term()
        while (t := self.peek("op")) and t.value in "+-":
            self.i += 1
            e = Op(t.value, e, self.term())
        return e

    def term(self):
        e = self.unary()
        while True:
            if (t := self.peek("op")) and t.value in "*/":
                self.i += 1
                e = Op(t.value, e, self.unary())
            elif self.peek("(") or self.peek("fn") or self.peek("d") or (self.peek("sym") and self._after_factor()):
                e = Op("*", e, self.unary())  # ½(t1 − a_o1)², a_o1(1 − a_o1), 2a_o1
            else:
                return e

    def _after_factor(self) -> bool:
        """A name may follow a number or a `)` with the · left out; or another name, a product as in
        mathematics (`h1 = w1 i1 + w2 i2`, `δ_o1 a_h1`) — but not as a side's last name before an `=`
        (`… w2*i2 h2 = w3*i1 …`: two equations a space apart, not w2·i2·h2) or before a word of prose
        (`… + w2*i2 h2 is the same`): there it may begin what follows, and is not read."""
        if self.toks[self.i - 1].kind in ("num", ")"):
            return True
        last = self.i + 1 == len(self.toks)  # a name that ends a side other than the last one is before an `=`
        return self.toks[self.i - 1].kind == "sym" and (not last or self.final or self._alike())

    def _alike(self) -> bool:
        """Whether a side's last name, after a name, is a factor all the same: its sum's terms are products
        of as many factors each with it (`w_1 x_1 + w_2 x_2 = 0.0275`, `δ_o1 w5 + δ_o2 w7 = …`; not `w1 i1 +
        w2 i2 h2 = …`, where h2 begins what follows); a lone product (`δ_o1 a_h1 = …`) not on the left side."""
        terms, depth = [[]], 0
        for k, t in enumerate(self.toks):
            depth += (t.kind == "(") - (t.kind == ")")
            if depth == 0 and t.kind == "op" and t.value in "+-" and k and self.toks[k - 1].kind in ("sym", "num", ")"):
                terms.append([])
            else:
                terms[-1].append(t)
        if len(terms) < 2 and self.first:
            return False
        return _factors(terms[0]) == _factors(terms[-1]) > 1

    def unary(self):
        # every nesting passes through here: (((…))), σ(σ(…)), − − …, a^b^c…
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError("nested too deeply")
        try:
            if (t := self.peek("op")) and t.value in "+-":
                self.i += 1
                arg = self.unary()
                return arg if t.value == "+" else Neg(arg)
            return self.power()
        finally:
            self.depth -= 1

    def power(self):
        base = self.primary()
        if self.peek("op", "^"):
            self.i += 1
            return Op("^", base, self.unary())
        return base

    def primary(self):
        t = self.peek()
        if t is None:
            raise ParseError("ends too soon")
        self.i += 1
        if t.kind == "num":
            return t.value
        if t.kind == "sym":
            of = names.of_grad(t.value)
            return Partial(t.value[1 : t.value.index("/")], of) if of else Sym(t.value)
        if t.kind == "gen":
            return Sym(t.value)
        if t.kind == "fn":
            self.take("(")
            arg = self.expr()
            self.take(")")
            if not t.value.endswith("'"):
                return Call(t.value, arg)
            if not isinstance(arg, Sym):  # σ'(h1): ∂σ(h1)/∂h1; σ'(w1·i1) would need the chain rule
                raise ParseError(f"{t.value} of an expression")
            return Deriv(Call(t.value[:-1], arg), arg.name)
        if t.kind == "(":
            e = self.expr()
            self.take(")")
            return e
        if t.kind == "d":
            return self.partial()
        raise ParseError(f"unexpected {t.value}")

    def name(self) -> str:
        t = self.peek("sym") or self.peek("gen")
        if t is None:
            raise ParseError("expected a name")
        self.i += 1
        return t.value

    def partial(self):
        start = self.i - 1
        if self.peek("op", "/") and self.i + 1 < len(self.toks) and self.toks[self.i + 1].kind == "d":
            self.i += 2  # ∂/∂o1 (−a_o1): the operator, before what it acts on
            by = self.name()
            of = self.term()  # all of the product after it: ∂/∂a_o1 ½(t1 − a_o1)²
            if names.of_grad(by) or by == names.ETA:
                raise ParseError("a partial by a partial")
            return Partial(of.name, by) if isinstance(of, Sym) and not names.of_grad(of.name) else Deriv(of, by)
        fn = self.peek("fn")
        called = self.i + 1 < len(self.toks) and self.toks[self.i + 1].kind == "("
        if fn and not fn.value.endswith("'") and not called:
            self.i += 1
            of = fn.value  # dσ/dx: σ's slope at x
        elif fn and not fn.value.endswith("'"):
            of = self.primary()  # ∂σ(o1)/∂o1
        elif self.peek("("):  # ∂(E1 + E2)/∂w5, δ(E_Total)/δw5
            self.i += 1
            of = self.expr()
            self.take(")")
        else:
            of = Sym(self.name())
        self.take("op", "/")
        lenient = not self.peek("d")  # δa_o1/o1: the denominator's mark left out; read as ∂a_o1/∂o1, and said
        if not lenient:
            self.i += 1
        activation = self.peek("fn") is not None and self.peek("fn").value == "σ"
        if activation:  # ∂E/∂σ(h1): by the activation of the net h1, a_h1
            self.i += 1
        paren = self.peek("(") is not None
        if paren:
            self.i += 1
        by = self.name()
        if paren:
            self.take(")")
        if activation:
            if not (paren and by in NET_OF.values()):
                raise ParseError("a partial by σ of no neuron's net")
            by = f"a_{by}"
        if lenient:
            self.notes.append((start, self.i))
        if names.of_grad(by) or by == names.ETA:
            raise ParseError("a partial by a partial")
        if isinstance(of, str):
            return Deriv(Call(of, Sym(by)), by)
        if isinstance(of, Sym) and not names.of_grad(of.name):
            return Partial(of.name, by)
        return Deriv(of, by)


def _factors(toks: list[_Tok]) -> int:
    """How many factors a product's tokens hold (∂E_total/∂o1 is one; a bracket one)."""
    n, depth = 0, 0
    for k, t in enumerate(toks):
        before = toks[k - 1] if k else None
        if depth == 0 and (
            t.kind == "("
            and not (before and before.kind in ("fn", "other"))
            or t.kind in ("sym", "num", "gen", "fn")
            and not (before and before.kind == "d")
            or t.kind == "d"
            and not (before and before.kind == "op" and before.value == "/")
        ):
            n += 1
        depth += (t.kind == "(") - (t.kind == ")")
    return n


# w1…w8 = 0.15…0.55, w1...w8, w1–w8, w1 to w8: a range of names (the same letters), perhaps given a
# range of numbers. Found before the line is tokenized, where – is still a dash and not a minus.
_RANGE = re.compile(r"(?<![\w.])([^\W\d]+)(\d+)\s*(,?\s*(?:…|\.{2,3})\s*,?|–|\bto\b)\s*\1(\d+)(?![\w.])")
_NUMBER = r"([-+]?(?:\d+\.\d*|\.\d+|\d+))"
_N = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)"
# (w1..w8) = (0.15, 0.2, …): as many numbers as the range has names, in brackets or not
_LISTED_NUMBERS = re.compile(rf"\s*[)\]]?\s*`?\s*=\s*[(\[]?\s*((?:{_N}\s*,\s*)+{_N})\s*[)\]]?(?!\w|\.\d)")


def _ranges(line: str) -> tuple[str, list[Equation | Skipped]]:
    """The line with its ranges of names blanked out, and what each range says: its first and last
    names are its first and last numbers (w1 = 0.15, w8 = 0.55); nothing is said of those between."""
    out = []
    for m in _RANGE.finditer(line):
        first, last = symbol(m[1] + m[2]), symbol(m[1] + m[4])
        if first is None or last is None:
            continue
        end = m.end()
        sep = re.escape(m[3].strip(" ,")) if m[3].strip(" ,") != "to" else r"\bto\b"
        said = re.compile(rf"\s*=\s*{_NUMBER}\s*,?\s*{sep}\s*,?\s*{_NUMBER}(?![\w.])").match(line, end)
        listed = _LISTED_NUMBERS.match(line, end)
        numbers = re.findall(_NUMBER, listed[1]) if listed else []
        every = [symbol(f"{m[1]}{k}") for k in range(int(m[2]), int(m[4]) + 1)]
        if said:
            end = said.end()
            text = line[m.start() : end].strip()
            out += [Equation([Sym(q), Num(float(x), x)], text) for q, x in ((first, said[1]), (last, said[2]))]
        elif listed and len(numbers) == len(every) and all(every):  # w1…w8 = 0.15, 0.2, …, 0.55: one each
            end = listed.end()
            text = line[m.start() : end].strip()
            out += [Equation([Sym(q), Num(float(x), x)], text) for q, x in zip(every, numbers)]
        elif re.compile(r"`?\s*=").match(line, end):  # w1…w8 = 0.15, 0.2, …: which number is whose is not said
            end = len(line)
            out.append(Skipped(line[m.start() :].strip(), "a range of names, not given a range of numbers"))
        line = line[: m.start()] + " " * (end - m.start()) + line[end:]
    return line, out


_NUMBERED = {
    "step",
    "iteration",
    "iter",
    "epoch",
    "round",
    "epochs",
    "steps",
    "iterations",
    "batch",
}  # a word that numbers what follows


_LOST_SQUARE = re.compile(r"\([^()]*\)[23](?=\s|$|[)\]=+\-*/,;|])")  # (t1-a_o1)2: ² lost in copying
_DERIVATIVE_OF = re.compile(r"(?i)(?:derivative|slope|differential)\s+of\s*(?:the\s+)?(?:function\s+)?$")


def find(line: str) -> list[Equation | Skipped]:
    """The equations of one line of text, and the runs with `=` it could not read (with why). A line
    that speaks of δ_o1 is read once for each thing a write-up may mean by it (Equation.readings)."""
    if not _DELTA.search(letters(line)) and not _DELTA.search(_own(letters(line))):
        return _find(line)
    variants = []
    for reading in range(len(spelling.delta_readings("o1"))):
        token = _DELTA_AS.set(reading)
        try:
            variants.append(_find(line))
        finally:
            _DELTA_AS.reset(token)
    first = variants[0]
    for k, f in enumerate(first):
        for other in variants[1:]:
            if isinstance(f, Equation) and k < len(other) and isinstance(other[k], Equation):
                f.readings.append(other[k].sides)
    return first


# `dE/dw5 [M] = …`: the sheet's column (or cell) a quantity is in, said beside its name
_COLUMN_SAID = re.compile(r"(?<=[\w)'′’])\s*\[[A-Z]{1,3}\d{0,6}\](?=\s*=)")


# `i1 = 0.05 / i2 = 0.1`: a slash between two equations parts them, as `or`; no division (0.05/i2 was read)
_SLASH_APART = re.compile(r"(=\s*-?\d*\.?\d+)(\s+/\s+)(?=[^\W\d][\w]*\s*=(?!=))")


# a weight at step k + 1 and k, `w_i^{(k+1)} = w_i^{(k)} − η ∂E/∂w_i^{(k)}`, `w^{(t+1)}`, `w^{t+1}`: the update rule's
# weight after the step and before it (w_new, w), of any weight (read as powers, the rule was skipped)
_STEP_K = re.compile(r"\b[wW](?:_[ijk])?\s*\^\s*\(\(?\s*([kt])\s*(\+\s*1)?\s*\)?\)")


def _stepped_k(line: str) -> str:
    if not _STEP_K.search(line):
        return line
    line = _STEP_K.sub(lambda m: "w_new" if m[2] else "w", line)
    return re.sub(r"\(\(∂\s*(\w+)\)\s*/\s*\(∂\s*w\)\)", r"∂\1/∂w", line)  # (LaTeX's \frac of it, by w^{(k)})


def _find(line: str) -> list[Equation | Skipped]:
    line = _stepped_k(line)
    line = _SLASH_APART.sub(lambda m: m[1] + " ;" + " " * (len(m[2]) - 2 if len(m[2]) >= 2 else 0), line)
    line = _COLUMN_SAID.sub(lambda m: " " * len(m[0]), line)
    line = tuples(_bracketed(_sums(_norms(_gives(objects(letters(apart(line))))))))
    line, out = _ranges(line)
    # emphasis marks become spaces, so the line keeps its length and an excerpt its place
    line = _EMPHASIS.sub(lambda m: " " * len(m[1]) + m[2] + " " * len(m[1]), line)
    text, origin = normalize(line)
    toks = tokens(text)
    lost = [f"{m[0]!r} read as {m[0][:-1]}^{m[0][-1]}: a superscript lost" for m in _LOST_SQUARE.finditer(line)]
    run: list[_Tok] = []
    for k, t in enumerate([*toks, None]):
        if t is not None and t.kind != "prose":
            run.append(t)
            continue
        if not run:
            continue
        at = _remark(run)  # E_total = 0.013537 (η = 0.8): the remark in parentheses is an equation of its own
        worded = t is not None and t.value[:1].isalpha()  # the run ends where a word of prose begins
        # `E₁ = ½ (y₁ − ŷ1)²`: a bracket opened on a name this reader does not know, an operator after it
        opened_on_math = run[-1].kind == "(" and k + 1 < len(toks) and toks[k + 1].kind == "op"
        for part, ended in ((run[:at], True), (run[at + 1 : -1], t is not None)) if at else ((run, t is not None),):
            found = _inside_notation(part, text, line, origin) or _equation(
                part, line, origin, ended_by_prose=ended and not opened_on_math, worded=worded and part is run
            )
            if isinstance(found, Equation):
                found.notes += lost
                if _DERIVATIVE_OF.search(text[: part[0].start]) and (x := free_variable(found.sides[0])):
                    found.sides[0] = Deriv(found.sides[0], x)  # derivative of σ(x) = σ(x)·(1 − σ(x))
            if found is not None:
                out.append(found)
        run = []
    return out


def _remark(run: list[_Tok]) -> int | None:
    """Where a run's last group opens when it is a remark with an `=` of its own, a space before it:
    `E_total = 0.013537 (η = 0.8)`, `w5 = 0.393560 (w5 = w5 − η·∂E/∂w5)`; else None."""
    if len(run) < 4 or run[-1].kind != ")" or not any(t.kind == "=" for t in run):
        return None
    depth = 0
    for k in range(len(run) - 1, -1, -1):
        depth += (run[k].kind == ")") - (run[k].kind == "(")
        if depth == 0:
            inner = run[k + 1 : -1]
            spaced = k > 0 and run[k - 1].end < run[k].start and run[k - 1].kind in ("num", "sym", ")")
            has_eq = any(t.kind == "=" for t in inner) and any(t.kind == "=" for t in run[:k])
            return k if spaced and has_eq and inner[0].kind != "(" else None
    return None


# Marks of notation this reader does not read: a run of tokens that touches one (`∂_{o1}E` read from
# its `E` on, `W₂ − η ∇W₂` up to its `∇`, `E = ½ ‖t − a_o‖²` up to its `‖`) is a piece of an equation,
# not one: judged, it would be blamed for what it leaves out
_GLUED = set("{}_^\\")  # LaTeX's braces, scripts and commands, when nothing parts them from the run
# operators of vectors and matrices, sums, roots: near the run at all; and a LaTeX macro this reader does
# not know, marked by latex.UNKNOWN on each side of its name
_UNREAD = set("∇⊙⊗∘‖ᵀΣ∑∏∫√∈\ue017")


def _inside_notation(run: list[_Tok], text: str, line: str, origin: list[int]) -> Skipped | None:
    if not any(t.kind == "=" for t in run):
        return None
    start, end = run[0].start, run[-1].end
    before, after = text[:start].rstrip(), text[end:].lstrip()
    touching = [text[start - 1 : start], text[end : end + 1]]
    near = [before[-1:], after[:1], "[[" if before.endswith("[[") or after.startswith("[[") else ""]
    mark = next((c for c in touching if c in _GLUED and c), None) or next((c for c in near if c in _UNREAD and c), None)
    if mark is None and re.search(r"[^\W\d]\w*ᵀ$", before) or after.startswith("ᵀ"):
        mark = "ᵀ"
    if mark is None and "[[" in near:
        mark = "[["
    glued = re.search(r"[^\s;|]*[\w'′’]$", text[:start])
    indexed = text[start : start + 1] == "["  # out[o1], in[h1]: a word indexed by what follows, the file's notation
    if mark is None and glued and (indexed or not re.fullmatch(r"[^\W\d_]{3,}", glued[0])):
        # E'(w5) = …, g(w5) = …: notation this reader does not know glued to the run's first symbol — the
        # left side is (w5), read without what it is of (a word, `Error(E2) = …`, names what follows)
        return Skipped(_source(line, origin, run), f"its left side is read only in part ({glued[0]!r} glued to it)")
    product = re.search(r"\S*[_^\\{}]\S*[\w)\]}'′’]$", before) if before != text[:start] else None
    # δ^([2])_2 w_8 = 0.028: the run's first name is a factor of a product begun in notation not read;
    # y_1 − t_1 = 0.596: a run that begins at + or − after a name it does not know (y_1, the file's own
    # name for a_o1) goes on from it (read as −t1 = 0.596, and blamed)
    spaced = before != text[:start]
    minus = spaced and run[0].kind == "op" and run[0].value in "+-"
    begun = product if run[0].kind in ("sym", "num") else None
    begun = begun or (re.search(r"[^\W\d]\w*_\w+$|(?<!\w)[^\W\d_]\d*$", before) if minus else None)
    if mark is None and begun:
        return Skipped(_source(line, origin, run), f"its left side is read only in part ({begun[0]!r} before it)")
    trailing = re.match(r"\s?([^\W\d_]\w?['′’]+|[^\W\d_]{1,2})\(", text[end:])
    if mark is None and trailing and run[-1].kind in ("sym", "num", ")"):
        # w ← w − η E'(w): the last side goes on in notation not read (E'(w) dropped, it would be judged w − η)
        return Skipped(_source(line, origin, run), f"its right side is read only in part ({trailing[1]!r} after it)")
    factor = re.match(r"\s?([^\W\d_](?:_\{?\w+\}?|\d+))\s*=", text[end:])
    if mark is None and factor and run[-1].kind in ("sym", ")"):
        # `∂E/∂w_1 = δ^{[1]}_1 x_1 = 0.0001883` in a file whose x_1 is no name this reader knows: a factor
        # of the last side (read as ∂E/∂w_1 = ∂E/∂h1, and blamed for the input it left out)
        return Skipped(_source(line, origin, run), f"its right side is read only in part ({factor[1]!r} after it)")
    if mark is None:
        return None
    if mark == "\ue017":  # latex.UNKNOWN
        macro = re.search("\ue017(\\w*)\ue017", text)
        said = f"\\{macro[1]}" if macro else "a macro"
        return Skipped(_source(line, origin, run), f"it uses {said}, a LaTeX macro this reader does not know")
    return Skipped(_source(line, origin, run), f"it is part of notation this reader does not read ({mark!r} beside it)")


# Σ_{k=1}^{2} ½(t_k − a_ok)², Σ ½(target − output)² (Mazur's): a sum over the outputs, its index (or
# the words target and output) in the names of the summand; what follows up to `=`, `,`, `;` or a + or −
# outside brackets is the summand
_SUM = re.compile(
    r"[Σ∑]\s*\*?\s*(?:_\s*[({]?\s*([a-z])\s*(?:=\s*1\s*)?[)}]?)?\s*(?:\^\s*[({]?\s*(\d)\s*[)}]?)?\s*\*?\s*"
)
_MAZUR = {"target": "t{}", "targets": "t{}", "output": "a_o{}", "outputs": "a_o{}", "out": "a_o{}"}
_MAZUR |= {"actual": "a_o{}", "predicted": "a_o{}", "prediction": "a_o{}"}


def _sums(line: str) -> str:
    """The line with each sum over the outputs written out: Σ_k ½(t_k − a_ok)² is
    (½(t1 − a_o1)² + ½(t2 − a_o2)²); a sum whose summand names nothing by its index is left as it is."""
    for m in reversed(list(_SUM.finditer(line))):
        end, depth = m.end(), 0
        while end < len(line):
            c = line[end]
            depth += (c in "([{") - (c in ")]}")
            if depth < 0 or depth == 0 and (c in "=;," or c in "+-−" and line[m.end() : end].strip()):
                break
            end += 1
        summand = line[m.end() : end].rstrip()
        n = int(m[2]) if m[2] else 2
        terms = [_term(summand, m[1], j) for j in range(1, n + 1)]
        if summand and n > 1 and all(terms) and len(set(terms)) == n:
            line = line[: m.start()] + "(" + " + ".join(terms) + ")" + line[m.start() + len(m[0]) + len(summand) :]
    return line


_NORM = re.compile(r"‖([^‖]+)‖\s*(?:²|\^\s*\(?\s*2\s*\)?)")


def _norms(line: str) -> str:
    """`‖t − a_o‖²`, a vector's squared length: (t1 − a_o1)² + (t2 − a_o2)², each vector named by the
    names of its elements (t: t1, t2; a_o: a_o1, a_o2); one this reader cannot name so is left as it is."""

    def squares(m):
        terms = []
        for k in (1, 2):
            known, named = True, False

            def element(w, k=k):
                nonlocal known, named
                if symbol(w[0]) is not None or not w[0][0].isalpha():
                    return w[0]
                known, named = known and symbol(f"{w[0]}{k}") is not None, True
                return f"{w[0]}{k}"

            term = re.sub(r"[^\W\d][\w']*", element, m[1])
            if not (known and named):  # ‖w‖²: no vector named by its elements
                return m[0]
            terms.append(f"({term.strip()})^2")
        return "(" + " + ".join(terms) + ")"

    return _NORM.sub(squares, line) if "‖" in line else line


def _term(summand: str, index: str | None, j: int) -> str | None:
    """The summand with its index j: t_k → t1, out_ok → out_o1, a_{o_k} → a_o_1, target → t1."""
    changed = False

    def word(m):
        nonlocal changed
        w = m[0]
        if w.lower() in _MAZUR:
            changed = True
            return _MAZUR[w.lower()].format(j)
        for k in [index] if index else "kij":
            if (cut := re.fullmatch(rf"(.*[_oh]){k}", w)) and symbol(cut[1] + str(j)) and not symbol(w):
                changed = True
                return cut[1] + str(j)
        return w

    out = re.sub(r"[^\W\d][\w']*", word, summand)
    return out if changed else None


_NAME = r"[^\W\d][\w']*"
# not after ∂ or /: `w = w − η ∂L/∂w_k, η = 0.5` ends a partial at its comma, no tuple `w_k, η = …`
# (a name with a layer's superscript too: `a^((1))_1, a^((1))_2 = a_h1, a_h2`, as LaTeX's a^{(1)}_1 is read)
_LAYERED_NAME = rf"{_NAME}(?:\^(?:\(\([^()]*\)\)|\([^()]*\)|\[[^\]]*\]))?(?:_\w+)?"
# (or a local partial: `∂o_1 / ∂w_5, ∂o_1 / ∂w_6 = a_h_1, a_h_2`, a table's row of two)
_TUPLE_NAME = rf"(?:[∂d]\s*{_LAYERED_NAME}\s*/\s*[∂d]\s*{_LAYERED_NAME}|{_LAYERED_NAME})"
_TUPLE = re.compile(rf"(?<![\w,=(∂/])({_TUPLE_NAME}(?:\s*,\s*{_TUPLE_NAME})+)\s*(?::=|≔|←|=)(?!=)")
_AFTER_OPERATOR = re.compile(r"[-+*/^·×⋅−–]\s*$")  # what ends before a tuple: it would be a factor of a product


_BRACKETED = re.compile(rf"\(\s*({_NAME}(?:\s*,\s*{_NAME})+)\s*\)\s*=\s*\(([^()]*)\)")


_GIVES = re.compile(r"\s*(?<![<=!])==?>\s*")


# a neuron as an object, as code names one: hidden1.net, h1.in, output2.out, o1.output, hidden_1.z; a
# weight's gradient as PyTorch prints it, w5.grad = tensor(0.0722), tensor(-0.0425, grad_fn=<…>)
_OBJECT = re.compile(
    r"(?i)\b(hidden|hid|h|output|out|o)_?(\d)\.(?:(net|in|input|z|sum|total|pre)|(out|output|a|act|activation|value|val|y))\b"
)
_TENSOR = re.compile(r"\btensor\(\s*(-?\d*\.?\d+(?:e-?\d+)?)\s*(?:,\s*(?:grad_fn|requires_grad|dtype)=[^)]*)?\)")


def objects(line: str) -> str:
    """`hidden1.out = sigmoid(hidden1.net)` as `a_h1 = sigmoid(h1)`; `w5.grad = tensor(0.0722)` as
    `∂E_total/∂w5 = 0.0722` (a weight's .grad is the gradient of the loss backward() was called on)."""
    if "." not in line:
        return line

    def neuron(m):
        n = ("h" if m[1].lower().startswith("h") else "o") + m[2]
        return n if m[3] else f"a_{n}"

    line = _OBJECT.sub(neuron, line)
    line = re.sub(r"(?i)\b([wb]\d+)\.grad\b", r"∂E_total/∂\1", line)
    return _TENSOR.sub(r"\1", line)


def _gives(line: str) -> str:
    """`h1 = w1*i1 + w2*i2  =>  0.15*0.05 + 0.2*0.1  =>  0.0275`: what `=>` leads to is the value it
    gives, one more side of the equation; a piece with an `=` of its own is another equation."""
    pieces = _GIVES.split(line)
    if len(pieces) == 1:
        return line
    out = pieces[0]
    for piece in pieces[1:]:
        out += " ; " + piece if "=" in piece or "=" not in out else " = " + piece
    return out


def _bracketed(line: str) -> str:
    """`(i1, i2) = (0.05, 0.1)`: a tuple in brackets, pair by pair, when its sides pair up."""

    def pairs(m):
        lefts, rights = [x.strip() for x in m[1].split(",")], [x.strip() for x in m[2].split(",")]
        if len(lefts) != len(rights) or not all(symbol(x) for x in lefts) or not all(rights):
            return m[0]
        return " ; ".join(f"{a} = {b}" for a, b in zip(lefts, rights)) + " ; "

    return _BRACKETED.sub(pairs, line)


_MATHY_WORDS = re.compile(r"(?i)^\s*(?:sigmoid|sigma|exp|log|ln|relu|tanh)\s*\(")  # sigmoid(net h1): a call


def tuples(line: str) -> str:
    """`out_o1, out_o2 = σ(o1), σ(o2)`: a tuple of assignments, read pair by pair
    (`out_o1 = σ(o1) ; out_o2 = σ(o2)`); one whose sides do not pair up is left unread. A tuple begins
    where an equation may: not after an operator (`h1 = w1*i1 + w2*i2, h2 = …` ends one equation at
    the comma and begins the next; `i2, h2` is no tuple)."""
    # (nor after `=`: `aₕ₁ = a_h1, aₒ₁ = a_o1, Eₜ = E_total` lists equations; read as the tuple `a_h1, aₒ₁ = a_o1,
    # Eₜ`, a notation line was blamed twice)
    m = next(
        (m for m in _TUPLE.finditer(line) if not _AFTER_OPERATOR.search(line, 0, m.start())
         and not re.search(r"=\s*$", line[: m.start()])
         # (a tuple of partials begins the line or a cell: `w ← w − η ∂E/∂w_i, η = 0.5` is none)
         and not ("/" in m[1] and not re.search(r"(?:^|[|;:])\s*$", line[: m.start()]))),
        None,
    )  # fmt: skip
    if m is None:
        return line
    lefts = [x.strip() for x in m[1].split(",")]
    if columns := _columns(line[m.start() :], len(lefts)):
        # `X, Y = A, B = 0.5069, 0.5106`: each side a tuple as long, read column by column (its middle pair
        # read as one, `Y = A`, blamed a right row)
        return line[: m.start()] + " ; ".join(" = ".join(col) for col in columns)
    # (or names of the file's own, which its notation may read: `dw5, dw6 = d_o1 * a_h1, d_o1 * a_h2`, the
    # layer's a^((1))_1; read as they came, `dw6 = d_o1 * a_h1` was blamed for the tuple's middle)
    if not all(symbol(x) or x.lower() in ETA_WORDS or re.search(r"[\d_^]", x) for x in lefts):
        return line
    parts, depth, start = [], 0, m.end()
    for k in range(m.end(), len(line) + 1):
        c = line[k] if k < len(line) else ","
        depth += (c in "([{") - (c in ")]}")
        if c == "," and depth == 0:
            parts.append(line[start:k].strip())
            start = k + 1
            if len(parts) == len(lefts):
                break
    if len(parts) != len(lefts) or not all(parts):
        return line[: m.start()] + " ; " * 2
    said = [re.sub(r"\([^()]*\)", "", p) for p in parts]  # (the error at each output): a remark
    if any(re.search(r"[^\W\d_]{3,}\s+[^\W\d_]{3,}", p) and not _MATHY_WORDS.search(p) for p in said):
        # `ah1, ah2 = hidden activations (after sigmoid), ao1, ao2 = …`: names said in words, no tuple
        return line[: m.start()] + " ; " * 2
    pairs = " ; ".join(f"{a} = {b}" for a, b in zip(lefts, parts))
    # (and a tuple after it: `z^((2))_1, z^((2))_2 = o1, o2, and a^((2))_1, a^((2))_2 = a_o1, a_o2`)
    return line[: m.start()] + pairs + " ; " + tuples(line[start:])


def _columns(text: str, n: int) -> list[tuple[str, ...]] | None:
    """The columns of `X, Y = A, B = u, v` (three sides or more, each of n parts at the top level), or None."""
    text = text.split(";")[0]
    if re.search(r"\d,\d", text):
        return None  # `i1, i2 — входы, i1 = 0,05`: decimal commas, no tuple's
    sides, parts, depth, start = [], [], 0, 0
    for k, c in enumerate(text + "="):
        depth += (c in "([{") - (c in ")]}")
        if depth < 0:
            return None  # `def train(eta, n_iter, i1=0.05, i2=0.1):`: inside a call's brackets, no tuple
        if depth == 0 and c == ",":
            parts.append(text[start:k].strip())
            start = k + 1
        elif depth == 0 and c == "=" and text[k - 1 : k] not in ("<", ">", "!", "=") and text[k + 1 : k + 2] != "=":
            parts.append(text[start:k].strip())
            sides.append(parts)
            parts, start = [], k + 1
    if len(sides) < 3 or any(len(side) != n or not all(side) for side in sides):
        return None
    return list(zip(*sides))


def _source(line, origin, toks) -> str:
    return line[origin[toks[0].start] : origin[toks[-1].end - 1] + 1].replace("`", "").strip()


def _closes(run: list[_Tok]) -> bool:
    """Whether the run's first `(` is closed by its last `)`."""
    depth = 0
    for t in run[:-1]:
        depth += (t.kind == "(") - (t.kind == ")")
        if depth == 0:
            return False
    return True


def _matched(line: str, at: int, step: int) -> bool:
    """Whether the bracket at line[at] is matched on the line (step +1: a `(` closed after it; −1: a `)`
    opened before it)."""
    depth, k = 0, at
    while 0 <= k < len(line):
        depth += (line[k] == "(") - (line[k] == ")")
        if depth == 0:
            return True
        k += step
    return False


def _generic(letters: list[str]) -> str:
    return f"{', '.join(letters)}: generic symbol{'s' * (len(letters) > 1)}, not one of the network's quantities"


def _equation(run: list[_Tok], line: str, origin: list[int], ended_by_prose: bool, worded: bool = False):
    if not any(t.kind == "=" for t in run) or all(t.kind in ("=", "op") for t in run):
        return None  # no equation, or a rule of ====
    if len(run) > MAX_TOKENS:
        return Skipped(_source(line, origin, run[:8]) + " …", f"too long to be one equation ({len(run)} symbols)")
    while len(run) > 2 and run[0].kind == "(" and run[-1].kind == ")" and _closes(run):
        run = run[1:-1]  # (LR = 1/LR = 2): an equation in parentheses
    # a parenthesis left open where prose begins: a remark, "o1 = a_h1*w5 (w6 assumed constant …)"
    opened = []
    for n, t in enumerate(run):
        if t.kind == "(":
            opened.append(n)
        elif t.kind == ")" and opened:
            opened.pop()
    # (t1 = t2 = 0.5; η = 0.8): a parenthesis around a list of equations, closed on the same line after
    # a `;` or `,`; one closed nowhere on the line is a factor that goes on elsewhere (`* (δσ(o1)/δo1 = …`
    # with `* (1 − a_o1))` on the next line): the run stays unbalanced
    if len(opened) == 1 and opened[0] == 0 and _matched(line, origin[run[0].start], +1):
        run, opened = run[1:], []
    if run and run[-1].kind == ")" and sum(t.kind == "(" for t in run) < sum(t.kind == ")" for t in run):
        if _matched(line, origin[run[-1].end - 1], -1):
            run = run[:-1]  # … η = 0.8): the list's parenthesis closing
    if opened:
        n = opened[0]
        # not where the bracket's text ends on an operator: `E1 = ½ (t1 − s_o1)²` goes on in a name this
        # reader does not know (s_o1), and `E1 = ½` would be judged for what it leaves out
        if ended_by_prose and n > 0 and run[n - 1].end < run[n].start and run[-1].kind not in ("op", "=", "d", "fn"):
            run, worded = run[:n], False  # what ends it is the remark's bracket, not a word
        else:
            return Skipped(_source(line, origin, run), "unbalanced parentheses")
    if not run or not any(t.kind == "=" for t in run):
        return None
    text = _source(line, origin, run)
    if other := [t.value for t in run if t.kind == "other"]:  # f(x) = 1/(1 + exp(−x)), ReLU(x) = max(0, x)
        does = "defines" if run[0].kind == "other" else "uses"
        return Skipped(text, f"it {does} {other[0]}, which is none of the network's functions (σ, exp, ln)")
    for a, b in zip(run, run[1:]):  # h1[2]: sample 2's h1, never h1·2
        if a.kind == "sym" and b.value == "[" and a.end == b.start:
            return Skipped(text, "it names one sample's quantities (h1[2]), and the seeds' network has one sample")
    if run[-1].kind in ("op", "=", "d", "fn"):
        return Skipped(text, "it goes on in prose" if ended_by_prose else "it is unfinished")
    if run[0].kind in ("=", ")") or (run[0].kind == "op" and run[0].value not in "+-"):
        return Skipped(text, "it begins in prose")
    if (
        run[0].kind == "num"
        and len(run) > 1
        and run[1].kind == "="
        and re.search(r"[^\W\d_]\s*$", line[: origin[run[0].start]])
    ):
        # `E_total on row 2 = 0.0141`: a number after a word (row 2, step 3) is the sentence's, not a side
        return Skipped(text, "it begins in prose")
    sides, current, depth = [], [], 0
    for t in run:
        depth += (t.kind == "(") - (t.kind == ")")
        if t.kind == "=" and depth == 0:
            sides.append(current)
            current = []
        else:
            current.append(t)
    sides.append(current)
    if any(not s for s in sides):
        return Skipped(text, "a side is empty")
    generic = list(dict.fromkeys(t.value for t in run if t.kind == "gen"))
    trees, notes = [], []
    for k, s in enumerate(sides):
        parser = _Parser(s, final=k == len(sides) - 1 and not worded, first=k == 0)
        try:
            trees.append(parser.parse())
        except ParseError as e:
            return Skipped(text, _generic(generic) if generic else f"cannot read {_source(line, origin, s)!r} ({e})")
        for first, last in parser.notes:
            notes.append(
                f"{_source(line, origin, s[first:last])!r} leaves out the ∂ of its denominator: read as a partial"
            )
    x = free_variable(trees[0])
    if x in generic:  # σ(x) = 1/(1 + exp(−x)), σ'(z) = …: a definition, true at every x
        trees = [rename(t, {x: FREE}) for t in trees]
        generic.remove(x)
    if generic:
        return Skipped(text, _generic(generic))
    for t in run:
        source = line[origin[t.start] : origin[t.end - 1] + 1]
        if t.kind == "sym" and (w := spelling.typo(source)):
            notes.append(w)
    return Equation(trees, text, list(dict.fromkeys(notes)))
