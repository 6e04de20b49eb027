"""Stage 2: the reference evaluator against finite differences and the seeds' own numbers."""

import math
from dataclasses import replace

from hypothesis import assume, given, settings

from sheetgen import reference

from .strategies import networks

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


def near_a_kink(s, weights, biases) -> bool:
    """relu and leaky_relu have no derivative at z = 0: finite differences straddle the kink there."""
    named = reference.forward(s, weights, biases)[0]
    return any(
        s.activations[layer - 1] in ("relu", "leaky_relu") and abs(named[s.neuron(layer, j)].data) < 1e-4
        for layer in range(1, len(s.layers))
        for j in range(s.layers[layer])
    )


@settings(max_examples=150, deadline=None)
@given(s=networks())
def test_gradients_equal_central_differences_for_random_networks(s):
    assume(not near_a_kink(s, s.weights, s.biases))
    fd = finite_difference_gradients(s, s.weights)
    for got, want in zip(autograd_gradients(s, s.weights), fd, strict=True):
        assert math.isclose(got, want, rel_tol=1e-5, abs_tol=1e-8)
    if s.biases:  # ∂E_total/∂b by finite differences too
        first = reference.run(replace(s, iterations=1, bias="trainable"), 1.0)
        for k in range(len(s.biases)):
            up, down = list(s.biases), list(s.biases)
            up[k] += H
            down[k] -= H
            want = (reference.loss(s, s.weights, up) - reference.loss(s, s.weights, down)) / (2 * H)
            assert math.isclose(first[f"∂E_total/∂b{k + 1}"][0], want, rel_tol=1e-5, abs_tol=1e-8)


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
