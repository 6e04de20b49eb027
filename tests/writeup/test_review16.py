"""The sixteenth blind review's first contact (10 write-ups of an ordinary class, written blind to the
code): its false alarms and misses, in small. Each write-up written for its test (none a copy of the
corpus); numbers from test_review6b's `run` (the network by hand, independently of sheetgen), EVA8's
targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE, TWO = run(W, 0.5, 2)
G = ONE["g"]
FORWARD = f"h1 = {ONE['h1']:.4f}, a_h1 = {ONE['a_h1']:.6f}, o1 = {ONE['o1']:.6f}, a_o1 = {ONE['a_o1']:.6f}\n\n"


def test_a_column_of_a_factor_of_the_gradient_is_no_gradient(tmp_path):
    # `| Weight | ∂E/∂a_o | ∂a_o/∂o | ∂o/∂w | ∂E_total/∂w |`: ∂E/∂a_o was read as the row's gradient (8 alarms)
    d = ONE["a_o1"] - 0.01
    rows = "".join(f"| $w_{k}$ | {d:.6f} | {G[k - 1]:.6f} |\n" for k in (5, 6))
    text = (
        FORWARD + "| Weight | $\\partial E/\\partial a_o$ | $\\partial E_{total}/\\partial w$ |\n|---|---|---|\n" + rows
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and {5, 6} <= set(result.read), "\n".join(result.lines())
    assert set(blamed(check(tmp_path, text.replace(f"| {G[5]:.6f} |", f"| {G[4]:.6f} |")))) == {6}


def test_a_column_after_the_step_at_the_eta_it_names_and_after_two_steps(tmp_path):
    # `| Weight | Before | ∂E_total/∂w | After (η = 0.5) |`: a column naming an η was not read; nor
    # `after iteration 2` (the weights after two steps): their slips went unseen
    w1, w2 = ONE["w"], TWO["w"]
    rows = "".join(f"| w{k} | {W[k - 1]} | {G[k - 1]:.6f} | {w1[k - 1]:.6f} | {w2[k - 1]:.6f} |\n" for k in (5, 8))
    head = "| Weight | Before | ∂E_total/∂w | After (η = 0.5) | after iteration 2 |\n|---|---|---|---|---|\n"
    text = FORWARD + head + rows
    result = check(tmp_path, text)
    assert result.mistakes == [] and {5, 6} <= set(result.read), "\n".join(result.lines())
    step_w7 = f"{0.55 - 0.5 * G[6]:.6f}"  # w8 stepped with w7's gradient
    assert set(blamed(check(tmp_path, text.replace(f"{w1[7]:.6f}", step_w7)))) == {6}
    assert set(blamed(check(tmp_path, text.replace(f"{w2[4]:.6f}", f"{w2[4] + 0.001:.6f}")))) == {5}


def test_a_name_set_between_eta_and_a_number_is_not_the_learning_rate(tmp_path):
    # `eta    n=1       n=2`, a table's header: read as η = 1 named by the file, so a step of η = 1 in a
    # file of η = 2 was right
    text = FORWARD + "eta = 2.0\n\n"
    text += f"w5 = 0.4 - 2.0*{G[4]:.6f} = {0.4 - 2 * G[4]:.6f}\nw7 = 0.5 - 1*{G[6]:.6f} = {0.5 - G[6]:.6f}\n\n"
    text += "eta    n=1       n=2\n"
    assert set(blamed(check(tmp_path, text))) == {6}
