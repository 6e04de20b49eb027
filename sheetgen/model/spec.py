"""Stage 1: a template (TOML) becomes a validated Spec.

The Spec also owns the network's vocabulary: what each neuron, weight and bias is called and
which weight joins which neurons. Reference and layout both speak it; neither derives it from
the other.
"""

import copy
import difflib
import math
import os
import random
import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from sheetgen import files
from sheetgen.errors import SpecError
from sheetgen.model import names

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
BIAS_MODES = ("none", "fixed", "trainable")
REFERENCES = ("names", "cells")  # how formulas read the parameters: t_1, eta / $B$4, $B$15
EXCEL_ROWS = 1_048_576
MAX_TEMPLATE_BYTES = 1 << 20  # a template is a few hundred bytes; anything near this is some other file
# A neuron's sum is one formula: past a few hundred terms it outgrows Excel's 8,192 characters (the
# workbook checks the exact length), and the formula trees grow too deep to write out.
MAX_NEURONS = 500

TOP_KEYS = ("description", "output", "iterations", "learning_rates", "references", "network", "training")
NETWORK_KEYS = (
    "layers",
    "activation",
    "leaky_slope",
    "bias",
    "biases",
    "inputs",
    "samples",
    "targets",
    "weights",
    "seed",
)
BATCHES = ("full", "online")
LOSSES = ("mse", "cross_entropy")
SOFTMAX = "softmax"  # the output layer's activation under cross-entropy
# PyTorch's optimizers (torch.optim) and their hyperparameters' defaults, under PyTorch's argument
# names (Adam's betas=(β1, β2) as beta_1, beta_2)
OPTIMIZERS = {
    "sgd": {},
    "momentum": {"momentum": 0.9},  # torch.optim.SGD(momentum=0.9)
    "rmsprop": {"alpha": 0.99, "eps": 1e-8},
    "adam": {"beta_1": 0.9, "beta_2": 0.999, "eps": 1e-8},
    "adagrad": {"eps": 1e-10},
}
TRAINING_KEYS = ("optimizer", "batch", "loss", *names.HYPERPARAMETERS)
# command-line overrides and the template key each stands for
FLAGS = {
    "training.optimizer": "--optimizer",
    "iterations": "--iterations",
    "learning_rates": "--lr",
    "references": "--references",
    "network.layers": "--layers",
    "network.activation": "--activation",
    "network.bias": "--bias",
    "network.seed": "--seed",
    "network.inputs": "--inputs",
    "network.samples": "--samples",
    "training.batch": "--batch",
    "training.loss": "--loss",
    "network.targets": "--targets",
}


@dataclass(frozen=True)
class Spec:
    source: str  # where it came from, for error messages
    description: str
    output: str
    iterations: int
    learning_rates: tuple[float, ...]
    layers: tuple[int, ...]  # neurons per layer, inputs first
    activations: tuple[str, ...]  # one per layer after the inputs
    bias: str  # none | fixed | trainable
    inputs: tuple[float, ...]
    targets: tuple[float, ...]
    weights: tuple[float, ...]
    biases: tuple[float, ...] = ()  # one per neuron after the inputs, when bias != none
    leaky_slope: float = 0.01
    seed: int | None = None  # draws whichever weights or biases the template does not give
    # several samples: every sample's inputs and targets (inputs, targets above are the first's)
    samples: tuple[tuple[float, ...], ...] = ()
    sample_targets: tuple[tuple[float, ...], ...] = ()
    batch: str = "full"  # full: every sample in every row, the mean loss; online: one sample a row, cycling
    loss: str = "mse"  # mse: ½·Σ(t − a)²; cross_entropy: −Σ t·ln p, p the softmax of the output layer
    optimizer: str = "sgd"  # one of OPTIMIZERS
    settings: tuple[tuple[str, float], ...] = ()  # its hyperparameters: (label, value), e.g. ("β1", 0.9)
    references: str = "names"  # formulas read parameters by sheet-level names, or by absolute cells
    doc: dict = field(default_factory=dict, compare=False, repr=False)  # the template as read
    flagged: frozenset = field(default=frozenset(), compare=False, repr=False)  # keys set by flags

    def where(self, key: str) -> str:
        """How an error names a key: the flag that set it, or the file and the key."""
        return FLAGS[key] if key in self.flagged else f"{self.source}: {key}"

    # -- the network's vocabulary ----------------------------------------------------------
    def neuron(self, layer: int, j: int) -> str:
        """Neuron j (from 0) of a layer, named as the seeds name it (see names.neuron)."""
        return names.neuron(self.layers, layer, j + 1)

    def connections(self) -> list[tuple[int, int, int, int]]:
        """(k, layer, j, i): weight w{k} carries neuron i of layer-1 into neuron j of layer.

        Numbered layer by layer, then by receiving neuron, then by sending neuron, which gives
        the seeds' w1 (i1 -> h1), w2 (i2 -> h1), w3 (i1 -> h2), ..., w8 (a_h2 -> o2).
        """
        out = []
        for layer in range(1, len(self.layers)):
            for j in range(self.layers[layer]):
                for i in range(self.layers[layer - 1]):
                    out.append((len(out) + 1, layer, j, i))
        return out

    def bias_of(self) -> dict[tuple[int, int], int]:
        """(layer, j) -> k of bias b{k}: one per neuron after the inputs, numbered like the weights."""
        if self.bias == "none":
            return {}
        order = [(layer, j) for layer in range(1, len(self.layers)) for j in range(self.layers[layer])]
        return {lj: k for k, lj in enumerate(order, 1)}

    @property
    def n_samples(self) -> int:
        return max(1, len(self.samples))

    def data(self) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
        """(inputs, targets) of every sample, in order."""
        return list(zip(self.samples, self.sample_targets)) or [(self.inputs, self.targets)]

    @property
    def online(self) -> bool:
        """One sample a row (its own columns i1, t1, … say which); else each row holds every sample's pass."""
        return self.batch == "online" and self.n_samples > 1

    def with_overrides(self, **overrides) -> "Spec":
        """Command-line values (iterations, learning_rates, references, layers, activation, bias,
        seed, inputs, targets, optimizer, …), checked exactly like the template's keys; errors name the flag."""
        doc = copy.deepcopy(self.doc)
        net = doc.setdefault("network", {})
        given = {k: v for k, v in overrides.items() if v is not None}
        training = {k: given.pop(k) for k in TRAINING_KEYS if k in given}
        top = ("iterations", "learning_rates", "references")
        flagged = {k if k in top else f"network.{k}" for k in given}
        flagged |= {f"training.{k}" for k in training}
        for key in top:
            if key in given:
                doc[key] = given.pop(key)
        if training:
            table = doc.setdefault("training", {})
            if "optimizer" in training:  # another optimizer: the template's hyperparameters were for the old one
                used = OPTIMIZERS.get(training["optimizer"], {})
                for key in [k for k in table if k in names.HYPERPARAMETERS and k not in used]:
                    del table[key]
            table.update(training)
        reshaped = "layers" in given and given["layers"] != net.get("layers")
        if reshaped or "seed" in given:
            # the template's weights (and biases) belong to another shape or another draw
            net.pop("weights", None)
            net.pop("biases", None)
            net.setdefault("seed", 0)
        # inputs and samples stand for each other; targets come as one row per sample, or one flat list
        if "inputs" in given:
            net.pop("samples", None)
        if "samples" in given:
            net.pop("inputs", None)
        rows = given.get("targets")
        if rows and all(isinstance(row, list) for row in rows):  # the command line's tokens: a row each
            # samples from --samples take targets a row each, even one sample (`--samples 0.05,0.1`)
            several = "samples" in given or len(net.get("samples") or ()) > 1
            given["targets"] = rows if several else [x for row in rows for x in row]
        elif "samples" in given and len(given["samples"]) == 1 and _flat(net.get("targets")):
            net["targets"] = [net["targets"]]  # one sample by --samples: the template's targets are its
        if given.get("bias") == "none":
            net.pop("biases", None)
        elif "bias" in given and "biases" not in net:
            net.setdefault("seed", 0)  # biases asked for where the template has none: draw them
        net.update(given)
        new = _from_doc(doc, self.source, flagged)
        if new == self:
            return new  # the flags said what the template says: its description is still true
        # the template's description speaks of the template ("2-2-2 …, six learning rates"): say what
        # is built instead, and how it came about
        flags = ", ".join(flag for key, flag in FLAGS.items() if key in flagged)
        return replace(new, description=f"{new.summary()} (from {self.source} with {flags})")

    def network(self) -> str:
        """The network and its training in a few words: `3-4-2 tanh/sigmoid net, trainable biases,
        cross-entropy, adam (β1 0.8, β2 0.999, ε 1e-08)`; what is the course's (no biases, ½(t − a)²,
        plain gradient descent) goes unsaid, but for the biases."""
        acts = self.activations[0] if len(set(self.activations)) == 1 else "/".join(self.activations)
        if "leaky_relu" in self.activations:
            acts += f" (α {self.leaky_slope:g})"
        biases = {"none": "no biases", "fixed": "fixed biases", "trainable": "trainable biases"}[self.bias]
        out = f"{'-'.join(map(str, self.layers))} {acts} net, {biases}"
        out += ", cross-entropy" if self.loss == "cross_entropy" else ""
        if self.optimizer != "sgd":
            out += f", {self.optimizer} ({', '.join(f'{label} {x:g}' for label, x in self.settings)})"
        return out

    def summary(self) -> str:
        """The network and the run in one line: `3-4-2 tanh/sigmoid net, trainable biases, inputs (1, 0, 1),
        targets (0.5, 0.5), 6 learning rates, 100 iterations`; several samples: `4 samples, online`."""

        def numbers(xs):
            return ", ".join(f"{x:g}" for x in xs)

        n = len(self.learning_rates)
        rates = f"η = {self.learning_rates[0]:g}" if n == 1 else f"{n} learning rates"
        if self.n_samples > 1:
            data = f"{self.n_samples} samples, {'one a row (online)' if self.online else 'all in every row'}"
        else:
            data = f"inputs ({numbers(self.inputs)}), targets ({numbers(self.targets)})"
        return f"{self.network()}, {data}, {rates}, {self.iterations:,} iterations"


def weight_count(layers) -> int:
    return sum(a * b for a, b in zip(layers, layers[1:]))


def templates_dir():
    return resources.files("sheetgen.templates")


def list_templates() -> list[tuple[str, str]]:
    """(name, description) of every template shipped with sheetgen."""
    names = sorted(p.name.removesuffix(".toml") for p in templates_dir().iterdir() if p.name.endswith(".toml"))
    return [(name, load(name).description) for name in names]


def load(name_or_path: str) -> Spec:
    """A template by name (`era`) or by path to a .toml file. Errors name the file as it was given."""
    looks_like_path = name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path
    if looks_like_path:
        try:
            # never a FIFO or a device (reading one may never end), nor a file far too big to be a template
            st = files.regular(name_or_path, SpecError, "cannot read template: ")
            if st and st.st_size > MAX_TEMPLATE_BYTES:
                raise SpecError(f"{name_or_path}: cannot read template: {st.st_size:,} bytes is not a template")
            text = Path(name_or_path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else "not UTF-8 text"
            raise SpecError(f"{name_or_path}: cannot read template: {reason}") from None
        return parse(text, name_or_path)
    return parse(_shipped(name_or_path).read_text(encoding="utf-8"), f"templates/{name_or_path}.toml")


def _shipped(name: str, or_a_path: bool = True):
    shipped = templates_dir() / f"{name}.toml"
    try:
        found = name and "/" not in name and "\\" not in name and shipped.is_file()
    except OSError:  # a name too long for a file name
        found = False
    if not found:
        names = ", ".join(n for n, _ in list_templates())
        if or_a_path:  # `sheetgen build mine` where mine is a file: its path starts with ./
            names += "; or give a path to a .toml file" + (f", e.g. ./{name}" if os.path.isfile(name) else "")
        raise SpecError(f"{name}: no such template (shipped: {names})")
    return shipped


def show(name: str) -> str:
    """A shipped template's TOML as it is, headed by how to start your own from it and followed by
    the optional keys it leaves out, commented: `sheetgen templates --show era > mine.toml`."""
    shipped = _shipped(name, or_a_path=False)
    s = load(name)
    net = s.doc["network"]
    weights = ", ".join(
        f"w{k} = {s.neuron(layer - 1, i)} → {s.neuron(layer, j)}" for k, layer, j, i in s.connections()[:3]
    )
    head = f"""\
# sheetgen's template "{name}", shipped as {shipped}
# To start your own from it:  sheetgen templates --show {name} > mine.toml
# then edit mine.toml, and:   sheetgen build mine.toml
#
# description      the title of every tab
# output           the file written, to output/ unless -o says otherwise
# iterations       rows per tab
# learning_rates   one tab each, in this order
# [network]
# layers           neurons per layer, inputs first
# activation       one for every layer, or a list of one per layer: {", ".join(ACTIVATIONS)}
# inputs, targets  one per input neuron, one per output neuron
# weights          layer by layer, then by receiving neuron, then by sending neuron: {weights}, …
# samples          several samples, a list of inputs each (then targets is a list of rows too)
# references       (before [network]) "names" (the default: t_1, eta) or "cells" ($B$4), which any reader computes
# [training]       optimizer: {", ".join(OPTIMIZERS)} (PyTorch's, with their hyperparameters as keys:
#                  {", ".join(names.HYPERPARAMETERS)}); loss: mse or cross_entropy; batch: full or online
"""
    optional = {
        "bias": ('"trainable"', '"none" (the default), "fixed" (given, never updated) or "trainable"'),
        "biases": (f"{[0.0] * sum(s.layers[1:])}", "one per neuron after the inputs, numbered like the weights"),
        "leaky_slope": ("0.01", "the slope of leaky_relu below zero"),
        "seed": ("0", "draws whichever of weights and biases are not given, from [-1, 1]"),
    }
    missing = [f"# {f'{key} = {value}':<34} # {why}\n" for key, (value, why) in optional.items() if key not in net]
    block = "\n# Optional [network] keys (remove the first # to use one):\n" + "".join(missing) if missing else ""
    text = shipped.read_text(encoding="utf-8")
    # the block belongs to [network]: before the next table, if one follows it
    after = re.search(r"(?m)^\[(?!network\])", text[text.index("[network]") :])
    at = text.index("[network]") + after.start() if after else len(text)
    text = text[:at].rstrip("\n") + "\n" + block + ("\n" + text[at:] if after else "")
    if "training" not in s.doc:
        text += (
            "\n# Optional [training] table (remove the first # of each line to use it):\n# [training]\n"
            + "# "
            + 'optimizer = "adam"'.ljust(34)
            + " # sgd (the default), momentum, rmsprop, adam, adagrad: PyTorch's\n"
        )
    return head + "\n" + text


def parse(text: str, source: str) -> Spec:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SpecError(f"{source}: not valid TOML: {e}") from None
    except RecursionError:  # [[[[… or {a = {a = … as deep as the file is long
        raise SpecError(f"{source}: not a template: {_TOO_DEEP}") from None
    if _depth(doc) > MAX_DEPTH:  # nor anything deep enough to exhaust a copy or a message of it
        raise SpecError(f"{source}: not a template: {_TOO_DEEP}")
    return _from_doc(doc, source, set())


MAX_DEPTH = 6  # a template's deepest value, a number of [network] samples = [[0, 1], …], is 4 deep
_TOO_DEEP = f"lists or tables nested more than {MAX_DEPTH} deep (a template's samples are 4 deep)"


def _depth(doc) -> int:
    """How deep lists and tables nest in `doc` (a number in the top table is 1 deep), without recursion."""
    deepest, todo = 0, [(doc, 0)]
    while todo:
        value, depth = todo.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        if isinstance(value, dict | list):
            todo += [(v, depth + 1) for v in (value.values() if isinstance(value, dict) else value)]
    return deepest


class _Check:
    """Raises SpecError naming the file and key, or the command-line flag that set the value."""

    def __init__(self, source: str, flagged: set[str]):
        self.source, self.flagged = source, flagged

    def fail(self, key: str, problem: str):
        # a flag names itself; a hyperparameter given by override (beta_1=…, no flag of its own) its key
        where = FLAGS[key] if key in self.flagged and key in FLAGS else f"{self.source}: {key}"
        raise SpecError(f"{where}: {problem}")

    def known_keys(self, prefix, table, allowed):
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {prefix}{close[0]}?)" if close else f" (allowed: {', '.join(allowed)})"
                self.fail(f"{prefix}{key}", f"unknown key{hint}")

    def get(self, table, prefix, key, default=...):
        if key not in table:
            if default is ...:
                self.fail(f"{prefix}{key}", "missing")
            return default
        return table[key]

    def string(self, key, value) -> str:
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_kind(value)}")
        return value

    def number(self, key, value) -> float:
        if not _is_number(value):
            self.fail(key, f"expected a number, got {_kind(value)}")
        if not math.isfinite(value):
            self.fail(key, "must be finite")
        return float(value)

    def numbers(self, key, values, count, per) -> tuple[float, ...]:
        if isinstance(values, list) and values and all(isinstance(v, list) for v in values):
            flag = "network.inputs" in self.flagged
            hint = "--inputs gives one sample: give --targets too" if flag else "several samples: network.samples"
            self.fail(key, f"expected one list of numbers (one sample), got rows ({hint})")
        if not isinstance(values, list) or not all(_is_number(v) for v in values):
            self.fail(key, f"expected a list of numbers, got {_kind(values)}")
        if len(values) != count:
            flag = FLAGS.get(key)
            hint = f" (--layers changed the shape: give {flag})" if flag and "network.layers" in self.flagged else ""
            if key == "network.targets" and key in self.flagged and len(values) > count and not hint:
                hint = " (one sample; for several, give --samples too, one token of inputs each)"
            self.fail(key, f"expected {count} number{'s' * (count != 1)} (one per {per}), got {len(values)}{hint}")
        if not all(math.isfinite(v) for v in values):
            self.fail(key, "numbers must be finite")
        return tuple(float(v) for v in values)

    def rows(self, key, rows, width, per, count=None) -> tuple[tuple[float, ...], ...]:
        """A list of rows of numbers, each `width` long (and `count` of them, when given)."""
        rows_ok = isinstance(rows, list) and rows and all(isinstance(row, list) for row in rows)
        if key == "network.targets" and "network.samples" in self.flagged and "network.targets" not in self.flagged:
            if not rows_ok or len(rows) != count:  # the template's targets do not fit --samples: say what to give
                have = f"targets for {len(rows)} samples" if rows_ok else "targets for one sample"
                given = f"{count} sample{'s' * (count != 1)}"
                self.fail("network.samples", f"{given}, and {self.source} has {have}: give --targets too, one token "
                          f"per sample (e.g. --targets {_example(count, width)})")  # fmt: skip
        if not rows_ok:
            self.fail(key, f"expected a list of rows (lists of numbers, one per sample), got {_kind(rows)}")
        if count is not None and len(rows) != count:
            hint = ""
            if key in self.flagged:
                of = "--samples" if "network.samples" in self.flagged else f"{self.source}'s network.samples"
                hint = f" (one token per sample of {of}, e.g. --targets {_example(count, width)})"
            self.fail(key, f"expected {count} rows (one per sample), got {len(rows)}{hint}")
        for n, row in enumerate(rows, 1):
            if not all(_is_number(v) for v in row):
                self.fail(key, f"row {n}: expected numbers, got {_kind(next(v for v in row if not _is_number(v)))}")
            if len(row) != width:
                hint = " (--layers changed the shape)" if "network.layers" in self.flagged else ""
                have = f"{len(row)} number{'s' if len(row) != 1 else ''}"
                self.fail(key, f"row {n} has {have}, expected {width} (one per {per}){hint}")
            if not all(math.isfinite(v) for v in row):
                self.fail(key, f"row {n}: numbers must be finite")
        return tuple(tuple(float(v) for v in row) for row in rows)

    def whole(self, key, value, low, high) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.fail(key, f"expected a whole number from {low:,} to {high:,}, got {value!r}")
        return value


def _from_doc(doc: dict, source: str, flagged: set[str]) -> Spec:
    """The template, table by table, each key checked as it is read: the first mistake is the error."""
    check = _Check(source, flagged)
    check.known_keys("", doc, TOP_KEYS)
    network = _network(check, doc)
    optimizer, settings = _training(check, doc.get("training", {}))
    batch, loss = _batch_and_loss(check, doc.get("training", {}), network)
    if loss == "cross_entropy":
        # the softmax of the output layer: its activation, whatever `activation` says for it
        network["activations"] = (*network["activations"][:-1], SOFTMAX)
    top = _top_level(check, doc)
    if len(network["samples"]) < 2:  # one sample is the inputs and targets alone
        network["samples"] = network["sample_targets"] = ()
    return Spec(
        source=source,
        **top,
        **network,
        batch=batch,
        loss=loss,
        optimizer=optimizer,
        settings=settings,
        doc=doc,
        flagged=frozenset(flagged),
    )


def _network(check: _Check, doc: dict) -> dict:
    """The [network] table: the shape, its activations, the samples and the parameters, as Spec's fields."""
    net = check.get(doc, "", "network")
    if not isinstance(net, dict):
        check.fail("network", f"expected a table [network], got {_kind(net)}")
    check.known_keys("network.", net, NETWORK_KEYS)
    layers = _layers(check, net)
    activations = _activations(check, net, layers)
    slope = check.number("network.leaky_slope", check.get(net, "network.", "leaky_slope", 0.01))
    bias = check.get(net, "network.", "bias", "none")
    if bias not in BIAS_MODES:
        check.fail("network.bias", f"{bias!r} is not one of {', '.join(BIAS_MODES)}")
    seed = check.get(net, "network.", "seed", None)
    if seed is not None:
        seed = check.whole("network.seed", seed, 0, 2**63 - 1)
    samples, sample_targets, inputs, targets = _samples(check, net, layers)
    weights, biases = _parameters(check, net, layers, bias, seed)
    return {
        "layers": layers,
        "activations": activations,
        "leaky_slope": slope,
        "bias": bias,
        "seed": seed,
        "inputs": inputs,
        "targets": targets,
        "samples": samples,
        "sample_targets": sample_targets,
        "weights": weights,
        "biases": biases,
    }


def _layers(check: _Check, net: dict) -> tuple[int, ...]:
    layers = check.get(net, "network.", "layers")
    ok = isinstance(layers, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in layers)
    if not ok or len(layers) < 2 or min(layers) < 1:
        check.fail("network.layers", f"expected a list of at least 2 whole numbers >= 1, got {layers!r}")
    if max(layers) > MAX_NEURONS:
        check.fail(
            "network.layers",
            f"at most {MAX_NEURONS} neurons per layer (Excel's formulas are too short), got {layers!r}",
        )
    return tuple(layers)


def _activations(check: _Check, net: dict, layers: tuple[int, ...]) -> tuple[str, ...]:
    """One per layer after the inputs: one name for all, or a list."""
    activation = check.get(net, "network.", "activation", "sigmoid")
    acts = [activation] * (len(layers) - 1) if isinstance(activation, str) else activation
    if not isinstance(acts, list) or len(acts) != len(layers) - 1:
        check.fail("network.activation", f"expected one name, or a list of {len(layers) - 1} (one per layer)")
    for a in acts:
        if a == SOFTMAX:
            check.fail(
                "network.activation", 'softmax comes with training.loss = "cross_entropy" (as the output layer\'s)'
            )
        if a not in ACTIVATIONS:
            check.fail("network.activation", f"{a!r} is not one of {', '.join(ACTIVATIONS)}")
    return tuple(acts)  # a copy: cross-entropy replaces the last, the template's own list stays as written


def _samples(check: _Check, net: dict, layers: tuple[int, ...]) -> tuple:
    """(samples, sample_targets, inputs, targets): every sample's rows, if the template has several (or
    one row), and the first sample's inputs and targets."""
    if "samples" not in net:
        inputs = check.numbers("network.inputs", check.get(net, "network.", "inputs"), layers[0], "input")
        targets = check.numbers("network.targets", check.get(net, "network.", "targets"), layers[-1], "output")
        return (), (), inputs, targets
    if "inputs" in net:
        check.fail("network.samples", "give either inputs (one sample) or samples (one row each), not both")
    samples = check.rows("network.samples", net["samples"], layers[0], "input")
    rows = check.get(net, "network.", "targets")
    sample_targets = check.rows("network.targets", rows, layers[-1], "output", len(samples))
    return samples, sample_targets, samples[0], sample_targets[0]


def _parameters(check: _Check, net: dict, layers: tuple[int, ...], bias: str, seed: int | None) -> tuple:
    """(weights, biases): the template's, or drawn from the seed (weights first, then biases)."""
    rng = random.Random(seed)

    def drawn(key, count, per):
        given = net.get(key)
        if given is None and seed is not None:
            # two decimals, like the course's 0.15 … 0.55: readable in the parameter cells
            return tuple(round(rng.uniform(-1, 1), 2) for _ in range(count))
        if given is None:
            check.fail(f"network.{key}", f"missing (give {count} numbers, one per {per}, or a seed to draw them)")
        return check.numbers(f"network.{key}", given, count, per)

    weights = drawn("weights", weight_count(layers), f"weight of layers {list(layers)}")
    n_biases = sum(layers[1:])
    biases = () if bias == "none" else drawn("biases", n_biases, f"neuron after the inputs of {list(layers)}")
    if bias == "none" and "biases" in net:
        check.fail("network.biases", 'given, but network.bias is "none" (say "fixed" or "trainable")')
    return weights, biases


def _training(check: _Check, table) -> tuple[str, tuple[tuple[str, float], ...]]:
    """The [training] table: the optimizer and its hyperparameters, as (label, value) in PyTorch's order."""
    if not isinstance(table, dict):
        check.fail("training", f"expected a table [training], got {_kind(table)}")
    check.known_keys("training.", table, TRAINING_KEYS)
    optimizer = table.get("optimizer", "sgd")
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:  # a list is no name (nor hashable)
        check.fail("training.optimizer", f"{optimizer!r} is not one of {', '.join(OPTIMIZERS)}")
    used = OPTIMIZERS[optimizer]
    for key in table:
        if key in names.HYPERPARAMETERS and key not in used:
            has = f"its settings: {', '.join(used)}" if used else "it has none"
            check.fail(f"training.{key}", f"not a setting of optimizer {optimizer!r} ({has})")
    settings = []
    for key, default in used.items():
        value = check.number(f"training.{key}", table.get(key, default))
        if key == "eps" and not value > 0:
            check.fail(f"training.{key}", f"must be > 0 (it keeps the step finite), got {value!r}")
        if key != "eps" and not 0 <= value < 1:
            check.fail(f"training.{key}", f"must be at least 0 and less than 1, got {value!r}")
        settings.append((names.HYPERPARAMETERS[key], value))
    return optimizer, tuple(settings)


def _batch_and_loss(check: _Check, table: dict, network: dict) -> tuple[str, str]:
    """The [training] table's batch and loss, which the network's samples and outputs must allow."""
    samples, sample_targets = network["samples"], network["sample_targets"]
    batch = table.get("batch", "full")
    if batch not in BATCHES:
        check.fail("training.batch", f"{batch!r} is not one of {', '.join(BATCHES)}")
    if batch == "online" and len(samples) < 2:
        check.fail("training.batch", "online takes one sample a row: it needs network.samples, at least 2 of them")
    loss = table.get("loss", "mse")
    if loss not in LOSSES:
        check.fail("training.loss", f"{loss!r} is not one of {', '.join(LOSSES)}")
    if loss == "cross_entropy":
        outputs = network["layers"][-1]
        if outputs < 2:
            check.fail(
                "training.loss", f"cross_entropy needs at least 2 outputs (a softmax of one is 1), got {outputs}"
            )
        for n, row in enumerate(sample_targets or (network["targets"],), 1):
            which = f"row {n}" if sample_targets else "the targets"
            if not all(0 <= t <= 1 for t in row) or abs(sum(row) - 1) > 1e-9:
                check.fail("network.targets", f"{which}: cross_entropy takes probabilities, each in [0, 1] and summing "
                           f"to 1, got {list(row)} (sum {sum(row):g})")  # fmt: skip
    return batch, loss


def _top_level(check: _Check, doc: dict) -> dict:
    """The keys above the tables: what the workbook is called and holds, and how its formulas read."""
    description = check.string("description", check.get(doc, "", "description"))
    output = check.string("output", check.get(doc, "", "output"))
    if not output.endswith(".xlsx") or "/" in output or "\\" in output:
        check.fail("output", f"expected a file name ending in .xlsx, got {output!r}")
    iterations = check.whole("iterations", check.get(doc, "", "iterations"), 1, EXCEL_ROWS)
    references = check.get(doc, "", "references", "names")
    if references not in REFERENCES:
        check.fail("references", f"{references!r} is not one of {', '.join(REFERENCES)}")
    return {
        "description": description,
        "output": output,
        "iterations": iterations,
        "references": references,
        "learning_rates": _learning_rates(check, doc),
    }


def _learning_rates(check: _Check, doc: dict) -> tuple[float, ...]:
    rates = check.get(doc, "", "learning_rates")
    if not isinstance(rates, list) or not rates or not all(_is_number(v) for v in rates):
        check.fail("learning_rates", f"expected a non-empty list of numbers, got {_kind(rates)}")
    for v in rates:
        if not (math.isfinite(v) and v > 0):
            check.fail("learning_rates", f"learning rates must be finite and > 0, got {v!r}")
    if len(set(rates)) != len(rates):
        check.fail("learning_rates", f"learning rates must differ (one tab each), got {rates!r}")
    return tuple(float(v) for v in rates)


def _flat(values) -> bool:
    """One list of numbers (one sample's), not rows."""
    return isinstance(values, list) and bool(values) and all(_is_number(v) for v in values)


def _example(samples: int, width: int) -> str:
    """What a flag of rows looks like: `0.5,0.5 0.5,0.5`, one token a sample."""
    return " ".join([",".join(["0.5"] * width)] * min(samples, 4)) + (" …" if samples > 4 else "")


def _kind(value) -> str:
    return {bool: "a boolean", str: "a string", list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
