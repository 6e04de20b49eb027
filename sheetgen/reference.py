"""Stage 2: the reference evaluator, a tiny autograd in the manner of micrograd.

It knows nothing of Excel, layouts or formula text: it runs the forward pass, lets the chain
rule flow backwards through the graph it recorded, and takes the SGD step. Its numbers are the
workbook's cached results and the yardstick `verify` measures LibreOffice's recalculation with.
"""

import math

from .spec import Spec


class Value:
    """A scalar that remembers the values it was computed from, and how to pass gradient back."""

    __slots__ = ("data", "grad", "_prev", "_backward")

    def __init__(self, data, prev=()):
        self.data = data
        self.grad = 0.0
        self._prev = prev
        self._backward = lambda: None

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
        s = 1.0 / (1.0 + math.exp(-self.data))
        out = Value(s, (self,))

        def _backward():
            # σ'(x) = σ(x)·(1 − σ(x)): the slope is read off the output, no second exp needed
            self.grad += s * (1.0 - s) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        # order the graph so each node passes gradient back only after all its users have
        order, seen = [], set()

        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for child in v._prev:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


def forward(spec: Spec, weights) -> tuple[dict[str, Value], list[Value]]:
    """One forward pass; returns every named quantity of the seeds' table, and the weight leaves."""
    w = [Value(x) for x in weights]
    named: dict[str, Value] = {}
    acts = [Value(x) for x in spec.inputs]
    by_receiver: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for k, layer, j, i in spec.connections():
        by_receiver.setdefault((layer, j), []).append((k, i))
    for layer in range(1, len(spec.layers)):
        nxt = []
        for j in range(spec.layers[layer]):
            name = spec.neuron(layer, j)
            z = None
            for k, i in by_receiver[(layer, j)]:
                term = w[k - 1] * acts[i]
                z = term if z is None else z + term
            named[name] = z
            named[f"a_{name}"] = a = z.sigmoid()
            nxt.append(a)
        acts = nxt
    total = None
    for j, (a, t) in enumerate(zip(acts, spec.targets)):
        # E = ½(t − a)²: the ½ cancels the 2 the derivative brings down
        e = 0.5 * (t - a).square()
        named[f"E{j + 1}"] = e
        total = e if total is None else total + e
    named["E_total"] = total
    return named, w


def run(spec: Spec, eta: float) -> dict[str, list[float]]:
    """The whole table for one learning rate: column name -> one value per iteration.

    Columns: w1..wn (the weights used in that row), every neuron's net input and activation,
    E1.., E_total, ∂E_total/∂w1.., and ∂E_total/∂a_… for every hidden neuron.
    """
    weights = list(spec.weights)
    trace: dict[str, list[float]] = {}
    hidden = [spec.neuron(layer, j) for layer in range(1, len(spec.layers) - 1) for j in range(spec.layers[layer])]
    for _ in range(spec.iterations):
        named, w = forward(spec, weights)
        named["E_total"].backward()
        row = {f"w{k}": x for k, x in enumerate(weights, 1)}
        row.update((name, v.data) for name, v in named.items())
        row.update((f"∂E_total/∂w{k}", v.grad) for k, v in enumerate(w, 1))
        row.update((f"∂E_total/∂a_{h}", named[f"a_{h}"].grad) for h in hidden)
        for name, x in row.items():
            trace.setdefault(name, []).append(x)
        # plain SGD: every weight steps against its own gradient, all from the same forward pass
        weights = [x - eta * v.grad for x, v in zip(weights, w)]
    return trace


def loss(spec: Spec, weights) -> float:
    """E_total for given weights; what finite differences are taken of."""
    return forward(spec, weights)[0]["E_total"].data
