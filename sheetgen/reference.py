"""Stage 2: the reference evaluator, a tiny autograd in the manner of micrograd.

It knows nothing of Excel, layouts or formula text: it runs the forward pass, lets the chain
rule flow backwards through the graph it recorded, and takes the SGD step. Its numbers are the
workbook's cached results; and, run on one row at a time with every quantity pinned to the
sheet's own value (`local`), the yardstick `check` and `verify` judge each cell with.

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
            # σ'(x) = σ(x)·(1 − σ(x)): the slope is read off the output (out.data, which `local`
            # may have pinned to the sheet's a_h1), as the seeds write a_h1·(1 − a_h1)
            s = out.data
            self.grad += s * (1.0 - s) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(_finite_or_error(self.data))
        out = Value(t, (self,))

        def _backward():
            # tanh'(x) = 1 − tanh(x)²: again read off the output
            t = out.data
            self.grad += (1.0 - t * t) * out.grad

        out._backward = _backward
        return out

    def identity(self):
        """A node of its own for a linear activation: a_o1 = o1, yet a cell (and a name) apart."""
        out = Value(self.data, (self,))

        def _backward():
            self.grad += out.grad

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

    def backward(self, tape=None, hook=None):
        """Fill in .grad of everything this value was computed from. Given the tape of the pass
        that made it, its reverse is the order; else sort the graph. `hook(v)`, if given, sees
        each node on the tape once its gradient is complete, before it is passed on."""
        if tape is not None:
            self.grad = 1.0
            for v in reversed(tape):
                if hook:
                    hook(v)
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
        return z.identity()
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
    spec: Spec, weights, biases=None, wires=None, tape=None, inputs=None, targets=None, pin=None
) -> tuple[dict[str, Value], list[Value], list[Value]]:
    """One forward pass: every named quantity of the table, and the weight and bias leaves.
    With `tape` (a list), records every Value it makes, in order, for backward(). `pin(name, v)`,
    if given, sees each named quantity as soon as it is computed, before anything reads it."""
    Value.tape = tape
    try:
        return _forward(spec, weights, biases, wires, inputs, targets, pin or _unpinned)
    finally:
        Value.tape = None


def _unpinned(name, v):
    pass


def _forward(spec, weights, biases, wires, inputs, targets, pin):
    w = [Value(x) for x in weights]
    b = [Value(x) for x in (spec.biases if biases is None else biases)]
    named: dict[str, Value] = {}
    acts = [Value(x) for x in (spec.inputs if inputs is None else inputs)]
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
            pin(name, z)
            named[names.act(name)] = a = activate(z, activation, spec.leaky_slope)
            pin(names.act(name), a)
            nxt.append(a)
        acts = nxt
    total = None
    for j, (a, t) in enumerate(zip(acts, spec.targets if targets is None else targets)):
        # E = ½(t − a)²: the ½ cancels the 2 the derivative brings down
        e = 0.5 * (t - a).square()
        named[names.loss(j + 1)] = e
        pin(names.loss(j + 1), e)
        total = e if total is None else total + e
    named[names.E_TOTAL] = total
    pin(names.E_TOTAL, total)
    return named, w, b


def sgd(values, grads, eta: float) -> list[float]:
    """Plain gradient descent: every parameter steps against its own gradient, w ← w − η·∂E_total/∂w.
    A step that overflows is #NUM!, as a spreadsheet shows it."""
    return [_finite_or_error(x - eta * g) for x, g in zip(values, grads)]


def local(spec: Spec, given: dict[str, float], of: str = names.E_TOTAL, wires=None) -> dict[str, float]:
    """Every quantity of one row, each recomputed from the row's own values of what it reads.

    `given`: the sheet's values by name: the weights w1.. (b1.. when trainable), and whichever of
    i1.., t1.., h1, a_h1, …, E1.., E_total, ∂E_total/∂… the sheet holds. Each named quantity is
    computed from its inputs, recorded, and then replaced by the sheet's own value before anything
    downstream reads it; the backward pass does the same with gradients. So a wrong cell shows in
    its own quantity alone, never in what is computed from it: the judgement is local.

    `of` = E1 (say) gives ∂E1/∂… instead, the paths through o1 alone (the sheet's ∂E_total/∂…
    are then not pinned: they belong to another loss).
    """
    return Local(spec, of, wires)(given)


class Local:
    """`local` for one network, its names worked out once (a table calls it for every row)."""

    def __init__(self, spec: Spec, of: str = names.E_TOTAL, wires=None):
        self.spec, self.of, self.wires = spec, of, wires or wiring(spec)
        self.inputs = [(names.input_(n), x) for n, x in enumerate(spec.inputs, 1)]
        self.targets = [(names.target(n), x) for n, x in enumerate(spec.targets, 1)]
        self.weights = [names.weight(k) for k in range(1, len(spec.weights) + 1)]
        self.biases = [(names.bias(k), x) for k, x in enumerate(spec.biases, 1)]
        self.leaves = [names.grad(q, of) for q in self.weights] + [names.grad(q, of) for q, _ in self.biases]
        self.grad_of = {}  # a named quantity -> the name of its gradient (none for the losses)
        for layer in self.wires:
            for n, *_ in layer:
                self.grad_of[n] = names.grad(n, of)
                self.grad_of[names.act(n)] = names.grad(names.act(n), of)
        self.pinned = of == names.E_TOTAL

    def __call__(self, given: dict[str, float]) -> dict[str, float]:
        expected: dict[str, float] = {}
        gradient_of: dict[int, str] = {}
        grad_of = self.grad_of

        def pin(name, v):
            expected[name] = v.data
            if name in given:
                v.data = given[name]
            if name in grad_of:
                gradient_of[id(v)] = grad_of[name]

        tape = []
        inputs = [given.get(q, x) for q, x in self.inputs]
        targets = [given.get(q, x) for q, x in self.targets]
        biases = [given.get(q, x) for q, x in self.biases]
        named, w, b = forward(
            self.spec, [given[q] for q in self.weights], biases, self.wires, tape, inputs, targets, pin
        )
        for v, name in zip(w + b, self.leaves):
            gradient_of[id(v)] = name
        pinned = self.pinned

        def hook(v):
            name = gradient_of.get(id(v))
            if name is not None:
                expected[name] = v.grad
                if pinned and name in given:
                    v.grad = given[name]

        named[self.of].backward(tape, hook)
        return {name: x if x * 0 == 0 else NUM_ERROR for name, x in expected.items()}


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
        # every parameter steps against its own gradient, all from the same forward pass
        weights = sgd(weights, [v.grad for v in w], eta)
        if trainable:
            biases = sgd(biases, [v.grad for v in b], eta)


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
