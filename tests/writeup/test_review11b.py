"""The eleventh blind review's first contact (8 ordinary write-ups written blind to the code): its
false alarm and two wrong lines missed, in small. Each write-up here is written for its test (none is
a copy of the blind corpus). Numbers from test_review6b's `run`, the network written out by hand,
independently of sheetgen; EVA8's targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE = run(W, 0.5, 1)[0]


def test_the_learning_rate_going_from_one_value_to_another_is_no_loss(tmp_path):
    # `The error curve drops faster as the learning rate is increased from 0.1 to 2.0.` was read as
    # E_total going from 0.1 to 2.0, and blamed
    text = (
        f"E_total = {ONE['E']:.6f}\n\nThe error curve drops faster as the learning rate is increased from 0.1 to 2.0.\n"
    )
    assert check(tmp_path, text).mistakes == []
    two = run(W, 0.5, 2)[1]
    said = check(tmp_path, text + f"\nWith η = 0.5 the error falls from {ONE['E']:.6f} to {two['E'] + 0.01:.6f}.\n")
    assert 5 in blamed(said), "\n".join(said.lines())  # a loss that goes from one value to another still is


def test_a_step_down_a_negative_gradient_in_brackets_writes_its_eta(tmp_path):
    # `w7 = 0.5 - 0.2 * (-0.042455)` under `(η = 0.5)`: the η it writes was not read (the gradient in
    # brackets), so the slip of η was only a warning
    g7 = ONE["g"][6]
    text = f"## Updating weights (η = 0.5)\n\n* `w5 = 0.4 - 0.5 * {ONE['g'][4]:.6f} = {0.4 - 0.5 * ONE['g'][4]:.6f}`\n"
    text += f"* `w7 = 0.5 - 0.5 * ({g7:.6f}) = {0.5 - 0.5 * g7:.6f}`\n"
    assert check(tmp_path, text).mistakes == [], "\n".join(check(tmp_path, text).lines())
    slipped = check(
        tmp_path, text.replace(f"0.5 * ({g7:.6f}) = {0.5 - 0.5 * g7:.6f}", f"0.2 * ({g7:.6f}) = {0.5 - 0.2 * g7:.6f}")
    )
    assert [(m.line, m.code) for m in slipped.mistakes] == [(4, "wrong-parameter")], "\n".join(slipped.lines())


def test_the_factor_of_the_gradient_in_the_files_updates_is_its_learning_rate(tmp_path):
    # `w5 = w5 - n * dE_total/dw5` (UPDATE, n = 0.5): n was a word, and `w6 = w6 + n * …` went unread
    g = ONE["g"]
    text = "UPDATE (first iteration, n = 0.5)\n"
    for k in (5, 6, 7):
        text += (
            f"w{k} = w{k} - n * dE_total/dw{k} = {W[k - 1]:g} - 0.5*{g[k - 1]:.6f} = {W[k - 1] - 0.5 * g[k - 1]:.6f}\n"
        )
    result = check(tmp_path, text)
    assert result.mistakes == [] and {2, 3, 4} <= set(result.read), "\n".join(result.lines())
    up = check(tmp_path, text.replace("w6 = w6 - n", "w6 = w6 + n"))
    assert 3 in blamed(up), "\n".join(up.lines())
    # one such line is no learning rate: n might be anything
    once = check(tmp_path, "UPDATE\n" + text.splitlines()[1] + "\n")
    assert once.mistakes == [] and 2 not in once.read, "\n".join(once.lines())


def test_a_table_of_the_loss_after_one_step_for_each_learning_rate_is_read_row_by_row(tmp_path):
    # `| η | E_total |` under `E_total after the first weight update:` (rounds 11 and 12, three LaTeX
    # write-ups under 90 % read for it): each row the loss at the second iteration, at the row's η
    rates = (0.1, 0.5, 1.0, 2.0)
    after = {eta: run(W, eta, 2)[1]["E"] for eta in rates}
    rows = "".join(f"| {eta:g} | {after[eta]:.6f} |\n" for eta in rates)
    text = f"E_total = {ONE['E']:.6f}\n\n$E_{{total}}$ after the first weight update:\n\n"
    text += f"| η | E_total |\n|---|---|\n{rows}"
    result = check(tmp_path, text)
    assert result.mistakes == [] and {7, 8, 9, 10} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"| 0.5 | {after[0.5]:.6f}", f"| 0.5 | {after[1.0]:.6f}"))
    assert blamed(slipped) == {8: "E_total at iteration 2"}, "\n".join(slipped.lines())
    # said of no iteration, the column is not read: unsure which
    unsaid = check(tmp_path, text.replace("$E_{total}$ after the first weight update:", "The loss for each rate:"))
    assert unsaid.mistakes == [] and not {7, 8, 9, 10} & set(unsaid.read), "\n".join(unsaid.lines())
    # columns said in their headers: after one step, and after ten (the 11th iteration, at the row's η;
    # round 14's tables of the loss after 1, 10, 50, 100 updates were left unread)
    ten = {eta: run(W, eta, 11)[10]["E"] for eta in rates}
    wide = f"E_total = {ONE['E']:.6f}\n\n| η | E_total after 1 step | after 10 steps |\n|---|---|---|\n"
    wide += "".join(f"| {eta:g} | {after[eta]:.6f} | {ten[eta]:.6f} |\n" for eta in rates)
    result = check(tmp_path, wide)
    assert result.mistakes == [] and {5, 6, 7, 8} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, wide.replace(f"{ten[1.0]:.6f}", f"{ten[2.0]:.6f}"))  # η = 2's on the row of η = 1
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def test_a_name_the_file_defines_for_one_neuron_names_its_sibling(tmp_path):
    # written at the checklist, in a notation of my own: `y_h1 = sigmoid(z_h1)` defined, `y_h2` only used:
    # `∂L/∂w5 = …·y_h2` (a_h2 where a_h1 belongs) went unread, the slip missed
    text = "# My backprop (η = 0.5, targets 0.01 / 0.99)\n\n"
    text += "Notation: z for a net input, y for its sigmoid; L for the loss.\n\n"
    text += (f"- z_h1 = w1·i1 + w2·i2 = {ONE['h1']:.4f}\n- y_h1 = sigmoid(z_h1) = {ONE['a_h1']:.10f}\n"
             f"- z_o1 = w5·y_h1 + w6·y_h2 = {ONE['o1']:.10f}\n- y_o1 = sigmoid(z_o1) = {ONE['a_o1']:.10f}\n"
             f"- ∂L/∂w5 = (y_o1 − t1)·y_o1·(1 − y_o1)·y_h1 = {ONE['g'][4]:.10f}\n")  # fmt: skip
    result = check(tmp_path, text)
    assert result.mistakes == [] and {7, 9} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("(1 − y_o1)·y_h1", "(1 − y_o1)·y_h2"))
    assert blamed(slipped) == {9: "∂E_total/∂w5"}, "\n".join(slipped.lines())
