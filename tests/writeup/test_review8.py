"""The seventh blind round's notations still not read after its first review, in small: a file's own
letters for every quantity given in a glossary (`θ₁ … θ₈ — weights`, `ν₁, ν₂ — hidden outputs`), two
subscripted names side by side as a product (`θ₁p₁`), δ with its layer raised (`δᵒ₁`, `δʰ₂`), a name of
one letter defined as the total loss (`ψ = λ₁ + λ₂`) and a reStructuredText grid table. Each write-up
here is written for its test (none is a copy of the blind corpus), is right as written, and has a slip
that must be found at its line. The numbers come from test_review6b's `iteration`, the network written
out by hand, independently of sheetgen."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

(ONE,) = run(W, 0.5, 1)
G = ONE["g"]
D1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
D2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
H1 = (D1 * 0.4 + D2 * 0.5) * ONE["a_h1"] * (1 - ONE["a_h1"])

GLOSSARY = (
    "My own letters:\n"
    "\n"
    "- p₁, p₂ — inputs;  γ₁, γ₂ — targets;  θ₁ … θ₈ — weights\n"  # 3
    "- μ₁, μ₂ — weighted sums into the hidden neurons;  ν₁, ν₂ — hidden outputs\n"
    "- κ₁, κ₂ — weighted sums into the output neurons;  π₁, π₂ — network outputs\n"
    "- λ₁, λ₂ — the two errors\n"  # 6
    "\n"
    "p₁ = 0.05, p₂ = 0.1, γ₁ = 0.01, γ₂ = 0.99, η = 0.5\n"  # 8
    "θ₁ = 0.15, θ₂ = 0.2, θ₃ = 0.25, θ₄ = 0.3, θ₅ = 0.4, θ₆ = 0.45, θ₇ = 0.5, θ₈ = 0.55\n"
    "\n"
    f"    μ₁ = θ₁p₁ + θ₂p₂ = {ONE['h1']:.6f}\n"  # 11
    f"    ν₁ = σ(μ₁) = {ONE['a_h1']:.8f}\n"
    f"    ν₂ = σ(θ₃p₁ + θ₄p₂) = {ONE['a_h2']:.8f}\n"
    f"    κ₂ = θ₇ν₁ + θ₈ν₂ = {ONE['o2']:.8f}\n"  # 14
    f"    π₂ = σ(κ₂) = {ONE['a_o2']:.8f}\n"
    f"    λ₂ = ½(γ₂ − π₂)² = {ONE['E2']:.8f}\n"  # 16
    f"    δᵒ₂ = (π₂ − γ₂)·π₂(1 − π₂) = {D2:.8f}\n"  # 17
    f"    δʰ₁ = (δᵒ₁θ₅ + δᵒ₂θ₇)·ν₁(1 − ν₁) = {H1:.8f}\n"  # 18
)


def test_a_glossary_of_the_file_s_own_letters(tmp_path):
    # `θ₁ … θ₈ — weights`, `ν₁, ν₂ — hidden outputs`, `λ₁, λ₂ — the two errors`: each letter the quantity
    # the glossary says, the nets, activations and losses by their definitions; θ₁p₁ a product; δᵒ₂ δ_o2
    result = check(tmp_path, GLOSSARY)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {11, 12, 13, 14, 15, 16, 17, 18} <= set(result.read), "\n".join(result.lines())
    slip = GLOSSARY.replace("κ₂ = θ₇ν₁ + θ₈ν₂", "κ₂ = θ₇ν₁ + θ₈ν₁")  # the second hidden output forgotten
    assert blamed(check(tmp_path, slip)) == {14: "o2"}
    slip = GLOSSARY.replace("δᵒ₂θ₇)·ν₁(1 − ν₁)", "δᵒ₂θ₇)·ν₁(1 − ν₂)")  # the slope of the other neuron
    assert blamed(check(tmp_path, slip)) == {18: "∂E_total/∂h1"}
    slip = GLOSSARY.replace(f"{ONE['E2']:.8f}", f"{2 * ONE['E2']:.8f}")  # the ½ forgotten in the number
    assert 16 in blamed(check(tmp_path, slip))
    slip = GLOSSARY.replace(f"{ONE['h1']:.6f}", f"{ONE['h2']:.6f}")  # the other net's number
    assert list(blamed(check(tmp_path, slip))) == [11]
    # a letter the glossary gives two meanings is no one's: not read, never blamed
    twice = slip.replace("- λ₁, λ₂ — the two errors\n", "- λ₁, λ₂ — the two errors;  θ₁, θ₂ — inputs\n")
    assert 11 not in blamed(check(tmp_path, twice))


def test_a_letter_defined_as_the_total_loss(tmp_path):
    # `ψ = λ₁ + λ₂`: ψ is E_total, and ∂ψ/∂θ₅ its gradient
    text = GLOSSARY + (
        f"    ψ = λ₁ + λ₂ = {ONE['E']:.8f}\n"  # 19
        f"    ∂ψ/∂θ₅ = δᵒ₁·ν₁ = {G[4]:.8f}\n"  # 20
        f"    ∂ψ/∂θ₈ = δᵒ₂·ν₂ = {G[7]:.8f}\n"  # 21
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {19, 20, 21} <= set(result.read), "\n".join(result.lines())
    slip = text.replace("∂ψ/∂θ₈ = δᵒ₂·ν₂", "∂ψ/∂θ₈ = δᵒ₂·ν₁")
    assert blamed(check(tmp_path, slip)) == {21: "∂E_total/∂w8"}
    # a letter also given another meaning (Adam's ψ = 1e-8) is no one's: not read, never blamed
    other = slip + "    ψ = 1e-8\n"
    assert 21 not in blamed(check(tmp_path, other))


def _grid(rows: list[tuple[str, str, str, str]]) -> str:
    rule = "+--------+--------+--------------+--------------+\n"
    out = rule + "| weight | old    | gradient     | new value    |\n"
    out += "+========+========+==============+==============+\n"
    for row in rows:
        out += "| " + " | ".join(c.ljust(w) for c, w in zip(row, (6, 6, 12, 12), strict=True)) + " |\n" + rule
    return out


def test_a_rst_grid_table(tmp_path):
    # each row of a grid table with a header, one line each, read as a Markdown table's row
    rows = [(f"w{k}", f"{W[k - 1]:g}", f"{G[k - 1]:.10f}", f"{ONE['w'][k - 1]:.10f}") for k in range(1, 9)]
    text = "Update\n======\n\nWith η = 0.5, t1 = 0.01, t2 = 0.99:\n\n" + _grid(rows)
    result = check(tmp_path, text, "notes.rst")
    assert result.mistakes == [], "\n".join(result.lines())
    assert {9, 11, 23} <= set(result.read), "\n".join(result.lines())
    climbed = W[5] + 0.5 * G[5]  # w6 with + for −: line 19
    slip = text.replace(f"{ONE['w'][5]:.10f}", f"{climbed:.10f}")
    assert blamed(check(tmp_path, slip, "notes.rst")) == {19: "new w6"}
    # a row that goes on over two lines: which line says what is unsure, the table not read
    two = slip.replace(f"{climbed:.10f} |\n", f"{climbed:.10f} |\n|        |        |              | (rounded)    |\n")
    assert check(tmp_path, two, "notes.rst").mistakes == []


def _tex(body: str) -> str:
    return (
        "\\documentclass{article}\n\\usepackage{amsmath,booktabs}\n\\begin{document}\n"  # 1-3
        "Inputs $i_1 = 0.05$, $i_2 = 0.1$, targets $t_1 = 0.01$, $t_2 = 0.99$, $\\eta = 0.5$.\n"  # 4
        + body
        + "\\end{document}\n"
    )


CHAIN = _tex(
    "\\begin{align*}\n"  # 5
    "\\frac{\\partial E_{total}}{\\partial w_7}\n"  # 6
    "  &= \\frac{\\partial E_{total}}{\\partial a_{o_2}} \\cdot\n"  # 7
    "     \\frac{\\partial a_{o_2}}{\\partial o_2} \\cdot\n"  # 8
    "     \\frac{\\partial o_2}{\\partial w_7} \\\\\n"  # 9
    "  &= (a_{o_2} - t_2) \\cdot\n"  # 10
    "     a_{o_2}(1 - a_{o_2}) \\cdot\n"  # 11
    "     a_{h_1} \\\\\n"  # 12
    f"  &= {G[6]:.9f}\n"  # 13
    "\\end{align*}\n"
)


def test_a_latex_row_whose_lines_end_with_cdot(tmp_path):
    # `\cdot` at a line's end: its line break was taken for the macro's trailing space, and the lines the
    # row goes on over were not said read (the rows after it said on the wrong lines)
    result = check(tmp_path, CHAIN, "notes.tex")
    assert result.mistakes == [], "\n".join(result.lines())
    assert set(range(6, 14)) <= set(result.read) | set(result.continued), "\n".join(result.lines())
    slip = CHAIN.replace("  &= (a_{o_2} - t_2) \\cdot", "  &= (a_{o_2} - t_1) \\cdot")
    assert blamed(check(tmp_path, slip, "notes.tex")) == {10: "∂E_total/∂w7"}


def _tabular(rows: list[tuple[str, ...]], rule: str = "\\midrule") -> str:
    out = "\\begin{tabular}{llll}\n\\toprule\nweight & old & gradient & new value \\\\\n" + rule + "\n"  # 5-8
    out += "".join(" & ".join(f"${c}$" for c in row) + " \\\\\n" for row in rows)  # 9-16
    return out + "\\bottomrule\n\\end{tabular}\n"


def test_a_latex_tabular(tmp_path):
    # a tabular's rows, one line each: read as a Markdown table's, by their header
    rows = [(f"w_{k}", f"{W[k - 1]:g}", f"{G[k - 1]:.9f}", f"{ONE['w'][k - 1]:.9f}") for k in range(1, 9)]
    text = _tex(_tabular(rows))
    result = check(tmp_path, text, "notes.tex")
    assert result.mistakes == [], "\n".join(result.lines())
    assert set(range(9, 17)) <= set(result.read), "\n".join(result.lines())
    climbed = W[5] + 0.5 * G[5]  # w6 with + for −: line 14
    slip = text.replace(f"{ONE['w'][5]:.9f}", f"{climbed:.9f}")
    assert blamed(check(tmp_path, slip, "notes.tex")) == {14: "new w6"}
    # joined cells: which column is which is unsure, the table not read
    joined = slip.replace("weight & old & gradient & new value", "\\multicolumn{2}{c}{weight} & gradient & new value")
    assert check(tmp_path, joined, "notes.tex").mistakes == []


def test_a_loss_named_by_its_halves_a_partial_by_sigma_and_a_raised_net(tmp_path):
    # `C1 = ½ (t1 − σ(o1))²`: ½ and ² are no words, so C1 is defined (E1); `C = C1 + C2` is E_total, also
    # where a line gives C a value with a remark; `∂C/∂σ(h2)` a partial by a_h2; `e⁻ʰ²` exp(−h2)
    (first, second) = run(W, 0.5, 2)
    ah2 = first["a_h2"]
    dah2 = D1 * 0.45 + D2 * 0.55
    text = (
        "i1 = 0.05, i2 = 0.1, t1 = 0.01, t2 = 0.99, η = 0.5\n\n"
        f"**σ(h2)** = 1 / (1 + e⁻ʰ²) = {ah2:.7f}  \n"  # 3
        f"**C1** = ½ (t1 − σ(o1))² = {first['E1']:.7f}  \n"  # 4
        f"**C2** = ½ (t2 − σ(o2))² = {first['E2']:.7f}  \n"
        f"**C** = C1 + C2 = {first['E']:.7f}  \n"  # 6
        "**∂C/∂σ(h2)** = (σ(o1) − t1)·σ(o1)(1 − σ(o1))·w6 + (σ(o2) − t2)·σ(o2)(1 − σ(o2))·w8"
        f" = {dah2:.7f}  \n"  # 7
        f"**∂C/∂w4** = ∂C/∂σ(h2) · σ(h2)(1 − σ(h2)) · i2 = {G[3]:.7f}  \n"  # 8
        f"\nSecond iteration: **C** = {second['E']:.7f} (first was {first['E']:.7f}).\n"  # 10
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {3, 4, 5, 6, 7, 8} <= set(result.read), "\n".join(result.lines())
    slip = text.replace("σ(o1))·w6 +", "σ(o1))·w5 +")  # w5 where w6 belongs
    assert blamed(check(tmp_path, slip)) == {7: "∂E_total/∂a_h2"}
    slip = text.replace("e⁻ʰ²", "e⁻ʰ¹")  # the other neuron's net
    assert list(blamed(check(tmp_path, slip))) == [3]
    # C also given another meaning (`C = 1e-8`, a constant): no one's, its lines never blamed
    other = text.replace("σ(o1))·w6 +", "σ(o1))·w5 +") + "C = 1e-8\n"
    assert 7 not in blamed(check(tmp_path, other))


PREFIXED = (
    "i1 = 0.05 ; i2 = 0.1 ; t1 = 0.01 ; t2 = 0.99 ; lr = 0.5\n"
    "w1 = 0.15 ; w2 = 0.2 ; w3 = 0.25 ; w4 = 0.3 ; w5 = 0.4 ; w6 = 0.45 ; w7 = 0.5 ; w8 = 0.55\n"
    "\n"
    "(below, G_x stands for dE_total/dx)\n"  # 4
    f"  G_out_o1 = out_o1 - t1 = {ONE['a_o1'] - 0.01:.10f}\n"  # 5
    "  G_out_h2 = (out_o1-t1)*out_o1*(1-out_o1)*w6 + (out_o2-t2)*out_o2*(1-out_o2)*w8\n"  # 6
    f"           = {D1 * 0.45 + D2 * 0.55:.10f}\n"  # 7
    f"  G_w4 = G_out_h2 * out_h2*(1-out_h2) * i2 = {G[3]:.10f}\n"  # 8
)


def test_a_prefix_the_file_says_is_the_gradient_by_what_follows(tmp_path):
    # `G_x stands for dE_total/dx`: G_out_h2 is ∂E_total/∂a_h2, G_w4 ∂E_total/∂w4
    result = check(tmp_path, PREFIXED, "notes.txt")
    assert result.mistakes == [], "\n".join(result.lines())
    assert {5, 6, 8} <= set(result.read), "\n".join(result.lines())
    slip = PREFIXED.replace("(1-out_o1)*w6 +", "(1-out_o1)*w5 +")
    assert blamed(check(tmp_path, slip, "notes.txt")) == {6: "∂E_total/∂a_h2"}
    # a prefix said two ways is no one's: not read, never blamed
    twice = slip.replace("(below, G_x stands for dE_total/dx)", "(G_x stands for dE_total/dx; G_x is for dE1/dx)")
    assert check(tmp_path, twice, "notes.txt").mistakes == []


def _layered_matrices(g2: str, new1: str) -> str:
    pm = lambda a, b, c, d: f"\\begin{{pmatrix}} {a} & {b} \\\\ {c} & {d} \\end{{pmatrix}}"  # noqa: E731
    return (
        "Inputs $i_1 = 0.05$, $i_2 = 0.1$, targets $t_1 = 0.01$, $t_2 = 0.99$, $\\eta = 0.5$.\n\n"
        f"$$W^{{[1]}} = {pm('w_1', 'w_2', 'w_3', 'w_4')} = {pm(0.15, 0.2, 0.25, 0.3)}, \\qquad "
        f"W^{{[2]}} = {pm('w_5', 'w_6', 'w_7', 'w_8')} = {pm(0.4, 0.45, 0.5, 0.55)}$$\n\n"  # 3
        f"$$\\frac{{\\partial E}}{{\\partial W^{{[2]}}}} = \\delta^{{[2]}} (a^{{[1]}})^\\top = {g2}$$\n\n"  # 5
        f"$$W^{{[1]}}_{{new}} = {new1}$$\n"  # 7
    )


def test_layer_numbered_matrices_their_gradient_and_their_step(tmp_path):
    # W^{[1]} named by its weights: ∂E/∂W^{[2]} = … = (numbers) is w5 … w8's gradients, W^{[1]}_{new} the
    # weights after the step (only the name and the numbers are read, never δ^{[2]} (a^{[1]})^⊤)
    pm = lambda xs: "\\begin{pmatrix} %s & %s \\\\ %s & %s \\end{pmatrix}" % tuple(f"{x:.10f}" for x in xs)  # noqa: E731, UP031
    text = _layered_matrices(pm(G[4:8]), pm(ONE["w"][0:4]))
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {3, 5, 7} <= set(result.read), "\n".join(result.lines())
    slip = _layered_matrices(pm([G[4], G[5], G[7], G[6]]), pm(ONE["w"][0:4]))  # w7's and w8's swapped
    assert blamed(check(tmp_path, slip)).keys() == {5}
    climbed = [w + 0.5 * g for w, g in zip(W[0:4], G[0:4], strict=True)]  # + for −
    assert blamed(check(tmp_path, _layered_matrices(pm(G[4:8]), pm(climbed)))).keys() == {7}
    # the gradient of a matrix the file does not name by its weights: not read, never blamed
    unnamed = slip.replace("W^{[2]} = \\begin{pmatrix} w_5 & w_6 \\\\ w_7 & w_8 \\end{pmatrix} = ", "W^{[2]} = ")
    assert check(tmp_path, unnamed).mistakes == []


def test_an_iteration_said_in_brackets_and_a_neuron_s_net_as_in(tmp_path):
    # `E_total (iteration 2) = …`: the name's iteration in brackets, no factor; `H1in` the net of H1
    (first, second) = run(W, 1.0, 2, t1=0.5, t2=0.5)
    text = (
        "i1 = 0.05, i2 = 0.1, t1 = 0.5, t2 = 0.5, lr = 1.0\n"
        "w1 = 0.15, w2 = 0.2, w3 = 0.25, w4 = 0.3, w5 = 0.4, w6 = 0.45, w7 = 0.5, w8 = 0.55\n\n"
        f"    H2in  = w3*i1 + w4*i2 = {first['h2']:.4f}\n"  # 4
        f"    O1in  = w5*H1out + w6*H2out = {first['o1']:.10f}\n"  # 5
        f"    E_total (iteration 2) = {second['E']:.9f}      # iteration 1 was {first['E']:.9f}\n"  # 6
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {4, 5, 6} <= set(result.read), "\n".join(result.lines())
    slip = text.replace("O1in  = w5*H1out + w6*H2out", "O1in  = w5*H1out + w6*H1out")
    assert blamed(check(tmp_path, slip)).keys() == {5}
    slip = text.replace(f"(iteration 2) = {second['E']:.9f}", f"(iteration 2) = {first['E']:.9f}")  # the first's
    assert blamed(check(tmp_path, slip)).keys() == {6}
