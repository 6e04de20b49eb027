"""Helper columns (issue #21, point 4): δo1, ∂E/∂a_h1, each output's share ∂E1/∂a_h1, a σ′ column,
∂o1/∂w5 — identified as the quantities they compute and judged as such. A right sheet with any of
them gets no alarm; a slip in a helper is blamed on the helper at its first wrong cell, and the
gradients that read it, right functions of the cells they read, are not blamed. A column whose header
names nothing known is never blamed, and is said not identified. Hand-made workbooks (tests/handmade),
recalculated by sheetgen's own evaluator."""

from dataclasses import replace

import pytest

from sheetgen import check
from sheetgen.check.run import OWN
from sheetgen.model import names, reference, spec, spelling
from tests import handmade

S = handmade.Slip
R = handmade.RULES
ROWS = handmade.CLASS_SHEET.rows


def _layout(extra, name):
    """The class sheet with helper columns between E_total and the gradients."""
    columns = handmade.CLASS_SHEET.columns
    at = [q for q, _ in columns].index("E_total") + 1
    return replace(handmade.CLASS_SHEET, name=name, columns=columns[:at] + extra + columns[at:])


# δ_o = ∂E_total/∂o, which ∂E_total/∂w5 … ∂E_total/∂w8 read
DELTA = {
    "d1": "=({a_o1}-{t1})*{a_o1}*(1-{a_o1})",
    "d2": "=({a_o2}-{t2})*{a_o2}*(1-{a_o2})",
    "g5": "={d1}*{a_h1}",
    "g6": "={d1}*{a_h2}",
    "g7": "={d2}*{a_h1}",
    "g8": "={d2}*{a_h2}",
}
# ∂E_total/∂a_h = δo1·w + δo2·w, which the hidden weights' gradients read
HIDDEN = {
    "e1": "={d1}*{w5}+{d2}*{w7}",
    "e2": "={d1}*{w6}+{d2}*{w8}",
    "g1": "={e1}*{a_h1}*(1-{a_h1})*{i1}",
    "g2": "={e1}*{a_h1}*(1-{a_h1})*{i2}",
    "g3": "={e2}*{a_h2}*(1-{a_h2})*{i1}",
    "g4": "={e2}*{a_h2}*(1-{a_h2})*{i2}",
}
# each output's share of ∂E_total/∂a_h1, the two added where ∂E_total/∂w1 and ∂E_total/∂w2 read them
SHARES = {
    "s1": "=({a_o1}-{t1})*{a_o1}*(1-{a_o1})*{w5}",
    "s2": "=({a_o2}-{t2})*{a_o2}*(1-{a_o2})*{w7}",
    "g1": "=({s1}+{s2})*{a_h1}*(1-{a_h1})*{i1}",
    "g2": "=({s1}+{s2})*{a_h1}*(1-{a_h1})*{i2}",
}
# σ′ columns, which the gradients multiply by
SLOPES = {
    "p1": "={a_h1}*(1-{a_h1})",
    "p2": "={a_h2}*(1-{a_h2})",
    "q1": "={a_o1}*(1-{a_o1})",
    "g1": R["g1"].replace("{a_h1}*(1-{a_h1})", "{p1}"),
    "g3": R["g3"].replace("{a_h2}*(1-{a_h2})", "{p2}"),
    "g5": R["g5"].replace("{a_o1}*(1-{a_o1})", "{q1}"),
}
# ∂o1/∂w5 = a_h1, and ∂E_total/∂a_o1 = a_o1 − t1, which δo1 reads
LOCAL = {
    "l5": "={a_h1}",
    "a1": "={a_o1}-{t1}",
    "d1": "={a1}*{a_o1}*(1-{a_o1})",
    "g5": "={d1}*{l5}",
}
# the textbooks' δ = (t − a)·a·(1 − a): −∂E_total/∂o, the gradients its negative
TEXTBOOK = {
    "d1": "=({t1}-{a_o1})*{a_o1}*(1-{a_o1})",
    "d2": "=({t2}-{a_o2})*{a_o2}*(1-{a_o2})",
    "g5": "=-{d1}*{a_h1}",
    "g6": "=-{d1}*{a_h2}",
    "g7": "=-{d2}*{a_h1}",
    "g8": "=-{d2}*{a_h2}",
}

D = [("d1", "δo1"), ("d2", "δo2")]
KINDS = {  # name -> (the helper columns, the sheet's rules, {column: the quantity it is read as})
    "δ": (D, DELTA, {"d1": "∂E_total/∂o1", "d2": "∂E_total/∂o2"}),
    "δ spelt out": ([("d1", "delta_o1"), ("d2", "∂E/∂net_o2")], DELTA, {"d1": "∂E_total/∂o1", "d2": "∂E_total/∂o2"}),
    "∂E/∂a_h": (D + [("e1", "∂E_total/∂a_h1"), ("e2", "∂E/∂a_h2")], DELTA | HIDDEN,
                {"d1": "∂E_total/∂o1", "e1": "∂E_total/∂a_h1", "e2": "∂E_total/∂a_h2"}),
    "shares": ([("s1", "∂E1/∂a_h1"), ("s2", "dE2/dout_h1")], SHARES, {"s1": "∂E1/∂a_h1", "s2": "∂E2/∂a_h1"}),
    "σ′": ([("p1", "σ'(h1)"), ("p2", "a_h2*(1-a_h2)"), ("q1", "∂out_o1/∂net_o1")], SLOPES,
           {"p1": "∂a_h1/∂h1", "p2": "∂a_h2/∂h2", "q1": "∂a_o1/∂o1"}),
    "∂o1/∂w5": ([("a1", "∂E_total/∂out_o1"), ("d1", "δ_o1"), ("l5", "∂o1/∂w5")], LOCAL,
                {"a1": "∂E_total/∂a_o1", "d1": "∂E_total/∂o1", "l5": "∂o1/∂w5"}),
    "textbook δ": (D, TEXTBOOK, {"d1": "−∂E_total/∂o1", "d2": "−∂E_total/∂o2"}),
    "δ is ∂E/∂a_o": (D, {"d1": "={a_o1}-{t1}", "d2": "={a_o2}-{t2}",
                         "g5": "={d1}*{a_o1}*(1-{a_o1})*{a_h1}", "g7": "={d2}*{a_o2}*(1-{a_o2})*{a_h1}"},
                     {"d1": "∂E_total/∂a_o1", "d2": "∂E_total/∂a_o2"}),
}  # fmt: skip

SLIPS = {  # name -> (kind, the slip, its code, a fragment of its diagnosis)
    "δo1 with σ′ = a·(1 + a)": ("δ", S("d1", "=({a_o1}-{t1})*{a_o1}*(1+{a_o1})"), "wrong-definition",
                                "σ′ written as a_o1·(1 + a_o1)"),
    # w7 holds 0.5 in the first row, as t1 and t2 do: the probes tell them apart, δo1 and δo2 known
    "∂E/∂a_h1 with w6 for w7": ("∂E/∂a_h", S("e1", "={d1}*{w5}+{d2}*{w6}"), "swap-reference",
                                "uses w6 (N4) where w7 (O4) belongs"),
    "σ′ column a·(1 + a)": ("σ′", S("p1", "={a_h1}*(1+{a_h1})"), "wrong-definition", "σ′ written as a_h1·(1 + a_h1)"),
    "∂E2/∂a_h1 with w8 for w7": ("shares", S("s2", "=({a_o2}-{t2})*{a_o2}*(1-{a_o2})*{w8}"), "swap-reference",
                                 "uses w8 (P4) where w7 (O4) belongs"),
    "∂o1/∂w5 with a_h2": ("∂o1/∂w5", S("l5", "={a_h2}"), "swap-reference", "uses a_h2 (L4) where a_h1 (J4) belongs"),
    "∂E/∂a_o1 the wrong way round": ("∂o1/∂w5", S("a1", "={t1}-{a_o1}"), "sign", "the sign is wrong"),
}  # fmt: skip


def _book(kind: str, slip: S | None = None, name: str = ""):
    extra, rules, _ = KINDS[kind]
    return _layout(extra, name or kind), rules, [slip] if slip else []


@pytest.fixture(scope="module")
def helper_books(tmp_path_factory):
    """name -> (its FileResult, the layout, planted {quantity: first wrong cell}); every book in one run."""
    where = tmp_path_factory.mktemp("helpers")
    books = {f"right: {k}": _book(k) for k in KINDS}
    books |= {f"slip: {s}": _book(kind, slip) for s, (kind, slip, _, _) in SLIPS.items()}
    # ∂E_total/∂w1 computed inline beside a wrong ∂E_total/∂a_h1 it does not read
    layout, rules, _ = _book("∂E/∂a_h")
    books["inline"] = (layout, rules | {"g1": R["g1"]}, [S("e1", "={d1}*{w5}+{d2}*{w6}")])
    # a helper whose header names nothing known, which the output weights' gradients read
    books["unknown"] = (_layout([("d1", "helper 1"), ("d2", "helper 2")], "unknown"), DELTA, [])
    books["unknown, wrong"] = (books["unknown"][0], DELTA, [S("d1", "=({a_o1}-{t1})*{a_o1}*(1+{a_o1})")])
    files, planted = [], {}
    for n, (name, (layout, rules, slips)) in enumerate(books.items()):
        files.append(where / f"{n:02d}.xlsx")
        planted[name] = handmade.write(layout, files[-1], slips, rules=rules)
    results = check.check(files, engine=OWN)
    return {name: (r, books[name][0], planted[name]) for name, r in zip(books, results)}


def _mistakes(result) -> dict[str, str]:
    (table,) = result.tables
    return {m.quantity: m.where for m in table.report.mistakes}


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


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_right_sheet_with_helpers_gets_no_alarm_and_each_helper_is_judged(helper_books, kind):
    result, layout, _ = helper_books[f"right: {kind}"]
    assert result.verdict == "right", check.text(result)
    (table,) = result.tables
    assert not table.report.mistakes and not table.report.problems and not table.report.notes, check.text(result)
    read = {layout.col(key): q for key, q in KINDS[kind][2].items()}
    assert {c: q for q, c in table.as_dict()["columns"].items() if c in read} == read
    # every computed cell judged: the forward pass, the loss, 8 gradients and the helpers each row; the
    # weights from the second row on
    helpers = len(KINDS[kind][0])
    assert table.report.cells == ROWS * (11 + 8 + helpers) + (ROWS - 1) * 8


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_a_slip_in_a_helper_is_the_helpers_and_what_reads_it_is_right(helper_books, name):
    result, _, planted = helper_books[f"slip: {name}"]
    kind, _, code, said = SLIPS[name]
    assert result.verdict == "wrong"
    assert _mistakes(result) == {KINDS[kind][2][key]: cell for key, cell in planted.items()}, check.text(result)
    (mistake,) = result.tables[0].report.mistakes
    assert mistake.code == code and said in mistake.message, check.text(result)
    assert mistake.rows == ROWS


def test_a_gradient_computed_inline_is_judged_on_the_forward_pass(helper_books):
    """∂E_total/∂w1 written out in full beside a wrong ∂E_total/∂a_h1 it does not read: right, while
    ∂E_total/∂w2, which reads it, is the right function of it: only ∂E_total/∂a_h1 is blamed."""
    result, layout, _ = helper_books["inline"]
    assert _mistakes(result) == {"∂E_total/∂a_h1": f"{layout.col('e1')}4"}, check.text(result)


def test_a_column_not_identified_is_never_blamed_and_is_said(helper_books):
    """`helper 1` holds δo1, which the output weights' gradients read: the sheet is right. Wrong, the
    gradients that read it are wrong functions of the quantities the judge knows, but the column itself
    is never blamed; both times it is said not identified."""
    result, layout, _ = helper_books["unknown"]
    assert result.verdict == "right", check.text(result)
    (table,) = result.tables
    col = layout.col("d1")
    assert {"quantity": None, "cells": f"{col}4:{col}15", "how": "header 'helper 1': not identified, not judged"} in (
        table.as_dict()["read_as"]
    )
    assert f"not identified, not judged: 'helper 1' ({col}), 'helper 2' ({layout.col('d2')})" in "\n".join(
        check.text(result)
    )
    wrong, _, _ = helper_books["unknown, wrong"]
    blamed = {m.where.rstrip("0123456789") for m in wrong.tables[0].report.mistakes}
    assert blamed and col not in blamed and layout.col("d2") not in blamed, check.text(wrong)
    assert "not identified, not judged: 'helper 1'" in "\n".join(check.text(wrong))
    assert "∂E_total/∂w5 = 'helper 1'*a_h1 is not its rule" in "\n".join(check.text(wrong))


def test_a_delta_is_read_as_what_its_values_are_and_said(helper_books):
    """δo1 holding (t1 − a_o1)·a_o1·(1 − a_o1), the textbooks' δ: −∂E_total/∂o1, said under `read as`."""
    result, layout, _ = helper_books["right: textbook δ"]
    col = layout.col("d1")
    said = f"{col}: −∂E_total/∂o1 — header 'δo1': its values are −∂E_total/∂o1's"  # the rows are said above
    assert said in "\n".join(check.text(result))


def test_the_write_ups_read_delta_as_the_sheets_do():
    """A write-up's δ_o1 and a sheet's header δo1 are read in one vocabulary: the write-up's readings
    of a line that speaks of δ are spelling.delta_readings, in its order."""
    from sheetgen.writeup import equations

    (e,) = equations.find("δ_o1 = (a_o1 - t1) * a_o1 * (1 - a_o1)")
    lefts = [e.sides[0]] + [sides[0] for sides in e.readings]
    assert [equations.render(x) for x in lefts] == list(spelling.delta_readings("o1"))
