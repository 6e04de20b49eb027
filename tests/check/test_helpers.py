"""Helper columns (issue #21, point 4): δo1, ∂E/∂a_h1, each output's share ∂E1/∂a_h1, a σ′ column,
∂o1/∂w5 — identified as the quantities they compute and judged as such. A right sheet with any of
them gets no alarm; a slip in a helper is blamed on the helper at its first wrong cell, and the
gradients that read it, right functions of the cells they read, are not blamed. A column whose header
names nothing known is never blamed, and is said not identified. Hand-made workbooks (tests/handmade),
recalculated by sheetgen's own evaluator."""

import pytest

from sheetgen.model import names, reference, spec, spelling


def test_helper_headers_name_the_quantities_they_compute():
    """One name per quantity: δ is ∂E_total/∂o1 (read by its values: see below), a σ′ column the local
    slope ∂a_h1/∂h1, ∂o1/∂w5 the weighted sum's partial."""
    said = {
        "δo1": "∂E_total/∂o1", "δ_o1": "∂E_total/∂o1", "delta_o1": "∂E_total/∂o1", "d_o1": "∂E_total/∂o1",
        "δh2": "∂E_total/∂h2", "∂E/∂net_o1": "∂E_total/∂o1", "dE_total/dnet_h1": "∂E_total/∂h1",
        "∂E_total/∂out_o1": "∂E_total/∂a_o1", "∂E1/∂a_h1": "∂E1/∂a_h1", "∂E2/∂a_h1": "∂E2/∂a_h1",
        "dE1/dout_h1": "∂E1/∂a_h1", "σ'(h1)": "∂a_h1/∂h1", "σ′(o2)": "∂a_o2/∂o2", "sigmoid'(h1)": "∂a_h1/∂h1",
        "a_h1*(1-a_h1)": "∂a_h1/∂h1", "a_h1 * (1 - a_h1)": "∂a_h1/∂h1", "out_h2(1-out_h2)": "∂a_h2/∂h2",
        "∂a_h1/∂h1": "∂a_h1/∂h1", "∂out_h1/∂net_h1": "∂a_h1/∂h1", "da_o1/do1": "∂a_o1/∂o1",
        "sigmoid_derivative_h1": "∂a_h1/∂h1", "sigmoid_derivative(h1)": "∂a_h1/∂h1", "dsigmoid_h1": "∂a_h1/∂h1",
        "∂o1/∂w5": "∂o1/∂w5", "∂net_o1/∂w5": "∂o1/∂w5", "do2/dw8": "∂o2/∂w8", "∂o1/∂a_h1": "∂o1/∂a_h1",
        "∂h1/∂w1": "∂h1/∂w1", "net_h1": "h1",
    }  # fmt: skip
    assert {h: spelling.quantity(h) for h in said} == said
    # not a helper: a change of o1, a product of two neurons' activations, a word
    for text in ("Δo1", "a_h1*(1-a_h2)", "delta", "helper 1"):
        assert spelling.quantity(text) is None, text
    assert names.slope("h1") == "∂a_h1/∂h1" == names.grad("h1", names.act("h1"))
    assert names.is_local("∂o1/∂w5") and not names.is_local("∂E1/∂a_h1")
    assert spelling.delta_readings("o1") == ("∂E_total/∂o1", "∂E_total/∂a_o1", "−∂E_total/∂o1")


def test_the_reference_gives_the_local_partials_and_passes_the_sheets_back():
    """reference.Local(partials=…): ∂a_h1/∂h1 = a_h1·(1 − a_h1), ∂o1/∂w5 = a_h1, ∂o1/∂a_h1 = w5, read off
    the row's own values; a sheet's value of one is what the backward pass multiplies by instead."""
    era = spec.load("era")
    given = {names.weight(k): w for k, w in enumerate(era.weights, 1)}
    plain = reference.Local(era)(given)
    local = reference.Local(era, partials=["∂a_h1/∂h1", "∂o1/∂w5", "∂o1/∂a_h1"])
    got = local(given)
    assert got["∂a_h1/∂h1"] == plain["a_h1"] * (1 - plain["a_h1"])
    assert (got["∂o1/∂w5"], got["∂o1/∂a_h1"]) == (plain["a_h1"], era.weights[4])
    assert all(got[q] == x for q, x in plain.items())
    doubled = local(given | {"∂a_h1/∂h1": 2 * got["∂a_h1/∂h1"]})
    assert doubled["∂E_total/∂w1"] == pytest.approx(2 * plain["∂E_total/∂w1"], rel=1e-12)
    assert doubled["∂a_h1/∂h1"] == got["∂a_h1/∂h1"]  # its own rule, from a_h1
    # one output's loss pins its own gradients: ∂E1/∂a_h1 = w5·∂E1/∂o1, the sheet's ∂E1/∂o1
    assert reference.Local(era, of="E1")(given | {"∂E1/∂o1": 1.0})["∂E1/∂a_h1"] == era.weights[4]


def test_the_write_ups_read_delta_as_the_sheets_do():
    """A write-up's δ_o1 and a sheet's header δo1 are read in one vocabulary: the write-up's readings
    of a line that speaks of δ are spelling.delta_readings, in its order."""
    from sheetgen.writeup import equations

    (e,) = equations.find("δ_o1 = (a_o1 - t1) * a_o1 * (1 - a_o1)")
    lefts = [e.sides[0]] + [sides[0] for sides in e.readings]
    assert [equations.render(x) for x in lefts] == list(spelling.delta_readings("o1"))
