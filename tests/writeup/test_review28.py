"""What the twenty-seventh blind review left unread, and the twenty-eighth and later found, in small; each
write-up written for its test (none a copy of the corpus); numbers from test_review6b's `run` (the network
by hand, independently of sheetgen), EVA8's targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE, TWO = run(W, 0.5, 2)
RATES = (0.1, 0.5, 2.0)
LOSSES = {eta: [it["E"] for it in run(W, eta, 4)] for eta in RATES}  # E_total at iterations 1…4


def _tex(body: str) -> str:
    return "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + body + "\\end{document}\n"


# the first iteration's forward pass, four numbers on three lines (later iterations' numbers are judged only
# where the first two's show the network)
FORWARD = f"""$h_1 = {ONE["h1"]:.6f}$, $a_{{h1}} = {ONE["a_h1"]:.8f}$

$a_{{o1}} = {ONE["a_o1"]:.8f}$, $a_{{o2}} = {ONE["a_o2"]:.8f}$ and $E = {ONE["E"]:.8f}$

"""


def test_a_script_without_braces_is_one_token(tmp_path):
    # `(\delta_{o1}w_5 + \delta_{o2}w_7)` typesets δ_o1·w_5, and `w_5a_{h1}` w_5·a_h1: they were read as one
    # name each, `δ_o1w_5` (the line skipped, its slip missed)
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    back = d1 * 0.4 + d2 * 0.5
    slope = ONE["a_h1"] * (1 - ONE["a_h1"])
    body = f"""Forward, with $x_1 = 0.05$, $x_2 = 0.1$:
\\[ o_1 = w_5a_{{h1}} + w_6a_{{h2}} = {ONE["o1"]:.8f} \\]
\\[ \\delta_{{o1}} = {d1:.8f}, \\qquad \\delta_{{o2}} = {d2:.8f} \\]
\\[ \\delta_{{h1}} = (\\delta_{{o1}}w_5 + \\delta_{{o2}}w_7)\\, a_{{h1}}(1-a_{{h1}}) = {back:.8f} \\cdot {slope:.8f} \\]
"""
    result = check(tmp_path, _tex(body), "report.tex")
    assert result.mistakes == [] and {5, 7} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, _tex(body.replace("\\delta_{o2}w_7)", "\\delta_{o2}w_8)")), "report.tex")
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def _losses(first: int, rows: range, slip: tuple[int, float] | None = None) -> str:
    """A tabular of E_total, a row an iteration numbered from `first`, a column an η."""
    out = ["First iterations of every tab ($E$ at iteration $n$):", "", "\\begin{table}[h]", "\\centering",
           "\\begin{tabular}{|c|" + "c|" * len(RATES) + "}", "\\hline",
           "$n$ & " + " & ".join(f"$\\eta={eta}$" for eta in RATES) + " \\\\", "\\hline"]  # fmt: skip
    for k in rows:
        cells = [LOSSES[eta][k] + (slip[1] if slip and slip[0] == k and eta == 0.5 else 0) for eta in RATES]
        out.append(f"{first + k} & " + " & ".join(f"{x:.8f}" for x in cells) + " \\\\")
    return "\n".join([*out, "\\hline", "\\end{tabular}", "\\end{table}", ""]) + "\n"


def test_a_tabular_of_losses_by_iteration_and_eta(tmp_path):
    # `$n$ & $\eta=0.1$ & $\eta=0.5$ … \\` over a row an iteration: not read (a table of losses by η was
    # read only with a row an η); its first row, alike in every column, says the rows begin at iteration 1
    text = _tex(FORWARD + _losses(1, range(4)))
    result = check(tmp_path, text, "report.tex")
    assert result.mistakes == [] and {17, 18, 19} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, _tex(FORWARD + _losses(1, range(4), (2, 0.0004))), "report.tex")
    assert blamed(slipped) == {18: "E_total at iteration 3"}, "\n".join(slipped.lines())
    # numbered from 1 but beginning after the first step (each η's own loss in the first row): the second
    after = check(tmp_path, _tex(FORWARD + _losses(0, range(1, 4))), "report.tex")
    assert after.mistakes == [] and {16, 17, 18} <= set(after.read), "\n".join(after.lines())
    # and a row of another iteration's losses is blamed
    shifted = _tex(FORWARD + _losses(0, range(1, 4)).replace("\n2 & ", "\n9 & ", 1))
    assert set(blamed(check(tmp_path, shifted, "report.tex"))) == {17}
