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

from sheetgen.model import names
from sheetgen.model.spec import SOFTMAX, Spec

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


def softmax(zs: list[Value]) -> list[Value]:
    """p_j = exp(z_j)/(exp(z_1) + … + exp(z_n)), as the sheet writes it (an EXP beyond ~709.78 is #NUM!)."""
    try:
        exps = [math.exp(_finite_or_error(z.data)) for z in zs]
    except OverflowError:
        exps = [NUM_ERROR] * len(zs)
    total = exps[0]
    for e in exps[1:]:
        total = total + e
    outs = [Value(e / total, tuple(zs)) for e in exps]
    for j, out in enumerate(outs):

        def _backward(j=j, out=out):
            # ∂p_j/∂z_i = p_j·(δ_ij − p_i), read off the outputs (which `local` may have pinned)
            if out.grad:
                for i, z in enumerate(zs):
                    z.grad += out.grad * out.data * ((1.0 if i == j else 0.0) - outs[i].data)

        out._backward = _backward
    return outs


def cross_entropy(zs: list[Value], ps: list[Value], j: int, t: float) -> Value:
    """E_j = −t_j·ln p_j, its gradient passed straight to the logits z, as PyTorch's cross_entropy
    differentiates log-softmax: ∂E_j/∂z_i = t_j·(p_i − δ_ij), which sums over j to p_i − t_i when the
    targets sum to 1 — the sheet's a_o1 − t1. (Through ∂ln p/∂p = 1/p the same number would lose
    digits as p nears 1.)"""
    p = ps[j].data
    out = Value(-t * math.log(p) if p > 0 else NUM_ERROR, (*zs, ps[j]))  # LN(0) is #NUM!

    def _backward():
        for i, z in enumerate(zs):
            z.grad += out.grad * t * (ps[i].data - (1.0 if i == j else 0.0))

    out._backward = _backward
    return out


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
    zs = []
    for layer in wires or wiring(spec):
        nxt, zs = [], []
        for name, senders, bias, activation in layer:
            z = None
            for k, i in senders:
                term = w[k - 1] * acts[i]
                z = term if z is None else z + term
            if bias is not None:
                z = z + b[bias - 1]
            named[name] = z
            pin(name, z)
            zs.append(z)
            if activation == SOFTMAX:  # the layer's activations come together, once every z is in
                continue
            named[names.act(name)] = a = activate(z, activation, spec.leaky_slope)
            pin(names.act(name), a)
            nxt.append(a)
        if layer[0][3] == SOFTMAX:
            nxt = softmax(zs)
            for (name, *_), a in zip(layer, nxt):
                named[names.act(name)] = a
                pin(names.act(name), a)
        acts = nxt
    total = None
    for j, (a, t) in enumerate(zip(acts, spec.targets if targets is None else targets)):
        if spec.loss == "cross_entropy":  # E = −t·ln p, p the softmax of the output layer's z
            e = cross_entropy(zs, acts, j, t)
        else:  # E = ½(t − a)²: the ½ cancels the 2 the derivative brings down
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


class Optimizer:
    """PyTorch's optimizers (torch.optim, with their other options at their defaults: no dampening,
    Nesterov, weight decay, AMSGrad, centring or learning-rate decay), for one scalar parameter at a time.

    `state(before, g)`: the parameter's state after gradient g — what optimizer.state[p] holds after
    optimizer.step() — from the state before (None at the first step). `step(w, g, state, t, η)`: the
    parameter after step number t, from that state. The sheet writes the state in the row of the
    gradient it takes in, and the stepped parameter in the row below.
    """

    def __init__(self, name: str, settings: dict[str, float]):
        self.name = name
        self.kinds = names.STATE[name]  # the state's names, in the order state() returns them
        h = settings
        self.mu, self.alpha = h.get(names.MOMENTUM), h.get(names.SMOOTHING)
        self.beta_1, self.beta_2, self.eps = h.get(names.BETA_1), h.get(names.BETA_2), h.get(names.EPS)

    @classmethod
    def of(cls, spec: Spec, settings: dict[str, float] | None = None) -> "Optimizer":
        """The spec's optimizer; `settings` (label -> value) in place of the spec's, as a sheet holds them."""
        return cls(spec.optimizer, dict(spec.settings) if settings is None else settings)

    def state(self, before: tuple | None, g: float) -> tuple:
        name = self.name
        if name == "momentum":
            # SGD(momentum=μ): b ← g at the first step, then b ← μ·b + g
            return (g,) if before is None else (self.mu * before[0] + g,)
        if name == "rmsprop":
            # RMSprop: v ← α·v + (1 − α)·g², from v = 0
            a = self.alpha
            return ((1 - a) * g * g,) if before is None else (a * before[0] + (1 - a) * g * g,)
        if name == "adam":
            # Adam: m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², both from 0
            b1, b2 = self.beta_1, self.beta_2
            if before is None:
                return ((1 - b1) * g, (1 - b2) * g * g)
            m, v = before
            return (b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g)
        if name == "adagrad":
            # Adagrad: sum ← sum + g², from 0
            return (g * g,) if before is None else (before[0] + g * g,)
        return ()  # plain SGD keeps no state

    def step(self, w: float, g: float, state: tuple, t: float, eta: float) -> float:
        name = self.name
        if name == "momentum":
            return w - eta * state[0]  # w ← w − η·b
        if name in ("rmsprop", "adagrad"):
            return w - eta * g / (_sqrt(state[0]) + self.eps)  # w ← w − η·g/(√v + ε)
        if name == "adam":
            # w ← w − η/(1 − β1^t)·m/(√v/√(1 − β2^t) + ε): the bias-corrected averages, in PyTorch's order
            m, v = state
            return w - eta / (1 - self.beta_1**t) * m / (_sqrt(v) / _sqrt(1 - self.beta_2**t) + self.eps)
        return w - eta * g  # w ← w − η·g


def _sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 else NUM_ERROR  # NaN (#NUM!) in: NaN out, as SQRT(#NUM!)


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
    """`local` for one network, its names worked out once (a table calls it for every row).

    Several samples in a row (full batch): each sample's block is recomputed from its own cells
    (h1[2] from w1, w2 and i1[2], i2[2]), and the batch's E_total and ∂E_total/∂w from the samples'
    cells, as their mean. Online (one sample a row): the row's sample from its Iteration, its
    inputs and targets from that sample's named cells, and the rest from them as for one sample."""

    def __init__(self, spec: Spec, of: str = names.E_TOTAL, wires=None):
        self.spec = spec
        self.sample = _Sample(spec, of, wires)
        self.n = spec.n_samples
        self.given = [q for q, _ in self.sample.inputs] + [q for q, _ in self.sample.targets]
        # what a row is given from outside its own columns' rules: each sample's inputs and targets
        self.reads = (
            [names.sampled(q, s) for s in range(1, self.n + 1) for q in self.given] if self.n > 1 else self.given
        )
        if self.n > 1 and not spec.online:
            core = self.sample
            local = [q for layer in core.wires for n, *_ in layer for q in (n, names.act(n))]
            local += [*core.grad_of.values(), *core.leaves, names.E_TOTAL]
            local += [names.loss(j) for j in range(1, spec.layers[-1] + 1)]
            self.blocks = [[(names.sampled(q, s), q) for q in local] for s in range(1, self.n + 1)]
            self.shared = core.weights + [q for q, _ in core.biases]
            self.params = core.weights + ([q for q, _ in core.biases] if spec.bias == "trainable" else [])
            self.batch = of == names.E_TOTAL  # ∂E1/∂… (a diagnosis's question) is each sample's alone

    def __call__(self, given: dict[str, float]) -> dict[str, float]:
        if self.n == 1:
            return self.sample(given)
        if self.spec.online:
            return self._online(given)
        return self._full(given)

    def _online(self, given):
        expected = {}
        if (t := given.get(names.ITERATION)) is not None:
            expected[names.SAMPLE] = (t - 1) % self.n + 1  # MOD(Iteration − 1, N) + 1
        s = given.get(names.SAMPLE)
        if s is not None and s == s and s == int(s) and 1 <= s <= self.n:  # CHOOSE(sample, i1[1], i1[2], …)
            expected |= {q: x for q in self.given if (x := given.get(names.sampled(q, int(s)))) is not None}
        return expected | self.sample(given)

    def _full(self, given):
        expected = {}
        shared = {q: given[q] for q in self.shared if q in given}
        losses, grads = [], [[] for _ in self.params]
        for s, (block, (inputs, targets)) in enumerate(zip(self.blocks, self.spec.data()), 1):
            sub = dict(shared)
            sub |= {q: given.get(names.sampled(q, s), x) for q, x in zip(self.given, inputs + targets)}
            sub |= {q: given[at] for at, q in block if at in given}
            own = self.sample(sub)
            expected |= {at: own[q] for at, q in block if q in own}
            if not self.batch:
                continue
            # the batch reads each sample's own cells: the sheet's, where it has them
            losses.append(sub.get(names.E_TOTAL, own[names.E_TOTAL]))
            for g, p in zip(grads, self.params):
                g.append(sub.get(names.grad(p), own[names.grad(p)]))
        if self.batch:
            expected[names.E_TOTAL] = mean(losses)
            expected |= {names.grad(p): mean(g) for p, g in zip(self.params, grads)}
        return expected


def mean(values) -> float:
    """(x1 + x2 + … + xN)/N, added left to right as the sheet's formula does."""
    total = values[0]
    for x in values[1:]:
        total = total + x
    return total / len(values)


class _Sample:
    """`local` for one sample's forward and backward pass."""

    def __init__(self, spec: Spec, of: str = names.E_TOTAL, wires=None):
        self.spec, self.of, self.wires = spec, of, wires or wiring(spec)
        self.inputs = [(names.input_(n), x) for n, x in enumerate(spec.inputs, 1)]
        self.targets = [(names.target(n), x) for n, x in enumerate(spec.targets, 1)]
        self.weights = [names.weight(k) for k in range(1, len(spec.weights) + 1)]
        self.biases = [(names.bias(k), x) for k, x in enumerate(spec.biases, 1)]
        self.leaves = [names.grad(q, of) for q in self.weights] + [names.grad(q, of) for q, _ in self.biases]
        self.grad_of = {}  # a named quantity -> the name of its gradient (none for the losses)
        for layer in self.wires:
            for n, *_, activation in layer:
                self.grad_of[n] = names.grad(n, of)
                if activation != SOFTMAX:  # cross-entropy passes its gradient to o1 directly, not via a_o1
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
    every hidden neuron; the optimizer's state. Several samples a row: each sample's quantities
    as h1[2], …, E_total[2], ∂E_total/∂w1[2], and E_total and ∂E_total/∂w1 their mean. Online: the
    row's sample, its inputs i1.. and targets t1.. NaN stands for #NUM!.
    """
    weights, biases = list(spec.weights), list(spec.biases)
    trainable = spec.bias == "trainable"
    hidden = [spec.neuron(layer, j) for layer in range(1, len(spec.layers) - 1) for j in range(spec.layers[layer])]
    wires = wiring(spec)
    optimizer = Optimizer.of(spec)
    params = [names.weight(k) for k in range(1, len(weights) + 1)]
    params += [names.bias(k) for k in range(1, len(biases) + 1)] if trainable else []
    state_names = [[names.state(kind, p) for kind in optimizer.kinds] for p in params]
    states = [None] * len(params)
    data, online = spec.data(), spec.online
    split = len(data) > 1 and not online  # every sample in every row, each in its own columns
    for n in range(spec.iterations):
        row = {names.weight(k): x for k, x in enumerate(weights, 1)}
        if trainable:
            row.update((names.bias(k), x) for k, x in enumerate(biases, 1))
        chosen = [n % len(data)] if online else range(len(data))
        losses, grads = [], []
        for s in chosen:
            inputs, targets = data[s]
            tape = []
            named, w, b = forward(spec, weights, biases, wires, tape, inputs, targets)
            named[names.E_TOTAL].backward(tape)
            own = {name: v.data for name, v in named.items()}
            own.update((names.grad(names.weight(k)), v.grad) for k, v in enumerate(w, 1))
            if trainable:
                own.update((names.grad(names.bias(k)), v.grad) for k, v in enumerate(b, 1))
            own.update((names.grad(names.act(h)), named[names.act(h)].grad) for h in hidden)
            if online:
                row[names.SAMPLE] = float(s + 1)
                row.update((names.input_(i), x) for i, x in enumerate(inputs, 1))
                row.update((names.target(j), x) for j, x in enumerate(targets, 1))
            row.update(((names.sampled(q, s + 1), x) for q, x in own.items()) if split else own.items())
            losses.append(own[names.E_TOTAL])
            grads.append([v.grad for v in w + (b if trainable else [])])
        if split:  # the batch: the gradient of the mean loss is the mean of the samples' gradients
            row[names.E_TOTAL] = mean(losses)
            row.update((names.grad(p), mean(g)) for p, g in zip(params, zip(*grads)))
        grads = [row[names.grad(p)] for p in params]
        if optimizer.kinds:  # the state after this row's gradient, in this row
            # an overflow is #NUM! at once, as in the sheet (inf would otherwise step as a finite 0)
            states = [tuple(map(_finite_or_error, optimizer.state(s, g))) for s, g in zip(states, grads)]
            row.update((q, x) for qs, s in zip(state_names, states) for q, x in zip(qs, s))
        # x·0 == 0 only for finite x: inline, as this runs for every cell of every tab
        yield {name: x if x * 0 == 0 else NUM_ERROR for name, x in row.items()}
        # every parameter steps by its own gradient (and state), all from the same forward pass
        stepped = [optimizer.step(x, g, s, n + 1, eta) for x, g, s in zip(weights + biases, grads, states)]
        weights = stepped[: len(weights)]
        if trainable:
            biases = stepped[len(weights) :]


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
    """E_total for given weights (and biases), the mean over the samples; what finite differences are
    taken of."""
    return mean([forward(spec, weights, biases, inputs=x, targets=t)[0][names.E_TOTAL].data for x, t in spec.data()])
