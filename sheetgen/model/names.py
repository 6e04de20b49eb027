"""The vocabulary: every quantity's name, as the seeds write it, made in one place.

The layout's headers, the formulas' references, the reference's trace keys and the judge's
verdicts all name quantities through these functions, so they agree by construction. Numbers
count from 1, as the seeds do: i1, w1, h1, E1.
"""

import re

ITERATION = "Iteration"
SAMPLE = "sample"  # online training: the sample a row trains on
E_TOTAL = "E_total"
ETA = "η"  # the learning rate
ALPHA = "α"  # leaky_relu's slope below zero

# The optimizers' hyperparameters, by the labels of their named cells: PyTorch's symbols. RMSprop's
# smoothing constant is α in PyTorch too, but α is leaky_relu's slope here: it is α_rms (alpha_rms).
MOMENTUM = "μ"  # torch.optim.SGD(momentum=μ)
SMOOTHING = "α_rms"  # torch.optim.RMSprop(alpha=α)
BETA_1, BETA_2 = "β1", "β2"  # torch.optim.Adam(betas=(β1, β2))
EPS = "ε"  # RMSprop, Adam, Adagrad: eps
# the template's [training] keys (PyTorch's argument names) -> the labels above
HYPERPARAMETERS = {"momentum": MOMENTUM, "alpha": SMOOTHING, "beta_1": BETA_1, "beta_2": BETA_2, "eps": EPS}

# Each optimizer's state per parameter, under the key PyTorch's optimizer.state[p] shows it. Adam's
# step count is the row's Iteration: one step per row.
STATE = {
    "sgd": (),
    "momentum": ("momentum_buffer",),
    "rmsprop": ("square_avg",),
    "adam": ("exp_avg", "exp_avg_sq"),
    "adagrad": ("sum",),
}


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
    """∂E_total/∂w1: how the loss (or one output's loss E1) changes with q. Of a neuron or its
    activation, it names a local partial: ∂o1/∂w5 (a_h1), ∂o1/∂a_h1 (w5), ∂a_h1/∂h1 (slope)."""
    return f"∂{of}/∂{q}"


def slope(n: str) -> str:
    """∂a_h1/∂h1: the local slope of neuron n's activation, σ′(h1) = a_h1·(1 − a_h1) for the sigmoid."""
    return grad(n, act(n))


MINUS = "−"


def negative(q: str) -> str:
    """−∂E_total/∂o1: q with its sign turned, as the textbooks' δ_o1 = (t1 − a_o1)·a_o1·(1 − a_o1) is."""
    return MINUS + q


def of_negative(name: str) -> str | None:
    """−∂E_total/∂o1 -> ∂E_total/∂o1; None if `name` is no negative()."""
    return name[len(MINUS) :] if name.startswith(MINUS) else None


def sampled(q: str, s: int | str) -> str:
    """Quantity q of sample s, when a row holds several samples: h1[2], E_total[2], ∂E_total/∂w1[2]
    (the gradient of sample 2's own loss). i1[2] is sample 2's first input."""
    return f"{q}[{s}]"


_SAMPLED = re.compile(r"(.+)\[(\d+)\]")


def unsampled(q: str) -> tuple[str, int | None]:
    """h1[2] -> ("h1", 2); a quantity of no one sample -> (q, None)."""
    m = _SAMPLED.fullmatch(q)
    return (m[1], int(m[2])) if m else (q, None)


def state(kind: str, param: str) -> str:
    """An optimizer's state of one parameter: exp_avg_w1 is Adam's state['exp_avg'] of w1."""
    return f"{kind}_{param}"


_STATE = re.compile(r"(momentum_buffer|square_avg|exp_avg_sq|exp_avg|sum)_([wb]\d+)")


def of_state(name: str) -> tuple[str, str] | None:
    """exp_avg_w1 -> ("exp_avg", "w1"); None if `name` is not an optimizer's state."""
    m = _STATE.fullmatch(name)
    return (m[1], m[2]) if m else None


_DEFINED = {ETA: "eta", ALPHA: "alpha", MOMENTUM: "momentum", SMOOTHING: "alpha_rms"}
_DEFINED |= {BETA_1: "beta_1", BETA_2: "beta_2", EPS: "eps"}
_LABEL = {v: k for k, v in _DEFINED.items()}


def defined(label: str) -> str:
    """The sheet-level defined name of a parameter cell. Excel forbids names that look like cell
    addresses (i1, w5), so they carry an underscore: i_1, w_5; η is `eta`, α is `alpha`, β1 `beta_1`."""
    if m := re.fullmatch(r"([a-z]+)(\d+)\[(\d+)\]", label):  # a sample's input: i1[2] is i_1_s2
        return f"{m[1]}_{m[2]}_s{m[3]}"
    return _DEFINED.get(label) or re.sub(r"^([a-z]+)(\d+)$", r"\1_\2", label)


def label(defined_name: str) -> str:
    """The inverse of defined(): t_1 -> t1, eta -> η, i_1_s2 -> i1[2]."""
    if m := re.fullmatch(r"([a-z]+)_(\d+)_s(\d+)", defined_name):
        return f"{m[1]}{m[2]}[{m[3]}]"
    return _LABEL.get(defined_name) or defined_name.replace("_", "")


def is_setting(name: str) -> bool:
    """A parameter of the tab that is not the network's own: η, α, and the optimizer's hyperparameters."""
    return name in _DEFINED


_PARAM = re.compile(r"[wb]\d+")  # what the optimizer updates
_GRAD = re.compile(r"∂(E_total|E\d+)/∂(.+)")


def is_param(name: str) -> bool:
    """A weight or bias: the first row holds its initial value, each later row its update."""
    return _PARAM.fullmatch(name) is not None


def is_loss(name: str) -> bool:
    """E_total, E1, …, and a sample's: E_total[2], E1[2]."""
    name = unsampled(name)[0]
    return name == E_TOTAL or re.fullmatch(r"E\d+", name) is not None


def of_grad(name: str) -> str | None:
    """∂E_total/∂w1 -> w1; None if `name` is not a gradient."""
    m = _GRAD.fullmatch(name)
    return m[2] if m else None


_PARTIAL = re.compile(r"∂([^/]+)/∂(.+)")


def of_partial(name: str) -> tuple[str, str] | None:
    """∂o1/∂w5 -> ("o1", "w5"), ∂E1/∂a_h1 -> ("E1", "a_h1"): what is differentiated, by what; None if
    `name` is no partial."""
    m = _PARTIAL.fullmatch(name)
    return (m[1], m[2]) if m else None


def is_local(name: str) -> bool:
    """A local partial — of a neuron or its activation, not of a loss: ∂a_h1/∂h1, ∂o1/∂w5, ∂o1/∂a_h1."""
    p = of_partial(name)
    return p is not None and not is_loss(p[0])
