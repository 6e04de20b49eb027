"""The thirteenth blind review's first contact (8 ordinary GitHub READMEs written blind to the code):
its eleven false alarms, all one kind — the loss after many steps, a line for each learning rate
(`lr = 0.1  ->  E_total = 0.133510607`, under `The error after 100 iterations:` a blank line above),
judged as the first iteration's. In small, each write-up written for its test (none a copy of the
corpus); numbers from test_review6b's `run` (the network by hand, independently of sheetgen), EVA8's
targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE = run(W, 0.5, 1)[0]
FORWARD = f"h1 = {ONE['h1']:.4f}, a_h1 = {ONE['a_h1']:.6f}, o1 = {ONE['o1']:.6f}, a_o1 = {ONE['a_o1']:.6f}\n\n"
HEAD = FORWARD + f"E_total = {ONE['E']:.9f}\n\nThe error after 100 iterations, for each learning rate:\n\n```\n"


def after(eta: float, steps: int) -> float:
    return run(W, eta, steps + 1)[steps]["E"]


def test_the_loss_beside_each_learning_rate_is_a_later_iterations(tmp_path):
    rows = "".join(f"lr = {eta}  ->  E_total = {after(eta, 100):.9f}\n" for eta in (0.1, 0.5, 2.0))
    result = check(tmp_path, HEAD + rows + "```\n")
    assert result.mistakes == [] and {8, 9, 10} <= set(result.read), "\n".join(result.lines())


def test_such_a_loss_that_is_no_iterations_is_a_warning_never_a_mistake(tmp_path):
    rows = f"lr = 0.1  ->  E_total = {after(0.1, 100):.9f}\nlr = 0.5  ->  E_total = 0.123456789\n"
    result = check(tmp_path, HEAD + rows + "```\n")
    assert result.mistakes == [], "\n".join(result.lines())
    assert [n for n, w in result.warnings if "none of the first" in w] == [9], result.warnings


def test_a_slip_in_the_first_iterations_loss_is_still_found_where_no_rate_is_named(tmp_path):
    result = check(tmp_path, FORWARD + f"E_total = {ONE['E'] + 0.01:.9f}\n")
    assert set(blamed(result)) == {3}, "\n".join(result.lines())


def test_a_line_whose_other_number_is_the_first_iterations_speaks_of_the_first(tmp_path):
    # seed 001's `Referring to … LR=0.1 tab, the value found are a_o1 = 0.6064 and a_o2 = 0.5342`: the
    # tab's first row (a_o1 is right there), so a_o2's number is judged there, though it is a_o2's at a
    # later iteration of η = 0.1 (here the 20th's, the slip of a row copied from further down)
    later = run(W, 0.1, 20)[19]["a_o2"]
    line = f"In the LR=0.1 tab the values found are a_o1 = {ONE['a_o1']:.4f} and a_o2 = {later:.4f}\n"
    result = check(tmp_path, FORWARD + line)
    assert set(blamed(result)) == {3}, "\n".join(result.lines())
