"""Stage 4: every column's formula, written as the seeds write their equations.

Formulas are small expression trees over *names*: `Col("a_o1")` is this row's a_o1,
`Prev("w5")` the row above's, `Name("t_1")` a defined parameter. They become text only through
`render`, with the layout resolving names to addresses, once per column (not once per cell).
This module never looks at the reference evaluator: the two meet only in `verify`.
"""

from dataclasses import dataclass

from .layout import ETA, grad, input_name, target_name, weight_name
from .spec import Spec

# Excel's precedence; a higher number binds tighter. Unary minus binds tighter than ^ in Excel.
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}
NEG, ATOM = 4, 5


class Expr:
    def __add__(self, other):
        return Op("+", self, lift(other))

    def __radd__(self, other):
        return Op("+", lift(other), self)

    def __sub__(self, other):
        return Op("-", self, lift(other))

    def __rsub__(self, other):
        return Op("-", lift(other), self)

    def __mul__(self, other):
        return Op("*", self, lift(other))

    def __rmul__(self, other):
        return Op("*", lift(other), self)

    def __truediv__(self, other):
        return Op("/", self, lift(other))

    def __rtruediv__(self, other):
        return Op("/", lift(other), self)

    def __pow__(self, other):
        return Op("^", self, lift(other))

    def __neg__(self):
        return Neg(self)


@dataclass(frozen=True)
class Col(Expr):
    name: str  # a column of this row


@dataclass(frozen=True)
class Prev(Expr):
    name: str  # a column of the row above


@dataclass(frozen=True)
class Name(Expr):
    name: str  # a sheet-level defined name


@dataclass(frozen=True)
class Num(Expr):
    value: float


@dataclass(frozen=True)
class Op(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Neg(Expr):
    arg: Expr


@dataclass(frozen=True)
class Call(Expr):
    fn: str
    arg: Expr


def lift(x) -> Expr:
    return x if isinstance(x, Expr) else Num(x)


def exp(x) -> Expr:
    return Call("EXP", lift(x))


def sigmoid(z: Expr) -> Expr:
    return 1 / (1 + exp(-z))


def render(e: Expr, ref) -> str:
    """Formula text with only the parentheses the tree needs; `ref(name, previous)` places cells.

    A right operand of equal precedence keeps its parentheses even for + and *, so Excel
    evaluates in exactly the tree's order.
    """
    return "=" + _text(e, ref)[0]


def _text(e: Expr, ref) -> tuple[str, int]:
    if isinstance(e, Col):
        return ref(e.name, False), ATOM
    if isinstance(e, Prev):
        return ref(e.name, True), ATOM
    if isinstance(e, Name):
        return e.name, ATOM
    if isinstance(e, Num):
        v = e.value
        return (str(int(v)) if float(v).is_integer() else repr(float(v))), ATOM
    if isinstance(e, Call):
        return f"{e.fn}({_text(e.arg, ref)[0]})", ATOM
    if isinstance(e, Neg):
        text, prec = _text(e.arg, ref)
        return "-" + (text if prec >= NEG else f"({text})"), NEG
    p = PRECEDENCE[e.op]
    left, lp = _text(e.left, ref)
    right, rp = _text(e.right, ref)
    if lp < p:
        left = f"({left})"
    if rp <= p:
        right = f"({right})"
    return f"{left}{e.op}{right}", p


@dataclass(frozen=True)
class Rule:
    first: Expr  # the first iteration's row
    rest: Expr  # every later row


def _sum(terms):
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def rules(spec: Spec) -> dict[str, Rule]:
    """Column name -> its formula, for every computed column of the table."""
    out: dict[str, Expr | Rule] = {}
    last = len(spec.layers) - 1
    conns = spec.connections()

    def act(layer, i):  # what neuron i of `layer` sends forward
        return Name(input_name(i)) if layer == 0 else Col(f"a_{spec.neuron(layer, i)}")

    # forward: h1 = w1·i1 + w2·i2, a_h1 = σ(h1) = 1/(1 + exp(−h1)), ...
    for layer in range(1, last + 1):
        for j in range(spec.layers[layer]):
            n = spec.neuron(layer, j)
            out[n] = _sum([Col(f"w{k}") * act(layer - 1, i) for k, lay, jj, i in conns if (lay, jj) == (layer, j)])
            out[f"a_{n}"] = sigmoid(Col(n))
    # loss: E1 = ½·(t1 − a_o1)², E_total = E1 + E2 + ...
    outputs = range(spec.layers[last])
    for j in outputs:
        out[f"E{j + 1}"] = 0.5 * (Name(target_name(j)) - Col(f"a_{spec.neuron(last, j)}")) ** 2
    out["E_total"] = _sum([Col(f"E{j + 1}") for j in outputs])

    # backward: δ = ∂E_total/∂(net input) of a neuron, written out as the seeds write it
    def delta(layer, j):
        a = Col(f"a_{spec.neuron(layer, j)}")
        # output: ∂E/∂a_o1 = a_o1 − t1; hidden: the ∂E_total/∂a_h1 column. Times σ' = a·(1 − a).
        upstream = (a - Name(target_name(j))) if layer == last else Col(grad(f"a_{spec.neuron(layer, j)}"))
        return upstream * a * (1 - a)

    # ∂E_total/∂a_h1 = Σ over the neurons h1 feeds: δ · (the weight between them)
    for layer in range(last - 1, 0, -1):
        for i in range(spec.layers[layer]):
            feeds = [(k, jj) for k, lay, jj, ii in conns if lay == layer + 1 and ii == i]
            out[grad(f"a_{spec.neuron(layer, i)}")] = _sum([delta(layer + 1, jj) * Col(f"w{k}") for k, jj in feeds])
    # ∂E_total/∂w5 = δ_o1 · a_h1; ∂E_total/∂w1 = ∂E_total/∂a_h1 · a_h1 · (1 − a_h1) · i1
    for k, layer, j, i in conns:
        out[grad(f"w{k}")] = delta(layer, j) * act(layer - 1, i)

    rules = {name: Rule(e, e) for name, e in out.items()}
    # SGD: the first row starts from the named initial weights; each later row steps downhill
    for k, *_ in conns:
        w = f"w{k}"
        rules[w] = Rule(Name(weight_name(k)), Prev(w) - Name(ETA) * Prev(grad(w)))
    return rules
