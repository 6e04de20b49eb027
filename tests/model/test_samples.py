"""Several samples: full batch (every sample's pass in the row, the mean loss's gradient) and online
(one sample a row, cycling); the XOR preset."""

import math
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from sheetgen import check, cli
from sheetgen.build import workbook
from sheetgen.build.layout import Layout
from sheetgen.check import verify
from sheetgen.errors import SpecError
from sheetgen.model import reference, spec
from sheetgen.xlsx import recalc
from tests.conftest import edit_sheets, need_libreoffice, replace_formula
from tests.strategies import trainings

from .test_reference import H, near_a_kink

XOR = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))


def sigma(x):
    return 1 / (1 + math.exp(-x))


def xor_by_hand(w, b, x, t):
    """The 2-2-1 sigmoid net with biases on one sample, forward and backward, written out by hand:
    (a_o1, E_total, gradients of w1..w6, b1..b3)."""
    w1, w2, w3, w4, w5, w6 = w
    a_h1, a_h2 = sigma(w1 * x[0] + w2 * x[1] + b[0]), sigma(w3 * x[0] + w4 * x[1] + b[1])
    a_o1 = sigma(w5 * a_h1 + w6 * a_h2 + b[2])
    d_o = (a_o1 - t) * a_o1 * (1 - a_o1)
    d_h1, d_h2 = d_o * w5 * a_h1 * (1 - a_h1), d_o * w6 * a_h2 * (1 - a_h2)
    grads = [d_h1 * x[0], d_h1 * x[1], d_h2 * x[0], d_h2 * x[1], d_o * a_h1, d_o * a_h2, d_h1, d_h2, d_o]
    return a_o1, 0.5 * (t - a_o1) ** 2, grads


def test_xor_full_batch_is_the_mean_of_the_samples_by_hand():
    """Every row: each sample's output, loss and gradient, and the batch's mean loss and mean gradient
    (the gradient of the mean loss); then the SGD step — 300 rows against the net written out by hand."""
    s = spec.load("xor")
    trace = reference.run(s, 10.0)
    params = [f"w{k}" for k in range(1, 7)] + ["b1", "b2", "b3"]
    theta = list(s.weights + s.biases)
    for n in range(s.iterations):
        assert all(math.isclose(trace[p][n], x, rel_tol=1e-9, abs_tol=1e-12) for p, x in zip(params, theta))
        passes = [xor_by_hand(theta[:6], theta[6:], x, t) for x, (t,) in zip(XOR, s.sample_targets)]
        for k, (a, e, g) in enumerate(passes, 1):
            assert math.isclose(trace[f"a_o1[{k}]"][n], a, rel_tol=1e-12) and math.isclose(
                trace[f"E_total[{k}]"][n], e, rel_tol=1e-9
            )
            assert all(
                math.isclose(trace[f"∂E_total/∂{p}[{k}]"][n], x, rel_tol=1e-9, abs_tol=1e-15) for p, x in zip(params, g)
            )
        assert math.isclose(trace["E_total"][n], sum(e for _, e, _ in passes) / 4, rel_tol=1e-9)
        batch = [sum(g[i] for *_, g in passes) / 4 for i in range(9)]
        assert all(
            math.isclose(trace[f"∂E_total/∂{p}"][n], x, rel_tol=1e-9, abs_tol=1e-15) for p, x in zip(params, batch)
        )
        theta = [p - 10.0 * g for p, g in zip(theta, batch)]


def test_online_takes_one_sample_a_row_in_order_by_hand():
    s = spec.load("xor").with_overrides(batch="online", iterations=41)
    trace = reference.run(s, 2.0)
    assert [trace["sample"][n] for n in range(6)] == [1.0, 2.0, 3.0, 4.0, 1.0, 2.0]
    theta = list(s.weights + s.biases)
    for n in range(s.iterations):
        x, (t,) = XOR[n % 4], s.sample_targets[n % 4]
        assert (trace["i1"][n], trace["i2"][n], trace["t1"][n]) == (*x, t)
        a, e, g = xor_by_hand(theta[:6], theta[6:], x, t)
        assert math.isclose(trace["a_o1"][n], a, rel_tol=1e-12) and math.isclose(trace["E_total"][n], e, rel_tol=1e-9)
        theta = [p - 2.0 * gi for p, gi in zip(theta, g)]
    assert not any("[" in q for q in trace)  # one sample a row: the one-sample names


def test_the_xor_preset_learns_xor():
    """On its best tab every output ends within 0.1 of its target; not on the smallest step."""
    s = spec.load("xor")
    assert (s.layers, s.bias, s.batch, s.optimizer, s.n_samples) == ((2, 2, 1), "trainable", "full", "sgd", 4)
    assert s.samples == XOR and [t for (t,) in s.sample_targets] == [0, 1, 1, 0] and s.seed is not None
    final = {eta: [reference.run(s, eta)[f"a_o1[{k}]"][-1] for k in range(1, 5)] for eta in s.learning_rates}
    best = min(final, key=lambda eta: max(abs(a - t) for a, t in zip(final[eta], (0, 1, 1, 0))))
    assert all(abs(a - t) < 0.1 for a, t in zip(final[best], (0, 1, 1, 0))), final
    assert not all(abs(a - t) < 0.1 for a, t in zip(final[min(final)], (0, 1, 1, 0)))


def test_columns_keep_their_names_and_each_sample_has_its_block():
    full, online = spec.load("xor"), spec.load("xor").with_overrides(batch="online")
    columns = Layout(full).columns
    assert columns[:10] == ("Iteration", "w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")
    block = columns[10 : 10 + 19]
    assert block[:8] == ("h1[1]", "a_h1[1]", "h2[1]", "a_h2[1]", "o1[1]", "a_o1[1]", "E1[1]", "E_total[1]")
    assert columns[10 + 19 * 4 :] == (
        "E_total",
        *[f"∂E_total/∂{p}" for p in ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")],
    )
    assert Layout(online).columns[:6] == ("Iteration", "sample", "i1", "i2", "t1", "w1")
    assert [p.name for p in Layout(full).params][:6] == ["i_1_s1", "i_2_s1", "t_1_s1", "i_1_s2", "i_2_s2", "t_1_s2"]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(s=trainings())
def test_the_batch_gradient_equals_central_differences_of_the_mean_loss(s):
    """Full batch: ∂E_total/∂w of the first row, the mean of the samples' gradients, against central
    differences of the mean loss over the samples."""
    s = replace(s, batch="full", iterations=1, bias="trainable" if s.biases else "none")
    assume(not any(near_a_kink(replace(s, inputs=x), s.weights, s.biases) for x in s.samples))
    first = reference.run(s, 1.0)
    params = [("w", k) for k in range(len(s.weights))] + [("b", k) for k in range(len(s.biases))]
    for kind, k in params:
        up, down = list(s.weights if kind == "w" else s.biases), list(s.weights if kind == "w" else s.biases)
        up[k] += H
        down[k] -= H
        pair = [(up, s.biases), (down, s.biases)] if kind == "w" else [(s.weights, up), (s.weights, down)]
        want = (reference.loss(s, *pair[0]) - reference.loss(s, *pair[1])) / (2 * H)
        assert math.isclose(first[f"∂E_total/∂{kind}{k + 1}"][0], want, rel_tol=1e-5, abs_tol=1e-8)


BAD = [
    ("samples = [[0, 0], [0, 1], [1]]\ntargets = [[0], [1], [1]]",
     "network.samples: row 3 has 1 number, expected 2 (one per input)"),
    ("samples = [[0, 0], [0, 1]]\ntargets = [[0], [1], [1]]",
     "network.targets: expected 2 rows (one per sample), got 3"),
    ("samples = [[0, 0], [0, 1]]\ntargets = [[0], [1, 1]]",
     "network.targets: row 2 has 2 numbers, expected 1 (one per output)"),
    ("samples = [[0, 0], [0, 1]]\ntargets = [0, 1]", "network.targets: expected a list of rows"),
    ('samples = [[0, "a"]]\ntargets = [[0]]', "network.samples: row 1: expected numbers, got a string"),
    ("samples = [[0, 0], [0, nan]]\ntargets = [[0], [1]]", "network.samples: row 2: numbers must be finite"),
    ("samples = []\ntargets = []", "network.samples: expected a list of rows"),
    ("inputs = [0, 0]\nsamples = [[0, 0]]\ntargets = [[0]]",
     "network.samples: give either inputs (one sample) or samples"),
    ("inputs = [0, 0]\ntargets = [[0]]", "network.targets: expected one list of numbers (one sample), got rows"),
    ('inputs = [0, 0]\ntargets = [0]\n[training]\nbatch = "online"',
     "training.batch: online takes one sample a row: it needs network.samples, at least 2"),
    ('samples = [[0, 0]]\ntargets = [[0]]\n[training]\nbatch = "online"',
     "training.batch: online takes one sample a row"),
    ('inputs = [0, 0]\ntargets = [0]\n[training]\nbatch = "mini"', "training.batch: 'mini' is not one of full, online"),
]  # fmt: skip


@pytest.mark.parametrize("data, message", BAD)
def test_bad_samples_are_refused_naming_the_key(data, message):
    text = f"""description = "t"\noutput = "t.xlsx"\niterations = 2\nlearning_rates = [1.0]
[network]\nlayers = [2, 2, 1]\nseed = 1\n{data}\n"""
    with pytest.raises(SpecError) as e:
        spec.parse(text, "bad.toml")
    assert str(e.value).startswith(f"bad.toml: {message}") and "\n" not in str(e.value)


def test_samples_and_batch_flags(tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    argv = ["build", "era", "--samples", "0.05,0.1", "0.1,0.05", "--targets", "0.5,0.5", "0.2,0.8", "--iterations", "2"]
    assert cli.main([*argv, "--batch", "online", "-o", str(out)]) == 0
    net = verify.network(out)
    assert (net["layers"], net["samples"], net["batch"]) == ([2, 2, 2], 2, "online")
    s = spec.load("era").with_overrides(samples=[[0.05, 0.1], [0.1, 0.05]], targets=[[0.5, 0.5], [0.2, 0.8]])
    assert s.samples == ((0.05, 0.1), (0.1, 0.05)) and s.sample_targets == ((0.5, 0.5), (0.2, 0.8))
    assert spec.load("xor").with_overrides(inputs=[1, 0], targets=[[1]]).samples == ()  # back to one sample
    for extra, message in [
        (["--samples", "0,0", "0"], "--samples: row 2 has 1 number, expected 2 (one per input)"),
        (["--samples", "0,0", "0,1", "--targets", "0.5,0.5"], "--targets: expected 2 rows (one per sample), got 1"),
        (["--batch", "online"], "--batch: online takes one sample a row"),
    ]:
        assert cli.main(["build", "era", *extra, "-o", str(tmp_path / "bad.xlsx")]) == 2
        err = capsys.readouterr().err
        assert err == f"sheetgen: error: {message}\n" or err.startswith(f"sheetgen: error: {message}"), err
        assert not (tmp_path / "bad.xlsx").exists()


# -- recalculated by LibreOffice --------------------------------------------------------------------
SLIP = ("B18*i_1_s3+C18*i_2_s3+H18", "B18*i_1_s2+C18*i_2_s3+H18")  # h1[3] reading sample 2's i1


@pytest.fixture(scope="module")
def sample_books(tmp_path_factory):
    need_libreoffice()
    where = tmp_path_factory.mktemp("samples")
    specs = {
        "xor": spec.load("xor").with_overrides(iterations=40),
        "xor-online": spec.load("xor").with_overrides(iterations=40, batch="online", learning_rates=[2.0]),
        "xor-adam": spec.load("xor").with_overrides(iterations=30, optimizer="adam", learning_rates=[0.1]),
    }
    books = {}
    for name, s in specs.items():
        books[name] = where / f"{name}.xlsx"
        workbook.build(s, books[name])
    books["xor-slip"] = where / "xor-slip.xlsx"
    edit_sheets(books["xor"], books["xor-slip"], lambda xml: replace_formula(xml, *SLIP), "2")
    fresh = recalc.recalculate(recalc.strip(list(books.values()), where / "lo"), where / "lo")
    reports = {name: verify.compare(p, f, verify.network(p)) for (name, p), f in zip(books.items(), fresh)}
    return specs, reports


def test_xor_and_online_recalculate_to_the_reference(sample_books):
    specs, reports = sample_books
    for name, s in specs.items():
        report = reports[name]
        assert report.ok, (name, [line for t in report.tabs for line in t.lines()])
        for tab in report.tabs[:-2]:  # every cell of the table judged: each sample's, the batch's, the updates
            assert tab.cells == (len(Layout(s).columns) - 1) * s.iterations, name


def test_a_slip_in_one_samples_block_is_found_there_alone(sample_books):
    _, reports = sample_books
    bad = [t for t in reports["xor-slip"].tabs if not t.ok]
    assert [t.sheet for t in bad] == ["LR 1.0"] and bad[0].bad == 1
    (mistake,) = bad[0].mistakes
    assert (mistake.where, mistake.quantity, mistake.code) == ("AW18", "h1[3]", "wrong-parameter")
    assert mistake.message.startswith("uses i1[2] (i_1_s2) where i1[3] (i_1_s3) belongs")  # which sample's


@pytest.mark.libreoffice
@settings(
    max_examples=int(os.environ.get("SHEETGEN_LO_EXAMPLES", "3")) // 3 or 1,  # 10 trainings each
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(nets=st.lists(trainings(max_neurons=4, max_layers=4, max_iterations=5), min_size=10, max_size=10))
def test_random_trainings_recalculate_to_the_reference(nets):
    """Random networks, samples, batch modes, optimizers and hyperparameters: LibreOffice agrees, cell by cell."""
    need_libreoffice()
    with tempfile.TemporaryDirectory() as tmp:
        books = [Path(tmp) / f"net{n}.xlsx" for n in range(len(nets))]
        for s, book in zip(nets, books, strict=True):
            workbook.build(s, book)
        for s, report in zip(nets, verify.verify(books), strict=True):
            assert report.ok, (s, [line for t in report.tabs for line in t.lines()])
            cells = sum(t.cells for t in report.tabs[:-2])
            assert cells == len(s.learning_rates) * s.iterations * (len(Layout(s).columns) - 1)
        # and `check`, on the results we cached, reads each tab's parameters where verify does
        for s, result in zip(nets, check.check(books), strict=True):
            assert result.verdict == "right", (s, check.text(result))


def test_check_judges_an_online_sheet_on_its_cached_results(tmp_path):
    """Online training picks each row's sample with MOD and CHOOSE: the judge evaluates them, so the
    results we cached are seen to be what the formulas give (not "stale", not sent to LibreOffice)."""
    path = tmp_path / "xor-online.xlsx"
    workbook.build(spec.load("xor").with_overrides(batch="online", iterations=12, learning_rates=[2.0]), path)
    (result,) = check.check([path])
    assert result.verdict == "right" and result.values == "cached", check.text(result)
    assert "sample" in result.tables[0].table.columns
