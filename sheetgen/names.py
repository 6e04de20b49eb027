"""The vocabulary: every quantity's name, as the seeds write it, made in one place.

The layout's headers, the formulas' references, the reference's trace keys and the judge's
verdicts all name quantities through these functions, so they agree by construction. Numbers
count from 1, as the seeds do: i1, w1, h1, E1.
"""

import re

ITERATION = "Iteration"
E_TOTAL = "E_total"
ETA = "η"  # the learning rate
ALPHA = "α"  # leaky_relu's slope below zero


def input_(n: int) -> str:
    return f"i{n}"


def target(n: int) -> str:
    return f"t{n}"


def weight(k: int) -> str:
    return f"w{k}"


def bias(k: int) -> str:
    return f"b{k}"


def loss(n: int) -> str:
    return f"E{n}"


def neuron(layers, layer: int, j: int) -> str:
    """i1, i2 | h1, h2 | o1, o2; deeper nets number their hidden layers h1_1, h2_1, … (j from 1)."""
    if layer == 0:
        return input_(j)
    if layer == len(layers) - 1:
        return f"o{j}"
    return f"h{j}" if len(layers) == 3 else f"h{layer}_{j}"


def act(n: str) -> str:
    """The activation of neuron n: a_h1 = σ(h1)."""
    return f"a_{n}"


def grad(q: str, of: str = E_TOTAL) -> str:
    """∂E_total/∂w1: how the loss (or one output's loss E1) changes with q."""
    return f"∂{of}/∂{q}"


def defined(label: str) -> str:
    """The sheet-level defined name of a parameter cell. Excel forbids names that look like cell
    addresses (i1, w5), so they carry an underscore: i_1, w_5; η is `eta`, α is `alpha`."""
    return {ETA: "eta", ALPHA: "alpha"}.get(label) or re.sub(r"^([a-z]+)(\d+)$", r"\1_\2", label)


def label(defined_name: str) -> str:
    """The inverse of defined(): t_1 -> t1, eta -> η."""
    return {"eta": ETA, "alpha": ALPHA}.get(defined_name) or defined_name.replace("_", "")


_PARAM = re.compile(r"[wb]\d+")  # what the optimizer updates
_GRAD = re.compile(r"∂(E_total|E\d+)/∂(.+)")


def is_param(name: str) -> bool:
    """A weight or bias: the first row holds its initial value, each later row its update."""
    return _PARAM.fullmatch(name) is not None


def is_loss(name: str) -> bool:
    return name == E_TOTAL or re.fullmatch(r"E\d+", name) is not None


def of_grad(name: str) -> str | None:
    """∂E_total/∂w1 -> w1; None if `name` is not a gradient."""
    m = _GRAD.fullmatch(name)
    return m[2] if m else None
