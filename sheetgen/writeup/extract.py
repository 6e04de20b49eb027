"""A write-up's lines → the equations to judge, by line: each line's equations (equations.py), read
further for what only a write-up says — a loss's trajectory (`E_total 0.01418 → 0.01410`), a line of
the second iteration, an update rule (`w5 = 0.4 − 0.5·0.0128808` is w5 after the step), given values
in a Markdown table or list — and the learning rates the file speaks of. What is nothing to check
(`LR = 0.1`, `a_o1 = t1`) is said to be skipped."""

import re
from dataclasses import replace

from sheetgen.model import names, spelling
from sheetgen.model.spelling import NEW
from sheetgen.writeup import equations as eq
from sheetgen.writeup import latex, tables, vectors
from sheetgen.writeup.equations import Deriv, Equation, Num, Op, Partial, Skipped, Sym
from sheetgen.writeup.points import AT2, LAST_ITERATION, at, iteration_of
from sheetgen.writeup.read import MAX_LINE

ASSIGNMENT = (0.1, 0.2, 0.5, 0.8, 1.0, 2.0)  # the learning rates the course asks for (as check.ASSIGNMENT)


def equations(
    lines: list[str], skipped: list, warnings: list, source: list[str] | None = None
) -> list[tuple[int, Equation]]:
    """(line, Equation) of every equation to judge, update rules read as such; what is not one is
    appended to `skipped` (line, text, why), and what the reading noticed (a_01 for a_o1) to `warnings`.
    The file's own names for the outputs (y1 = σ(o1)) are read as the outputs, and its own notation as it
    defines it."""
    token = eq.ALIASES.set(eq.aliases(lines))
    own = eq.NOTATION.set(eq.notation(lines))  # its functions (A[x], g(w)), h1⁺, layers z^{[1]}_1
    try:
        defined = definitions(lines)  # its own names defined by equations: ε₁ := …, u₁₂ = w2, ∇ₖ := ∂E/∂wₖ
        if defined:
            eq.NOTATION.set(replace(eq.NOTATION.get(), macros=defined))
        return _equations(lines, skipped, warnings, source or lines)
    finally:
        eq.NOTATION.reset(own)
        eq.ALIASES.reset(token)


# -- the file's own names, defined by an equation --------------------------------------------------------
# `ε₁ := (y_o₁ − t₁)·y_o₁·(1 − y_o₁)`, `dw5 = (a_o1 − t1)·a_o1·(1 − a_o1)·a_h1`, `u₁₂ = w2`, `∇ₖ := ∂E/∂wₖ
# (k = 1 … 8)`: a name no quantity has (a short prefix and a number, or an index letter), set equal to an
# expression of quantities the reader knows
# (`g_h_1 = ∇_{a_h1}L · a_h1(1 − a_h1)`, a prefix of a letter and a layer's: g_h, by its neuron's number)
_DEFINED = re.compile(
    r"(?<![\w∂/'′])((?:∇|[^\W\d_]){1,5}?|[^\W\d_δ∂dDΔ]_[ho]|[^\W\d_δ∂Δ]{1,3}_[^\W\d_]{1,4})_?\{?(\d{1,2}|[ijkn])\}?"
    r"\s*(?::=|≔|≡|=(?!=))\s*"
)
_INDEX_LETTERS = str.maketrans("ₖⱼₙ₀₁₂₃₄₅₆₇₈₉", "kjn0123456789")
_DEFINITION_POINTS = 3
_SAME = 1e-6


def _definition_text(rest: str) -> str:
    """The expression a definition's `=` is followed by: up to the next `=`, `≈`, `,` or `;` outside brackets,
    three spaces, prose after two, or a remark on its index (`(k = 1 … 8)`)."""
    depth = 0
    for k, c in enumerate(rest):
        if c in "([{":
            if depth == 0 and re.match(r"\(\s*[ijkn]\s*=", rest[k:]):
                return rest[:k].strip()
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return rest[:k].strip()
        elif depth == 0 and (c in "=,;←≈" or rest[k : k + 3] == "   " or _PROSE_AFTER.match(rest, k)):
            return rest[:k].strip()
    return rest.strip().rstrip(".")


# `ε_j = ∂E/∂ĥ_j · ĥ_j(1 − ĥ_j)  and the weight gradient is …`: inline math ends where two words of prose begin
_PROSE_AFTER = re.compile(r"\s{2}(?:and|where|with|then|so|which|is|for|the)\s+[^\W\d]{2,}")


def _indexed_at(text: str, index: str, d: int) -> str:
    """A definition's text with its index letter at d: `½(tk − ak+2)²` at 1 is ½(t1 − a3)² (its index
    reckoned, not a1 + 2: E1 was read as ½(t1 − a_h1 + 2)² and E_total = E1 + E2 blamed)."""
    text = re.sub(
        rf"(?<=[^\W\d_])_?\{{?{index}\s*([+-])\s*(\d)\}}?(?![\d.])",
        lambda m: str(d + int(m[2]) if m[1] == "+" else d - int(m[2])),
        text,
    )
    return re.sub(rf"(?<=[^\W\d]){index}(?![\w])", str(d), text)  # (h_hat_j too)


def _known_words(text: str, macros: dict[str, str]) -> bool:
    """Whether every word of an expression names a quantity (or a function, or a name defined above)."""
    text = eq.own_names(text)  # (`a^{[2]}_1`, `o_1'`: a_o1, where the file's notation says so)
    text = re.sub(r"(?:∂|\bd)[^\W\d][\w']*\s*/\s*(?:∂|d)[^\W\d][\w']*", " E_total ", text)  # a partial: read whole
    words = [w for w in re.findall(r"(?:∇|[^\W\d])[\w']*", text) if w[0].isalpha() or w[0] == "∇"]  # not ½, ²
    # (σ' a function too: `δ_1 = (ô_1 − t_1) σ'(o_1)`)
    own = (eq.NOTATION.get() or eq.Notation()).functions  # (and the file's own: `s(z1)`, its glossary's sigmoid)
    known = [w for w in words if eq.symbol(w) or w.rstrip("'′").lower() in eq.FUNCTIONS or eq.macro_key(w) in macros
             or w in own]  # fmt: skip
    return bool(words) and len(known) == len(words) and any(eq.symbol(w) or eq.macro_key(w) in macros for w in words)


def _read(text: str, macros: dict[str, str]):
    """The expression's tree, read as the rest of the file is (the names defined above included); None if
    it is no single expression."""
    token = eq.NOTATION.set(replace(eq.NOTATION.get() or eq.Notation(), macros=dict(macros)))
    try:
        found = eq.find(f"E_total = {text}")
    finally:
        eq.NOTATION.reset(token)
    if len(found) != 1 or not isinstance(found[0], Equation) or len(found[0].sides) != 2:
        return None
    if found[0].sides[0] != Sym(names.E_TOTAL) or found[0].text.split() != f"E_total = {text}".split():
        return None  # a piece of it only
    return found[0].sides[1]


def definitions(lines: list[str]) -> dict[str, str]:
    """The file's own names defined by an equation, each read as what it is: a quantity's name where its
    definition is that quantity at random points and the name carries its number (`ε₁ := (y_o₁ − t₁)·
    y_o₁·(1 − y_o₁)` is ∂E_total/∂o1, `ΔH1` ∂E_total/∂h1), a quantity renamed (`u₁₂ = w2`), and else its
    expression. Names of one prefix of which at least three are the same quantity of their number
    (dw1, dw2, dw4 … ∂E_total/∂w1, …) make the prefix a notation: every dwk is ∂E_total/∂wk, also one
    whose definition says otherwise (that definition is then judged, and wrong). A name defined two
    ways that differ is no one's."""
    from sheetgen.model import spec
    from sheetgen.writeup.points import random_points

    points = random_points(spec.load("era"), _DEFINITION_POINTS)
    quantities = [dict(p.quantities()) for p in points]
    neurons = _glossary(lines) | _numbered_neurons(lines)
    macros, said = _numbered_definitions(lines, neurons, points, quantities)
    bare = _bare(lines, macros, points, quantities)
    if bare.keys() - macros.keys():  # `δ1 = ∂L/∂h1·h1(1 − h1)` under `L = ½(t1 − ŷ1)² + …`: read again, L known
        macros, said = _numbered_definitions(lines, neurons | bare, points, quantities)
        bare = _bare(lines, macros, points, quantities)
    return _families(macros | bare, said, points)


# -- a glossary's table: `| n1, n2 | net input of hidden neuron 1 / 2 | h1, h2 |`, `| g1…g8 | … | ∂E_total/∂w1 … |`
_SHORT = re.compile(r"[^\W\d_]{1,3}_?\d")
_SPAN = re.compile(r"([^\W\d_]{1,3}_?)(\d)\s*(?:…|\.\.\.?|–|-|to)\s*(?:\1)?(\d)")


def _glossary(lines: list[str]) -> dict[str, str]:
    """The short names a glossary's table gives the course's quantities, a row each: its cell of the file's
    names (`n1, n2`, `g1…g8`) beside a cell of the course's (`h1, h2`, `∂E_total/∂w1 …`), as many of each
    (a range read by its first name's number); a name the course has for something else is left alone."""
    out: dict[str, str] = {}
    rows = [[c.strip().strip("`*") for c in line.strip().strip("|").split("|")] for line in lines
            if line.strip().startswith("|") and line.count("|") >= 3]  # fmt: skip
    for _ in range(2):  # (again with the names read: `| k1, k2 | hidden delta (∂E/∂n1, ∂E/∂n2) | – |`, n1 h1)
        for cells in rows:
            for i, short in enumerate(cells):
                for j, cell in enumerate(cells):
                    said = re.findall(r"\(([^()]*)\)\s*$", cell)  # (or what its words say in brackets)
                    for course in [cell, *said] if i != j else []:
                        if all(_SHORT.fullmatch(x.strip()) for x in course.split(",")) and course not in said:
                            continue  # (names beside names, `| dw1 | … | dw8 |`: the file's own, no meaning)
                        out |= _glossed(short, _spelled(course, out))
    return out


def _spelled(text: str, own: dict[str, str]) -> str:
    """The text with the file's own names read (∂E/∂n1 → ∂E/∂h1)."""
    return re.sub(r"(?<![\w])([^\W\d_]{1,3}_?\d)(?![\w])", lambda m: own.get(m[1], m[1]), text) if own else text


def _glossed(short: str, course: str) -> dict[str, str]:
    if m := _SPAN.fullmatch(short):  # g1…g8 beside ∂E_total/∂w1 …: the course's name by the same number
        first = re.split(r"\s*(?:…|\.\.\.?|,)\s*", course)[0].strip()
        if eq.symbol(first) is None or m[2] not in first:
            return {}
        at = first.rfind(m[2])
        names_ = {
            f"{m[1]}{k}": eq.symbol(first[:at] + str(k) + first[at + 1 :]) for k in range(int(m[2]), int(m[3]) + 1)
        }
        return names_ if all(names_.values()) and all(_free(n, q) for n, q in names_.items()) else {}
    mine = [x.strip() for x in short.split(",")]
    theirs = [eq.symbol(x.strip()) for x in course.split(",")]
    if len(mine) != len(theirs) or not all(_SHORT.fullmatch(x) for x in mine) or not all(theirs):
        return {}
    pairs = dict(zip(mine, theirs))
    return pairs if all(_free(n, q) for n, q in pairs.items()) and len(set(pairs.values())) == len(pairs) else {}


def _free(name: str, q: str) -> bool:
    """Whether the file may give a name this meaning: one the course has for nothing, or for it already."""
    return eq.symbol(name) in (None, q) or re.fullmatch(r"b\d", name) is not None  # (the course's net has no biases)


# -- neurons numbered, not named: `z3 = w1·a1 + w2·a2`, `z5 = w5·a3 + w6·a4` (Andrew Ng's lectures: neurons 1
# to 6, the inputs' a1 = i1), or 1 to 4 (`z3 = w5*a1 + w6*a2`, a1 the first hidden output) --------------------
_NUMBERED = r"([^\W\d_]{1,4}(?:_[^\W\d_]{1,3})?)_?\{?(\d)\}?"  # (and the course's a_h1, out_h1)
_FACTOR_OF = {1: "i1", 2: "i2", 3: "i1", 4: "i2", 5: "a_h1", 6: "a_h2", 7: "a_h1", 8: "a_h2"}
_SUM_OF_TWO = re.compile(rf"(?<![\w∂/']){_NUMBERED}\s*=\s*([^=;,]+)")
_TERM = re.compile(rf"^\s*(?:[wW]_?\{{?(\d)\}}?\s*[*·×]?\s*{_NUMBERED}|{_NUMBERED}\s*[*·×]?\s*[wW]_?\{{?(\d)\}}?)\s*$")
_MIN_NETS = 3  # nets of the four read so, all agreeing, before a file's numbers are taken for its neurons'


def _numbered_neurons(lines: list[str]) -> dict[str, str]:
    """The file's numbered names read as the neurons they are, by the weights its nets sum (`z3 = w1·a1 +
    w2·a2` is h1, a1 and a2 the inputs; `z5 = w5·a3 + w6·a4` o1, a3 and a4 a_h1 and a_h2): the net's
    prefix and number, the activation's, δ's (∂E_total/∂ of the net), the target's (y5, t5: t1) and the
    loss's (E5: E1) — where at least three nets say so and no number is two neurons; else nothing."""
    own = eq.ALIASES.get() or {}
    token = eq.ALIASES.set({})  # names the course has, not those the file's own aliases give (z3: h1 there)
    try:
        if any(eq.symbol(name) == name for name in own):
            return {}  # `h1 = σ(z1)`: the file renames the course's own names, which its aliases read
        return _neurons_by_their_nets(lines)  # (y5 its target t1 here, where the aliases' letter made it t5)
    finally:
        eq.ALIASES.reset(token)


def _neurons_by_their_nets(lines: list[str]) -> dict[str, str]:
    neuron: dict[int, set[str]] = {}  # the file's number -> the course's neurons it is said to be
    direct: dict[str, set[str]] = {}  # a name no quantity has -> what its sums say it is (x1: i1, z_h1: h1)
    nets, acts = set(), set()  # the prefixes of the nets, of the activations
    found = set()  # the nets read so
    factors: list[tuple[str, int, str]] = []  # (prefix, number, the course's neuron) of the factors no name has
    for line in lines:
        plain = eq._own(eq.letters(eq.apart(line)).replace("`", "")).translate(eq.SUBSCRIPTS)
        for m in _SUM_OF_TWO.finditer(plain):
            terms = m[3].strip().rstrip(".").split("+")
            read = [_TERM.match(t) for t in terms] if len(terms) == 2 else []
            if not read or not all(read):
                continue
            pairs = [(int(t[1] or t[6]), t[2] or t[4], t[3] or t[5]) for t in read]  # (weight, prefix, number)
            net = eq.NET_OF.get(tuple(sorted(str(w) for w, _, _ in pairs)))  # (which weights make which net)
            if net is None or (said := eq.symbol(m[1] + m[2])) not in (None, net):
                continue
            found.add(net)
            if said is None:
                nets.add(m[1])
                neuron.setdefault(int(m[2]), set()).add(net)
                direct.setdefault(m[1] + m[2], set()).add(net)
            for w, prefix, number in pairs:
                # (a name the course reads as a loss, `w1*e1 + w2*e2` with e for Eingabe, is a factor here)
                if eq.symbol(prefix + number) in (None, "E1", "E2"):
                    direct.setdefault(prefix + number, set()).add(_FACTOR_OF[w])
                    if said is None:
                        factors.append((prefix, int(number), _FACTOR_OF[w].removeprefix("a_")))
    # the inputs numbered with the neurons only where one prefix names them and the hidden outputs (a1 = i1,
    # a3 = a_h1); `x1` beside `a1` (= a_h1) numbers the inputs apart
    hidden = {prefix for prefix, _, q in factors if q.startswith("h")}
    for prefix, k, q in factors:
        if q.startswith("h") or not hidden or prefix in hidden:
            acts.add(prefix)
            neuron.setdefault(k, set()).add(q)
    if len(found) < _MIN_NETS or any(len(v) != 1 for v in direct.values()):
        return {}
    out = {name: next(iter(q)) for name, q in direct.items()}  # `z_h1 = w1·x1 + w2·x2`: z_h1 h1, x1 i1
    if len(set(out.values())) != len(out):
        return {}  # two names of one quantity in the sums: no notation this reader is sure of
    # neurons numbered through the layers (z3, a3; z5, a5: one prefix of nets, one of activations), whose
    # numbers name the δ's, targets and losses too (δ5, y5, E5)
    if len(nets) != 1 or len(acts) != 1 or any(len(v) != 1 for v in neuron.values()):
        return out
    numbered = {k: next(iter(v)) for k, v in neuron.items()}
    if len(set(numbered.values())) != len(numbered) or nets & acts:
        return out
    (net,), (act,) = nets, acts
    delta = any(re.search(r"(?i)\bdelta\b|δ", line) for line in lines)
    for k, q in numbered.items():
        if q.startswith("i"):
            out[f"{act}{k}"] = q
            continue
        out[f"{net}{k}"], out[f"{act}{k}"] = q, f"a_{q}"
        signal = f"∂E_total/∂{q}"  # δ5 = ∂E/∂z5; d5 too where the file speaks of δ or delta
        out |= {f"δ{k}": signal, f"delta{k}": signal} | ({f"d{k}": signal} if delta else {})
        if q.startswith("o"):  # its target and loss (not y5 where y is the file's letter for the outputs)
            out |= {f"{t}{k}": f"t{q[1]}" for t in ("y", "t") if t not in (net, act)} | {f"E{k}": f"E{q[1]}"}
    return {name: q for name, q in out.items() if eq.symbol(name) in (None, q, "E1", "E2") or name[0] in "tE"}


def _numbered_definitions(lines: list[str], known: dict[str, str], points, quantities) -> tuple[dict, dict]:
    """definitions' names with a number (ε₁, u₁₂, ∇ₖ), each read with `known` and those defined above:
    (name -> its reading, name -> [(values, reading)] of each definition read)."""
    from sheetgen.writeup.points import Skip, value

    macros: dict[str, str] = dict(known)
    said: dict[str, list] = {}  # name -> [(values, reading)] of each definition read
    for line in lines:
        # (a tuple's pairs each its own: `dw5, dw6 = d_o1 * a_h1, d_o1 * a_h2` defines dw6 as d_o1 * a_h2)
        plain = eq.tuples(eq.letters(eq.apart(line)).replace("`", "")).translate(_INDEX_LETTERS)
        for m in _DEFINED.finditer(plain):
            prefix, index = m[1], m[2]
            # (a name the course reads another way, e1 as E1, that the file defines as another quantity
            # of its number, `e1 = y_o1 − T1` (∂E_total/∂a_o1), is the file's; as a slip of E1 it is not)
            aliased = eq.symbol(prefix + index)
            if aliased is None and "_" in prefix and isinstance(_read(prefix + index, {}), Sym | Partial):
                continue  # `g_w5`, which the course's notation reads (∂E_total/∂w5): no name of the file's
            if (
                aliased is not None
                and (aliased == prefix + index or not index.isdigit() or aliased not in ("E1", "E2"))
                or prefix.lower() in eq.ETA_WORDS
                or prefix.lower() in eq.FUNCTIONS
            ):
                continue
            text = _definition_text(plain[m.end() :])
            if index.isdigit():
                readings = [(prefix + index, text)]
            else:  # ∇ₖ := ∂E/∂wₖ: one name for each number the index takes
                if not re.search(rf"(?<=[^\W\d]){index}(?![\w])", text):
                    continue
                readings = [(prefix + str(d), _indexed_at(text, index, d)) for d in range(1, 9)]
            for name, expr in readings:
                if name in known or not _known_words(expr, macros):  # (a3 = σ(z3): a3 is a_h1 already)
                    continue
                tree = _read(expr, macros)
                if tree is None:
                    continue
                try:
                    values = [value(tree, p) for p in points]
                except Skip:
                    continue
                if any(v != v for v in values):
                    continue
                reading = _reading(name, expr, tree, values, quantities, macros)
                if aliased is not None and (reading.startswith("(") or reading in (aliased, names.E_TOTAL)):
                    continue  # `e1 = ½(t1 − a_o1)`: E1's definition (a slip of it, or right), judged as such
                said.setdefault(name, []).append((values, reading))
                if all(_close(v, values) for v, _ in said[name]):
                    macros[name] = said[name][0][1]
                else:
                    macros.pop(name, None)  # two meanings: no one's
    return macros, said


# `ε = ε₁ + ε₂`, `L := ½(t1 − a_o1)² + ½(t2 − a_o2)²`: a name of one letter (Greek, or a Latin capital) that
# no quantity has, set equal to the total loss
# (or a word for the loss: `Cost = E1 + E2 = 0.0057 + 0.0085`, `Total loss = ½(t1 − a_o1)² + …`)
_BARE = re.compile(
    r"(?<![\w∂/'′\\])([α-ωΑ-ΩA-Z]|(?:[Tt]otal\s+)?(?:[Ll]oss|[Cc]ost|[Ee]rror)(?:\s+total)?)(?![\w'′])"
    r"\s*(?::=|≔|≡|=(?!=))\s*"
)


def _bare(lines: list[str], macros: dict[str, str], points, quantities) -> dict[str, str]:
    """The names of one letter the file defines as E_total, the only quantity without a number: each of
    its definitions read, all of them E_total at the random points; one also set to anything else (a
    expression not read, a number of a power of ten: `ε = 1e-8`) is no one's; a decimal is its value."""
    from sheetgen.writeup.points import Skip, value

    total = [q[names.E_TOTAL] for q in quantities]
    found: dict[str, bool] = {}
    for line in lines:
        plain = eq.letters(eq.apart(line)).replace("`", "").translate(eq.SUBSCRIPTS)
        for m in _BARE.finditer(plain):
            name = m[1]
            if eq.symbol(name) is not None or name.lower() in eq.ETA_WORDS or name.lower() in eq.FUNCTIONS:
                continue
            text = _definition_text(plain[m.end() :])
            if re.match(r"\d*\.\d+(?![\d.eE])(?!\s*[-+−*/^·×])", text) or re.fullmatch(r"[\d.\s+−*/·×()-]+", text):
                continue  # `ε = 0.01418`, `L = 0.0126 (first was 0.0142)`, `L = 0.005017 + 0.007578`: its value
            tree = _read(text, macros) if _known_words(text, macros) else None
            try:
                same = tree is not None and _close([value(tree, p) for p in points], total)
            except Skip:
                same = False
            found[name] = found.get(name, True) and same
    return {name: names.E_TOTAL for name, same in found.items() if same}


def _close(a: list[float], b: list[float]) -> bool:
    return all(abs(x - y) <= _SAME * max(1.0, abs(x), abs(y)) for x, y in zip(a, b, strict=True))


def _reading(name: str, expr: str, tree, values, quantities, macros) -> str:
    """What a defined name is read as: the quantity its one name is (u₁₂ = w2), the quantity of its
    number its expression equals at the points, or its expression in brackets."""
    if isinstance(tree, Sym | Partial) and re.fullmatch(r"\S+", expr.strip()):
        return eq.unaliased(tree.name)
    number = re.search(r"\d+$", name)[0]
    for q in quantities[0]:
        if re.findall(r"\d+", q) == [number] and _close([qs[q] for qs in quantities], values):
            return eq.unaliased(q)
    token = eq.NOTATION.set(replace(eq.NOTATION.get() or eq.Notation(), macros=dict(macros)))
    try:
        return f"({eq._own(expr)})"
    finally:
        eq.NOTATION.reset(token)


def _families(macros: dict[str, str], said: dict[str, list], points) -> dict[str, str]:
    by_prefix: dict[str, list[str]] = {}
    for name in said:
        if m := re.fullmatch(r"(\D+)(\d)", name):
            by_prefix.setdefault(m[1], []).append(name)
    for prefix, members in by_prefix.items():
        shapes = set()
        matched = 0
        for name in members:
            q = macros.get(name)
            if q is None or q.startswith("("):
                continue
            shapes.add(re.sub(r"\d", "{}", q) if len(re.findall(r"\d", q)) == 1 else q)
            matched += 1
        if matched < 3 or len(shapes) != 1 or "{}" not in (shape := next(iter(shapes))):
            continue
        for d in range(1, 10):
            q = shape.format(d)
            if q in dict(points[0].quantities()):
                macros[f"{prefix}{d}"] = q
    return _families_by_neuron(macros, said, points)


def _families_by_neuron(macros: dict[str, str], said: dict[str, list], points) -> dict[str, str]:
    """Names of one prefix and a neuron (s_o1, s_o2, s_h1 = a(1 − a) of each): three of them the same quantity
    of their neuron at the random points make the prefix a notation, so s_h2 is ∂a_h2/∂h2 even where its
    definition says otherwise (`s_h2 = y_h2·(1 + y_h2)`: that definition is then judged, and wrong)."""
    by_prefix: dict[str, list[tuple[str, str]]] = {}
    for name in said:
        if m := re.fullmatch(r"(\D+?)_?([ho]\d)", name):
            by_prefix.setdefault(m[1], []).append((name, m[2]))
    quantities = [dict(p.quantities()) for p in points]
    for qs in quantities:  # and each neuron's local slope, which a notation of one prefix names as often
        qs |= {f"∂a_{x}/∂{x}": qs[f"a_{x}"] * (1 - qs[f"a_{x}"]) for x in ("h1", "h2", "o1", "o2")}
    for prefix, members in by_prefix.items():
        shapes: dict[str, int] = {}
        for name, neuron in members:
            values = said[name][0][0]
            for q in quantities[0]:
                own = neuron in q and len(re.findall(r"\d", q)) == q.count(neuron)
                if own and _close([x[q] for x in quantities], values):
                    shapes[q.replace(neuron, "{}")] = shapes.get(q.replace(neuron, "{}"), 0) + 1
        if len(shapes) != 1 or max(shapes.values()) < 3:
            continue
        shape = next(iter(shapes))
        for neuron in ("h1", "h2", "o1", "o2"):
            if (q := shape.replace("{}", neuron)) in quantities[0]:
                name = next((n for n, k in members if k == neuron), f"{prefix}_{neuron}")
                macros[name] = q
    return macros


# a line that goes on the line above's product or sum: `         * a_o1 * (1 - a_o1)` (no `=` of its own)
_OPERATOR_FIRST = re.compile(r"^(?:\s*[*·×/](?=\s|\()|\s{2,}[-+−](?=\s|\())")
_COMMENT = re.compile(r"\s+#\s.*$")  # `  # the first factor`: a code comment


_FINISHED = re.compile(r"=\s*[-+−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$")  # an equation that ends on its value


# a plain-text fraction over three lines, its bar a run of dashes: `dE_total` / `--------` / `dw5`
_BAR = re.compile(r"-{3,}")
_BAR_LINE = re.compile(r"^\s*-{3,}(?:\s+[=*+×·−]\s+-{3,})+\s*(?:=.*)?$")  # (not a table's `---+---` rule)


def stacked(lines: list[str]) -> list[str]:
    """Fractions written over three lines of plain text, as a keyboard draws them (numerators, a bar line
    of dashes and operators, denominators), read as one line, `dE_total/dw5 = dE_total/da_o1 * da_o1/do1 *
    do1/dw5`, said on the numerators' line (the two below it latex.CONTINUED): a bar's numerator and
    denominator are the words above and below it."""
    out = list(lines)
    for n in range(1, len(out) - 1):
        bar = out[n]
        if not _BAR_LINE.match(bar) or "|" in bar or not out[n - 1].strip() or not out[n + 1].strip():
            continue
        above, below = out[n - 1], out[n + 1]
        runs = list(_BAR.finditer(bar))
        parts, end, ok = [], 0, True
        for m in runs:
            op = bar[end : m.start()].strip()
            num, den = _over(above, m.start(), m.end()), _over(below, m.start(), m.end())
            if not num or not den or "=" in num + den:
                ok = False
                break
            parts += [op] if op else []
            parts.append(f"{num}/{den}" if " " not in num + den else f"({num})/({den})")
            end = m.end()
        if not ok:
            continue
        out[n - 1] = " ".join(parts) + " " + bar[end:].strip()
        out[n], out[n + 1] = latex.CONTINUED, latex.CONTINUED
    return out


def _over(line: str, start: int, end: int) -> str:
    """The words of a line above or below a bar from start to end: those that overlap it."""
    return " ".join(m[0] for m in re.finditer(r"\S+", line) if m.start() < end and m.end() > start)


def joined(lines: list[str]) -> list[str]:
    """The lines with each one that begins with an operator, and says no `=` of its own, joined to the
    equation above it (said on its first line; latex.CONTINUED where it was): `∂E/∂w5 = (a_o1 − t1)`
    then `        * a_o1·(1 − a_o1) * a_h1` is one equation, not a wrong ∂E/∂w5 and a stray product."""
    out = list(lines)
    for n in range(1, len(out)):
        above = next((k for k in range(n - 1, -1, -1) if out[k] != latex.CONTINUED), None)
        if above is None or not _OPERATOR_FIRST.match(out[n]) or "=" not in out[above]:
            continue
        if out[above].lstrip().startswith("|") or out[n].lstrip().startswith("|"):
            continue  # a table's rows
        if out[n].lstrip().startswith(("* ", "- ", "+ ")) and _FINISHED.search(_COMMENT.sub("", out[above])):
            continue  # `* ∂a_o1/∂o_1 = … = 0.23866` under `* ∂E/∂a_o1 = … = 0.10648`: a list's next item
        term = out[n].split("=")[0]
        if "=" in out[n] and re.fullmatch(r"\s*[-+−*]\s+[^\s(]\S*\s*", term):
            continue  # `   - h2 = w3*i1 + w4*i2` under `   - h1 = …`: a list's next item, its own equation
        if "=" in out[n] and (
            term.count("(") != term.count(")") or _FINISHED.search(_COMMENT.sub("", out[above]))
        ):  # `* (δσ(o1)/δo1 = … = a_o1` goes on the product above, but says more: the
            out[above] = _COMMENT.sub("", out[above]) + " *"  # equation above is unfinished, not judged
            continue
        # (`dE/dout_h2 = (out_o1 - t1)·…·w6` over `+ (out_o2 - t2)·…·w8 = 0.028155`: the sum's second term and
        # its value, one equation; read alone, the term was blamed for the sum's value)
        words = re.findall(r"[^\W\d][\w']*", _COMMENT.sub("", eq.objects(out[n])))  # output2.out: a_o2
        if not all(eq.symbol(w) or w.lower() in eq.FUNCTIONS for w in words):
            continue  # `* a note`: a list's item in a text file, not a factor
        out[above] = _COMMENT.sub("", out[above]) + " " + _COMMENT.sub("", out[n]).strip()
        out[n] = latex.CONTINUED
    return out


def _equations(lines: list[str], skipped: list, warnings: list, source: list[str]) -> list[tuple[int, Equation]]:
    out = []
    tabled = tables.statements(lines)
    vectored = vectors.statements(lines)  # a_h = … = [0.506875, 0.510623]ᵀ
    heads: list[tuple[int, object]] = []  # the left sides of the equations above, the nearest last
    last = None  # (line, its last side) of the equation above
    section = 1  # the iteration the lines under a heading `Iteration 2` speak of
    headed = False  # whether a heading said it
    begun = None  # the nearest line above with an `=` of its own (not one that goes on), read or not
    introduced = None  # the iterations (beyond the second) a line ending in `:` says the lines under it are of
    introduced_at = -2
    introduced_loss = False  # whether that line names the loss (`Loss after 50 steps:`)
    labelled = False  # whether it is a label with no colon (`Update (weights for iteration 3)`): not a table's
    rated = None  # the one η a line ending in `:` names (`For the screenshot above I used $\eta = 1$:`)
    rated_at = -2
    headed_rate = None  # the one η the heading above names (`## Step 4 — weight update (tab "lr 0.5")`)
    for n, line in enumerate(_from_zero(lines), 1):
        written = source[n - 1] if n <= len(source) else ""  # the line as the file writes it
        if len(line) > MAX_LINE:
            skipped.append((n, line[:60], f"a line of {len(line):,} characters: data, not equations"))
            continue
        section = _section(line) or section
        if _section(line):
            headed = True
        if written.lstrip().startswith("#"):  # a heading: the η it names, if one
            rates = set(rates_said(line))
            headed_rate = rates.pop() if len(rates) == 1 else None
        # `Depois de 100 iterações:`, a blank line, its list, and the blank line that ends it; a display
        # block's `$$` and `\begin{aligned}` (read as blank) do not end it
        if not line.strip() and not _DELIMITER.match(written):
            introduced = None if n > introduced_at + 1 else introduced
            rated = None if n > rated_at + 1 else rated
        above = lines[n - 2] if n >= 2 else ""  # a sentence of the line above that goes on on this one
        carried = "" if re.search(r"[.:!?]\s*$|^\s*$", above) else re.split(r"[.!?]\s", above)[-1]
        found = []  # (the text it is read in, the equation)
        for piece in _by_iteration(line):  # `E at iteration 2 = 0.2149; at iteration 3 = 0.1899`: each its own
            if _GOES_ON.match(piece):
                here_found = [_continued(piece, n, heads, last, begun)]
            else:  # no `=`, no equation: not tokenized
                here_found = eq.find(piece) if _MAY_EQUATE.search(piece) else []
                heads += [(n, f.sides[0]) for f in here_found if isinstance(f, Equation)]
                begun = n if "=" in piece else begun
            quoted_here = {x.text for f in here_found if isinstance(f, Equation) for side in f.sides
                           for x in eq.walk(side) if isinstance(x, Num)}  # fmt: skip
            for f in [*_worked_in_words(piece), *_named_in_words(piece)]:  # (values in words the `=`s did not quote)
                if not {x.text for x in eq.walk(f.sides[-1]) if isinstance(x, Num)} & quoted_here:
                    here_found.append(f)
            if here_found and isinstance(here_found[-1], Equation):
                last = (n, here_found[-1].sides[-1])
            found += [(piece, f) for f in map(_at_iteration_2(piece), here_found)]
        tabled_here = tabled.get(n, [])  # a table's columns say their iterations; a colon's line may too
        placed = _trajectory(line)  # at the iterations they say: not moved by what the line says
        quoted = {x.text for _, f in found if isinstance(f, Equation) for side in f.sides for x in eq.walk(side)
                  if isinstance(x, Num)} | {x.text for f in [*placed, *tabled_here] for x in eq.walk(f.sides[-1])
                  if isinstance(f, Equation) and isinstance(x, Num)}  # fmt: skip
        placed += [f for f in _losses_in_words(line, carried) if f.sides[-1].text not in quoted]
        placed += [f for f in _losses_indexed(line) if f.sides[-1].text not in quoted]
        found += [(line, f) for f in [*placed, *tabled_here, *vectored.get(n, [])]]
        found += [(line, f) for f in _losses_by_rate(line, introduced if introduced_loss else None)]
        for text, f in found:
            # `the loss at iteration 3 is …` under `Iteration 2`; the lines a sentence ending in `:` introduces
            steps = _steps_before(text, f.text)  # `E_total after 100 iterations is 0.0295`: the 101st's or 100th's
            if steps is None and not _said_iteration(text):  # (or a sentence the line above begins: `…, after
                steps = _after_steps(carried)  # 1000 updates it is at` / `$E_{tot} = 0.000244$ while …`)
            iterations = [steps + 1, steps] if steps else None
            # `Iteration 3`: the third, or the second counted from 0 (`Iteration 0` the start), right as either
            over = None if labelled and any(f is x for x in tabled_here) else introduced
            # `At iteration 3 …`, whatever is above it; not a remark after a number (`E_tot = E1 + E2 = 0.235495
            # (iteration 1 was 0.242520, …)` under `iteration 2`: the remark's number is another's)
            k = _said_iteration(_REMARK_AFTER.sub(" ", text))
            own = [k, k - 1] if k else None
            iterations = iterations or own or over or [section, section - 1]
            if any(f is x for x in placed):
                iterations = [1]
            iterations = [k for k in iterations if k >= 1]
            here = iterations[0]
            said = headed or bool(_said_iteration(text) or _AT_1.search(text) or _AT_2.search(text))
            in_line = bool(_said_iteration(text) == 1 or _AT_1.search(text)), bool(_AT_2.search(text))
            first_said = in_line == (True, False) or not any(in_line) and headed and section == 1
            if isinstance(f, Skipped):
                skipped.append((n, f.text, f.reason))
                continue
            if isinstance(f := _indexed(f), Skipped):
                skipped.append((n, f.text, f.reason))
                continue
            warnings += [(n, note) for note in f.notes]
            f.iteration_said = said
            f.first_said = first_said
            if _generic(f.sides[0]):  # `w ← w − 0.8 ∂L/∂w`: the rule, its η written as a number
                f.sides = [_rate_as_eta(side) for side in f.sides]
            f.sides, f.update = as_update(f.sides), as_update(f.sides) != f.sides
            # the steps in numbers under it at its η (not a rule's `w ← w − ∂E/∂w`: said of η = 1 only)
            stepped = f.update and any(step(side, unwritten=True) for side in f.sides[1:])
            if stepped and f.eta is None and (rated or headed_rate) is not None:
                f.eta = rated if rated is not None else headed_rate
            f.readings = [as_update(r) for r in f.readings]
            why = _not_an_identity(f.sides, text)
            if (
                not why
                and _quotes(f.sides)
                and (row := _ROW.search(text))
                and not _AT_1.search(text)
                and not (_AT_2.search(text) or _said_iteration(text))
            ):
                said_row = f"row {row[1]}" if row[1] else f"the {row[2]} row"
                why = f"a number of {said_row} of the sheet: which iteration it is the line does not say"
            later = any(isinstance(x, Sym) and iteration_of(x.name) > 1 for s in f.sides for x in eq.walk(s))
            if not why and here > 1 and _quotes(f.sides) and not (here > 2 and later):  # a table's, said already
                if here > 2 and (
                    here > LAST_ITERATION or any(isinstance(x, Deriv) for s in f.sides for x in eq.walk(s))
                ):
                    where = "under its heading" if here == section else "the line says so"
                    why = f"a number of iteration {here}, {where}: not judged"
                elif here > 2:  # a later iteration's numbers (the nth or the n+1th, after n steps), judged there
                    f.readings = [[_at(side, k) for side in f.sides] for k in iterations[1:] if k > 1]
                    f.sides = [_at(side, here) for side in f.sides]
                    rates = set(rates_said(text if steps or _said_iteration(text) else line))
                    if f.eta is None and isinstance(x := f.sides[-1], Num) and x.text in (paired := _paired(line)):
                        f.eta = paired[x.text]  # `rate 0.1 gives L = 0.07929, 0.2 gives L = 0.03811, …`
                    f.eta = f.eta if f.eta is not None else _clause_rate(f.text, line, carried)
                    f.eta = rates.pop() if len(rates) == 1 and f.eta is None else f.eta  # `lr 0.5 : E_tot = …`
                elif not later and not any(isinstance(x, Deriv) for side in f.sides for x in eq.walk(side)):
                    f.readings = [f.sides, *f.readings]  # the first iteration's, if right there
                    stepped = isinstance(f.sides[0], Sym) and f.sides[0].name.startswith(NEW)  # w1' = w1 − η·…
                    news = [
                        x for side in f.sides for x in eq.walk(side) if isinstance(x, Sym) and x.name.startswith(NEW)
                    ]
                    if not stepped and news:
                        # `h1 = w1'·i1 + w2'·i2` under `Iteración 2`: the weights after the step, which the
                        # second iteration uses (new w1 of the first), not those after a second step
                        f.readings.append([_at_2(side, keep_new=True) for side in f.sides])
                    f.sides = [_at_2(side) for side in f.sides]
            elif not why and here == 1 and _second_pass(f):
                # `h1 = w_new(1)*i1 + w_new(2)*i2` (a second forward pass, no heading says so): the second
                # iteration's h1, which the weights after the step make
                f.readings.append([_at_2(side, keep_new=True) for side in f.sides])
            if why:
                skipped.append((n, f.text, why))
            else:
                out.append((n, f))
        underlined = n < len(source) and _UNDERLINE.fullmatch(source[n]) is not None  # a text file's heading
        colon, label = line.rstrip().endswith(":"), _label(line, written, underlined)
        # (or a sentence that leads into what follows, `For $\eta = 0.5$ the first update gives`, as a colon does)
        leads = colon or bool(_LEADS.search(line)) and not eq.find(_RATE_SET.sub("", line))
        if leads and len(said_rates := set(rates_said(line))) == 1:
            rated, rated_at = said_rates.pop(), n
        said_ = _said_iteration(line) or (2 if (colon or label) and _AT_2.search(line) else None)  # `iter 2  lr=0.2`
        if (colon or label) and (said_ or _after_steps(line)):
            labelled = not colon
            # `Error after 30 iterations for each learning rate:`, then its lines, to a blank one
            # (`after 30 iterations (row 34 = iteration 30)`: the 31st or the 30th, either right)
            steps_ = _after_steps(line)
            introduced = list(
                dict.fromkeys([*([steps_ + 1, steps_] if steps_ else []), *([said_, said_ - 1] if said_ else [])])
            )
            introduced_at = n
            introduced_loss = bool(_LOSS_SAID.search(line))
    return out


# a line that only labels the lines under it, in few words and no `=` but its η (`Update (weights for
# iteration 3)`, a log's `iter 2  lr=0.2`): what it says of the iteration is theirs, as a colon would say
_RATE_SET = re.compile(r"(?i)\b(?:lr|η|eta|alpha|α|learning[ _]rate)\s*[=:]\s*\d*[.,]?\d+")


# `Error after 200 iterations for each lr` over `-----`: a heading, in a text file (or Markdown's setext)
_LEADS = re.compile(r"(?i)\b(?:gives?|is|are|becomes?|yields?|get|reads?|results?\s+in|as\s+follows)\s*$")
_UNDERLINE = re.compile(r"\s*(?:-{3,}|={3,})\s*")


def _label(line: str, written: str, underlined: bool = False) -> bool:
    text = _RATE_SET.sub(" ", line).strip()
    return (
        bool(text)
        and not written.lstrip().startswith("#")  # a heading is a section's (_section), not a label
        and "=" not in text
        and not re.search(r"[.!?]$|\d[.,]\d", text)
        and (underlined or len(re.findall(r"\w+", text)) <= 6)
    )


_REMARK_AFTER = re.compile(r"(?<=\d)\s*\([^()]*\)")  # `= 0.235495 (iteration 1 was 0.242520)`
_DELIMITER = re.compile(r"\s*(?:\$\$|\\\[|\\\]|\\begin\{|\\end\{)")  # a display block's lines of no math of their own


# the word for an iteration in the languages students write in (Iteración 2, Itération 2, Iteração 2,
# 迭代 2), and the ordinals before it (segunda iteración, zweite Iteration, deuxième itération)
_ITERATION_WORD = (r"(?:iteration|iter|epoch|iteraci[oó]n|itera[çc][aã]o|it[ée]ration|iterazione|iteratie|iteracja"
              r"|iterasi|итерация|[ée]poque|[ée]poca|epoche|durchlauf|迭代|反復)")  # fmt: skip
_ORDINAL = {"first": 1, "1st": 1, "initial": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "fifth": 5,
            "primera": 1, "primer": 1, "primeira": 1, "erste": 1, "première": 1, "premiere": 1, "prima": 1,
            "segunda": 2, "zweite": 2, "deuxième": 2, "deuxieme": 2, "seconde": 2, "seconda": 2,
            "tercera": 3, "terceira": 3, "dritte": 3, "troisième": 3, "troisieme": 3, "terza": 3}  # fmt: skip
_ORDINALS = "|".join(sorted((w for w in _ORDINAL if not w[0].isdigit()), key=len, reverse=True))
_HEADING = re.compile(
    r"(?i)^[\W_]*(?:\d{1,2}[.)]\s+"  # `## 5. Iteration 2`: a numbered section's heading
    r"|(?:(?:step|part|section|paso|parte|passo|[ée]tape|schritt|teil|шаг|часть)\s*)?\d{1,2}\s*[·:|–—-]\s*)?"
    rf"(?:{_ITERATION_WORD}\s*(?:#|no\.?|n[º°o]\.?)?\s*(\d+)|({_ORDINALS}|\d+(?:th|st|nd|rd))\s+{_ITERATION_WORD})"
    r"(?![\w.])[^=]{0,50}$"
)


def _section(line: str) -> int | None:
    """The iteration a heading-like line (`## Iteration 2`, `ITERATION 2:`, `Second iteration`) says the
    lines under it are of, or None: what they quote is of that iteration until another such line."""
    m = _HEADING.match(re.sub(r"\([^()]*\)", "", line).strip())
    if m is None:
        return None
    if m[1]:
        return max(1, int(m[1]))
    word = m[2].lower()
    return _ORDINAL.get(word) or int(re.sub(r"\D", "", word) or 1)


# `iteration 3`, `it. 3`, and a log's `it=3`, `epoch: 3`
_SAID_ITERATION = re.compile(
    rf"(?i)(?<![\w.])(?:{_ITERATION_WORD}|it\.|it(?=\s*=))\s*(?:#|no\.?|n[º°o]\.?|=|:)?\s*(\d+)(?![\w.,]\d|\w)"
)
# a log's line, `step 3  err.total=0.1932  out1.out=0.5654`: its step, the iteration its numbers are of (a
# heading's `Step 3: the gradients` is no iteration: a colon, no `name=number` after it)
_LOG_STEP = re.compile(r"(?i)^\s*step\s*#?\s*(\d+)(?=\s+[^\s:=]+\s*=\s*-?\d)")
_THIRD_ON = re.compile(
    rf"(?i)(?<!\w)(third|3rd|fourth|4th|fifth|5th|\d+th|tercera|terceira|dritte|troisi[èe]me|terza)\s+{_ITERATION_WORD}(?!\w)"
)


# `row 50: E_total = 0.0125`, `the third row then has E_total = 0.2205` (the second row's number is the
# second iteration's: other_iteration says so)
_ROW = re.compile(r"(?i)\brow\s*#?\s*(\d+)\b(?!\s*[=:]\s*iteration)|\b(third|fourth|fifth|\d+(?:rd|th))\s+row\b")
# a log's lines numbered by the updates done so far (`iter    0 | E_total=1.418e-02`, the start): each is
# the iteration one past its number
_LOG_LINE = re.compile(r"(?i)^(\s*(?:iter(?:ation)?|epoch|step)\s*[#:=]?\s*)(\d+)(?=\b)")


def _from_zero(lines: list[str]) -> list[str]:
    """The lines with each run of a log's lines that begins at 0 renumbered from 1, as iterations."""
    out = list(lines)
    n = 0
    while n < len(out):
        if (m := _LOG_LINE.match(out[n])) and int(m[2]) == 0:
            k = n
            while k < len(out) and (m := _LOG_LINE.match(out[k])):
                out[k] = f"{m[1]}{int(m[2]) + 1}{out[k][m.end() :]}"
                k += 1
            n = k
        else:
            n += 1
    return out


def _by_iteration(line: str) -> list[str]:
    """A line cut where it names another iteration than before (`Erro total na iteração 2: E = 0,2149; na
    iteração 3: E = 0,1899`), each piece read as a line of its own: what follows a mention is of that
    iteration. A line naming one iteration, or none, is one piece."""
    at = [(m.start(), int(m[1])) for m in _SAID_ITERATION.finditer(line)]
    if len({k for _, k in at}) < 2:
        return _by_sentence(line)
    cuts = [0] + [start for (start, k), (_, before) in zip(at[1:], at) if k != before]
    return [line[i:j] for i, j in zip(cuts, [*cuts[1:], len(line)])]


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z¿¡])")  # (not a decimal's point: `0.23132. After` ends one)


def _by_sentence(line: str) -> list[str]:
    """A line cut at its sentences where they say different iterations (`Second iteration (from the sheet):
    E = 0.23132. After 100 iterations E = 0.01639.`: the second number is no second iteration's); a
    sentence that says none goes with the one before it. One piece where they say one, or none."""
    sentences = _SENTENCE_END.split(line)
    if len(sentences) < 2:
        return [line]
    pieces: list[tuple[object, str]] = []  # (what the piece says of its iteration, its text)
    for k, sentence in enumerate(sentences):
        text = sentence if k == len(sentences) - 1 else sentence + " "
        # "after 2 updates" is the third iteration's, "iteration 2" the second's: each kind its own key
        steps = _after_steps(sentence)
        at = None if steps else (_said_iteration(sentence) or (2 if _AT_2.search(sentence) else None))
        said = ("after", steps) if steps else ("at", at) if at else None
        if pieces and (said is None or said == pieces[-1][0]):
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + text)
        else:
            pieces.append((said, text))
    if len({said for said, _ in pieces if said is not None}) < 2:
        return [line]
    return [text for _, text in pieces]


def iteration_said(line: str) -> bool:
    """Whether a line says which iteration it speaks of (`row 50 (iteration 1): …`, `at the second epoch`)."""
    return bool(_said_iteration(line) or _AT_1.search(line) or _AT_2.search(line))


def _said_iteration(line: str) -> int | None:
    """The iteration a line says it speaks of when it names one only, beyond the second
    (`the loss at iteration 3 is …`, a log's `iter  25  E=3.2e-03`: not judged, whatever heading it is
    under), or the first (`at iteration 1, …` under `Iteration 2` is the first's); else None (the second
    is _at_iteration_2's)."""
    said = {int(m[1]) for m in _SAID_ITERATION.finditer(line)} | {int(m[1]) for m in _LOG_STEP.finditer(line)}
    said |= {_ORDINAL.get(m[1].lower()) or int(re.sub(r"\D", "", m[1])) for m in _THIRD_ON.finditer(line)}
    if len(said) != 1:
        return None
    n = said.pop()
    return n if n == 1 or n > 2 else None


# `after 100 iterations`, and as students write it in their languages: depois de 100 iterações, después de
# 100 iteraciones, après 100 itérations, nach 100 Iterationen, dopo 100 iterazioni, после 100 итераций
_AFTER_STEPS = re.compile(
    r"(?i)(?<!\w)(?:after|nach|despu[ée]s\s+de|depois\s+de|ap[óo]s|tras|apr[èe]s|dopo|после|через)\s+(?:the\s+)?"
    r"(second|2nd|third|3rd|two|three|\d+)\s+(?:weight\s+|gradient\s+)?(?:updates?|steps?|iterations?|epochs?"
    r"|itera[çc](?:ões|oes)|iteraciones|it[ée]rations|iterationen|iterazioni|итераци\w*|шаг\w*|passos|pasos|[ée]tapes"
    r"|schritten|epochen|[ée]pocas|[ée]poques|atualiza[çc](?:ões|oes)|actualizaciones)(?!\w)"
)  # fmt: skip
_COUNT = {"second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3, "three": 3}


_AFTER_ONE = re.compile(
    r"(?i)\bafter\s+(?:one|1|the\s+first|a\s+single)\s+(?:weight\s+)?(?:update|step|iteration|epoch)\b"
)


def _steps_before(text: str, said: str) -> int | None:
    """How many steps a line says an equation's numbers come after, where it says so more than once (`After
    one update E_total = 0.2285, after 100 updates 0.0124`: one, for the first): the count said last before
    the equation, none if none is; else as _after_steps."""
    at = text.find(said.split("=")[0].strip()) if said else -1
    counts = [(m.start(), _COUNT.get(m[1].lower()) or int(m[1][:6])) for m in _AFTER_STEPS.finditer(text)]
    counts += [(m.start(), 1) for m in _AFTER_ONE.finditer(text)]
    if at < 0 or len(counts) < 2:
        return _after_steps(text)
    before = [n for k, n in sorted(counts) if k < at]
    return before[-1] if before else None


def _after_steps(line: str) -> int | None:
    """How many steps a line says its numbers come after, when two or more (`the weights after the
    second update are …`: the third iteration's, whatever heading they are under); else None."""
    m = _AFTER_STEPS.search(line)
    if m is None:
        return None
    n = _COUNT.get(m[1].lower()) or int(m[1][:6])
    return n if n >= 2 else None


def _index(x) -> tuple[str, int] | None:
    """w_3^{(1)}, w^{(2)}: a weight and the number of its step, in a superscript in brackets (read
    `^((1))`: not a power), or None."""
    if isinstance(x, Op) and x.op == "^" and isinstance(x.left, Sym) and isinstance(x.right, Num):
        name = x.left.name
        if (names.is_param(name) or name == eq.GENERIC) and x.right.value.is_integer():
            return name, int(x.right.value)
    return None


def _indexed(f: Equation) -> Equation | Skipped:
    """An update written with its weights numbered by step in superscripts: `w^{(2)} = w^{(1)} − η·∂E/∂w`
    (the weight one step on, from the one before) is the update rule; `w_3^{(1)} = 0.25 − 0.1·0.000225`
    the weight after the first step, which its numbers show. Whether w^{(k)} counts from 0 or 1 is
    otherwise not said: any other equation of such weights is not judged."""
    if "^((" not in f.text.replace(" ", ""):
        return f
    found = [(x, k) for side in f.sides for x in eq.walk(side) if (k := _index(x))]
    numbered = [x for side in f.sides for x in eq.walk(side) if isinstance(x, Op) and x.op == "^"
                and isinstance(x.left, Sym | Partial) and isinstance(x.right, Num) and x.right.value.is_integer()
                and not (isinstance(x.left, Sym) and names.is_param(x.left.name))]  # fmt: skip
    if numbered and not found:  # E_{total}^{(2)}, δ_{o_1}^{(2)}: no power (E_total squared was blamed), its iteration
        if any(not 1 <= x.right.value <= LAST_ITERATION for x in numbered):
            return Skipped(f.text, "a quantity numbered in a superscript (E^{(k)}): not read")
        # the kth iteration's, or the k+1th's counted from 0: right as either
        return replace(f, sides=[_numbered(s, 0) for s in f.sides], readings=[[_numbered(s, 1) for s in f.sides]])
    if not found:
        return f
    left = _index(f.sides[0])
    rest = [k for x, k in found if x is not f.sides[0]]
    if left and all(k == (left[0], left[1] - 1) for k in rest) and len(f.sides) >= 2:
        right = [_unindexed(side) for side in f.sides[1:]]
        if any(_index(x) for side in right for x in eq.walk(side)):  # σ(w^{(1)}): not read
            return Skipped(f.text, "a weight numbered by its step in a superscript (w^{(k)}): which step is not clear")
        stepped = [Sym(left[0]), *right]
        numeric = not rest and any(step(side) for side in right)
        if (rest or numeric and left[1] == 1) and as_update(stepped) != stepped:
            return replace(f, sides=stepped, readings=[])
        if not rest and left[0] != eq.GENERIC and all(not _symbols(side) for side in right):
            return _numbered_weight(f, left[0], left[1], right, numeric)
    return Skipped(f.text, "a weight numbered by its step in a superscript (w^{(k)}): which step is not clear")


def _symbols(e) -> bool:
    return any(isinstance(x, Sym | Partial) for x in eq.walk(e))


def _numbered_weight(f: Equation, weight: str, k: int, right: list, numeric: bool) -> Equation | Skipped:
    """`w_5^{(3)} = 0.38969535 − 0.8·0.01260376 = 0.37961233`, `w_5^{(2)} = 0.389695`: a weight of the
    kth iteration counted from 1 (made by step k − 1), or after k steps counted from 0 (made by step k).
    The line is right if it is right either way (w_5^{(1)} = 0.15 and w_5^{(0)} = 0.15 the weights at
    the start); numbers only, as a line of symbols says no more than the update rule, read above."""
    # the first reading counts from 1, as a heading's `Iteration 2` is read first (judge tells the way a
    # file counts by the readings its right lines were right under)
    if numeric:  # the weight after step j, j = k − 1 or k (w^{(1)}, step 1, is read above)
        made = [j for j in (k - 1, k) if 1 <= j < LAST_ITERATION]
        readings = [[Sym(at(NEW + weight, j)), *right] for j in made]
    else:  # the weight at iteration k (w^{(1)} = 0.15) or k + 1 (w^{(0)} = 0.15, w^{(1)} after one step)
        readings = [[Sym(at(weight, j)), *right] for j in (k, k + 1) if 1 <= j <= LAST_ITERATION]
    if not readings:
        return Skipped(f.text, "a weight numbered by its step in a superscript (w^{(k)}): which step is not clear")
    return replace(f, sides=readings[0], readings=readings[1:], iteration_said=True)


def _numbered(e, shift: int):
    """A side with each quantity numbered in a superscript, X^{(k)}, as X at iteration k + shift."""
    if isinstance(e, Op) and e.op == "^" and isinstance(e.left, Sym | Partial) and isinstance(e.right, Num):
        if e.right.value.is_integer() and not (isinstance(e.left, Sym) and names.is_param(e.left.name)):
            return Sym(at(e.left.name, int(e.right.value) + shift))
    if isinstance(e, Op):
        return Op(e.op, _numbered(e.left, shift), _numbered(e.right, shift))
    if isinstance(e, eq.Neg):
        return eq.Neg(_numbered(e.arg, shift))
    if isinstance(e, eq.Call):
        return eq.Call(e.fn, _numbered(e.arg, shift))
    return e


def _unindexed(e):
    """The side with w^{(k)} read as the weight before the step."""
    if _index(e):
        return e.left
    if isinstance(e, Op):
        return Op(e.op, _unindexed(e.left), _unindexed(e.right))
    return e


def _quotes(sides: list) -> bool:
    """Whether an equation quotes a number of the network (not ½, 1 − a, 2: its form): a number that is
    not one of those, or a side worked out in numbers only (`E_total ≈ 4.0 × 10^(-14)`, its numbers whole)."""
    return any(isinstance(x, Num) and not (x.value == 0.5 or float(x.value).is_integer())
               for side in sides for x in eq.walk(side)) or any(
        isinstance(side, Op) and not any(isinstance(x, Sym | Partial | Deriv) for x in eq.walk(side)) for side in sides
    )  # fmt: skip


def _at(e, k: int, keep_new: bool = False):
    """A side of the kth iteration's quantities: w5 at the second is w5 after one step, new w5 after two
    (or, `keep_new`, after the one step still: the weights the second iteration uses); the first's as it is."""
    if k == 1:
        return e

    def leaf(x):
        if keep_new and isinstance(x, Sym) and x.name.startswith(NEW):
            return x
        if (
            isinstance(x, Sym)
            and x.name not in (names.ETA, eq.FREE, eq.GENERIC, eq.NEW_GENERIC)
            or isinstance(x, Partial)
        ):
            return Sym(at(x.name, k))
        return x

    return eq.rebuild(e, leaf)


def _at_2(e, keep_new: bool = False):
    """A side of the second iteration's quantities (_at)."""
    return _at(e, 2, keep_new)


# what every equation eq.find reads holds (:= is one; <- in R; a log's `w1: 0.15 -> 0.1499`)
_MAY_EQUATE = re.compile(r"[=←≈]|<-|^\s*[wW]_?\d\s*:\s*[\d.]+\s*(?:->|→)")
_GOES_ON = re.compile(r"^\s*(?:[-*+]\s+)?&?\s*=(?!=)\s*(?=\S)(?!=*\s*$)")  # `    = (a_o1 − t1)·…`: goes on
_NEAR = 10  # lines within which a line that goes on may go on from an equation above
_PLACE = "E_total "  # a name set before a line that goes on, to read it; its side is then the one above


def _continued(line: str, n: int, heads, last, begun: int | None = None) -> Equation | Skipped:
    """A line that begins at `=` goes on from an equation above: `∂E_total/∂w5 = ∂E1/∂w5` then
    `    = (a_o1 − t1)·a_o1·(1 − a_o1)·a_h1`. Its left side is the nearest equation's left side; or another
    one's above it (`E_total = E1 + E2` may stand between), or the last side of the line above: the
    reading under which it is right wins (Equation.readings). Not when the equation it goes on from,
    the nearest line above with an `=` (`begun`), is one this reader did not read: an equation read
    further up is then no more than a guess (`g_out_h1 = …` unread, then `= 0.0102 + 0.0152`, was read
    as going on from `g_w8 = …` two lines up)."""
    text = line.strip().lstrip("-*+ ").lstrip("&").strip()
    if begun is not None and all(at != begun for at, _ in heads):
        return Skipped(text, "it goes on from an equation this reader does not read")
    found = eq.find(_PLACE + text)
    near = [side for at, side in reversed(heads) if n - at <= _NEAR]
    near = list(dict.fromkeys(near[:3] + ([last[1]] if last and n - last[0] <= _NEAR else [])))
    if not found or not near:
        return Skipped(text, "it goes on from an equation this reader cannot find above it")
    first = found[0]
    if isinstance(first, Skipped):
        return Skipped(text, first.reason)
    if not first.text.startswith(_PLACE.strip()):
        return Skipped(text, "it begins in prose")
    rest = first.sides[1:]
    return Equation([near[0], *rest], first.text[len(_PLACE) :].strip(), first.notes,
                    readings=[[side, *rest] for side in near[1:]])  # fmt: skip


# "learning rate" in the languages students write in: tasa/velocidad/ritmo de aprendizaje, taxa de
# aprendizado, taux d'apprentissage, Lernrate, tasso di apprendimento, скорость обучения, 学习率 (Chinese),
# 学習率 (Japanese), 학습률 (Korean), leersnelheid, öğrenme oranı, laju pembelajaran
LEARNING_RATE = (
    r"learning[\s_]*rate|(?:tasa|velocidad|ritmo|taxa|taux|tasso)\s+d[ei'’]\s*(?:l['’]\s*)?(?:aprend|apprend|apprent)\w*"
    r"|lernrate|скорост\w*\s+обучени\w*|学习率|学習率|학습률|leersnelheid|öğrenme\s+oranı|laju\s+pembelajaran"
)
# `LR=0.1`, `learning rate (η) taken here is 2.0`, `Learning Rate : 0.1`; not `eta    n=1` (another name's
# number, a table's header), `η*∂E_total/∂w5`, nor
# the 2 of `η ∇W2` (a number glued to a name)
_ETA_SAID = re.compile(
    rf"(?i)(?:η|ɳ|ƞ|\blr\b|\beta\b|{LEARNING_RATE})(?:(?![^\W\d]\w*\s*=)[^\d\n*/+^∂_]){{0,25}}?"
    r"(?<![^\W\d])(0,\d+|\d*\.\d+|\d+)(?!\w|\.\d)"
    r"|\blr(\d*\.\d+|[1-9])(?![\w.])"
)  # η = 0,8: a decimal comma; `η = 0.5.` at a sentence's end; a tab's name, `lr0.5`, `lr2` (not `lr05`: 0.5)


def said_etas(lines) -> tuple[float, ...]:
    """The learning rates the file speaks of."""
    return tuple(dict.fromkeys(x for line in lines for x in rates_said(line)))


def rates_said(line: str) -> list[float]:
    """The learning rates one line names (`lr = 0.1 -> E_total = 0.1335`, `0.1797 (η = 0.1)`)."""
    said = [float((m[1] or m[2]).replace(",", ".")) for m in _ETA_SAID.finditer(line)]
    return [x for x in said if 0 < x <= 10]


def etas(lines, template=()) -> tuple[float, ...]:
    """The learning rates the file speaks of, first; then the template's, if it is judged on one; then
    the assignment's."""
    return tuple(dict.fromkeys([*said_etas(lines), *template, *ASSIGNMENT]))


_LOSS = r"(?:E_?total|E_?tot|total\s+(?:error|loss)|error|loss)"
_FROM_TO = re.compile(rf"(?i)\b{_LOSS}\b[^.;\n]{{0,60}}?\bfrom\s+(\d*\.\d+)\s+to\s+(\d*\.\d+)")
# E_total 0.01418 → 0.01410, `the loss only goes 0.014181 → 0.014100` (a few words between, no number)
_ARROW = re.compile(rf"(?i)\b{_LOSS}\b(?:\s+[a-z]+){{0,4}}?\s*[:=]?\s*(\d*\.\d+)\s*(?:→|->|-->|⟶)\s*(\d*\.\d+)")


_RATE_SAID = re.compile(rf"(?i){LEARNING_RATE}|\blr\b|η|\beta\b|\balpha\b|α")
_OF_THE_LOSS = re.compile(r"(?i)[∂δ/∇]|\bd$|\b(?:gradients?|derivatives?|partials?|slopes?|w\.?r\.?t\b|with\s+respect)")


_LOSS_SAID = re.compile(rf"(?i){spelling.LOSS_WORDS}")
# `η = 0.1: 0.01059104`, `η = 0.1 → 0.179745`: a learning rate and a number, no name between
_RATE_THEN_NUMBER = re.compile(
    r"(?i)(?:η|\blr\b|\beta\b)\s*=\s*(\d*\.?\d+)\s*\)?\s*(?::|→|->|=>|—|–)\s*(-?\d*\.\d+(?:e-?\d+)?)(?!\d|\.\d|\s*[*·×/^])"
)


def _losses_by_rate(line: str, introduced: list[int] | None) -> list[Equation]:
    """`Loss after 50 steps: η = 0.1 → 0.179745, η = 0.2 → 0.133395`, or a list under `Value of E_total after
    50 updates in each tab:` of `η = 0.1: 0.01059104`: the loss at that iteration (the 51st or the 50th),
    at each η named — where the line or the one that introduces it names the loss and says after how many
    steps."""
    steps = _after_steps(line)
    iterations = [steps + 1, steps] if steps and _LOSS_SAID.search(line) else introduced
    if not iterations or not (pairs := _RATE_THEN_NUMBER.findall(line)):
        return []
    out = []
    for eta, x in pairs:
        if not 0 < float(eta) <= 10:
            continue
        q, *others = [Sym(at(names.E_TOTAL, k)) for k in iterations if 1 <= k <= LAST_ITERATION]
        out.append(Equation([q, Num(float(x), x)], f"E_total (η = {eta}) = {x}", eta=float(eta),
                            readings=[[o, Num(float(x), x)] for o in others]))  # fmt: skip
    return out


# what a trajectory says of its last number, just after it: `from 0.2425 to 0.1335 after 100 updates`,
# `0.242520 → 0.179111 in 5 updates`
_STEPS_AFTER = re.compile(
    r"^[\s,]*(?:(?:after|in|within)\s+(?:the\s+)?(?:first\s+)?(\d+|two|three|four|five|ten)\s+"
    r"(?:weight\s+)?(?:updates?|steps?|iterations?|epochs?|rows?)\b)?"
)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}  # (`in two updates`)


def _trajectory(line: str) -> list[Equation]:
    """`E_total 0.01418 → 0.01410`, `the error is reduced from 0.01418 to 0.01410`: E_total at the first
    two iterations; `… from 0.2425 to 0.1335 after 100 updates` (or `in 100 updates`), at the first and
    the 101st (or the 100th), at the η said before it in its sentence, if one (`With η = 0.1 the error …`)."""
    out = []
    for m in [*_FROM_TO.finditer(line), *_ARROW.finditer(line)]:
        text = m[0].strip()
        if _RATE_SAID.search(text):  # `the error drops faster as the learning rate is increased from 0.1
            continue  # to 2.0`: the rates go from one to the other, not the loss
        if _OF_THE_LOSS.search(line[max(0, m.start() - 30) : m.start()]) or _OF_THE_LOSS.search(text):
            continue  # `∂E_tot/∂a_h1 fell from 0.01506 to 0.00229`: a derivative of the loss, not the loss
        before = _sentence_before(line[: m.start()])
        if re.search(
            r"(?i)\d+\s*-\s*(?:step|iteration|update|epoch)s?\s*$", line[max(0, m.start() - 25) : m.start()]
        ) or (_RATE_SAID.search(before) and re.search(r"(?i)\bfrom\s+\d*\.?\d+\s+to\s+\d*\.?\d+", before)):
            continue  # `Doubling η from 0.5 to 1.0 takes the 100-step error from 0.0292 to 0.0124`: two η's losses
        rates = set(rates_said(_sentence_before(line[: m.start()])))
        eta = rates.pop() if len(rates) == 1 else None
        after = _STEPS_AFTER.match(line[m.end() :])
        steps = (_SMALL.get(after[1].lower()) or int(after[1])) if after[1] else 1
        if steps > LAST_ITERATION - 1 or steps < 1:
            continue
        last = [Sym(at(names.E_TOTAL, steps + 1)), Num(float(m[2]), m[2])]
        others = [[Sym(at(names.E_TOTAL, steps)), Num(float(m[2]), m[2])]] if steps > 1 else []
        out.append(Equation([Sym(names.E_TOTAL), Num(float(m[1]), m[1])], text, eta=eta))
        out.append(Equation(last, text + (after[0].rstrip() if steps > 1 else ""), eta=eta, readings=others))
    return out


# the loss said in words, not with `=`: `after 100 iterations the error stays at 0.01339`, `el error sigue en
# 0.01339`, `with lr=2 the loss drops to 0.0003 in 100 steps` — a loss word, a few words (letters only),
# the number; `while with η = 2.0 it drops to …`: the same loss, its own η
_LOSS_WORD = re.compile(rf"(?i)(?:{spelling.LOSS_WORDS})")
_SAID_LOSS = re.compile(
    r"(?i)((?:\s+(?:[^\W\d_]+|¤+))|\s*,\s*¤+,?){0,6}?\s*(?:[:=]|\bof\b)?\s*(-?\d*\.\d+(?:[eE][-−]?\d+)?)(?![\d.,]\d|\s*(?:%|[x×*·/^]|times\b))"
)
_IT = re.compile(
    r"(?i)(?:^|[,;]|\b(?:while|whereas|but|and|mientras(?:\s+que)?|pero|y|enquanto|mas|e|et|mais|alors\s+que"
    r"|während|aber|und|mentre|invece))\s+(?:¤+\s+)?(?:it|ella|él|ele|il|elle|es|er|esso)\s*$"
)
# words that make the number something else than the loss at that iteration: a change, a bound, a start,
# a rough value, another quantity
_NOT_THE_LOSS = re.compile(
    r"(?i)\b(?:by|than|below|under|above|over|less|more|around|about|approx\w*|roughly|nearly|almost|only|"
    r"under|beneath|unter|debajo|abaixo|sotto|sous|moins|menos|meno|weniger|from|de|desde|von|da|start\w*|"
    r"init\w*|begin\w*|began|inici\w*|anfang\w*|départ|difference|change|drop|decrease|reduction|delta|ratio|"
    r"signal|term|function|gradient|derivative|partial|slope|surface|curve|plot|threshold|limit|target|"
    r"tolerance|epsilon|percent|rate|factor|each|per|half|halved|twice|not|no|never|nicht|kein\w*|pas|non|não|"
    r"nunca|nie)\b|[∂δ∇/~≈<>≤≥]|\b(?:with|for|using|con|mit|avec|com|para)\s*$"
)  # (`… with 2.0 it is almost gone`: a bare η after `with`, not a loss)


# a quantity's value said in words: `so its input h1 is 0.0275`, `gives a_h1 of 0.5069`, `The gradient of the
# total error with respect to w5 is 0.0722` (not `the error of o1 is …`: a name after a preposition is
# what something else is of)
_VALUE_WORDS = r"(?:is|of|equals|comes\s+to|becomes)"  # (not `gives`: `i1 times w1 gives 0.0075`)
_NAMED_VALUE = re.compile(
    rf"(?<![\w∂/'′])([A-Za-z][\w']{{0,9}})\s+(?:it\s+)?{_VALUE_WORDS}\s+(-?\d*\.\d+(?:[eE]-?\d+)?)(?![\d.]\d|\d|\s*[%×x*·/^(]|\.\d"
    r"|\s+(?:times|plus|minus|divided|multiplied|over)\b)"  # (`h2 is 0.25 times 0.05 …`: a product, not h2's)
)
_GRADIENT_IN_WORDS = re.compile(
    r"(?i)\b(?:gradient|derivative|partial(?:\s+derivative)?|slope)\s+(?:of\s+(?:the\s+)?(?:total\s+(?:error|loss)|E_?total"
    r"|error|loss|E)\s+)?(?:with\s+respect\s+to|w\.?r\.?t\.?)\s+([wW]\d)(?:\s+it)?\s+(?:is|=|equals)\s+"
    r"(-?\d*\.\d+(?:[eE]-?\d+)?)(?![\d.]\d)"
)
_OBJECT_OF = re.compile(r"(?i)(?:\b(?:of|for|at|from|to|by|in|than|with|on|into|through|respect|wrt)|\bw\.r\.t\.?)\s+$")


def _named_in_words(piece: str) -> list[Equation]:
    """The quantities a piece of prose gives a value in words, read as `name = value` (a known name only)."""
    out = []
    for m in _GRADIENT_IN_WORDS.finditer(piece):
        out += [f for f in eq.find(f"∂E_total/∂{m[1].lower()} = {m[2]}") if isinstance(f, Equation)]
    for m in _NAMED_VALUE.finditer(piece):
        q = eq.symbol(m[1])
        if q is None or _OBJECT_OF.search(piece[: m.start()]) or piece[m.end() :].lstrip().startswith("="):
            continue
        if re.search(r"[-+*/·×−–(]\s*$|\b(?:minus|plus|times|by|over)\s*$", piece[: m.start()]):
            continue  # `t2 − a_o2 is 0.36`, `a_o1 times one minus a_o1 is 0.2387`: the name ends an expression
        if _GRADIENT_IN_WORDS.search(piece) and m[1].lower().startswith("w"):
            continue  # (the gradient's weight, read above)
        out += [f for f in eq.find(f"{m[1]} = {m[2]}") if isinstance(f, Equation)]
    return out


# arithmetic said in words and its result: `one half of (0.99 minus 0.630481) squared, which is 0.064672`,
# `a_o2 minus t2, which is 0.359519`, `w6 becomes 0.45 minus 0.5 times 0.072691, which is 0.377309`
_WORD_OPERATORS = [
    (r"\b(?:one\s+)?half\s+of\b", " ½ · "),
    (r"\bminus\b", " − "),
    (r"\bplus\b", " + "),
    (r"\b(?:times|multiplied\s+by)\b", " · "),
    (r"\bdivided\s+by\b", " / "),
    (r"\bsquared\b", " ^2 "),
]
_WORKED_RESULT = re.compile(
    r",?\s*(?:which\s+(?:is|comes\s+to|gives|equals|makes)|giving|that\s+is)\s+(?:about\s+|approximately\s+|roughly\s+)?"
    r"((?:minus\s+|[-−]\s*)?\d*\.\d+(?:[eE]-?\d+)?)"
    # (not `which is 0.0125 plus 0.03`: a part of the next expression, not a result)
    r"(?![\d.]\d|\d|\s*[%×x*·/^(+−-]|\s+(?:plus|minus|times|divided|multiplied|over)\b)"
)
_BECOMES = re.compile(r"(?<![\w∂/'′])([A-Za-z][\w']{0,9})\s+becomes\s*$")
_WORD_TOKEN = re.compile(r"\(|\)|½|·|−|\+|/|\^2|-?\d*\.?\d+|[A-Za-z][\w']*")


def _worked_in_words(piece: str) -> list[Equation]:
    """Arithmetic said in words, with its result (`a_o2 minus t2, which is 0.359519`): the longest run of
    numbers, the course's names and words for operators before `, which is N`, read as an equation (one
    operator word at least; `w5 becomes …`: the weight after the step). Spoken, `a times b minus c` may
    mean either grouping: right under either (Equation.readings), as a listener would take it."""
    out = []
    for m in _WORKED_RESULT.finditer(piece):
        before = piece[: m.start()]
        for pattern, op in _WORD_OPERATORS:
            before = re.sub(pattern, op, before)
        tokens = list(_WORD_TOKEN.finditer(before))
        start, depth, run = len(before), 0, []
        for t in reversed(tokens):
            if before[t.end() : start].strip() or not _operand_or_operator(t[0]):
                break
            depth += (t[0] == ")") - (t[0] == "(")
            if depth < 0:
                break
            start = t.start()
            run.insert(0, t[0])
        # (an operator or a bracket's end cannot begin it; a minus may, said after a word that ends a clause:
        # `so minus 0.3595 times 0.5069`, not `a_o1 times one minus a_o1`, whose `one` ended the run)
        unary = re.search(
            r"(?:^|[,:;=(]|\b(?:so|is|was|are|be|gives?|get|gets|then|and|that|this|it))\s*$", before[:start]
        )
        while run and (run[0] in "+·/)" or run[0] == "^2" or run[0] == "−" and not unary):
            run.pop(0)
        if not run or depth or not any(w in "½−+·/" or w == "^2" for w in run):
            continue
        expr = " ".join(run)
        if re.search(r"[−+·/½]\s*$", expr):
            continue
        new = _BECOMES.search(before[:start].rstrip() + " ")
        head = f"{new[1]}_new = " if new and names.is_param(eq.symbol(new[1]) or "") else ""
        result = re.sub(r"^(?:minus\s+|[-−]\s*)", "-", m[1])
        said = [f for f in eq.find(f"{head}{expr} = {result}") if isinstance(f, Equation)]
        if len(said) != 1 or len(said[0].sides) != (3 if head else 2):
            continue
        spoken = _left_to_right(expr)
        if spoken and spoken != expr:
            other = [f for f in eq.find(f"{head}{spoken} = {result}") if isinstance(f, Equation)]
            said[0].readings = [other[0].sides] if len(other) == 1 else []
        out += said
    return out


def _operand_or_operator(word: str) -> bool:
    """Whether a word may be part of arithmetic in words (its operators said as symbols already)."""
    if word in ("(", ")", "½", "·", "−", "+", "/", "^2") or re.fullmatch(r"-?\d*\.?\d+", word):
        return True
    return eq.symbol(word) is not None and word.lower() not in ("e", "a", "i", "o", "of", "by")


def _left_to_right(expr: str) -> str | None:
    """`a · b − c` as spoken, each operator on all that was said before it: ((a · b) − c); None where the
    words group nothing else (brackets said, or one kind of operator)."""
    if "(" in expr or not (re.search(r"[·/]", expr) and re.search(r"[−+]", expr)):
        return None
    parts = re.split(r"\s*([−+·/])\s*", expr)
    out = parts[0]
    for op, operand in zip(parts[1::2], parts[2::2]):
        out = f"({out} {op} {operand})"
    return out


# `eta=0.1  E[0]=0.014181  E[10]=0.013387  E[100]=0.007847`: a log's loss after k steps (the k+1st iteration's,
# or the kth: either), at the one η the line names
_LOSS_INDEXED = re.compile(
    r"(?<![\w.])(?:E|E_?total|E_?tot|loss|L)\s*\[\s*(\d{1,5})\s*\]\s*=\s*(-?\d*\.\d+(?:[eE]-?\d+)?)(?![\d.])"
)


def _losses_indexed(line: str) -> list[Equation]:
    """E_total after k steps as a log indexes it (`E[10]=0.013387`), at the line's one η; none without it."""
    rates = set(rates_said(line))
    found = list(_LOSS_INDEXED.finditer(line))
    if not found or len(rates) > 1 or (len(found) > 1 and not rates):
        return []
    eta = rates.pop() if rates else None
    out = []
    for m in found:
        k, x = int(m[1]), m[2]
        if k + 1 > LAST_ITERATION:
            continue
        first = Sym(at(names.E_TOTAL, k + 1)) if k else Sym(names.E_TOTAL)
        # (or numbered from 1, `E[1]` the start: the kth, E_total itself at k = 1)
        other = Sym(at(names.E_TOTAL, k)) if k > 1 else Sym(names.E_TOTAL)
        readings = [[other, Num(float(x), x)]] if k else []
        out.append(Equation([first, Num(float(x), x)], f"E_total = {x}", eta=eta, readings=readings))
    return out


def _losses_in_words(line: str, carried: str) -> list[Equation]:
    """The loss said in words at an iteration its sentence says (`after N steps`: the N+1st or the Nth;
    `in N steps` just after the number, alike; `at iteration N`: the Nth or the N−1st), at the η its
    place says (_clause_rate); none where the sentence says no iteration, or its words make the number a
    change, a bound, a rough value or another quantity's."""
    out = []
    masked = _ETA_SAID.sub(lambda m: "¤" * len(m[0]), line)  # (an η said between is no word of the claim)
    masked = _AFTER_STEPS.sub(lambda m: "¤" * len(m[0]), masked)
    start = 0
    for sentence in re.split(r"(?<=[.;!?])\s+", line):
        at_ = line.find(sentence, start)
        start = at_ + len(sentence)
        # its own count of steps, else the one of the sentence the line above begins (`…, after 1000 updates
        # it is at` / `0.0125`), not one said earlier there (`… after 50 updates, lr = 0.1 needs` / `(after
        # 1000 updates with lr = 0.1 the loss is 0.0125)`: 1000)
        steps = _after_steps(sentence)
        if steps is None and at_ == 0 and not _said_iteration(sentence):
            steps = _after_steps(f"{_last_clause(carried)} {sentence}")  # (`… ordering: after` / `50 iterations …`)
        k = _said_iteration(sentence) if steps is None else None
        seen_loss = False
        for loss in [*_LOSS_WORD.finditer(masked, at_, start)]:
            seen_loss = True
            m = _SAID_LOSS.match(masked, loss.end(), start)
            if m is None or _NOT_THE_LOSS.search(masked, loss.end(), m.start(2)):
                continue
            out += _said_at(line, m, steps, k, carried)
        if seen_loss:  # `…, while with η = 2.0 it drops to 0.0000203`: the loss again, its own η
            for it in re.finditer(r"(?i)\b(?:it|ella|él|ele|il|elle|es|er|esso)\b", masked[at_:start]):
                here = at_ + it.start()
                if not _IT.search(masked[at_ : here + len(it[0])]) or not _LOSS_WORD.search(masked, at_, here):
                    continue
                m = _SAID_LOSS.match(masked, here + len(it[0]), start)
                if m is None or _NOT_THE_LOSS.search(masked, here + len(it[0]), m.start(2)):
                    continue
                out += _said_at(line, m, steps, k, carried)
    return out


def _last_clause(text: str) -> str:
    """What a sentence says after its last comma or bracket: the clause a line below goes on."""
    return re.split(r"[,;:()]", text)[-1]


def _said_at(line: str, m, steps, k, carried) -> list[Equation]:
    x = m[2].replace("−", "-")
    if not 0 <= float(x) < 1:  # a loss of two sigmoid outputs' halved squares is less than 1
        return []
    if steps is None and k is None:
        after = _STEPS_AFTER.match(line[m.end() :])
        steps = (_SMALL.get(after[1].lower()) or int(after[1])) if after and after[1] else None
    iterations = [steps + 1, steps] if steps else [k, k - 1] if k else []
    iterations = [n for n in iterations if 3 <= n <= LAST_ITERATION]
    if not iterations or not iterations[0] == (steps + 1 if steps else k):
        return []
    text = line[m.start(2) : m.end(2)]
    q, *others = [Sym(at(names.E_TOTAL, n)) for n in iterations]
    f = Equation([q, Num(float(x), x)], f"E_total = {text}", readings=[[o, Num(float(x), x)] for o in others])
    f.eta = _clause_rate(text, line, carried)
    return [f]


# the words for an iteration above, and a log's `it=2`
_ITERATION_WORDS = rf"{_ITERATION_WORD}|it(?=\s*=)"
_ITERATION = (
    rf"(?i)\b(?:{_ITERATION_WORDS})\s*(?:#|no\.?|=)?\s*{{n}}\b(?!\.\d)|(?<!\w)(?:{{nth}})\s+(?:{_ITERATION_WORDS})\b"
)
# 2nd, 2ª (Portuguese, Spanish), second, segunda, deuxième, zweite
# (not `2.`, German's ordinal: `2. Iteration: …` is as often a numbered list's second item)
# (and `the second forward pass gives …`: the forward pass of the second iteration)
_PASS = r"|(?i:\b(?:{nth})\s+forward\s+pass\b)"
_SECOND, _FIRST = r"second|2nd|2[ªº]|segund[ao]|deuxi[èe]me|seconde|zweiten?", r"first|1st|initial"
_AT_2 = re.compile(_ITERATION.format(n="0?2", nth=_SECOND) + _PASS.format(nth="second|2nd"))
_AT_1 = re.compile(
    _ITERATION.format(n="0?[01]", nth=_FIRST + r"|1[ªº]|primeir[ao]|primer[ao]|premi[eè]re?|ersten?")
    + _PASS.format(nth=_FIRST)
)


def _at_iteration_2(line: str):
    """`At iteration 2, E_total = 0.013777`: on a line that speaks of the second iteration (and not of
    the first), an equation of values (no update, no partial) is of that iteration's quantities."""
    if not _AT_2.search(line) or _AT_1.search(line):
        return lambda f: f

    def shifted(f):
        if isinstance(f, Skipped) or as_update(f.sides) != f.sides:
            return f
        nodes = [x for side in f.sides for x in eq.walk(side)]
        if any(isinstance(x, Partial | Deriv) for x in nodes):
            return f
        if (at := line.find(f.text)) > 0 and _EARLIER.search(line, 0, at):
            return f  # `… and L = 0.239701, down from L = 0.242520`: the number it was, the first's
        names_ = {a for side in f.sides for a in eq.atoms(side)} - {names.ETA, eq.FREE, eq.GENERIC}
        return replace(f, sides=[eq.rename(side, {a: a + AT2 for a in names_}) for side in f.sides])

    return shifted


# `learning rate 0.1 gives L = 0.07929, 0.2 gives L = 0.03811, …`: each loss the η written just before it
# (not `iteração 2: E = 0,2149; na iteração 3: E = 0,1899`, after a colon: an iteration's number as often)
_RATE_GIVES = re.compile(
    r"(?<![\w.])(\d*\.?\d+)\s*(?:gives|yields|→|->)\s*[($]*\s*[^\W\d][\w]*\s*=\s*(-?\d*\.?\d+(?:[eE]-?\d+)?)"
)


def _sentence_before(text: str) -> str:
    """The sentence the text ends in: what is said before a number in its own sentence."""
    return re.split(r"[.;!?]\s", text)[-1]


# an η said just after a number, its own: `E = 0.0295 for η = 0.5`, `0.0295 (η = 0.5)`, `, with lr 0.5`
_RATE_NEXT = re.compile(rf"(?i)^\s*[,(]?\s*(?:for|with|at|using|when|and)?\s*(?:η|\beta\b|\blr\b|{LEARNING_RATE})")


def _clause_rate(text: str, line: str, carried: str) -> float | None:
    """The η a number of a later iteration is said at, by where it stands: the one said just after it
    (`E = 0.0295 for η = 0.5`), else the one said last before it in its sentence (`After 1000 updates
    η = 2.0 is down to / E = 0.000244 while η = 0.1 is still at 0.0125`: 2.0, not the line's 0.1); None
    where its place says none, or the two differ, or its text is not found on the line."""
    at = line.find(text)
    if at < 0:
        return None
    after = line[at + len(text) :]
    next_ = rates_said(after[: m.end() + 12]) if (m := _RATE_NEXT.match(after)) else []
    before = rates_said(_sentence_before(f"{carried} {line[:at]}"))
    said = set(next_[:1] + before[-1:])
    return said.pop() if len(said) == 1 else None  # (two that differ: unsure, as if none were said)


def _paired(line: str) -> dict[str, float]:
    """A line's numbers each said after its own η (_RATE_GIVES), number -> η; none unless two or more."""
    pairs = {m[2]: float(m[1]) for m in _RATE_GIVES.finditer(line) if 0 < float(m[1]) <= 10}
    return pairs if len(pairs) >= 2 else {}


_EARLIER = re.compile(
    r"(?i)\b(?:from|was|were|previously|before|vs\.?|versus|compared\s+(?:to|with))\s*[($]*\s*(?:[^\W\d]\w*\s*)?$"
)  # (the equation's text may begin at its `=`)


def step(e, unwritten: bool = False) -> tuple[Num, Num, Num] | None:
    """0.4 − 0.5·0.0128808, a step of gradient descent in numbers: (the old value, the factors); or
    0.5 + 0.5·0.042455, a step down a negative gradient with its minus signs multiplied out; or
    0.4 − 0.072157, a step of η = 1, which is no factor to write (`unwritten`: on an update's right side
    only; 0.005503 + 0.008275 is a sum)."""
    if isinstance(e, Op) and e.op in "-+" and isinstance(e.left, Num):
        product = e.right
        if isinstance(product, Op) and product.op == "*" and isinstance(product.left, Num):
            if isinstance(product.right, Num):
                return e.left, product.left, product.right
            g = product.right  # 0.5 − 0.2·(−0.042455): a negative gradient written in brackets
            if isinstance(g, eq.Neg) and isinstance(g.arg, Num):
                return e.left, product.left, Num(-g.arg.value, f"-{g.arg.text}")
        if unwritten and isinstance(product, Num) and not product.value.is_integer():
            return e.left, Num(1.0, "1"), product
    return None


def gradient_alone(e, weight: str) -> bool:
    """`w − ∂E/∂w`: the weight less its own gradient, a step of η = 1 (judged so only where the file says
    η = 1: identities)."""
    return (isinstance(e, Op) and e.op == "-" and isinstance(e.left, Sym) and e.left.name == weight
            and isinstance(e.right, Partial) and e.right.by == weight)  # fmt: skip


def as_update(sides: list) -> list:
    """`w1 = w1 − η·∂E_total/∂w1`, `w5 = 0.4 − 0.5·0.0128808`, `w7 = 0.5 + 0.5·0.042455`: the left side
    is the weight after the step."""
    first = sides[0]
    if (
        isinstance(first, Sym)
        and (names.is_param(first.name) or first.name == eq.GENERIC)
        and any(
            step(s, unwritten=True)
            or any(isinstance(x, Sym) and x.name == names.ETA for x in eq.walk(s))
            or _rate_times_gradient(s, first.name)
            or gradient_alone(s, first.name)
            for s in sides[1:]
        )
    ):
        return [Sym(NEW + first.name), *sides[1:]]
    return sides


def _rate_times_gradient(e, weight: str) -> bool:
    """0.3 − 0.2·∂E_total/∂w4 (w4's own gradient, η written as its number): a step of w4; 0.3 −
    ∂E_total/∂w (a weight's gradient, η = 1 not written): a step of w4 too (with which weight's gradient
    is judged)."""
    if isinstance(e, Op) and e.op in "-+" and isinstance(e.left, Num) and isinstance(e.right, Partial):
        return e.right.of == names.E_TOTAL and names.is_param(e.right.by)
    return (
        isinstance(e, Op)
        and e.op in "-+"
        and isinstance(e.left, Num)
        and isinstance(e.right, Op)
        and e.right.op == "*"
        and isinstance(e.right.left, Num)
        and isinstance(e.right.right, Partial)
        and e.right.right.by == weight
    )


def _second_pass(f: Equation) -> bool:
    """A forward quantity made of the weights after the step (new w1·i1 + new w2·i2), its left side none."""
    first = f.sides[0]
    if not isinstance(first, Sym) or first.name.startswith(NEW) or names.is_param(first.name):
        return False
    return any(isinstance(x, Sym) and x.name.startswith(NEW) for side in f.sides[1:] for x in eq.walk(side))


def _generic(e) -> bool:
    return isinstance(e, Sym) and e.name in (eq.GENERIC, eq.NEW_GENERIC, NEW + eq.GENERIC)


def _rate_as_eta(e):
    """A side of the update rule with the number that multiplies ∂E/∂w read as η (0.8·∂E/∂w: η·∂E/∂w, the
    η of the file's worked example; judged as the rule it is, not as numbers of the first iteration)."""
    if isinstance(e, Op) and e.op == "*" and isinstance(e.left, Num) and isinstance(e.right, Partial):
        if e.right.by == eq.GENERIC and 0 < e.left.value <= 10:
            return Op("*", Sym(names.ETA), e.right)
    if isinstance(e, Op):
        return Op(e.op, _rate_as_eta(e.left), _rate_as_eta(e.right))
    return e


# `the optimum is simply a_o1 = a_o2 = 0.5`: what the outputs should reach, said in words
_GOAL = re.compile(
    r"(?i)\b(?:optimum|optimal|ideal(?:ly)?|goal|should|would|want|wish|aim|minimum|converges?|approach|reach)\b"
)


def _not_an_identity(sides: list, text: str = "") -> str | None:
    """Why an equation that parses is still nothing to check, or None; `text`, the line it is read in."""
    if any(isinstance(s, Sym) and s.name == names.ETA for s in sides):
        return "it sets the learning rate"
    bare = {s.name for s in sides if isinstance(s, Sym)}
    if len(sides) == 2 and len(bare) == 2:
        a, b = sorted(bare)
        if re.fullmatch(r"a_o(\d+)", a) and b == f"t{a[3:]}":
            return "an output set equal to its target: the goal, not an identity"
    # `the outputs just have to reach 0.5, i.e. s_o1 = s_o2 = 0`: two neurons' quantities said equal to each
    # other and to a whole number, a condition (where the loss is least), no identity of the network
    computed = [s for s in bare if not (names.is_param(s) or re.fullmatch(r"[it]\d+", s))]
    if len(computed) >= 2 and all(isinstance(s, Sym) or isinstance(s, Num) and s.value.is_integer() for s in sides):
        if any(isinstance(s, Num) for s in sides):
            return "quantities said equal to each other and to a whole number: a condition, not an identity"
    if len(computed) >= 2 and all(isinstance(s, Sym | Num) for s in sides) and _GOAL.search(text):
        return "quantities said equal to each other where the line speaks of a goal: a condition, not an identity"
    return None
