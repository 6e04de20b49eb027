"""Stage 1: a template (TOML) becomes a validated Spec.

The Spec also owns the network's vocabulary: what each neuron and weight is called and which
weight joins which neurons. Reference and layout both speak it; neither derives it from the other.
"""

import difflib
import math
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from .errors import SpecError

ACTIVATIONS = ("sigmoid",)
# Excel has 1,048,576 rows; the parameter band above the table needs a few dozen of them.
MAX_ITERATIONS = 1_000_000

TOP_KEYS = ("description", "output", "iterations", "learning_rates", "network")
NETWORK_KEYS = ("layers", "activation", "inputs", "targets", "weights")


@dataclass(frozen=True)
class Spec:
    source: str  # where it came from, for error messages
    description: str
    output: str
    iterations: int
    learning_rates: tuple[float, ...]
    layers: tuple[int, ...]  # neurons per layer, inputs first
    activation: str
    inputs: tuple[float, ...]
    targets: tuple[float, ...]
    weights: tuple[float, ...]

    def neuron(self, layer: int, j: int) -> str:
        """The seeds' names: i1, i2 | h1, h2 | o1, o2; deeper nets number their hidden layers."""
        if layer == 0:
            return f"i{j + 1}"
        if layer == len(self.layers) - 1:
            return f"o{j + 1}"
        if len(self.layers) == 3:
            return f"h{j + 1}"
        return f"h{layer}_{j + 1}"

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

    def with_overrides(self, iterations=None, learning_rates=None) -> "Spec":
        """The command line's --iterations / --lr, checked like the template's own keys."""
        spec = self
        if iterations is not None:
            spec = replace(spec, iterations=_iterations("--iterations", iterations))
        if learning_rates:
            spec = replace(spec, learning_rates=_learning_rates("--lr", list(learning_rates)))
        return spec


def weight_count(layers) -> int:
    return sum(a * b for a, b in zip(layers, layers[1:]))


def templates_dir():
    return resources.files("sheetgen") / "templates"


def list_templates() -> list[tuple[str, str]]:
    """(name, description) of every template shipped with sheetgen."""
    found = sorted(p for p in templates_dir().iterdir() if p.name.endswith(".toml"))
    return [(p.name.removesuffix(".toml"), load(p.name.removesuffix(".toml")).description) for p in found]


def load(name_or_path: str) -> Spec:
    """A template by name (`era`) or by path to a .toml file."""
    looks_like_path = name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path
    if looks_like_path:
        path = Path(name_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else type(e).__name__
            raise SpecError(f"{path}: cannot read template: {reason}") from None
        return parse(text, str(path))
    shipped = templates_dir() / f"{name_or_path}.toml"
    if not shipped.is_file():
        names = ", ".join(n for n, _ in list_templates())
        raise SpecError(f"{name_or_path}: no such template (shipped: {names}; or give a path to a .toml file)")
    return parse(shipped.read_text(encoding="utf-8"), f"templates/{name_or_path}.toml")


def parse(text: str, source: str) -> Spec:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SpecError(f"{source}: not valid TOML: {e}") from None
    _known_keys(source, "", doc, TOP_KEYS)
    net = _get(source, "", doc, "network")
    if not isinstance(net, dict):
        raise SpecError(f"{source}: network: expected a table [network], got {_kind(net)}")
    _known_keys(source, "network.", net, NETWORK_KEYS)

    layers = _layers("network.layers", _get(source, "network.", net, "layers"), source)
    activation = _get(source, "network.", net, "activation")
    if activation not in ACTIVATIONS:
        raise SpecError(f"{source}: network.activation: {activation!r} is not one of {', '.join(ACTIVATIONS)}")
    inputs = _numbers(source, "network.inputs", _get(source, "network.", net, "inputs"), layers[0], "inputs")
    targets = _numbers(source, "network.targets", _get(source, "network.", net, "targets"), layers[-1], "outputs")
    weights = _numbers(
        source, "network.weights", _get(source, "network.", net, "weights"), weight_count(layers), "weights"
    )
    description = _get(source, "", doc, "description")
    output = _get(source, "", doc, "output")
    for key, value in (("description", description), ("output", output)):
        if not isinstance(value, str):
            raise SpecError(f"{source}: {key}: expected a string, got {_kind(value)}")
    if not output.endswith(".xlsx") or "/" in output or "\\" in output:
        raise SpecError(f"{source}: output: expected a file name ending in .xlsx, got {output!r}")
    try:
        iterations = _iterations("iterations", _get(source, "", doc, "iterations"))
        learning_rates = _learning_rates("learning_rates", _get(source, "", doc, "learning_rates"))
    except SpecError as e:
        raise SpecError(f"{source}: {e}") from None
    return Spec(source, description, output, iterations, learning_rates, layers, activation, inputs, targets, weights)


def _get(source, prefix, table, key):
    if key not in table:
        raise SpecError(f"{source}: {prefix}{key}: missing")
    return table[key]


def _known_keys(source, prefix, table, allowed):
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {prefix}{close[0]}?)" if close else f" (allowed: {', '.join(allowed)})"
            raise SpecError(f"{source}: {prefix}{key}: unknown key{hint}")


def _kind(value) -> str:
    return {bool: "a boolean", str: "a string", list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numbers(source, key, values, count, what) -> tuple[float, ...]:
    if not isinstance(values, list) or not all(_is_number(v) for v in values):
        raise SpecError(f"{source}: {key}: expected a list of numbers, got {_kind(values)}")
    if len(values) != count:
        raise SpecError(f"{source}: {key}: expected {count} numbers (one per {what[:-1]}), got {len(values)}")
    if not all(math.isfinite(v) for v in values):
        raise SpecError(f"{source}: {key}: numbers must be finite")
    return tuple(float(v) for v in values)


def _layers(key, values, source) -> tuple[int, ...]:
    ok = isinstance(values, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    if not ok or len(values) < 2 or min(values) < 1:
        raise SpecError(f"{source}: {key}: expected a list of at least 2 whole numbers >= 1, got {values!r}")
    return tuple(values)


def _iterations(key, value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_ITERATIONS:
        raise SpecError(f"{key}: expected a whole number from 1 to {MAX_ITERATIONS:,}, got {value!r}")
    return value


def _learning_rates(key, values) -> tuple[float, ...]:
    if not isinstance(values, list) or not values or not all(_is_number(v) for v in values):
        raise SpecError(f"{key}: expected a non-empty list of numbers, got {values!r}")
    for v in values:
        if not (math.isfinite(v) and v > 0):
            raise SpecError(f"{key}: learning rates must be finite and > 0, got {v!r}")
    if len(set(values)) != len(values):
        raise SpecError(f"{key}: learning rates must differ (one tab each), got {values!r}")
    return tuple(float(v) for v in values)
