"""Cross-entropy: softmax over the output layer, E = −Σ t·ln p, its gradient p − t."""

import math
import re
from dataclasses import replace

import openpyxl
import pytest
from hypothesis import assume, given, settings

from sheetgen import check, cli
from sheetgen.build import workbook
from sheetgen.build.layout import Layout
from sheetgen.check import verify
from sheetgen.errors import SpecError
from sheetgen.model import reference, spec
from sheetgen.xlsx import recalc
from tests.conftest import edit_sheets, need_libreoffice, replace_formula, without_property
from tests.strategies import trainings

from .test_reference import H, near_a_kink

ERA = (spec.templates_dir() / "era.toml").read_text()


def era_ce(targets="[0, 1]", training="") -> spec.Spec:
    text = ERA.replace("targets = [0.5, 0.5]", f"targets = {targets}")
    return spec.parse(f'{text}\n[training]\nloss = "cross_entropy"\n{training}', "era-ce.toml")


def era_ce_by_hand(w, t):
    """The ERA net with a softmax output and cross-entropy, written out by hand (not the autograd):
    p, E_total and the eight gradients, δ_o = p − t."""
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    i1, i2 = 0.05, 0.10
    a_h1 = 1 / (1 + math.exp(-(w1 * i1 + w2 * i2)))
    a_h2 = 1 / (1 + math.exp(-(w3 * i1 + w4 * i2)))
    o1, o2 = w5 * a_h1 + w6 * a_h2, w7 * a_h1 + w8 * a_h2
    p1, p2 = math.exp(o1) / (math.exp(o1) + math.exp(o2)), math.exp(o2) / (math.exp(o1) + math.exp(o2))
    e = -t[0] * math.log(p1) - t[1] * math.log(p2)
    d1, d2 = p1 - t[0], p2 - t[1]
    g1, g2 = (d1 * w5 + d2 * w7) * a_h1 * (1 - a_h1), (d1 * w6 + d2 * w8) * a_h2 * (1 - a_h2)
    return (p1, p2), e, [g1 * i1, g1 * i2, g2 * i1, g2 * i2, d1 * a_h1, d1 * a_h2, d2 * a_h1, d2 * a_h2]


@pytest.mark.parametrize("targets", [(0.0, 1.0), (0.3, 0.7)])
def test_the_era_net_with_cross_entropy_by_hand(targets):
    s = era_ce(list(targets))
    assert s.activations == ("sigmoid", "softmax") and s.loss == "cross_entropy"
    trace = reference.run(s, 0.5)
    w = list(s.weights)
    for n in range(s.iterations):
        (p1, p2), e, g = era_ce_by_hand(w, targets)
        assert math.isclose(trace["a_o1"][n], p1, rel_tol=1e-12) and math.isclose(trace["a_o2"][n], p2, rel_tol=1e-12)
        assert math.isclose(trace["E_total"][n], e, rel_tol=1e-11)
        got = [trace[f"∂E_total/∂w{k}"][n] for k in range(1, 9)]
        assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15) for a, b in zip(got, g)), n
        w = [x - 0.5 * gi for x, gi in zip(w, g)]
    # it learns: the loss falls towards its floor, the targets' own entropy −Σ t·ln t (0 for one-hot)
    floor = -sum(t * math.log(t) for t in targets if t)
    assert trace["E_total"][-1] - floor < 0.1 * (trace["E_total"][0] - floor)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(s=trainings(loss="cross_entropy", min_outputs=2))
def test_cross_entropy_gradients_equal_central_differences(s):
    """The gradient of the mean cross-entropy over the samples, softmax included, against central
    differences — one sample, or several."""
    for one in (replace(s, samples=(), sample_targets=(), batch="full"), replace(s, batch="full")):
        one = replace(one, iterations=1, bias="trainable" if one.biases else "none")
        assume(not any(near_a_kink(replace(one, inputs=x), one.weights, one.biases) for x, _ in one.data()))
        first = reference.run(one, 1.0)
        assume(all(x == x for x in first["E_total"]))
        for k in range(len(one.weights)):
            up, down = list(one.weights), list(one.weights)
            up[k] += H
            down[k] -= H
            want = (reference.loss(one, up) - reference.loss(one, down)) / (2 * H)
            assert math.isclose(first[f"∂E_total/∂w{k + 1}"][0], want, rel_tol=1e-5, abs_tol=1e-8)


BAD = [
    ("targets = [0.3, 0.6]", 'loss = "cross_entropy"',
     "network.targets: the targets: cross_entropy takes probabilities, each in [0, 1] and summing to 1, "
     "got [0.3, 0.6] (sum 0.9)"),
    ("targets = [1.5, -0.5]", 'loss = "cross_entropy"', "network.targets: the targets: cross_entropy takes"),
    ("targets = [0.5, 0.5]", 'loss = "l1"', "training.loss: 'l1' is not one of mse, cross_entropy"),
    ('targets = [0.5, 0.5]\nactivation = ["sigmoid", "softmax"]', 'loss = "cross_entropy"',
     'network.activation: softmax comes with training.loss = "cross_entropy"'),
]  # fmt: skip


@pytest.mark.parametrize("change, training, message", BAD)
def test_bad_cross_entropy_values_are_refused_naming_the_key(change, training, message):
    text = ERA.replace('activation = "sigmoid"\n', "").replace("targets = [0.5, 0.5]", change)
    text += f"\n[training]\n{training}\n"
    with pytest.raises(SpecError) as e:
        spec.parse(text, "bad.toml")
    assert str(e.value).startswith(f"bad.toml: {message}") and "\n" not in str(e.value)


def test_a_target_row_that_does_not_sum_to_one_and_a_single_output_are_refused(tmp_path, capsys):
    text = re.sub(r"inputs = .*", "samples = [[0, 0], [1, 1]]", ERA)
    text = re.sub(r"targets = .*", "targets = [[1, 0], [0.5, 0.4]]", text) + '[training]\nloss = "cross_entropy"\n'
    with pytest.raises(SpecError, match=r"^x.toml: network.targets: row 2: cross_entropy takes probabilities, .* "
                                         r"got \[0.5, 0.4\] \(sum 0.9\)$"):  # fmt: skip
        spec.parse(text, "x.toml")
    out = tmp_path / "x.xlsx"
    argv = ["build", "era", "--loss", "cross_entropy", "--layers", "2,2,1", "--targets", "1", "-o", str(out)]
    assert cli.main(argv) == 2 and not out.exists()
    err = capsys.readouterr().err
    assert err == "sheetgen: error: --loss: cross_entropy needs at least 2 outputs (a softmax of one is 1), got 1\n"


def test_the_formulas_use_ln_and_the_gradient_is_p_minus_t():
    from sheetgen.build import formulas

    s = era_ce()
    layout, rules = Layout(s), formulas.rules(s)

    def text(q):
        return formulas.render(rules[q].rest, layout.ref_template).format(r=18, p=17)

    assert text("a_o1") == "=EXP(N18)/(EXP(N18)+EXP(P18))"
    assert text("E1") == "=-t_1*LN(O18)"  # LN: Excel's LOG is base 10
    assert text("∂E_total/∂w5") == "=(O18-t_1)*K18"  # δ = a_o1 − t1, no activation's slope
    assert layout.columns == Layout(spec.load("era")).columns  # the same names, whatever the loss


# -- recalculated by LibreOffice --------------------------------------------------------------------
LOG_SLIP = ("-t_2*LN(Q18)", "-t_2*LOG(Q18)")  # E2: t1 is 0, so E1 is 0 whichever log


@pytest.fixture(scope="module")
def ce_books(tmp_path_factory):
    """`sheetgen build era --loss cross_entropy --targets 0,1` as the issue has it; soft targets on a
    deeper net with biases and Adam; XOR as two classes, online; and a LOG written for LN."""
    need_libreoffice()
    where = tmp_path_factory.mktemp("ce")
    books = {"era-ce": where / "era-ce.xlsx"}
    assert cli.main(["build", "era", "--loss", "cross_entropy", "--targets", "0,1", "-o", str(books["era-ce"])]) == 0
    specs = {
        "era-ce": spec.load("era").with_overrides(loss="cross_entropy", targets=[[0, 1]]),
        "deep-soft": spec.load("era").with_overrides(
            layers=[2, 3, 3], targets=[[0.2, 0.3, 0.5]], loss="cross_entropy", bias="trainable", seed=2,
            optimizer="adam", iterations=30, learning_rates=[0.1, 1.0]),
        "xor-classes": spec.load("xor").with_overrides(
            layers=[2, 3, 2], targets=[[1, 0], [0, 1], [0, 1], [1, 0]], loss="cross_entropy", batch="online",
            iterations=30, learning_rates=[2.0]),
    }  # fmt: skip
    for name in ("deep-soft", "xor-classes"):
        books[name] = where / f"{name}.xlsx"
        workbook.build(specs[name], books[name])
    books["log-slip"] = where / "log-slip.xlsx"
    edit_sheets(books["era-ce"], books["log-slip"], lambda xml: replace_formula(xml, *LOG_SLIP), "2")
    fresh = recalc.recalculate(recalc.strip(list(books.values()), where / "lo"), where / "lo")
    reports = {name: verify.compare(p, f, verify.network(p)) for (name, p), f in zip(books.items(), fresh)}
    return specs, books, reports


def test_cross_entropy_workbooks_recalculate_to_the_reference(ce_books):
    specs, _, reports = ce_books
    for name, s in specs.items():
        report = reports[name]
        assert report.ok, (name, [line for t in report.tabs for line in t.lines()])
        for tab in report.tabs[:-2]:
            assert tab.cells == (len(Layout(s).columns) - 1) * s.iterations, name


def test_ln_not_log_a_base_10_slip_is_found_and_said(ce_books):
    *_, reports = ce_books
    bad = [t for t in reports["log-slip"].tabs if not t.ok]
    assert [t.sheet for t in bad] == ["LR 0.1"] and bad[0].bad == 1
    (mistake,) = bad[0].mistakes
    assert (mistake.where, mistake.quantity, mistake.code, mistake.fix) == ("S18", "E2", "log-base", "=-t_2*LN(Q18)")


def test_the_derivation_derives_p_minus_t_and_check_reads_the_loss_off_ln(ce_books):
    _, books, _ = ce_books
    rows = [r for r in openpyxl.load_workbook(books["era-ce"])["Derivation"].iter_rows(values_only=True) if r[0]]
    derived = next(r[1] for r in rows if r[0] == "∂E_total/∂o_j")
    assert re.search(r"∂E_total/∂o_j = −Σk t_k·\(δ_kj − p_j\) = p_j·Σk t_k − t_j = p_j − t_j", derived)
    assert next(r[1] for r in rows if r[0] == "E1") == "E1 = −t1·LN(a_o1)"
    # without the document property that says the network, E1's LN says cross-entropy
    where = books["era-ce"].parent
    plain = [without_property(books[name], where / f"{name}-hand-made.xlsx") for name in ("era-ce", "xor-classes")]
    results = check.check(plain)
    assert [r.verdict for r in results] == ["right", "right"], [check.text(r) for r in results]
    assert all("cross-entropy" in t.report.network for r in results for t in r.tables)
