"""Random valid networks, for the property tests of the reference and of the whole pipeline."""

from dataclasses import replace

from hypothesis import strategies as st

from sheetgen.model import names
from sheetgen.model.spec import (
    ACTIVATIONS,
    BATCHES,
    BIAS_MODES,
    LOSSES,
    OPTIMIZERS,
    REFERENCES,
    SOFTMAX,
    Spec,
    weight_count,
)


def floats(low, high):
    """Numbers as people type them: 0, or at least 1e-6 in size. (At 1e-300 LibreOffice's ^ reports
    #NUM! on underflow where Python quietly gives 0 — true, but not what a template holds.)"""
    return st.floats(low, high, allow_nan=False).map(lambda x: 0.0 if abs(x) < 1e-6 else x)


@st.composite
def networks(draw, max_neurons=4, max_layers=4, max_iterations=4, min_outputs=1) -> Spec:
    layers = draw(st.lists(st.integers(1, max_neurons), min_size=2, max_size=max_layers))
    layers[-1] = max(layers[-1], min_outputs)
    bias = draw(st.sampled_from(BIAS_MODES))
    n_biases = sum(layers[1:]) if bias != "none" else 0
    rates = draw(st.lists(floats(0.01, 2), min_size=1, max_size=2, unique=True))
    return Spec(
        source="hypothesis",
        description="random network",
        output="random.xlsx",
        iterations=draw(st.integers(1, max_iterations)),
        learning_rates=tuple(rates),
        layers=tuple(layers),
        activations=tuple(
            draw(st.lists(st.sampled_from(ACTIVATIONS), min_size=len(layers) - 1, max_size=len(layers) - 1))
        ),
        bias=bias,
        inputs=tuple(draw(st.lists(floats(-2, 2), min_size=layers[0], max_size=layers[0]))),
        targets=tuple(draw(st.lists(floats(-1, 1), min_size=layers[-1], max_size=layers[-1]))),
        weights=tuple(draw(st.lists(floats(-1, 1), min_size=weight_count(layers), max_size=weight_count(layers)))),
        biases=tuple(draw(st.lists(floats(-1, 1), min_size=n_biases, max_size=n_biases))),
        leaky_slope=draw(floats(0.0, 0.5)),
    )


def probabilities(draw, n) -> tuple[float, ...]:
    """A target row for cross-entropy: n probabilities summing to 1, now and then one-hot."""
    if draw(st.booleans()):
        hot = draw(st.integers(0, n - 1))
        return tuple(1.0 if j == hot else 0.0 for j in range(n))
    weights = draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n).filter(lambda w: sum(w) > 0.01))
    return tuple(w / sum(weights) for w in weights)


@st.composite
def trainings(draw, max_samples=4, loss=None, **network) -> Spec:
    """A random network trained on several samples (full batch or online) by a random optimizer with
    random hyperparameters, on either loss (cross-entropy when it has 2 outputs or more)."""
    s = draw(networks(**network))
    loss = loss or draw(st.sampled_from(LOSSES))
    loss = loss if s.layers[-1] > 1 else "mse"
    n = draw(st.integers(2, max_samples))
    samples = [tuple(draw(st.lists(floats(-2, 2), min_size=s.layers[0], max_size=s.layers[0]))) for _ in range(n)]
    if loss == "cross_entropy":
        targets = [probabilities(draw, s.layers[-1]) for _ in range(n)]
    else:
        targets = [tuple(draw(st.lists(floats(-1, 1), min_size=s.layers[-1], max_size=s.layers[-1]))) for _ in range(n)]
    optimizer = draw(st.sampled_from(list(OPTIMIZERS)))
    settings = tuple(
        (names.HYPERPARAMETERS[key], draw(st.floats(1e-8, 1e-3) if key == "eps" else floats(0.0, 0.999)))
        for key in OPTIMIZERS[optimizer]
    )
    return replace(
        s,
        inputs=samples[0],
        targets=targets[0],
        samples=tuple(samples),
        sample_targets=tuple(targets),
        batch=draw(st.sampled_from(BATCHES)),
        loss=loss,
        activations=s.activations[:-1] + ((SOFTMAX,) if loss == "cross_entropy" else s.activations[-1:]),
        optimizer=optimizer,
        settings=settings,
        references=draw(st.sampled_from(REFERENCES)),  # by name (beta_1) or by address ($B$16)
    )
