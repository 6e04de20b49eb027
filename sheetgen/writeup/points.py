"""What each quantity, and each partial ∂X/∂Y, equals at a point of (inputs, targets, weights, η).

The values are the reference's (`reference.Local` with of=X gives every ∂X/∂Y of its graph), so there
is no second autograd; only ∂(an expression)/∂y is taken by central differences, through the
reference's partials of each name in it. An identity is judged at several random points: its sides
must agree at every one.
"""

import math
import random
import re

from sheetgen.model import names, reference, spec
from sheetgen.model.spelling import NEW
from sheetgen.writeup import equations as eq
from sheetgen.writeup.equations import Call, Deriv, Neg, Num, Partial, Sym

POINTS = 5  # random points an identity must hold at
IDENTITY_RTOL = 1e-6  # central differences agree to ~1e-9; two different quantities differ by far more
SEED = 20240  # the random points are the same on every run
AT2 = " at iteration 2"  # E_total at iteration 2: what "reduced from 0.01418 to 0.01410" speaks of
# E_total at iteration 11: a table's loss after 10 steps for a row's η (`| 0.5 | … | 0.179464 |` under
# `after 10 updates`); as far as a sheet's rows go (a tab of 10,000 rows is the largest said anywhere)
_AT = re.compile(r"^(.+) at iteration (\d+)$")
LAST_ITERATION = 10_001


def at(name: str, iteration: int) -> str:
    """The name of a quantity at an iteration (the first's is its own name)."""
    return name if iteration == 1 else f"{name} at iteration {iteration}"


def iteration_of(name: str) -> int:
    """The iteration a name made by `at` is of (1: a name of its own)."""
    m = _AT.match(name)
    return int(m[2]) if m else 1


UNCOMPUTABLE = "it cannot be computed (a number beyond a double, a division by zero, a root of a negative number)"


class Skip(Exception):
    """Why an equation is not judged: it names what the reference does not give (b1, ∂h1/∂i1), or it
    cannot be computed (10^400, (−1)^0.5, w1/0). It is said to be skipped, never blamed."""


def unknown(name: str) -> Skip:
    return Skip(f"names {name}, which the reference does not give")


_LOCAL: dict = {}


def _local(net, of: str) -> reference.Local:
    """reference.Local for ∂of/∂…, made once per wiring (the numbers are given to it at each point)."""
    key = (net.layers, net.activations, net.bias, net.leaky_slope, net.loss, of)
    if key not in _LOCAL:
        _LOCAL[key] = reference.Local(net, of)
    return _LOCAL[key]


class Point:
    """One point of (inputs, targets, weights, η): every quantity of the network there, and its partials."""

    def __init__(self, net: spec.Spec, weights, inputs, targets, eta: float, x: float = 0.5, biases=None):
        self.net, self.eta, self.x = net, eta, x
        self.given = {names.weight(k): w for k, w in enumerate(weights, 1)}
        self.given |= {names.bias(k): b for k, b in enumerate(net.biases if biases is None else biases, 1)}
        self.given |= {names.input_(n): v for n, v in enumerate(inputs, 1)}
        self.given |= {names.target(n): v for n, v in enumerate(targets, 1)}
        self.values = _local(net, names.E_TOTAL)(self.given)  # forward values and ∂E_total/∂…
        self._partials = {names.E_TOTAL: self.values}
        self._next = None

    def value(self, name: str) -> float:
        if name in self.given:
            return self.given[name]
        if name in self.values:
            return self.values[name]
        if name == names.ETA:
            return self.eta
        if name == eq.FREE:
            return self.x
        if name.startswith(NEW) and name[len(NEW) :] in self.given:  # w1 after the step: the reference's SGD
            w = name[len(NEW) :]
            return reference.sgd([self.given[w]], [self.values[names.grad(w)]], self.eta)[0]
        if (m := _AT.match(name)) and 2 <= int(m[2]) <= LAST_ITERATION:
            p = self
            for _ in range(int(m[2]) - 1):
                p = p.next()
            return p.value(m[1])
        raise unknown(name)

    def next(self) -> "Point":
        """The same network one step of gradient descent later."""
        if self._next is None:
            ws = [self.value(NEW + names.weight(k)) for k in range(1, len(self.net.weights) + 1)]
            bs = [names.bias(k) for k in range(1, len(self.net.biases) + 1)]
            bs = [self.value(NEW + b if self.net.bias == "trainable" else b) for b in bs]
            ins = [self.given[names.input_(n)] for n in range(1, self.net.layers[0] + 1)]
            ts = [self.given[names.target(n)] for n in range(1, self.net.layers[-1] + 1)]
            self._next = Point(self.net, ws, ins, ts, self.eta, self.x, bs)
        return self._next

    def partial(self, of: str, by: str) -> float:
        """∂of/∂by: how `of` moves when `by` does, everything not computed from `by` held fixed."""
        if of == by:
            return 1.0
        if names.is_loss(by):  # E_total = E1 + E2: ∂E_total/∂E1 = 1; nothing else is computed from a loss
            if of == names.E_TOTAL or of in self.values:
                return 1.0 if of == names.E_TOTAL else 0.0
            raise unknown(names.grad(by, of))
        if of in self.given or of in (names.ETA, eq.FREE):
            return 0.0  # a parameter depends on nothing else
        if of not in self.values or (by in self.given and not names.is_param(by)):
            raise unknown(names.grad(by, of))  # ∂h1/∂i1, ∂E1/∂t1: not among the reference's partials
        if of not in self._partials:
            self._partials[of] = _local(self.net, of)(self.given)
        key = names.grad(by, of)
        if key not in self._partials[of]:
            raise unknown(key)
        return self._partials[of][key]

    def quantities(self):
        """(name, value) of every quantity here: the given values, the forward pass, ∂E_total/∂…"""
        yield from self.given.items()
        yield from ((q, v) for q, v in self.values.items() if q not in self.given)


def value(e, p: Point, override: dict | None = None) -> float:
    """A tree's value at a point; `override` replaces names (by name) or printed numbers (by id)."""
    override = override or {}
    try:
        return _value(e, p, override)
    except (OverflowError, ZeroDivisionError, ValueError):
        return math.nan


def _value(e, p, override) -> float:
    if isinstance(e, Num):
        return override.get(id(e), e.value)
    if isinstance(e, Sym):
        return override[e.name] if e.name in override else p.value(e.name)
    if isinstance(e, Partial):
        return p.partial(e.of, e.by)
    if isinstance(e, Deriv):
        return _derivative(e, p, override)
    if isinstance(e, Neg):
        return -_value(e.arg, p, override)
    if isinstance(e, Call):
        x = _value(e.arg, p, override)
        return 1 / (1 + math.exp(-x)) if e.fn == "σ" else math.exp(x) if e.fn == "exp" else math.log(x)
    a, b = _value(e.left, p, override), _value(e.right, p, override)
    if e.op == "+":
        return a + b
    if e.op == "-":
        return a - b
    if e.op == "*":
        return a * b
    if e.op == "/":
        return a / b
    return math.pow(a, b)  # a ValueError, not a complex number, for (−8)^(1/3)


def _derivative(e: Deriv, p: Point, override) -> float:
    """∂(expression)/∂by = Σ over each name n in it: ∂expression/∂n (central differences) · ∂n/∂by
    (the reference's)."""
    if any(isinstance(x, Partial | Deriv) for x in eq.walk(e.expr)):
        raise Skip("a derivative of a derivative, which the reference does not give")
    total = 0.0
    for n in dict.fromkeys(node.name for node in eq.walk(e.expr) if isinstance(node, Sym)):
        slope = 1.0 if n == e.by else p.partial(n, e.by)
        if slope == 0.0:
            continue
        v = override[n] if n in override else p.value(n)
        h = 1e-6 * max(1.0, abs(v))
        up = _value(e.expr, p, {**override, n: v + h})
        down = _value(e.expr, p, {**override, n: v - h})
        total += (up - down) / (2 * h) * slope
    return total


def close(a: float, b: float) -> bool:
    if a != a or b != b:
        return a != a and b != b
    return abs(a - b) <= IDENTITY_RTOL * max(abs(a), abs(b)) + 1e-12


def all_close(xs, ys) -> bool:
    return all(close(x, y) for x, y in zip(xs, ys))


def random_points(net: spec.Spec, n: int = POINTS) -> list[Point]:
    """n points of (inputs, targets, weights, η) where the network is nowhere special (seeded)."""
    rng = random.Random(SEED)
    out = []
    for _ in range(n):
        weights = [rng.uniform(-1, 1) for _ in net.weights]
        inputs = [rng.uniform(0.05, 1) for _ in net.inputs]
        targets = [rng.uniform(0.05, 0.95) for _ in net.targets]
        if net.loss == "cross_entropy":  # probabilities, as the template requires: ∂E_total/∂o1 = a_o1 − t1
            targets = [t / sum(targets) for t in targets]
        out.append(Point(net, weights, inputs, targets, rng.uniform(0.05, 2), rng.uniform(-2, 2)))
    return out
