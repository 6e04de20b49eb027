"""Stage 2: the reference evaluator, a tiny autograd in the manner of micrograd.

It knows nothing of Excel, layouts or formula text: it runs the forward pass, lets the chain
rule flow backwards through the graph it recorded, and takes the SGD step. Its numbers are the
workbook's cached results and the yardstick `verify` measures LibreOffice's recalculation with.

Divergence: a spreadsheet turns every result that is not a finite number into #NUM!, and an error
poisons everything computed from it. Here NaN stands for #NUM!: arithmetic carries NaN along by
itself; the activations, where Python would turn inf back into a number (exp, tanh), say NaN first.
"""

import math

from . import names
from .spec import Spec

NUM_ERROR = math.nan  # what a spreadsheet shows as #NUM!


def _nothing():
    pass


def _finite_or_error(x: float) -> float:
    return x if math.isfinite(x) else NUM_ERROR


class Value:
    """A scalar that remembers the values it was computed from, and how to pass gradient back."""

    __slots__ = ("data", "grad", "_prev", "_backward")
    tape: list | None = None  # while set, every new Value is appended: creation order is a topological order

    def __init__(self, data, prev=()):
        self.data = data
        self.grad = 0.0
        self._prev = prev
        self._backward = _nothing
        if Value.tape is not None:
            Value.tape.append(self)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __sub__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data - other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad -= out.grad

        out._backward = _backward
        return out

    def __rsub__(self, other):
        return Value(other) - self

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    __rmul__ = __mul__

    def square(self):
        out = Value(self.data * self.data, (self,))

        def _backward():
            self.grad += 2.0 * self.data * out.grad

        out._backward = _backward
        return out

    def sigmoid(self):
        x = _finite_or_error(self.data)
        try:
            s = 1.0 / (1.0 + math.exp(-x))
        except OverflowError:  # EXP(z) beyond ~709.78: #NUM! in the sheet
            s = NUM_ERROR
        out = Value(s, (self,))

        def _backward():
            # σ'(x) = σ(x)·(1 − σ(x)): the slope is read off the output, no second exp needed
            self.grad += s * (1.0 - s) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(_finite_or_error(self.data))
        out = Value(t, (self,))

        def _backward():
            # tanh'(x) = 1 − tanh(x)²: again read off the output
            self.grad += (1.0 - t * t) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        return self.leaky_relu(0.0)

    def leaky_relu(self, slope):
        x = _finite_or_error(self.data)
        out = Value(x if x > 0 else slope * x, (self,))

        def _backward():
            # the kink at x = 0 takes the left slope (0 for relu): the sheet's IF(z>0, …) agrees;
            # IF(#NUM!>0, …) is #NUM! itself
            self.grad += (1.0 if x > 0 else slope if x == x else NUM_ERROR) * out.grad

        out._backward = _backward
        return out

    def backward(self, tape=None):
        """Fill in .grad of everything this value was computed from. Given the tape of the pass
        that made it (ending with self), its reverse is the order; else sort the graph."""
        if tape is not None:
            self.grad = 1.0
            for v in reversed(tape):
                v._backward()
            return
        # order the graph so each node passes gradient back only after all its users have
        # (a depth-first post-order, iterative: no recursion limit for deep nets)
        order, seen, stack = [], {id(self)}, [(self, False)]
        while stack:
            v, expanded = stack.pop()
            if expanded:
                order.append(v)
                continue
            stack.append((v, True))
            for child in v._prev:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, False))
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


def activate(z: Value, name: str, slope: float) -> Value:
    if name == "linear":
        return z
    if name == "relu":
        return z.relu()
    if name == "leaky_relu":
        return z.leaky_relu(slope)
    return getattr(z, name)()  # sigmoid, tanh


def wiring(spec: Spec) -> list[list[tuple[str, list[tuple[int, int]], int | None, str]]]:
    """Per layer after the inputs, per neuron: (name, [(weight k, sender i)], bias k or None, activation)."""
    bias_of = spec.bias_of()
    return [
        [
            (
                spec.neuron(layer, j),
                [(k, i) for k, lay, jj, i in spec.connections() if (lay, jj) == (layer, j)],
                bias_of.get((layer, j)),
                spec.activations[layer - 1],
            )
            for j in range(spec.layers[layer])
        ]
        for layer in range(1, len(spec.layers))
    ]


def forward(
    spec: Spec, weights, biases=None, wires=None, tape=None
) -> tuple[dict[str, Value], list[Value], list[Value]]:
    """One forward pass: every named quantity of the table, and the weight and bias leaves.
    With `tape` (a list), records every Value it makes, in order, for backward()."""
    Value.tape = tape
    try:
        return _forward(spec, weights, biases, wires)
    finally:
        Value.tape = None


def _forward(spec, weights, biases, wires):
    w = [Value(x) for x in weights]
    b = [Value(x) for x in (spec.biases if biases is None else biases)]
    named: dict[str, Value] = {}
    acts = [Value(x) for x in spec.inputs]
    for layer in wires or wiring(spec):
        nxt = []
        for name, senders, bias, activation in layer:
            z = None
            for k, i in senders:
                term = w[k - 1] * acts[i]
                z = term if z is None else z + term
            if bias is not None:
                z = z + b[bias - 1]
            named[name] = z
            named[names.act(name)] = a = activate(z, activation, spec.leaky_slope)
            nxt.append(a)
        acts = nxt
    total = None
    for j, (a, t) in enumerate(zip(acts, spec.targets)):
        # E = ½(t − a)²: the ½ cancels the 2 the derivative brings down
        e = 0.5 * (t - a).square()
        named[names.loss(j + 1)] = e
        total = e if total is None else total + e
    named[names.E_TOTAL] = total
    return named, w, b


def iterate(spec: Spec, eta: float):
    """One dict per iteration, name -> value, computed as it is asked for (memory stays flat).

    Names: w1..wn (the weights used in that row), b1.. when trainable, every neuron's net input
    and activation, E1.., E_total, ∂E_total/∂w1.. (and ∂E_total/∂b1..), and ∂E_total/∂a_… for
    every hidden neuron. NaN stands for #NUM!.
    """
    weights, biases = list(spec.weights), list(spec.biases)
    trainable = spec.bias == "trainable"
    hidden = [spec.neuron(layer, j) for layer in range(1, len(spec.layers) - 1) for j in range(spec.layers[layer])]
    wires = wiring(spec)
    for _ in range(spec.iterations):
        tape = []
        named, w, b = forward(spec, weights, biases, wires, tape)
        named[names.E_TOTAL].backward(tape)
        row = {names.weight(k): x for k, x in enumerate(weights, 1)}
        if trainable:
            row.update((names.bias(k), x) for k, x in enumerate(biases, 1))
            row.update((names.grad(names.bias(k)), v.grad) for k, v in enumerate(b, 1))
        row.update((name, v.data) for name, v in named.items())
        row.update((names.grad(names.weight(k)), v.grad) for k, v in enumerate(w, 1))
        row.update((names.grad(names.act(h)), named[names.act(h)].grad) for h in hidden)
        # x·0 == 0 only for finite x: inline, as this runs for every cell of every tab
        yield {name: x if x * 0 == 0 else NUM_ERROR for name, x in row.items()}
        # plain SGD: every parameter steps against its own gradient, all from the same forward pass
        weights = [x - eta * v.grad for x, v in zip(weights, w)]
        if trainable:
            biases = [x - eta * v.grad for x, v in zip(biases, b)]


def run(spec: Spec, eta: float) -> dict[str, list[float]]:
    """The whole table for one learning rate: column name -> one value per iteration."""
    trace: dict[str, list[float]] = {}
    for row in iterate(spec, eta):
        for name, x in row.items():
            trace.setdefault(name, []).append(x)
    return trace


def first_error(trace: dict[str, list[float]]) -> int | None:
    """The first iteration (1-based) with a #NUM! anywhere in its row, or None."""
    rows = zip(*trace.values())
    return next((n for n, row in enumerate(rows, 1) if any(x != x for x in row)), None)


def loss(spec: Spec, weights, biases=None) -> float:
    """E_total for given weights (and biases); what finite differences are taken of."""
    return forward(spec, weights, biases)[0][names.E_TOTAL].data
