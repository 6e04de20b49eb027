"""Stage 4: every column's formula, written as the seeds write their equations.

Formulas are small expression trees over *names*: `Col("a_o1")` is this row's a_o1,
`Prev("w5")` the row above's, `Name("t_1")` a defined parameter. They become text only through
`render`, with the layout resolving names to addresses, once per column (not once per cell).
This module never looks at the reference evaluator: the two meet only in `verify`.
"""

from dataclasses import dataclass

from sheetgen.model import names
from sheetgen.model.names import act, grad
from sheetgen.model.spec import Spec

# Excel's precedence; a higher number binds tighter. Unary minus binds tighter than ^ in Excel.
PRECEDENCE = {">": 0, "+": 1, "-": 1, "*": 2, "/": 2, "^": 3}
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

    def __gt__(self, other):
        return Op(">", self, lift(other))


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
    args: tuple[Expr, ...]


def lift(x) -> Expr:
    return x if isinstance(x, Expr) else Num(x)


def call(fn: str, *args) -> Expr:
    return Call(fn, tuple(lift(a) for a in args))


def param(label: str) -> Name:
    """A parameter's named input cell: param("t1") is t_1, param("η") is eta."""
    return Name(names.defined(label))


def sigmoid(z: Expr) -> Expr:
    return 1 / (1 + call("EXP", -z))


# each activation a = f(z), beside the chain rule's step through it: g·f'(z), with g the gradient
# arriving at a. Written left to right, as the seeds write (a_o1 − t1)·a_o1·(1 − a_o1).
# Only functions Excel, LibreOffice and Google Sheets all have.
ACTIVATION_RULES = {
    "sigmoid": (sigmoid, lambda g, z, a: g * a * (1 - a)),
    "tanh": (lambda z: call("TANH", z), lambda g, z, a: g * (1 - a**2)),
    # at the kink z = 0 the slope is the left one (0, or α): written down, and the reference agrees
    "relu": (lambda z: call("MAX", 0, z), lambda g, z, a: g * call("IF", z > 0, 1, 0)),
    "leaky_relu": (
        lambda z: call("IF", z > 0, z, param(names.ALPHA) * z),
        lambda g, z, a: g * call("IF", z > 0, 1, param(names.ALPHA)),
    ),
    "linear": (lambda z: z, lambda g, z, a: g),
}


EXCEL = {op: op for op in PRECEDENCE} | {"neg": "-", "name": lambda name: name}
# as the seeds write equations: w1·i1, (a_o1 − t1), η
DISPLAY = {op: f" {op} " for op in "+->"} | {"-": " − ", "*": "·", "/": "/", "^": "^", "neg": "−"}
DISPLAY["name"] = names.label


def render(e: Expr, ref, symbols=EXCEL) -> str:
    """Formula text with only the parentheses the tree needs; `ref(name, previous)` places cells.

    A right operand of equal precedence keeps its parentheses even for + and *, so Excel
    evaluates in exactly the tree's order. With symbols=DISPLAY: the same tree as an equation.
    """
    return "=" + _text(e, ref, symbols)[0]


def _text(e: Expr, ref, sym=EXCEL) -> tuple[str, int]:
    if isinstance(e, Col):
        return ref(e.name, False), ATOM
    if isinstance(e, Prev):
        return ref(e.name, True), ATOM
    if isinstance(e, Name):
        return sym["name"](e.name), ATOM
    if isinstance(e, Num):
        v = e.value
        return (str(int(v)) if float(v).is_integer() else repr(float(v))), ATOM
    if isinstance(e, Call):
        comma = "," if sym["*"] == "*" else ", "  # Excel's own syntax, or an equation to read
        return f"{e.fn}({comma.join(_text(a, ref, sym)[0] for a in e.args)})", ATOM
    if isinstance(e, Neg):
        text, prec = _text(e.arg, ref, sym)
        return sym["neg"] + (text if prec >= NEG else f"({text})"), NEG
    p = PRECEDENCE[e.op]
    left, lp = _text(e.left, ref, sym)
    right, rp = _text(e.right, ref, sym)
    if lp < p:
        left = f"({left})"
    if rp <= p:
        right = f"({right})"
    return f"{left}{sym[e.op]}{right}", p


def expand(e: Expr, rules: dict, names) -> Expr:
    """Substitute the rule of every column in `names` wherever it is referenced: the chain rule
    written out in one equation, as the seeds write ∂E_total/∂w1."""
    if isinstance(e, Col) and e.name in names:
        return expand(rules[e.name].rest, rules, names)
    if isinstance(e, Op):
        return Op(e.op, expand(e.left, rules, names), expand(e.right, rules, names))
    if isinstance(e, Neg):
        return Neg(expand(e.arg, rules, names))
    if isinstance(e, Call):
        return Call(e.fn, tuple(expand(a, rules, names) for a in e.args))
    return e


def functions(e: Expr) -> set[str]:
    """The name of every function the formula calls, read from the tree (never from its text)."""
    if isinstance(e, Call):
        return {e.fn}.union(*(functions(a) for a in e.args))
    if isinstance(e, Op):
        return functions(e.left) | functions(e.right)
    if isinstance(e, Neg):
        return functions(e.arg)
    return set()


def leaves(e: Expr, sizes: dict[str, int]) -> int:
    """How many leaves `e` has once each column in `sizes` is replaced by its expansion (with the
    leaf count `sizes` gives): what `expand` would build, counted without building it — written
    out, the chain rule grows as the product of the layers' widths."""
    if isinstance(e, Col) and e.name in sizes:
        return sizes[e.name]
    if isinstance(e, Op):
        return leaves(e.left, sizes) + leaves(e.right, sizes)
    if isinstance(e, Neg):
        return leaves(e.arg, sizes)
    if isinstance(e, Call):
        return sum(leaves(a, sizes) for a in e.args)
    return 1


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
    conns = spec.connections()
    trainable = spec.bias == "trainable"
    params = [names.weight(k) for k, *_ in conns]
    params += [names.bias(k) for k in spec.bias_of().values()] if trainable else []
    n = spec.n_samples
    if spec.online:
        # the row's sample, cycling: 1, 2, …, N, 1, …; its inputs and targets picked from the named cells
        out = {names.SAMPLE: call("MOD", Col(names.ITERATION) - 1, n) + 1}
        for q in [names.input_(i) for i in range(1, spec.layers[0] + 1)] + [
            names.target(j) for j in range(1, spec.layers[-1] + 1)
        ]:
            out[q] = call("CHOOSE", Col(names.SAMPLE), *[param(names.sampled(q, s)) for s in range(1, n + 1)])
        out |= sample(spec, lambda q: q, Col)
    elif n > 1:
        # every sample's pass in its own columns, then the batch: the mean loss and its gradient, the
        # mean of the samples' gradients
        out = {}
        for s in range(1, n + 1):
            out |= sample(spec, lambda q, s=s: names.sampled(q, s), lambda q, s=s: param(names.sampled(q, s)))
        out[names.E_TOTAL] = _sum([Col(names.sampled(names.E_TOTAL, s)) for s in range(1, n + 1)]) / n
        for p in params:
            out[grad(p)] = _sum([Col(names.sampled(grad(p), s)) for s in range(1, n + 1)]) / n
    else:
        out = sample(spec, lambda q: q, param)
    rules = {name: Rule(e, e) for name, e in out.items()}
    for p in params:
        rules.update(optimizer(spec.optimizer, p))
    return rules


def sample(spec: Spec, own, given) -> dict[str, Expr]:
    """One sample's forward and backward pass. `own(q)`: the column of quantity q of this sample (h1,
    or h1[2] when a row holds several); `given(q)`: where its inputs and targets are read (the named
    cells i_1, t_1 or i_1_s2, or the row's own i1, t1 columns)."""
    out: dict[str, Expr] = {}
    last = len(spec.layers) - 1
    conns = spec.connections()
    bias_of = spec.bias_of()
    trainable = spec.bias == "trainable"

    def sends(layer, i):  # what neuron i of `layer` sends forward
        return given(names.input_(i + 1)) if layer == 0 else Col(own(act(spec.neuron(layer, i))))

    # forward: h1 = w1·i1 + w2·i2 (+ b1), a_h1 = σ(h1) = 1/(1 + exp(−h1)), ...
    for layer in range(1, last + 1):
        f, _ = ACTIVATION_RULES.get(spec.activations[layer - 1], (None, None))
        for j in range(spec.layers[layer]):
            n = spec.neuron(layer, j)
            terms = [Col(names.weight(k)) * sends(layer - 1, i) for k, lay, jj, i in conns if (lay, jj) == (layer, j)]
            if (layer, j) in bias_of:
                k = bias_of[(layer, j)]
                terms.append(Col(names.bias(k)) if trainable else param(names.bias(k)))
            out[own(n)] = _sum(terms)
            if f is not None:
                out[own(act(n))] = f(Col(own(n)))
        if f is None:  # softmax: a_o1 = EXP(o1)/(EXP(o1) + EXP(o2) + …)
            exps = [call("EXP", Col(own(spec.neuron(layer, j)))) for j in range(spec.layers[layer])]
            for j, e in enumerate(exps):
                out[own(act(spec.neuron(layer, j)))] = e / _sum(exps)
    # loss: E1 = ½·(t1 − a_o1)², or −t1·LN(a_o1) for cross-entropy (LN: Excel's LOG is base 10); E_total = E1 + E2 + …
    outputs = range(spec.layers[last])
    for j in outputs:
        t, a = given(names.target(j + 1)), Col(own(act(spec.neuron(last, j))))
        out[own(names.loss(j + 1))] = -t * call("LN", a) if spec.loss == "cross_entropy" else 0.5 * (t - a) ** 2
    out[own(names.E_TOTAL)] = _sum([Col(own(names.loss(j + 1))) for j in outputs])

    # backward: δ = ∂E_total/∂(net input) of a neuron, written out as the seeds write it
    def delta(layer, j):
        n = spec.neuron(layer, j)
        a = Col(own(act(n)))
        # output: ∂E/∂a_o1 = a_o1 − t1; hidden: the ∂E_total/∂a_h1 column. Times f'(z).
        upstream = (a - given(names.target(j + 1))) if layer == last else Col(own(grad(act(n))))
        if layer == last and spec.loss == "cross_entropy":
            return upstream  # softmax and cross-entropy together: ∂E_total/∂o1 = a_o1 − t1 (the Derivation derives it)
        _, through = ACTIVATION_RULES[spec.activations[layer - 1]]
        return through(upstream, Col(own(n)), a)

    # ∂E_total/∂a_h1 = Σ over the neurons h1 feeds: δ · (the weight between them)
    for layer in range(last - 1, 0, -1):
        for i in range(spec.layers[layer]):
            feeds = [(k, jj) for k, lay, jj, ii in conns if lay == layer + 1 and ii == i]
            terms = [delta(layer + 1, jj) * Col(names.weight(k)) for k, jj in feeds]
            out[own(grad(act(spec.neuron(layer, i))))] = _sum(terms)
    # ∂E_total/∂w5 = δ_o1 · a_h1; ∂E_total/∂w1 = ∂E_total/∂a_h1 · a_h1 · (1 − a_h1) · i1; ∂E_total/∂b = δ
    for k, layer, j, i in conns:
        out[own(grad(names.weight(k)))] = delta(layer, j) * sends(layer - 1, i)
    if trainable:
        for (layer, j), k in bias_of.items():
            out[own(grad(names.bias(k)))] = delta(layer, j)
    return out


def optimizer(name: str, p: str) -> dict[str, Rule]:
    """The optimizer's rules for parameter p: its state (in the row of the gradient it takes in) and
    its update (in the row below). The first row starts from p's named initial value; PyTorch's
    state starts from 0 (momentum's buffer from the first gradient), so the first row's state is
    the rule with the zero left out."""
    eta, g, before = param(names.ETA), Col(grad(p)), Prev(grad(p))
    s = {kind: names.state(kind, p) for kind in names.STATE[name]}
    rules = {}
    if name == "momentum":  # b ← μ·b + g;  w ← w − η·b
        b = s["momentum_buffer"]
        rules[b] = Rule(g, param(names.MOMENTUM) * Prev(b) + g)
        step = eta * Prev(b)
    elif name in ("rmsprop", "adagrad"):  # v ← α·v + (1 − α)·g², or sum ← sum + g²;  w ← w − η·g/(√v + ε)
        (v,) = s.values()
        if name == "rmsprop":
            a = param(names.SMOOTHING)
            rules[v] = Rule((1 - a) * g * g, a * Prev(v) + (1 - a) * g * g)
        else:
            rules[v] = Rule(g * g, Prev(v) + g * g)
        step = eta * before / (call("SQRT", Prev(v)) + param(names.EPS))
    elif name == "adam":  # m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g²;  w ← w − η/(1 − β1^t)·m/(√v/√(1 − β2^t) + ε)
        m, v = s["exp_avg"], s["exp_avg_sq"]
        b1, b2, t = param(names.BETA_1), param(names.BETA_2), Prev(names.ITERATION)
        rules[m] = Rule((1 - b1) * g, b1 * Prev(m) + (1 - b1) * g)
        rules[v] = Rule((1 - b2) * g * g, b2 * Prev(v) + (1 - b2) * g * g)
        step = eta / (1 - b1**t) * Prev(m) / (call("SQRT", Prev(v)) / call("SQRT", 1 - b2**t) + param(names.EPS))
    else:  # plain SGD: w ← w − η·∂E_total/∂w
        step = eta * before
    rules[p] = Rule(param(p), Prev(p) - step)
    return rules


def describe(name: str, rule: Rule) -> str:
    """A column's formula in names rather than addresses, for its header's note:
    `∂E_total/∂w5 = (a_o1-t_1)*a_o1*(1-a_o1)*a_h1`; the update rule says which row it reads."""

    def by_name(col, previous):
        return f"{col}[previous row]" if previous else col

    rest = render(rule.rest, by_name)[1:]
    if rule.first == rule.rest:
        return f"{name} = {rest}"
    return f"{name} = {render(rule.first, by_name)[1:]} in the first row, then\n{name} = {rest}"
