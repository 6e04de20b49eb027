"""Optimizers: the reference against PyTorch's documented update equations, and the workbooks that
apply them recalculated by LibreOffice."""

import math
import re
import zipfile

import pytest

from sheetgen import check, cli
from sheetgen.build import workbook
from sheetgen.build.layout import Layout
from sheetgen.check import verify
from sheetgen.errors import SpecError
from sheetgen.model import names, reference, spec
from sheetgen.xlsx import recalc
from tests.conftest import edit_sheets, need_libreoffice, replace_formula, set_cell_value, without_property

from .test_reference import seeds_row

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam", "adagrad")


def pytorch_documented(name, h, theta, g, state, t):
    """One step of torch.optim's algorithms as its documentation writes them (the box on each
    optimizer's page), written here from those pages, independently of sheetgen, for a list of
    parameters θ with gradients g. `state`: the state before step t ({} at t = 1). Returns the new
    parameters and the state after the step, by PyTorch's state names."""
    zeros = [0.0] * len(theta)
    if name == "momentum":  # b_t = μ·b_{t−1} + g_t (b_1 = g_1); θ_t = θ_{t−1} − γ·b_t
        b = list(g) if t == 1 else [h["momentum"] * bi + gi for bi, gi in zip(state["momentum_buffer"], g)]
        return [p - h["lr"] * bi for p, bi in zip(theta, b)], {"momentum_buffer": b}
    if name == "rmsprop":  # v_t = α·v_{t−1} + (1 − α)·g_t²; θ_t = θ_{t−1} − γ·g_t/(√v_t + ε)
        v = [h["alpha"] * vi + (1 - h["alpha"]) * gi**2 for vi, gi in zip(state.get("square_avg", zeros), g)]
        return [p - h["lr"] * gi / (math.sqrt(vi) + h["eps"]) for p, gi, vi in zip(theta, g, v)], {"square_avg": v}
    if name == "adam":  # m_t, v_t; m̂_t = m_t/(1 − β1^t), v̂_t = v_t/(1 − β2^t); θ_t = θ_{t−1} − γ·m̂_t/(√v̂_t + ε)
        b1, b2 = h["betas"]
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(state.get("exp_avg", zeros), g)]
        v = [b2 * vi + (1 - b2) * gi**2 for vi, gi in zip(state.get("exp_avg_sq", zeros), g)]
        m_hat, v_hat = [x / (1 - b1**t) for x in m], [x / (1 - b2**t) for x in v]
        new = [p - h["lr"] * a / (math.sqrt(b) + h["eps"]) for p, a, b in zip(theta, m_hat, v_hat)]
        return new, {"exp_avg": m, "exp_avg_sq": v}
    if name == "adagrad":  # state_sum_t = state_sum_{t−1} + g_t²; θ_t = θ_{t−1} − γ·g_t/(√state_sum_t + ε)
        s = [si + gi**2 for si, gi in zip(state.get("sum", zeros), g)]
        return [p - h["lr"] * gi / (math.sqrt(si) + h["eps"]) for p, gi, si in zip(theta, g, s)], {"sum": s}
    return [p - h["lr"] * gi for p, gi in zip(theta, g)], {}  # θ_t = θ_{t−1} − γ·g_t


def era_gradient(w):
    """The ERA net's gradients, from the seeds' equations written out by hand (test_reference)."""
    row = seeds_row(w)
    return [row[f"∂E_total/∂w{k}"] for k in range(1, 9)]


# PyTorch's defaults, and other values so that reading the settings is tested too
SETTINGS = {
    "sgd": [({}, {})],
    "momentum": [({"momentum": 0.9}, {}), ({"momentum": 0.5}, {"momentum": 0.5})],
    "rmsprop": [({"alpha": 0.99, "eps": 1e-8}, {}), ({"alpha": 0.9, "eps": 1e-3}, {"alpha": 0.9, "eps": 1e-3})],
    "adam": [
        ({"betas": (0.9, 0.999), "eps": 1e-8}, {}),
        ({"betas": (0.5, 0.9), "eps": 1e-4}, {"beta_1": 0.5, "beta_2": 0.9, "eps": 1e-4}),
    ],
    "adagrad": [({"eps": 1e-10}, {}), ({"eps": 0.1}, {"eps": 0.1})],
}


def era_with(optimizer, keys) -> spec.Spec:
    text = (spec.templates_dir() / "era.toml").read_text()
    table = "".join(f"{k} = {v!r}\n" for k, v in keys.items())
    return spec.parse(f'{text}\n[training]\noptimizer = "{optimizer}"\n{table}', "era-test.toml")


def columns(trace, kind, n):
    """Row n of the reference's trace: the 8 weights, or the 8 values of one kind of state."""
    return [trace[f"w{k}" if kind == "w" else f"{kind}_w{k}"][n] for k in range(1, 9)]


def close(got, want, scale) -> bool:
    return all(abs(a - b) <= 1e-13 * s for a, b, s in zip(got, want, scale, strict=True))


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_each_optimizer_follows_pytorchs_documented_equations(optimizer):
    """The ERA net at η = 0.1 and 1.0, PyTorch's defaults and other settings: each of 100 steps, taken by
    the documented equations from the reference's own row (its weights, its state, and the gradient the
    seeds' equations give for those weights), lands on the reference's next row — every weight and every
    state value within 1e-13 of its column's size. With the defaults, the whole 100-step trajectory
    too, the documented equations run on their own."""
    for documented, keys in SETTINGS[optimizer]:
        s = era_with(optimizer, keys)
        for eta in (0.1, 1.0):
            h = documented | {"lr": eta}
            trace = reference.run(s, eta)
            kinds = names.STATE[optimizer]
            assert len(trace) == 29 + 8 * len(kinds)  # every column, the state's too
            scale = {kind: [max(map(abs, column)) for column in zip(*(columns(trace, kind, n) for n in range(100)))]
                     for kind in ("w", *kinds)}  # fmt: skip
            state = {}
            for n in range(99):  # one step at a time, from the reference's own row
                theta = columns(trace, "w", n)
                g = era_gradient(theta)
                new, state = pytorch_documented(optimizer, h, theta, g, state, n + 1)
                assert close(columns(trace, "w", n + 1), new, scale["w"]), (optimizer, keys, eta, n)
                for kind in kinds:
                    assert close(columns(trace, kind, n), state[kind], scale[kind]), (optimizer, keys, eta, n, kind)
                state = {kind: columns(trace, kind, n) for kind in kinds}
            if keys:
                continue
            theta, state = list(s.weights), {}  # the documented equations alone, all 100 steps
            for n in range(100):
                assert close(columns(trace, "w", n), theta, scale["w"]), (optimizer, eta, n)
                theta, state = pytorch_documented(optimizer, h, theta, era_gradient(theta), state, n + 1)
                assert all(close(columns(trace, kind, n), state[kind], scale[kind]) for kind in kinds)


def test_the_first_step_of_each_stateful_optimizer_by_hand(era_spec):
    """Iteration 1's state and iteration 2's w1 at η = 0.1, from g = ∂E_total/∂w1 of the first row."""
    g = reference.run(era_spec, 0.1)["∂E_total/∂w1"][0]
    first = {o: reference.run(era_spec.with_overrides(optimizer=o, iterations=2), 0.1) for o in OPTIMIZERS}
    assert first["momentum"]["momentum_buffer_w1"][0] == g  # PyTorch's buffer starts as the gradient itself
    assert first["momentum"]["w1"][1] == 0.15 - 0.1 * g
    assert math.isclose(first["rmsprop"]["square_avg_w1"][0], 0.01 * g * g, rel_tol=1e-12)
    assert math.isclose(first["rmsprop"]["w1"][1], 0.15 - 0.1 * g / (math.sqrt(0.01) * abs(g) + 1e-8), rel_tol=1e-12)
    # Adam's first step is η·g/(|g| + ε), nearly η·sign(g): the bias corrections undo the zero start
    assert math.isclose(first["adam"]["exp_avg_w1"][0], 0.1 * g, rel_tol=1e-12)
    assert math.isclose(first["adam"]["w1"][1], 0.15 - 0.1 * g / (abs(g) + 1e-8), rel_tol=1e-12)
    assert first["adagrad"]["sum_w1"][0] == g * g
    assert math.isclose(first["adagrad"]["w1"][1], 0.15 - 0.1 * g / (abs(g) + 1e-10), rel_tol=1e-12)


def test_each_optimizer_has_its_preset():
    listed = dict(spec.list_templates())
    for optimizer in OPTIMIZERS[1:]:
        s = spec.load(f"era-{optimizer}")
        assert s.optimizer == optimizer and f"era-{optimizer}" in listed
        plain = spec.load("era")
        assert (s.weights, s.inputs, s.targets, s.learning_rates) == (
            plain.weights, plain.inputs, plain.targets, plain.learning_rates)  # fmt: skip
        assert dict(s.settings) == dict(era_with(optimizer, {}).settings)  # PyTorch's defaults, written out


BAD = [
    ('optimizer = "nadam"', "training.optimizer: 'nadam' is not one of sgd, momentum, rmsprop, adam, adagrad"),
    ('optimizer = "adam"\nbeta_1 = 1.0', "training.beta_1: must be at least 0 and less than 1, got 1.0"),
    ('optimizer = "adam"\nbeta_2 = 1.5', "training.beta_2: must be at least 0 and less than 1, got 1.5"),
    ('optimizer = "adam"\neps = 0', "training.eps: must be > 0 (it keeps the step finite), got 0.0"),
    ('optimizer = "adagrad"\neps = -1e-10', "training.eps: must be > 0"),
    ('optimizer = "rmsprop"\nalpha = 1', "training.alpha: must be at least 0 and less than 1"),
    ('optimizer = "momentum"\nmomentum = -0.1', "training.momentum: must be at least 0 and less than 1"),
    ('optimizer = "adam"\neps = nan', "training.eps: must be finite"),
    ('optimizer = "sgd"\nmomentum = 0.9', "training.momentum: not a setting of optimizer 'sgd' (it has none)"),
    ('optimizer = "adam"\nalpha = 0.9', "training.alpha: not a setting of optimizer 'adam' (its settings: beta_1"),
    ('optimiser = "adam"', "training.optimiser: unknown key (did you mean training.optimizer?)"),
    ('beta_1 = "0.9"', "training.beta_1: not a setting of optimizer 'sgd'"),
]


@pytest.mark.parametrize("table, message", BAD)
def test_bad_training_values_are_refused_naming_the_key(table, message):
    text = (spec.templates_dir() / "era.toml").read_text() + f"\n[training]\n{table}\n"
    with pytest.raises(SpecError) as e:
        spec.parse(text, "bad.toml")
    assert str(e.value).startswith(f"bad.toml: {message}") and "\n" not in str(e.value)


def test_another_optimizer_on_the_command_line_drops_the_presets_settings():
    s = spec.load("era-adam").with_overrides(optimizer="momentum")
    assert s.optimizer == "momentum" and dict(s.settings) == {"μ": 0.9}
    assert spec.load("era").with_overrides(optimizer="adam").settings == spec.load("era-adam").settings


def test_optimizer_flag(capsys, tmp_path):
    out = tmp_path / "adam.xlsx"
    assert cli.main(["build", "era", "--optimizer", "adam", "--iterations", "3", "-o", str(out)]) == 0
    assert verify.network(out)["optimizer"] == "adam"
    with pytest.raises(SystemExit) as e:
        cli.main(["build", "era", "--optimizer", "nadam", "-o", str(tmp_path / "x.xlsx")])
    assert e.value.code == 2 and "invalid choice: 'nadam'" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


# -- the workbooks, recalculated by LibreOffice ------------------------------------------------------
# w1 of iteration 2 (B19) with β2 in the bias correction where β1 belongs
ADAM_W1 = "B18-eta/(1-beta_1^A18)*AE18/(SQRT(AM18)/SQRT(1-beta_2^A18)+eps)"
ADAM_SLIP = (ADAM_W1, ADAM_W1.replace("beta_1", "beta_2"))


@pytest.fixture(scope="module")
def optimizer_books(tmp_path_factory):
    """Every optimizer on the ERA net (30 iterations at η = 0.1 and 1.0), a deeper net with biases and
    Adam, and Adam's workbook with a slip planted, and with β1 edited: one LibreOffice run."""
    need_libreoffice()
    where = tmp_path_factory.mktemp("optimizers")
    era = spec.load("era").with_overrides(iterations=30, learning_rates=[0.1, 1.0])
    specs = {o: era.with_overrides(optimizer=o) for o in OPTIMIZERS}
    specs["deep-adam"] = spec.load("era").with_overrides(
        layers=[2, 3, 2, 2], activation=["tanh", "sigmoid", "sigmoid"], bias="trainable", seed=1, iterations=40,
        learning_rates=[0.05], optimizer="adam")  # fmt: skip
    books = {}
    for name, s in specs.items():
        books[name] = where / f"{name}.xlsx"
        workbook.build(s, books[name])
    books["adam-slip"] = where / "adam-slip.xlsx"
    edit_sheets(books["adam"], books["adam-slip"], lambda xml: replace_formula(xml, *ADAM_SLIP), "2")
    books["adam-beta"] = where / "adam-beta.xlsx"  # β1 typed into its named cell, B15, on both tabs
    edit_sheets(books["adam"], books["adam-beta"], lambda xml: set_cell_value(xml, "B15", 0.5), "[23]")
    for o in OPTIMIZERS:  # every parameter read by its address ($B$15), beside its label
        specs[f"{o}-cells"] = specs[o].with_overrides(references="cells")
        books[f"{o}-cells"] = where / f"{o}-cells.xlsx"
        workbook.build(specs[f"{o}-cells"], books[f"{o}-cells"])
    books["adam-cells-no-beta"] = where / "adam-cells-no-beta.xlsx"  # β1's number deleted, on LR 0.1
    edit_sheets(books["adam-cells"], books["adam-cells-no-beta"], lambda xml: _delete_cell(xml, "B15"), "2")
    fresh = recalc.recalculate(recalc.strip(list(books.values()), where / "lo"), where / "lo")
    reports = {name: verify.compare(p, f, verify.network(p)) for (name, p), f in zip(books.items(), fresh)}
    return specs, books, fresh, reports


def test_every_optimizer_recalculates_to_the_reference(optimizer_books):
    specs, _, _, reports = optimizer_books
    for name in (*OPTIMIZERS, "deep-adam"):
        report = reports[name]
        assert report.ok, (name, [line for t in report.tabs for line in t.lines()])
        s = specs[name]
        state = len(names.STATE[s.optimizer]) * (len(s.weights) + len(s.biases))
        assert len(Layout(s).columns) == 1 + len(s.weights) + 2 * sum(s.layers[1:]) + s.layers[-1] + 1 + sum(
            s.layers[1:-1]) + len(s.weights) + 2 * len(s.biases) + state  # fmt: skip
        for tab in report.tabs[:-2]:  # every cell of the table judged, the state's and the updates too
            assert tab.cells == (len(Layout(s).columns) - 1) * s.iterations, name
        derivation = report.tabs[-1]
        if name in OPTIMIZERS:  # each equation twice: evaluated, and the table's own cell
            assert derivation.cells == 2 * (29 + state), name


def _delete_cell(xml: str, cell: str) -> str:
    out, n = re.subn(rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)', "", xml, count=1)
    assert n == 1, f"no cell {cell}"
    return out


def test_every_optimizer_reading_its_cells_by_address_verifies_and_checks(optimizer_books):
    specs, books, _, reports = optimizer_books
    for o in OPTIMIZERS:
        report = reports[f"{o}-cells"]
        assert report.ok, (o, [line for t in report.tabs for line in t.lines()])
        assert report.tabs[0].cells == (len(Layout(specs[o]).columns) - 1) * 30
    results = check.check([books[f"{o}-cells"] for o in OPTIMIZERS])
    assert [r.verdict for r in results] == ["right"] * len(OPTIMIZERS), [check.text(r) for r in results]


def test_a_hyperparameter_cell_left_empty_is_said_not_defaulted(optimizer_books):
    _, books, _, reports = optimizer_books
    bad = [t for t in reports["adam-cells-no-beta"].tabs if not t.ok]
    assert [t.sheet for t in bad] == ["LR 0.1", "Derivation"]  # the Derivation works LR 0.1's first row again
    assert bad[0].lines() == ["missing or not a number: the parameter cell(s) β1 (B15)"]
    (result,) = check.check([books["adam-cells-no-beta"]])
    assert result.verdict == "wrong" and "the parameter cell(s) β1 (B15)" in result.tables[0].report.problems[0]


def test_a_slip_in_an_adam_update_is_found_where_it_is(optimizer_books):
    *_, reports = optimizer_books
    bad = [t for t in reports["adam-slip"].tabs if not t.ok]
    assert [t.sheet for t in bad] == ["LR 0.1"] and bad[0].bad == 1  # the one cell: nothing downstream blamed
    (mistake,) = bad[0].mistakes
    assert (mistake.where, mistake.quantity, mistake.code) == ("B19", "w1", "wrong-parameter")
    assert mistake.message.startswith("uses β2 (beta_2) where β1 (beta_1) belongs")  # the names, as the sheet has them


def test_an_edited_hyperparameter_recalculates_and_still_verifies(optimizer_books):
    specs, books, fresh, reports = optimizer_books
    assert reports["adam-beta"].ok
    tab = verify.recalculated_book(fresh[list(books).index("adam-beta")]).sheet("LR 0.1")
    edited = reference.run(era_with("adam", {"beta_1": 0.5}).with_overrides(iterations=30), 0.1)
    as_built = reference.run(specs["adam"], 0.1)
    got = [row[19] for row in tab.rows(18)]  # column T: E_total
    assert all(math.isclose(g, w, rel_tol=1e-9) for g, w in zip(got, edited["E_total"], strict=True))
    assert not math.isclose(got[-1], as_built["E_total"][-1], rel_tol=1e-3)  # it really moved


def test_state_columns_are_named_as_pytorch_prints_them(optimizer_books):
    _, books, fresh, _ = optimizer_books
    header = verify.recalculated_book(fresh[list(books).index("adam")]).sheet("LR 0.1").rows(17, 17)[0]
    assert header[30:32] == ["exp_avg_w1", "exp_avg_w2"] and header[38] == "exp_avg_sq_w1"
    assert re.search("PyTorch's optimizer.state\\[w1\\]\\['exp_avg'\\]", _note(books["adam"], "AE17"))


def _note(book, cell) -> str:
    import openpyxl

    return openpyxl.load_workbook(book)["LR 0.1"][cell].comment.text


def test_check_reads_the_optimizer_off_the_state_columns(tmp_path):
    """`sheetgen check` knows no document property: Adam's exp_avg_… columns say which rule to judge by."""
    from sheetgen import check

    built = tmp_path / "adam.xlsx"
    workbook.build(spec.load("era-adam").with_overrides(iterations=12, learning_rates=[0.5]), built)
    path = without_property(built, tmp_path / "adam-hand-made.xlsx")
    (result,) = check.check([path])
    assert result.verdict == "right" and result.values == "cached", check.text(result)
    assert result.tables[0].report.cells == 12 * (29 + 16)
    assert "adam" in result.tables[0].report.network, result.tables[0].report.network


def test_check_reads_hyperparameters_from_workbook_scoped_names(tmp_path):
    """A hand-made sheet defines its names for the whole workbook, as Excel's Name Box does: β1 = 0.8
    is read from `beta_1` (the default 0.9 would make every Adam update wrong)."""
    from sheetgen import check

    built = tmp_path / "adam.xlsx"
    workbook.build(spec.load("era-adam").with_overrides(iterations=12, learning_rates=[0.5], beta_1=0.8), built)
    path = tmp_path / "workbook-names.xlsx"
    with zipfile.ZipFile(without_property(built, tmp_path / "plain.xlsx")) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/workbook.xml":
                data, n = re.subn(rb' localSheetId="1"', b"", data)
                assert n > 10
            zout.writestr(item, data)
    (result,) = check.check([path])
    assert result.verdict == "right" and result.values == "cached", check.text(result)
    assert "adam (β1 0.8, β2 0.999, ε 1e-08)" in result.tables[0].report.network
