"""The seventeenth blind review's first contact (10 write-ups of a class, half in LaTeX, written blind to
the code, scored after rounds 13-16's fixes): its eight false alarms, in small. Each write-up written for
its test (none a copy of the corpus); numbers from test_review6b's `run` (the network by hand,
independently of sheetgen), EVA8's targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE, TWO = run(W, 0.8, 2)
G = ONE["g"]
FORWARD = f"h1 = {ONE['h1']:.4f}, a_h1 = {ONE['a_h1']:.6f}, o1 = {ONE['o1']:.6f}, a_o1 = {ONE['a_o1']:.6f}\n\n"


def test_a_loss_in_powers_of_ten_after_many_steps_is_not_the_first_iterations(tmp_path):
    # `after 200 iterations it is already $E_{total} \approx 4.0 \times 10^{-14}$` (ERA's targets, η = 2):
    # its numbers all whole, it quoted nothing, and was judged as the first iteration's loss ("0.0, not 0.0")
    era = run(W, 2.0, 201, t1=0.5, t2=0.5)
    first = era[0]
    shown = f"a_h1 = {first['a_h1']:.6f}, a_o1 = {first['a_o1']:.6f}, a_o2 = {first['a_o2']:.6f}, "
    shown += f"E_total = {first['E']:.6f}\n\n"
    mantissa = era[200]["E"] / 1e-14  # 4.018…
    text = (
        shown
        + f"With η = 2 after 200 iterations it is already $E_{{total}} \\approx {mantissa:.1f} \\times 10^{{-14}}$.\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and 3 in result.read, "\n".join(result.lines())
    assert set(blamed(check(tmp_path, text.replace(f"{mantissa:.1f} \\times", f"{mantissa + 2:.1f} \\times")))) == {3}


def test_a_slip_in_a_numbered_equation_is_said_on_its_own_line(tmp_path):
    # `\begin{equation}\label{eq:do1}` then the row below it: the slip was said on the \begin line
    slope = ONE["a_o1"] * (1 - ONE["a_o1"])
    text = FORWARD + "\\begin{equation}\\label{eq:do1}\n"
    text += (
        f"\\frac{{\\partial a_{{o_1}}}}{{\\partial o_1}} = a_{{o_1}}(1 + a_{{o_1}}) = {slope:.8f}\n\\end{{equation}}\n"
    )
    assert set(blamed(check(tmp_path, text, "report.tex"))) == {4}


def test_a_quantity_numbered_in_a_superscript_is_no_power(tmp_path):
    # `E_{total}^{(2)} = … = 0.23131729` (the second iteration's): read as E_total squared, and blamed
    text = FORWARD + f"$$E_{{total}}^{{(2)}} = {TWO['E']:.8f}$$\n\n$$\\delta_{{o_1}}^{{(2)}} = 0.14061704$$\n"
    assert check(tmp_path, text).mistakes == [], "\n".join(check(tmp_path, text).lines())


def test_the_sheets_third_row_is_no_first_iteration(tmp_path):
    third = run(W, 0.8, 3)[2]
    text = FORWARD + f"In the sheet the third row then has $E_{{total}} = {third['E']:.8f}$.\n"
    assert check(tmp_path, text).mistakes == [], "\n".join(check(tmp_path, text).lines())
    assert set(blamed(check(tmp_path, FORWARD + f"$E_{{total}} = {third['E']:.8f}$\n"))) == {3}


def test_a_log_numbered_from_zero_counts_the_updates_done(tmp_path):
    # `iter    0 | E_total=1.418138e-02` then `iter    1 | …`: iter 1 is the second iteration, read as the first
    three = run(W, 0.8, 3)
    log = "".join(f"iter {k:4d} | E_total={three[k]['E']:.6e}\n" for k in range(3))
    result = check(tmp_path, FORWARD + "```\n" + log + "```\n")
    assert result.mistakes == [] and 4 in result.read, "\n".join(result.lines())
    slipped = FORWARD + "```\n" + log.replace(f"{three[1]['E']:.6e}", f"{three[1]['E'] + 0.0001:.6e}") + "```\n"
    assert set(blamed(check(tmp_path, slipped))) == {5}
