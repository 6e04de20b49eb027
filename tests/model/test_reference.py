"""Stage 2: the reference evaluator against finite differences and the seeds' own numbers."""

import math
from dataclasses import replace

from hypothesis import assume, given, settings

from sheetgen.model import reference
from tests.strategies import networks

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


def test_an_sgd_step_that_overflows_is_num():
    """w − η·g beyond a double's range is #NUM! in a spreadsheet, as every other overflow is here (a
    judge that expected −inf would blame LibreOffice's #NUM!, and take any number from an engine
    with a wider range as within a tolerance of inf)."""
    stepped = reference.sgd([1e308, 0.5], [-1e308, 0.25], 2.0)
    assert math.isnan(stepped[0]) and stepped[1] == 0.0


def seeds_row(w, i=(0.05, 0.1), t=(0.5, 0.5), slip=None) -> dict[str, float]:
    """One row of the 2-2-2 sheet as the seeds' equations compute it, written out by hand (independent
    of the autograd). `slip` plants one of the mistakes found in real sheets."""

    def sigma(x):
        return 1 / (1 + math.exp(-x))

    (w1, w2, w3, w4, w5, w6, w7, w8), (i1, i2), (t1, t2) = w, i, t
    r = {f"w{k}": x for k, x in enumerate(w, 1)} | {"i1": i1, "i2": i2, "t1": t1, "t2": t2}
    r["h1"], r["h2"] = w1 * i1 + w2 * i2, w3 * i1 + w4 * i2
    r["a_h1"], r["a_h2"] = sigma(r["h2" if slip == "a_h1 from h2" else "h1"]), sigma(r["h2"])
    a_h1, a_h2 = r["a_h1"], r["a_h2"]
    r["o1"], r["o2"] = w5 * a_h1 + w6 * a_h2, w7 * a_h1 + w8 * a_h2
    r["a_o1"], r["a_o2"] = a_o1, a_o2 = sigma(r["o1"]), sigma(r["o2"])
    r["E1"] = 0.5 * (t1 - a_o1) ** 2
    r["E2"] = 0.5 * (t2 - (a_o1 if slip == "E2 with a_o1" else a_o2)) ** 2
    r["E_total"] = r["E1"] + r["E2"]
    d1, d2 = (a_o1 - t1) * a_o1 * (1 - a_o1), (a_o2 - t2) * a_o2 * (1 - a_o2)
    r["∂E_total/∂a_h1"] = d1 * w5 + d2 * w7
    r["∂E_total/∂a_h2"] = d1 * w6 + d2 * w8
    g1, g2 = r["∂E_total/∂a_h1"] * a_h1 * (1 - a_h1), r["∂E_total/∂a_h2"] * a_h2 * (1 - a_h2)
    if slip == "class sheet":  # ∂E/∂w3, ∂E/∂w4 with a_h1·(1 − a_h1) where a_h2·(1 − a_h2) belongs
        g2 = r["∂E_total/∂a_h2"] * a_h1 * (1 - a_h1)
    r.update({"∂E_total/∂w1": g1 * i1, "∂E_total/∂w2": g1 * i2, "∂E_total/∂w3": g2 * i1, "∂E_total/∂w4": g2 * i2})
    r.update({"∂E_total/∂w5": d1 * a_h1, "∂E_total/∂w6": d1 * a_h2, "∂E_total/∂w7": d2 * a_h1})
    r["∂E_total/∂w8"] = d2 * a_h2
    return r


def wrong_quantities(s, row) -> set[str]:
    expected = reference.local(s, row)
    return {q for q, x in row.items() if q in expected and not math.isclose(x, expected[q], rel_tol=1e-12)}


def test_local_recomputes_each_quantity_from_its_own_rows_values(era_spec):
    row = seeds_row(era_spec.weights)
    expected = reference.local(era_spec, row)
    assert {q for q in row if q[0] not in "wit"} <= expected.keys()  # weights, inputs, targets: the row's inputs
    assert wrong_quantities(era_spec, row) == set()
    # and it is the same computation the free-running trace makes
    first = {name: column[0] for name, column in reference.run(era_spec, 0.1).items()}
    assert all(math.isclose(first[q], expected[q], rel_tol=1e-15) for q in expected if q in first)


def test_a_planted_mistake_is_blamed_on_its_own_quantity_alone(era_spec):
    weights = (0.13, 0.21, 0.26, 0.28, 0.37, 0.46, 0.49, 0.52)
    assert wrong_quantities(era_spec, seeds_row(weights, slip="class sheet")) == {"∂E_total/∂w3", "∂E_total/∂w4"}
    assert wrong_quantities(era_spec, seeds_row(weights, t=(0.01, 0.99), slip="E2 with a_o1")) == {"E2"}
    # everything downstream of a wrong a_h1 is computed from it, rightly: only a_h1 is blamed
    assert wrong_quantities(era_spec, seeds_row(weights, slip="a_h1 from h2")) == {"a_h1"}
    # the same wrong a_h1 typed into a row computed from the right one: then o1, o2 disagree with it too
    row = seeds_row(weights)
    row["a_h1"] = seeds_row(weights, slip="a_h1 from h2")["a_h1"]
    assert {"a_h1", "o1", "o2", "∂E_total/∂w1"} <= wrong_quantities(era_spec, row)


def test_local_gradients_of_one_output_are_the_paths_through_it(era_spec):
    row = seeds_row(era_spec.weights)
    through_o1 = reference.local(era_spec, row, of="E1")
    d1 = (row["a_o1"] - 0.5) * row["a_o1"] * (1 - row["a_o1"])
    assert math.isclose(through_o1["∂E1/∂w1"], d1 * row["w5"] * row["a_h1"] * (1 - row["a_h1"]) * 0.05, rel_tol=1e-14)
    assert through_o1["∂E1/∂w7"] == 0.0
