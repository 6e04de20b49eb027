"""Stage 2: the reference evaluator against finite differences and the seeds' own numbers."""

import math
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from sheetgen import reference
from sheetgen.spec import weight_count

H = 1e-6  # central differences: truncation ~H², rounding ~1e-16/H


def finite_difference_gradients(s, weights):
    grads = []
    for k in range(len(weights)):
        up, down = list(weights), list(weights)
        up[k] += H
        down[k] -= H
        grads.append((reference.loss(s, up) - reference.loss(s, down)) / (2 * H))
    return grads


def autograd_gradients(s, weights):
    first = reference.run(replace(s, weights=tuple(weights), iterations=1), eta=1.0)
    return [first[f"∂E_total/∂w{k}"][0] for k in range(1, len(weights) + 1)]


def test_gradients_equal_central_differences_at_the_course_start(era_spec):
    fd = finite_difference_gradients(era_spec, era_spec.weights)
    for got, want in zip(autograd_gradients(era_spec, era_spec.weights), fd, strict=True):
        assert math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-10)


finite = st.floats(-2, 2, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(layers=st.lists(st.integers(1, 4), min_size=2, max_size=4), data=st.data())
def test_gradients_equal_central_differences_for_random_networks(era_spec, layers, data):
    s = replace(
        era_spec,
        layers=tuple(layers),
        inputs=tuple(data.draw(st.lists(finite, min_size=layers[0], max_size=layers[0]))),
        targets=tuple(data.draw(st.lists(st.floats(0, 1), min_size=layers[-1], max_size=layers[-1]))),
    )
    n = weight_count(layers)
    weights = data.draw(st.lists(finite, min_size=n, max_size=n))
    fd = finite_difference_gradients(s, weights)
    for got, want in zip(autograd_gradients(s, weights), fd, strict=True):
        assert math.isclose(got, want, rel_tol=1e-5, abs_tol=1e-9)


def test_the_seeds_numbers(era_spec):
    # seed 001: "error ... reduced from 0.01418 to 0.01410 for second epoch" (ERA values, η = 0.1)
    trace = reference.run(era_spec, 0.1)
    assert round(trace["E_total"][0], 5) == 0.01418
    assert round(trace["E_total"][1], 5) == 0.01410
    # seed 001: "the value found are a_o1 = 0.6064" (truncated to four places)
    assert abs(trace["a_o1"][0] - 0.6064) < 1e-4


def test_hidden_gradient_is_the_sum_over_both_outputs(era_spec):
    """The corrected chain rule, spelled out independently of the autograd."""
    t = {k: v[0] for k, v in reference.run(era_spec, 0.1).items()}
    d1 = (t["a_o1"] - 0.5) * t["a_o1"] * (1 - t["a_o1"])
    d2 = (t["a_o2"] - 0.5) * t["a_o2"] * (1 - t["a_o2"])
    assert math.isclose(t["∂E_total/∂a_h1"], d1 * 0.40 + d2 * 0.50, rel_tol=1e-12)
    assert math.isclose(t["∂E_total/∂w7"], d2 * t["a_h1"], rel_tol=1e-12)  # seed 002 wrote a_o1, t1 here
    w1 = (d1 * 0.40 + d2 * 0.50) * t["a_h1"] * (1 - t["a_h1"]) * 0.05
    assert math.isclose(t["∂E_total/∂w1"], w1, rel_tol=1e-12)


def test_every_weight_takes_the_sgd_step(era_spec):
    t = reference.run(era_spec, 0.5)
    for k in range(1, 9):
        assert t[f"w{k}"][1] == t[f"w{k}"][0] - 0.5 * t[f"∂E_total/∂w{k}"][0]
