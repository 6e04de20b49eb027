"""What a write-up in vector form states: `a_h = σ(h) = [0.506875, 0.510623]ᵀ` is a_h1 = 0.506875 and
a_h2 = 0.510623; `i = [i₁, i₂]ᵀ = [0.05, 0.1]ᵀ` is i1 = 0.05, i2 = 0.1; `W₁ = [[w₁, w₂], [w₃, w₄]]`
names a matrix of weights, so `∇W₁ = … = [[0.000317, …]]` is their gradients and `W₁' = … = [[…]]`
their values after the step. Only a name's first and last sides are read — the name, and a bracket of
numbers — never the formula between (W₁ i, δ_o ⊙ a_o, W₂ᵀ δ_o: notation this reader does not judge);
a name whose elements this reader cannot name (g_h: g_h1 is nothing it knows) is not read at all."""

import re

from sheetgen.model import names
from sheetgen.model.spelling import NEW
from sheetgen.writeup import equations as eq
from sheetgen.writeup import latex
from sheetgen.writeup.equations import Equation

_BRACKETS = re.compile(r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]")  # [a, b] or [[a, b], [c, d]]
_NUMBER = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:e-?\d+)?")
_NEW = re.compile(
    r"(?:'|′|⁺|\^\s*[({]?\s*(?:new|\+)\s*[)}]?|_\s*[({]?\s*new\s*[)}]?)$"
)  # W₂', W₂⁺, W₂^{new}, W^{[1]}_{new}: after the step
_LAYER = r"(?:\^\(\(?\[?\d\]?\)?\))?"  # W^{[1]}, W^{(1)}: a matrix of layer 1, as Andrew Ng's course numbers them
_MATRIX_NAME = re.compile(rf"[A-Za-z]\w*{_LAYER}")
_NABLA = re.compile(r"∇_\((.+)\)\s*\*?\s*(?:E|E_?total|E_?tot|L)")  # ∇_{W^{(2)}} E_total: the loss's gradient by W2
_GRADIENT = re.compile(r"^(?:∇|grad_?|d(?!elta)(?:E_?)?_?)(?=[A-Za-z])")  # ∇W₂, gradW2, dW2, dE_dW2: its gradient


def elements(bracket: str) -> list[str] | None:
    """The elements of `[a, b]` or `[[a, b], [c, d]]`, row by row, or None if it is no such bracket
    (`np.array([[0.15, 0.2]])` is a call); NumPy prints numbers without commas (`[ 0.142357 -0.083759]`)."""
    if not _BRACKETS.fullmatch(bracket.strip()):
        return None
    inner = bracket.strip()[1:-1].strip()
    if "," not in inner and "[" not in inner:
        printed = inner.split()
        return printed if len(printed) > 1 and all(_NUMBER.fullmatch(x) for x in printed) else None
    rows = re.findall(r"\[([^\[\]]*)\]", inner) if inner.startswith("[") else [inner]
    out = [x.strip() for row in rows for x in row.split(",")]
    return out if len(out) > 1 and all(out) else None


def _parts(name: str) -> tuple[str, bool, bool]:
    """What a name is of, and whether it is after the step and a gradient: ∇W₁, W₁', dE_dW1 all of W1."""
    name = _plain(name)
    new = _NEW.search(name)
    name = name[: new.start()] if new else name
    if m := _NABLA.fullmatch(name):  # ∇_{W^{(2)}} E_total: by W2
        return m[1], bool(new), True
    if (by := _by(name)) is not None:  # ∂E/∂W^{[2]}, dE/da_h: the loss's gradient by the matrix, the vector
        return by, bool(new), True
    grad = _GRADIENT.match(name)
    name = name[grad.end() :] if grad else name
    return name, bool(new), bool(grad)


def _plain(name: str) -> str:
    return eq.letters(name).translate(eq.SUBSCRIPTS).replace("*", "").strip()


# `dw1..dw4`, `w5..w8`, `new w1..w4`: the elements named by a range, as a program's printout labels them
_RANGE = re.compile(r"(?:(new)\s+)?([A-Za-z][\w]*?)_?(\d)\s*(?:\.\.\.?|…|–|-|to)\s*(?:\2_?)?(\d)")


def named(name: str, size: int, matrices: dict[str, list[str]]) -> list[str] | None:
    """The names of a vector's (or a matrix's) elements, in order: a_h → a_h1, a_h2 (each a quantity's
    name); W₁ → the weights the file's W₁ = [[w₁, w₂], [w₃, w₄]] says; ∇W₁ → their gradients; W₁' →
    their values after the step; `dw5..dw8`, `E1, E2`: as the range or the list says; None when this
    reader cannot name them all."""
    if (m := _RANGE.fullmatch(name.strip())) and int(m[4]) - int(m[3]) + 1 == size:
        inner = [eq.symbol(f"{m[2]}{k}") for k in range(int(m[3]), int(m[4]) + 1)]
        if not all(inner) and (grad := _GRADIENT.match(m[2])) and not m[1]:  # `dw1..dw4`: the gradients by w1…w4
            by = [eq.symbol(f"{m[2][grad.end() :]}{k}") for k in range(int(m[3]), int(m[4]) + 1)]
            inner = [names.grad(q) if q and names.is_param(q) else None for q in by]
        if not all(inner):
            return None
        return [NEW + q if names.is_param(q) else None for q in inner] if m[1] else inner
    if "," in name and len(listed := [eq.symbol(x.strip()) for x in name.split(",")]) == size:
        return listed if all(listed) else None
    name, new, grad = _parts(name)
    layered = re.fullmatch(r"([zaδ])\^\(\(?\[?(\d)\]?\)?\)", name)  # z^{(2)}, a^{[1]}: a layer's vector (Ng's)
    if name in matrices:
        inner = matrices[name]
    elif layered and (shape := eq.LAYER_NAMES.get((layered[1], layered[2]))):
        inner = [shape.format(k) for k in range(1, size + 1)]
    elif not re.fullmatch(r"[^\W\d][\w]*", name) or eq.symbol(name) is not None:
        return None  # w5 = [...] is no vector; nor is a word this reader would read as a quantity
    else:
        inner = [f"{name}{k}" for k in range(1, size + 1)]
    quantities = [eq.symbol(x) for x in inner]
    if len(inner) != size or not all(quantities):
        return None
    if grad:  # (∂E/∂a_h: the loss's gradients by a_h1 and a_h2, a printout's `dE/da_h = [ … ]`)
        return (
            [names.grad(q) if names.is_param(q) else eq.symbol(f"∂E_total/∂{q}") for q in quantities]
            if not new
            else None
        )
    if new:
        return [NEW + q if names.is_param(q) else None for q in quantities]
    return inner


def _unbracketed(text: str) -> str:
    """The text without the brackets around all of it: ((∂E)/(∂W)) → (∂E)/(∂W)."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for k, c in enumerate(text):
            depth += (c == "(") - (c == ")")
            if depth == 0 and k < len(text) - 1:
                return text
        text = text[1:-1].strip()
    return text


def _by(name: str) -> str | None:
    """What `∂E/∂X` (or `((∂E)/(∂X))`, `dE_total/dX`) takes the loss's gradient by: X; None for anything
    else, or a partial of something other than E_total."""
    text = _unbracketed(name)
    depth, cut = 0, None
    for k, c in enumerate(text):
        depth += (c == "(") - (c == ")")
        if c == "/" and depth == 0:
            cut = k if cut is None else -1
    if cut is None or cut < 0:
        return None
    of, by = _unbracketed(text[:cut]), _unbracketed(text[cut + 1 :])
    if not (of[:1] in "∂d" and by[:1] in "∂d") or eq.symbol(of[1:].strip()) != names.E_TOTAL:
        return None
    return by[1:].strip() or None


def statements(lines: list[str]) -> dict[int, list[Equation]]:
    """(line -> the equations it states) of every line that sets a name, or a bracket of names, equal
    to a bracket of numbers."""
    matrices: dict[str, list[str]] = {}  # W1 -> [w1, w2, w3, w4]: the file's names for its matrices
    out: dict[int, list[Equation]] = {}
    for n, line in enumerate(lines, 1):
        if "[" not in line:
            continue
        row = _row(lines, n)  # (its `=` may be on a line the row goes on to)
        said = _line(row, matrices) if "=" in row else []
        if said:
            out[n] = said
    return out


def _row(lines: list[str], n: int) -> str:
    """Line n with what its row of display math goes on with below (`h = W^((1)) * i = [[0.15, 0.2], …]`,
    then, past a line the row goes over, `[0.05, 0.1] = … = [0.0275, 0.0425]`): the row's last bracket is
    its value, not the matrix on the first line."""
    return " ".join(lines[k - 1] for k in [n, *went_over(lines, n)] if lines[k - 1] != latex.CONTINUED)


def went_over(lines: list[str], n: int) -> list[int]:
    """The lines (1-based) below line n its row of display math goes over, a bracket's line among them."""
    out, k = [], n
    while k < len(lines) and lines[k] == latex.CONTINUED:
        while k < len(lines) and lines[k] == latex.CONTINUED:
            out.append(k + 1)
            k += 1
        if k < len(lines) and lines[k].lstrip().startswith(("[", "=", "*", "·")) and "[" in lines[n - 1]:
            out.append(k + 1)
            k += 1
        else:
            break
    return out


def _shape(bracket: str) -> tuple[int, int]:
    """Rows and columns of `[a, b]` (1, 2) or `[[a, b], [c, d]]` (2, 2)."""
    inner = bracket.strip()[1:-1].strip()
    rows = re.findall(r"\[([^\[\]]*)\]", inner) if inner.startswith("[") else [inner]
    return len(rows), max((len(r.split(",")) for r in rows), default=0)


def _line(line: str, matrices: dict) -> list[Equation]:
    """Each equation of the line, read apart: `x = [i_1, i_2] = [0.05, 0.1], t = [t_1, t_2] = [0.01,
    0.99]` is two (the second's numbers were the first's)."""
    return [said for part in _apart(line) for said in _one(part, matrices)]


_NEXT = re.compile(r"\s*[^\W\d][^\s=,;]*\s*=(?!=)")  # `, t = …`, `, W^([2]) = …`: a name and its `=`
_PRINTED_NEXT = re.compile(r"\s{2,}[^\W\d][^\s=,;]*\s*=(?!=)")  # `h = [ … ]  a_h = [ … ]`: two spaces apart


def _apart(line: str) -> list[str]:
    """The line cut at each `;` and at each comma that a name and its `=` follow, outside brackets (and
    after a bracket that a name and its `=` follow two spaces on, as a printout lays them out)."""
    parts, depth, start = [], 0, 0
    for k, c in enumerate(line):
        depth += (c in "([{") - (c in ")]}")
        if depth == 0 and (c == ";" or c == "," and _NEXT.match(line, k + 1) and "=" in line[start:k]):
            parts.append(line[start:k])
            start = k + 1
        elif depth == 0 and c == "]" and _PRINTED_NEXT.match(line, k + 1) and "=" in line[start:k]:
            parts.append(line[start : k + 1])
            start = k + 1
    return [*parts, line[start:]]


def _one(line: str, matrices: dict) -> list[Equation]:
    brackets = list(_BRACKETS.finditer(line))
    if not brackets:
        return []
    text = line[: brackets[-1].end()]  # what follows the last bracket is a remark: (row k feeds …)
    sides, depth, start = [], 0, 0
    for k, c in enumerate(text):
        depth += (c in "([{") - (c in ")]}")
        if c == "=" and depth == 0:
            sides.append(text[start:k])
            start = k + 1
    sides.append(text[start:])
    if len(sides) < 2:
        return []
    last = elements(sides[-1].strip().rstrip("ᵀT' "))
    if last is None or not all(_NUMBER.fullmatch(x) for x in last):
        return []
    left = sides[0].split()[-1] if sides[0].split() else ""
    before = sides[0].rstrip()[: len(sides[0].rstrip()) - len(left)]
    by = re.search(rf"{_NABLA.pattern}\s*$", sides[0])  # `∇_{W^{(2)}} E_{total}`: the gradient by W2, a name of words
    named_ = by or re.search(r"←|:=", sides[0])
    if not named_ and (re.search(r"[-+*/·⊙−×(]\s*$", before) or left.count(")") > left.count("(")):
        # `a^{[2]} − t = […]`, `1 − a^{[2]} = […]`: the value of an expression, element by element
        return _elementwise(sides[0].strip(), last, matrices) if len(sides) == 2 else []
    if (
        printed := re.search(r"(?:(?:new\s+)?[A-Za-z]\w*\s*(?:\.\.\.?|…)\s*\w+|\w+(?:\s*,\s*\w+)+)\s*$", sides[0])
    ) and (named(printed[0], len(last), matrices) is not None):
        left = printed[0].strip()  # `dw5..dw8 = [ … ]`, `E1, E2 = [ … ]`: a printout's labels
    if by:
        left = by[0].strip()
    if m := re.match(r"\s*(\S+)\s*(?:←|:=)", sides[0]):  # `W^((1)) ← [[…]] − 0.8 [[…]] = [[…]]`: after the step
        left, sides = m[1] + "'", [sides[0], sides[-1]]
    first = elements(sides[1].strip().rstrip("ᵀT ")) if len(sides) > 2 else None
    declared = first is not None and all(eq.symbol(_plain(x)) for x in first) and len(first) == len(last)
    if not declared and min(_shape(sides[-1].strip().rstrip("ᵀT' "))) > 1 and _parts(left)[0] not in matrices:
        return []  # `h = W i = [[0.15, 0.2], [0.25, 0.3]]` (and on, below): a matrix is no vector's value
    if declared:
        if _MATRIX_NAME.fullmatch(_plain(left)):  # W₁ = [[w₁, w₂], [w₃, w₄]]: the file names a matrix
            matrices[_plain(left)] = [_plain(x) for x in first]
        inner = [_plain(x) for x in first]
    else:
        inner = named(left, len(last), matrices)
    if inner is None:
        return []
    out = _stepped_by(left, sides[1:-1], len(last), matrices)
    for q, x in zip(inner, last):
        if q is None:
            return []
        said = [f for f in eq.find(f"{_shown(q)} = {x}") if isinstance(f, Equation)]
        if len(said) != 1:
            return []
        out += said
    return out


# `W^{(2)}_{new} = [[0.4, 0.45], [0.5, 0.55]] − 0.8 [[0.0722, 0.0727], [0.0425, −0.0428]] = …`: the matrix
# before the step, less η times its gradients
_STEP = re.compile(rf"\s*({_BRACKETS.pattern})\s*[-−]\s*(\d*\.?\d+)\s*[*·×]?\s*({_BRACKETS.pattern})\s*")


def _stepped_by(left: str, middle: list[str], size: int, matrices: dict) -> list[Equation]:
    """The gradients a step of a matrix writes between its name and its value after the step (`W' = W −
    η·G = …`: G's elements, the gradients by W's), as `∂E_total/∂w5 = …` each; none if it writes no such
    step, or of a matrix whose elements the file does not name."""
    name, new, grad = _parts(left)
    if not new or grad or len(middle) != 1 or not (m := _STEP.fullmatch(middle[0])):
        return []
    gradients, quantities = elements(m[3]), named(f"∇{name}", size, matrices)
    if gradients is None or quantities is None or len(gradients) != size:
        return []
    out = []
    for q, x in zip(quantities, gradients):
        said = [f for f in eq.find(f"{_shown(q)} = {x}") if isinstance(f, Equation)] if q else []
        if len(said) != 1 or not _NUMBER.fullmatch(x):
            return []
        out += said
    return out


_VECTOR_NAME = re.compile(r"(?<![\w^])([A-Za-zδ][\w]*(?:\^\((?:\(\d\)|\[\d\])\))?)")  # a, a_h, a^{[2]}, z^{(1)}


def _elementwise(expr: str, values: list[str], matrices: dict) -> list[Equation]:
    """`1 − a^{[2]} = [0.3935, 0.3659]`: the expression of vectors, at each element (1 − a_o1 = 0.3935,
    1 − a_o2 = 0.3659); none where a name in it names no vector this reader knows, or an operator in it is
    no element-wise one (a product of matrices, W a)."""
    if not re.fullmatch(r"[\w\s^()\[\]+\-−*·⊙.]+", expr) or re.search(r"\w\s+\w", expr):
        return []
    parts = _VECTOR_NAME.findall(expr)
    if not parts:
        return []
    elements_ = {}
    for name in set(parts):
        inner = named(name, len(values), matrices)
        if inner is None or not all(inner) or not all(eq.symbol(x) for x in inner):
            return []
        elements_[name] = inner
    out = []
    for k, x in enumerate(values):
        text = _VECTOR_NAME.sub(lambda m, k=k: _shown(elements_[m[1]][k]), expr).replace("⊙", "*")
        said = [f for f in eq.find(f"{text} = {x}") if isinstance(f, Equation)]
        if len(said) != 1:
            return []
        out += said
    return out


def _shown(q: str) -> str:
    """A quantity as eq.find reads it again: new w5 as w5_new, ∂E_total/∂w5 as is."""
    return f"{q.removeprefix(NEW)}_new" if q.startswith(NEW) else q
