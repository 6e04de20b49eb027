"""Stage 1: templates become Specs; bad ones are refused naming the file and the key."""

from dataclasses import replace

import pytest

from sheetgen.errors import SpecError
from sheetgen.model import spec

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
    assert (s.iterations, s.output, s.layers) == (100, "ERA_backprop.xlsx", (2, 2, 2))
    assert (s.activations, s.bias, s.biases, s.seed) == (("sigmoid", "sigmoid"), "none", (), None)


def test_shipped_templates_are_listed_with_descriptions():
    listed = dict(spec.list_templates())
    assert sorted(listed) == ["era", "era-adagrad", "era-adam", "era-momentum", "era-rmsprop", "eva8", "mazur", "xor"]
    assert "2-2-2" in listed["era"] and "0.01" in listed["eva8"] and "Mazur" in listed["mazur"]


def test_presets_differ_from_era_only_where_they_say(era_spec):
    eva8, mazur = spec.load("eva8"), spec.load("mazur")
    assert replace(eva8, doc={}, source="", description="", output="") == replace(
        era_spec, targets=(0.01, 0.99), doc={}, source="", description="", output=""
    )
    assert (mazur.bias, mazur.biases, mazur.targets) == ("fixed", (0.35, 0.35, 0.60, 0.60), (0.01, 0.99))
    assert (mazur.learning_rates, mazur.iterations, mazur.weights) == ((0.5,), 10_000, era_spec.weights)


def test_seed_draws_reproducible_weights_and_biases():
    text = GOOD.replace("weights = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]", 'seed = 7\nbias = "trainable"')
    a, b = spec.parse(text, "a.toml"), spec.parse(text, "b.toml")
    assert a.weights == b.weights and len(a.weights) == 8 and len(a.biases) == 4 and a.seed == 7
    assert all(-1 <= w <= 1 and round(w, 2) == w for w in a.weights + a.biases)
    assert spec.parse(text.replace("seed = 7", "seed = 8"), "c.toml").weights != a.weights


def test_bias_override_keeps_given_biases_and_draws_missing_ones():
    mazur = spec.load("mazur")
    trainable = mazur.with_overrides(bias="trainable")
    assert (trainable.bias, trainable.biases, trainable.weights) == ("trainable", mazur.biases, mazur.weights)
    drawn = spec.load("era").with_overrides(bias="fixed", seed=3)
    assert len(drawn.biases) == 4 and drawn.seed == 3 and drawn.weights != mazur.weights
    assert spec.load("mazur").with_overrides(bias="none").biases == ()


def test_layer_override_draws_weights_and_names_the_flag(era_spec):
    s = era_spec.with_overrides(layers=[2, 3, 3, 2], activation=["tanh", "relu", "sigmoid"], seed=3)
    assert len(s.weights) == 6 + 9 + 6 and s.seed == 3 and s.activations == ("tanh", "relu", "sigmoid")
    assert [s.neuron(1, 0), s.neuron(2, 2), s.neuron(3, 1)] == ["h1_1", "h2_3", "o2"]
    with pytest.raises(SpecError, match=r"era.toml: network.inputs: expected 3 numbers .*give --inputs\)$"):
        era_spec.with_overrides(layers=[3, 2])
    with pytest.raises(SpecError, match=r"^--activation: 'gelu' is not one of"):
        era_spec.with_overrides(activation="gelu")
    with pytest.raises(SpecError, match=r"^--targets: expected 2 numbers"):
        era_spec.with_overrides(targets=[0.1])


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


W8 = "0.50, 0.55]"
BAD = [
    pytest.param("iterations = 3", "iteratons = 3", "iteratons: unknown key (did you mean iterations?)", id="unknown"),
    pytest.param("layers", "layer", "network.layer: unknown key (did you mean network.layers?)", id="unknown-net"),
    pytest.param('output = "t.xlsx"\n', "", "output: missing", id="missing"),
    pytest.param("inputs =", "#", "network.inputs: missing", id="missing-net"),
    pytest.param("iterations = 3", 'iterations = "3"', "iterations: expected a whole number", id="wrong-type"),
    pytest.param('"test"', "3", "description: expected a string, got int", id="wrong-type-str"),
    pytest.param(W8, "0.50]", "network.weights: expected 8 numbers", id="weight-count"),
    pytest.param("[2, 2, 2]", "[2, 3, 2]", "network.weights: expected 12 numbers", id="weights-for-layers"),
    pytest.param('"sigmoid"', '"sigmoid"\nbias = "fixed"\nbiases = [1, 2]', "network.biases: expected 4", id="biases"),
    pytest.param('"sigmoid"', '"sigmoid"\nbias = "trainable"', "network.biases: missing", id="biases-missing"),
    pytest.param('"sigmoid"', '"sigmoid"\nbiases = [1, 2, 3, 4]', 'network.bias is "none"', id="biases-unasked"),
    pytest.param(W8, "0.50, nan]", "network.weights: numbers must be finite", id="nan"),
    pytest.param("[0.05, 0.10]", "[0.05, inf]", "network.inputs: numbers must be finite", id="inf"),
    pytest.param(W8, '0.50, "x"]', "network.weights: expected a list of numbers", id="non-numeric"),
    pytest.param("[2, 2, 2]", "[2, 0, 2]", "network.layers: expected a list of at least 2", id="layer-size"),
    pytest.param("[2, 2, 2]", "[2]", "network.layers: expected a list of at least 2", id="one-layer"),
    pytest.param('"sigmoid"', '"gelu"', "network.activation: 'gelu' is not one of sigmoid, tanh", id="activation"),
    pytest.param('"sigmoid"', '["tanh"]', "network.activation: expected one name, or a list of 2", id="acts"),
    pytest.param('"sigmoid"', '"sigmoid"\nbias = "some"', "network.bias: 'some' is not one of none", id="bias"),
    pytest.param('"sigmoid"', '"sigmoid"\nleaky_slope = nan', "network.leaky_slope: must be finite", id="slope"),
    pytest.param('"sigmoid"', '"sigmoid"\nseed = -1', "network.seed: expected a whole number", id="seed"),
    pytest.param("[0.5]", "[0.0]", "learning_rates: learning rates must be finite and > 0", id="eta-zero"),
    pytest.param("[0.5]", "[-0.5]", "learning_rates: learning rates must be finite and > 0", id="eta-negative"),
    pytest.param("[0.5]", "[inf]", "learning_rates: learning rates must be finite and > 0", id="eta-inf"),
    pytest.param("[0.5]", "[0.5, 0.5]", "learning_rates: learning rates must differ", id="duplicate-lr"),
    pytest.param("iterations = 3", "iterations = 0", "iterations: expected a whole number from 1", id="iterations-0"),
    pytest.param("iterations = 3", "iterations = 2000000", "iterations: expected a whole number", id="too-many"),
    pytest.param('"t.xlsx"', '"../t.xlsx"', "output: expected a file name ending in .xlsx", id="output"),
    pytest.param("layers =", "layers ==", "not valid TOML", id="malformed"),
]


@pytest.mark.parametrize("old, new, message", BAD)
def test_bad_templates_name_the_file_and_key(old, new, message):
    assert old in GOOD
    with pytest.raises(SpecError) as e:
        spec.parse(GOOD.replace(old, new, 1), "bad.toml")
    assert str(e.value).startswith("bad.toml: ") and message in str(e.value)
    assert "\n" not in str(e.value)


def test_network_must_be_a_table():
    with pytest.raises(SpecError, match="^bad.toml: network: expected a table"):
        spec.parse(GOOD[: GOOD.index("[network]")] + "network = 3\n", "bad.toml")


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


def test_a_network_wider_than_a_sheet_is_refused(tmp_path, capsys):
    """xlsxwriter drops cells beyond column 16,384 without a word: such a network is refused first."""
    from sheetgen import cli

    out = tmp_path / "wide.xlsx"
    argv = ["build", "--layers", "2,90,90,2", "--seed", "1", "--inputs", "1,1", "--targets", "0,1", "-o", str(out)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("sheetgen: error: --layers: [2, 90, 90, 2] needs 17,468 columns; a sheet has 16,384")
    assert err.count("\n") == 1 and not out.exists()


@pytest.mark.parametrize(
    "overrides, says",
    [
        (
            {"optimizer": "adam", "beta_1": 0.8},
            "2-2-2 sigmoid net, no biases, adam (β1 0.8, β2 0.999, ε 1e-08), inputs",
        ),
        ({"loss": "cross_entropy", "targets": [[0, 1]]}, "2-2-2 sigmoid/softmax net, no biases, cross-entropy, inputs"),
        ({"activation": "leaky_relu"}, "2-2-2 leaky_relu (α 0.01) net, no biases, inputs"),
    ],
)
def test_a_description_overridden_by_flags_says_the_training_too(overrides, says):
    """Every tab's title, when flags change the template: what is built, its optimizer and loss too."""
    assert spec.load("era").with_overrides(**overrides).description.startswith(says)


def test_a_description_of_samples_says_how_many_and_how_they_are_fed():
    xor = spec.load("xor").with_overrides(batch="online").description
    assert xor.startswith("2-2-1 sigmoid net, trainable biases, 4 samples, one a row (online), 4 learning rates")


@pytest.mark.parametrize("optimizer", ["[]", "['adam']", "{ name = 'adam' }", "3"])
def test_an_optimizer_that_is_no_name_is_one_line(tmp_path, optimizer):
    """Found by fuzzing the split of _from_doc: a list as optimizer raised TypeError (unhashable)."""
    path = tmp_path / "t.toml"
    path.write_text(spec.templates_dir().joinpath("era.toml").read_text() + f"\n[training]\noptimizer = {optimizer}\n")
    with pytest.raises(SpecError, match=r"t\.toml: training\.optimizer: .* is not one of sgd"):
        spec.load(str(path))


def test_a_bad_hyperparameter_by_override_names_its_key():
    """Found by fuzzing: with_overrides(beta_1=2) raised KeyError('training.beta_1'), having no flag."""
    base = spec.load("era-adam")
    with pytest.raises(SpecError, match=r"training\.beta_1: must be at least 0 and less than 1, got 2"):
        base.with_overrides(beta_1=2.0)
