"""The fourteenth blind review's first contact (7 LaTeX write-ups written blind to the code): a report
whose derivatives are its own macro (`\\pd{\\Et}{w_5}`) was read as the words `pd E w_5` and eight right
lines blamed; equations laid out in an `array` were read as one matrix. In small, each write-up written
for its test (none a copy of the corpus); numbers from test_review6b's `run` (the network by hand,
independently of sheetgen), EVA8's targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE = run(W, 0.5, 1)[0]
G = ONE["g"]
FORWARD_TEX = (f"$h_1 = {ONE['h1']:.4f}$, $a_{{h1}} = {ONE['a_h1']:.6f}$, $o_1 = {ONE['o1']:.6f}$, "
               f"$a_{{o1}} = {ONE['a_o1']:.6f}$\n\n")  # fmt: skip

PREAMBLE = r"""\documentclass{article}
\usepackage{amsmath}
\newcommand{\D}[2]{\frac{\partial #1}{\partial #2}}
\newcommand\Etot{E_{\mathrm{total}}}
\def\act#1{a_{#1}}
\DeclareMathOperator{\sgm}{\sigma}
\begin{document}
"""


def report(w5: float, w6: float) -> str:
    return PREAMBLE + (
        "Inputs $i_1 = 0.05$, $i_2 = 0.1$; targets $t_1 = 0.01$, $t_2 = 0.99$.\n"
        "\\begin{align*}\n"
        f"  \\act{{h1}} &= \\sgm(h_1) = {ONE['a_h1']:.8f} \\\\\n"
        f"  \\D{{\\Etot}}{{w_5}} &= (\\act{{o1}} - t_1)\\,\\act{{o1}}(1 - \\act{{o1}})\\,\\act{{h1}} = {w5:.8f} \\\\\n"
        f"  \\D{{\\Etot}}{{w_6}} &= (\\act{{o1}} - t_1)\\,\\act{{o1}}(1 - \\act{{o1}})\\,\\act{{h2}} = {w6:.8f}\n"
        "\\end{align*}\n\\end{document}\n"
    )


def test_a_reports_own_macros_are_read_as_they_typeset(tmp_path):
    right = check(tmp_path, report(G[4], G[5]), "report.tex")
    assert right.mistakes == [] and {10, 11, 12} <= set(right.read), "\n".join(right.lines())
    slipped = check(tmp_path, report(G[4], G[4]), "report.tex")  # ∂E/∂w6 given w5's number
    assert set(blamed(slipped)) == {12}, "\n".join(slipped.lines())


def test_macros_defined_in_markdown_math_are_read_too(tmp_path):
    text = (
        "$\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}$\n\n"
        f"$$\\pd{{E_{{total}}}}{{w_5}} = (a_{{o1}} - t_1) a_{{o1}} (1 - a_{{o1}}) a_{{h1}} = {G[4]:.6f}$$\n\n"
        f"$$\\pd{{E_{{total}}}}{{w_7}} = (a_{{o2}} - t_2) a_{{o2}} (1 - a_{{o2}}) a_{{h2}} = {G[7]:.6f}$$\n"
    )
    result = check(tmp_path, text)
    assert set(blamed(result)) == {5} and 3 in result.read, "\n".join(result.lines())


def test_a_macro_defined_nowhere_in_sight_is_said_not_read(tmp_path):
    # \pd from a package of the student's own: what it shows is unknown, so is its equation
    text = f"$$\\pd{{E_{{total}}}}{{w_5}} = {G[4]:.6f}$$\n\n$$\\grad{{w_6}} = {G[5]:.6f}$$\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and result.read == [], "\n".join(result.lines())
    assert any("\\grad" in why for _, _, why in result.skipped), result.skipped


def test_equations_laid_out_in_an_array_are_rows_not_a_matrix(tmp_path):
    rows = [("h_1", f"w_1 i_1 + w_2 i_2 = {ONE['h1']:.4f}"), ("h_2", f"w_3 i_1 + w_4 i_2 = {ONE['h2']:.4f}"),
            ("o_1", f"w_5 a_{{h1}} + w_6 a_{{h2}} = {ONE['o1']:.6f}"),
            ("o_2", "w_7 a_{h1} + w_6 a_{h2} = 0.5")]  # fmt: skip
    body = " \\\\\n".join(f"  {left} & = & {right}" for left, right in rows)
    text = f"\\[\n\\begin{{array}}{{lcl}}\n  i_1 = 0.05 & i_2 = 0.1 & t_1 = 0.01\\\\\n{body}\n\\end{{array}}\n\\]\n"
    result = check(tmp_path, text, "forward.tex")
    assert set(blamed(result)) == {7}, "\n".join(result.lines())  # w6 where w8 belongs
    assert {3, 4, 5, 6} <= set(result.read)


def test_a_derivative_of_the_loss_falling_is_no_loss_falling(tmp_path):
    # `∂E_tot/∂a_h1 fell from 0.0150633 to 0.0022897` was read as E_total going from one to the other
    two = run(W, 0.5, 2)[1]
    text = f"E_total = {ONE['E']:.6f}\n\n"
    text += "The hidden slope $\\partial E_{tot}/\\partial a_{h1}$ fell from 0.015063 to 0.0023.\n"
    assert check(tmp_path, text).mistakes == [], "\n".join(check(tmp_path, text).lines())
    said = check(tmp_path, text + f"\nThe error fell from {ONE['E']:.6f} to {two['E'] + 0.01:.6f}.\n")
    assert set(blamed(said)) == {5}, "\n".join(said.lines())  # the loss itself falling still is judged


def rate_table(rows: str, before: str = "", after: str = "") -> str:
    return (
        PREAMBLE
        + f"$E_{{total}} = {ONE['E']:.6f}$, $a_{{h1}} = {ONE['a_h1']:.6f}$, $o_1 = {ONE['o1']:.6f}$, "
        + (
            f"$a_{{o1}} = {ONE['a_o1']:.6f}$, $h_1 = {ONE['h1']:.4f}$.\n\n{before}\\begin{{center}}\n"
            f"\\begin{{tabular}}{{c|cc}}\n  $\\eta$ & 1 update & 10 updates \\\\ \\hline\n{rows}\\end{{tabular}}\n"
            f"{after}\\end{{center}}\n\\end{{document}}\n"
        )
    )


def test_a_latex_table_of_the_loss_by_learning_rate_is_read_by_its_header_and_caption(tmp_path):
    # `η & 1 update & 10 updates \\ \hline` (the rule on the header's own line) in a center environment,
    # `error after a given number of updates is:` above it, or a \caption below it: the losses were unread
    steps = {eta: (run(W, eta, 2)[1]["E"], run(W, eta, 11)[10]["E"]) for eta in (0.1, 0.5, 2.0)}
    rows = "".join(f"  {eta} & {a:.9f} & {b:.9f} \\\\\n" for eta, (a, b) in steps.items())
    for before, after in (("The error after a given number of updates is:\n", ""),
                          ("", "\\caption{$E_{total}$ after $n$ updates for each tab.}\n")):  # fmt: skip
        text = rate_table(rows, before, after)
        result = check(tmp_path, text, "report.tex")
        at = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("  0.")]
        assert result.mistakes == [] and set(at) <= set(result.read), "\n".join(result.lines())
        wrong = f"{steps[0.5][1]:.9f}"
        slipped = check(tmp_path, text.replace(wrong, wrong[:-3] + wrong[-2] + wrong[-3] + wrong[-1]), "report.tex")
        assert set(blamed(slipped)) == {at[1]}, "\n".join(slipped.lines())  # two digits swapped


def test_an_upright_d_makes_a_derivative(tmp_path):
    # `\frac{\mathrm{d} a_{o_1}}{\mathrm{d} o_1} = a_{o_1}(1 + a_{o_1})`: read as the product d·a_o1 over d·o1
    slope = ONE["a_o1"] * (1 - ONE["a_o1"])
    text = f"$$\\frac{{\\mathrm{{d}} a_{{o_1}}}}{{\\mathrm{{d}} o_1}} = a_{{o_1}}(1 - a_{{o_1}}) = {slope:.6f}$$\n"
    assert check(tmp_path, text).read == [1]
    assert set(blamed(check(tmp_path, text.replace("(1 - a", "(1 + a")))) == {1}


def test_a_step_worked_out_in_a_tables_cell_is_read(tmp_path):
    # `| $w_8$ | … | $0.55 - 0.0427692 = 0.5072308$ |` under `$w^{+}$` (η = 1): the sign slip went unread
    one = run(W, 1.0, 1)[0]
    rows = "".join(
        f"| $w_{k}$ | ${one['g'][k - 1]:.7f}$ | ${W[k - 1]} - ({one['g'][k - 1]:.7f}) = {one['w'][k - 1]:.7f}$ |\n"
        for k in (5, 8)
    )
    text = FORWARD_TEX + "| | $\\partial E_{tot}/\\partial w$ | $w^{+}$ |\n|---|---|---|\n" + rows
    result = check(tmp_path, text)
    assert result.mistakes == [] and {5, 6} <= set(result.read), "\n".join(result.lines())
    flipped = f"0.55 - {abs(one['g'][7]):.7f} = {0.55 - abs(one['g'][7]):.7f}"
    slipped = check(tmp_path, text.replace(f"0.55 - ({one['g'][7]:.7f}) = {one['w'][7]:.7f}", flipped))
    assert set(blamed(slipped)) == {6}, "\n".join(slipped.lines())


def test_eta_left_out_of_one_step_among_steps_that_write_it(tmp_path):
    # `w_2 = 0.2 - 0.000376511` among `w_1 = 0.15 - 0.8 × 0.000188256`, …: a warning ("right at η = 1"),
    # while the file's worked steps all write 0.8
    eight = run(W, 0.8, 1)[0]
    steps = [f"w_{k}^{{new}} = {W[k - 1]} - 0.8 \\times {G[k - 1]:.9f} = {eight['w'][k - 1]:.9f}" for k in (1, 2, 3)]
    text = "$\\eta = 0.8$; the sheet also has tabs for $\\eta = 0.1$ and $\\eta = 1.0$.\n\n"
    text += "".join(f"$${s}$$\n\n" for s in steps)
    assert check(tmp_path, text).mistakes == [], "\n".join(check(tmp_path, text).lines())
    left_out = text.replace(
        f"0.2 - 0.8 \\times {G[1]:.9f} = {eight['w'][1]:.9f}", f"0.2 - {G[1]:.9f} = {0.2 - G[1]:.9f}"
    )
    assert set(blamed(check(tmp_path, left_out))) == {5}, "\n".join(check(tmp_path, left_out).lines())
    # every step without η: the file works at η = 1, said at most
    none = text
    for k in (1, 2, 3):
        none = none.replace(f"{W[k - 1]} - 0.8 \\times {G[k - 1]:.9f} = {eight['w'][k - 1]:.9f}",
                            f"{W[k - 1]} - {G[k - 1]:.9f} = {W[k - 1] - G[k - 1]:.9f}")  # fmt: skip
    assert check(tmp_path, none).mistakes == [], "\n".join(check(tmp_path, none).lines())
