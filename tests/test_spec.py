"""Stage 1: templates become Specs; bad ones are refused naming the file and the key."""

import pytest

from sheetgen import spec
from sheetgen.errors import SpecError

GOOD = """
description = "test"
output = "t.xlsx"
iterations = 3
learning_rates = [0.5]
[network]
layers = [2, 2, 2]
activation = "sigmoid"
inputs = [0.05, 0.10]
targets = [0.5, 0.5]
weights = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
"""


def test_era_template_holds_the_course_values(era_spec):
    s = era_spec
    assert s.inputs == (0.05, 0.10) and s.targets == (0.5, 0.5)
    assert s.weights == (0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55)
    assert s.learning_rates == (0.1, 0.2, 0.5, 0.8, 1.0, 2.0)
    assert (s.iterations, s.output, s.layers, s.activation) == (100, "ERA_backprop.xlsx", (2, 2, 2), "sigmoid")


def test_shipped_templates_are_listed_with_descriptions():
    listed = dict(spec.list_templates())
    assert "era" in listed and "2-2-2" in listed["era"]
    assert spec.load("era") == spec.load("era")


def test_weights_are_numbered_as_the_seeds_number_them(era_spec):
    # seed 002: "w6 is the weight connection between activated 2nd hidden neuron [a_h2] to ... [O1]"
    wiring = {
        f"w{k}": (era_spec.neuron(layer - 1, i), era_spec.neuron(layer, j)) for k, layer, j, i in era_spec.connections()
    }
    assert wiring == {
        "w1": ("i1", "h1"), "w2": ("i2", "h1"), "w3": ("i1", "h2"), "w4": ("i2", "h2"),
        "w5": ("h1", "o1"), "w6": ("h2", "o1"), "w7": ("h1", "o2"), "w8": ("h2", "o2"),
    }  # fmt: skip


def test_overrides_are_checked_like_template_keys(era_spec):
    s = era_spec.with_overrides(iterations=7, learning_rates=[0.3, 3])
    assert (s.iterations, s.learning_rates) == (7, (0.3, 3.0))
    for bad in ({"iterations": 0}, {"learning_rates": [0.1, 0.1]}, {"learning_rates": [-1.0]}):
        with pytest.raises(SpecError, match="^--"):
            era_spec.with_overrides(**bad)


BAD = [
    pytest.param("iterations = 3", "iteratons = 3", "iteratons: unknown key (did you mean iterations?)", id="typo"),
    pytest.param('output = "t.xlsx"\n', "", "output: missing", id="missing"),
    pytest.param("iterations = 3", 'iterations = "3"', "iterations: expected a whole number", id="type"),
    pytest.param("iterations = 3", "iterations = 0", "iterations: expected a whole number from 1", id="zero"),
    pytest.param("0.50, 0.55]", "0.50]", "network.weights: expected 8 numbers", id="weight-count"),
    pytest.param("0.50, 0.55]", "0.50, nan]", "network.weights: numbers must be finite", id="nan"),
    pytest.param("0.50, 0.55]", '0.50, "x"]', "network.weights: expected a list of numbers", id="non-numeric"),
    pytest.param("[0.5]", "[0.5, 0.5]", "learning_rates: learning rates must differ", id="duplicate-lr"),
    pytest.param("[0.5]", "[0.0]", "learning_rates: learning rates must be finite and > 0", id="eta-zero"),
    pytest.param('"sigmoid"', '"tanh"', "network.activation: 'tanh' is not one of sigmoid", id="activation"),
    pytest.param("[2, 2, 2]", "[2, 0, 2]", "network.layers: expected a list of at least 2", id="layer-size"),
    pytest.param("layers =", "layers ==", "not valid TOML", id="malformed"),
]


@pytest.mark.parametrize("old, new, message", BAD)
def test_bad_templates_name_the_file_and_key(old, new, message):
    assert old in GOOD
    with pytest.raises(SpecError) as e:
        spec.parse(GOOD.replace(old, new, 1), "bad.toml")
    assert str(e.value).startswith("bad.toml: ") and message in str(e.value)
    assert "\n" not in str(e.value)


def test_malformed_toml_says_where():
    with pytest.raises(SpecError, match=r"line 7"):
        spec.parse(GOOD.replace("layers =", "layers ==", 1), "bad.toml")


def test_unknown_template_name_lists_the_shipped_ones():
    with pytest.raises(SpecError, match=r"^nope: no such template \(shipped: era"):
        spec.load("nope")


def test_unreadable_template_file(tmp_path):
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00 not text")
    for path in (tmp_path / "absent.toml", binary):
        with pytest.raises(SpecError, match="cannot read template"):
            spec.load(str(path))
