"""The twentieth and twenty-first blind reviews' first contact (10 and 9 write-ups of a class, written
blind to the code): precision 72 % (42 of 58) and 78 % (38 of 49), recall 93 % and 88 %. Their false
alarms and the notations they did not read, in small; each write-up written for its test (none a copy of
the corpus); numbers from test_review6b's `run` (the network by hand, independently of sheetgen), EVA8's
targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE, TWO, THREE = run(W, 0.8, 3)
FORWARD = f"h1 = {ONE['h1']:.4f}, a_h1 = {ONE['a_h1']:.6f}, o1 = {ONE['o1']:.6f}, a_o1 = {ONE['a_o1']:.6f}\n\n"


def _steps(k: int, it: dict, digits: int = 8) -> str:
    """w_j^{(k)} = w_j − 0.8·∂E/∂w_j = …, for the weights `it` starts from, in an aligned block."""
    new = [w - 0.8 * g for w, g in zip(it["w_before"], it["g"], strict=True)]
    rows = [
        f"w_{j}^{{({k})}} &= {w:.{digits}f} - 0.8 \\cdot {g:.{digits}f} = {n:.{digits}f} \\\\"
        for j, (w, g, n) in enumerate(zip(it["w_before"], it["g"], new, strict=True), 1)
    ]
    return "$$\n\\begin{align*}\n" + "\n".join(rows) + "\n\\end{align*}\n$$\n"


def test_weights_numbered_by_iteration_in_a_superscript_are_judged(tmp_path):
    # `w_1^{(2)} = 0.15 - 0.8·0.00031699 = 0.14974641` (the weights of iteration 2, made by the first step),
    # then `w_6^{(3)} = … - 0.8·(the wrong gradient)`: both were skipped ("which step is not clear"); read as
    # the weight after step k − 1 or k, either right, and the file's other lines say which way it counts
    first, second = dict(ONE, w_before=W), dict(TWO, w_before=ONE["w"])
    text = FORWARD + "Weights of iteration 2:\n\n" + _steps(2, first) + "\nWeights of iteration 3:\n\n"
    text += _steps(3, second)
    result = check(tmp_path, text)
    weight_lines = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("w_")]
    assert result.mistakes == [] and set(weight_lines) <= set(result.read), "\n".join(result.lines())
    # w6 of iteration 3 stepped with w5's gradient of iteration 2
    wrong = second["w_before"][5] - 0.8 * second["g"][4]
    line = f"w_6^{{(3)}} &= {second['w_before'][5]:.8f} - 0.8 \\cdot {second['g'][4]:.8f} = {wrong:.8f} \\\\"
    at = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("w_6^{(3)}")))
    slipped = "\n".join([*text.splitlines()[:at], line, *text.splitlines()[at + 1 :]]) + "\n"
    result = check(tmp_path, slipped)
    assert set(blamed(result)) == {at + 1}, "\n".join(result.lines())
    # blamed as the file counts (after 2 steps), not as the weight after a third step
    assert f"{THREE['w'][5]:.8f}" not in result.mistakes[0].message, result.mistakes[0].message


def test_an_activation_named_as_a_net_by_its_definition(tmp_path):
    # a cheat sheet: z for the nets, h1 = σ(z1) the activation; `H₁ = σ(h₁)` in a report: ∂L/∂w5 = δ3·h1
    # was "uses h1 where a_h1 belongs" (10 right lines blamed); `w1x1+w2x2` was not read
    d3 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d4 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    dh1 = d3 * 0.4 + d4 * 0.5
    sheet = f"""cheat sheet, EVA targets t1 = 0.01, t2 = 0.99
L = ½(t1-ŷ1)² + ½(t2-ŷ2)²
z1 = w1x1+w2x2 = {ONE["h1"]:.5f}      h1 = σ(z1) = {ONE["a_h1"]:.5f}
z2 = w3x1+w4x2 = {ONE["h2"]:.5f}      h2 = σ(z2) = {ONE["a_h2"]:.5f}
z3 = w5h1+w6h2 = {ONE["o1"]:.5f}      ŷ1 = σ(z3) = {ONE["a_o1"]:.5f}
z4 = w7h1+w8h2 = {ONE["o2"]:.5f}      ŷ2 = σ(z4) = {ONE["a_o2"]:.5f}
δ3 = (ŷ1-t1)·ŷ1(1-ŷ1) = {d3:.5f}
δ4 = (ŷ2-t2)·ŷ2(1-ŷ2) = {d4:.5f}
∂L/∂w5 = δ3·h1 = {ONE["g"][4]:.5f}     ∂L/∂w8 = δ4·h2 = {ONE["g"][7]:.5f}
∂L/∂h1 = δ3·w5 + δ4·w7 = {dh1:.5f}
δ1 = ∂L/∂h1 · h1(1-h1) = {dh1 * ONE["a_h1"] * (1 - ONE["a_h1"]):.6f}
∂L/∂w1 = δ1·x1 = {ONE["g"][0]:.3e}
"""
    result = check(tmp_path, sheet, "cheat.txt")
    assert result.mistakes == [] and {3, 4, 5, 6, 9, 10, 11, 12} <= set(result.read), "\n".join(result.lines())
    slipped = sheet.replace("δ3·w5 + δ4·w7 =", "δ3·w5 + δ4·w8 =")  # the other hidden neuron's weight
    assert set(blamed(check(tmp_path, slipped, "cheat.txt"))) == {10}
    report = f"""Targets t₁ = 0.01, t₂ = 0.99. Lower case for the sums, capitals after the sigmoid:

    h₁ = w₁i₁ + w₂i₂ = {ONE["h1"]:.6f}      H₁ = σ(h₁) = {ONE["a_h1"]:.6f}
    o₁ = w₅H₁ + w₆H₂ = {ONE["o1"]:.6f}      O₁ = σ(o₁) = {ONE["a_o1"]:.6f}

    ∂E_total/∂H₁ = δo₁·w₅ + δo₂·w₇ = {dh1:.6f}
    ∂E_total/∂w₅ = (O₁ − t₁)·O₁(1 − O₁)·H₁ = {ONE["g"][4]:.6f}
"""
    result = check(tmp_path, report, "report.md")
    assert result.mistakes == [] and {3, 4, 7} <= set(result.read), "\n".join(result.lines())
    slipped = report.replace("O₁(1 − O₁)·H₁", "O₁(1 − O₁)·H₂")
    assert set(blamed(check(tmp_path, slipped, "report.md"))) == {7}


def test_weights_a_line_ending_in_a_colon_introduces_over_a_display_block(tmp_path):
    # `Update, giving the weights for iteration 3:`, then `$$ \begin{aligned} w_1 &= …, & w_2 &= … $$`: the
    # block's `$$` lines read as blank ended what the line introduced; 8 right weights blamed as iteration 2's
    three = TWO["w"]  # after the second step (η = 0.8)
    row = ", & ".join(f"w_{j} &= {w:.7f}" for j, w in enumerate(three, 1))
    text = "Targets t1 = 0.01, t2 = 0.99; η = 0.8.\n\n" + FORWARD[:-1]
    text += f"∂E/∂w5 = {ONE['g'][4]:.7f}, ∂E/∂w1 = {ONE['g'][0]:.7f}\n\n"
    text += "## Iteration 2\n\nUpdate, giving the weights for iteration 3:\n\n$$\n\\begin{aligned}\n"
    text += row + "\n\\end{aligned}\n$$\n"
    result = check(tmp_path, text)
    at = text.splitlines().index(row) + 1
    assert result.mistakes == [] and at in result.read, "\n".join(result.lines())
    slipped = text.replace(f"w_6 &= {three[5]:.7f}", f"w_6 &= {three[5] + 0.001:.7f}")
    assert set(blamed(check(tmp_path, slipped))) == {at}


def test_y_beside_y_hat_is_the_target(tmp_path):
    # `E₁ = ½ (y₁ − ŷ1)² = … = 0.0056688`: y₁ (the target, as machine learning writes it beside ŷ) was no
    # name, and `E1 = ½` was judged and blamed (½ "is w7")
    text = FORWARD + "I do the EVA version, so y₁ = 0.01 and y₂ = 0.99 (t₁, t₂ in the assignment).\n\n"
    text += f"- ŷ1 = σ(o1) = {ONE['a_o1']:.6f}\n"
    text += f"- E₁ = ½ (y₁ − ŷ1)² = ½ · ({0.01 - ONE['a_o1']:.6f})² = {ONE['E1']:.7f}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and 6 in result.read, "\n".join(result.lines())
    slipped = text.replace(f"= {ONE['E1']:.7f}", f"= {ONE['E1'] * 2:.7f}")  # the ½ dropped
    assert set(blamed(check(tmp_path, slipped))) == {6}


def test_a_heading_numbered_as_a_step_names_its_iteration(tmp_path):
    # `## Step 5 · Iteration 2 (η = 2.0)`: not read as a heading of iteration 2; its right numbers were
    # warned of, and its carried slips blamed as the first iteration's
    two = run(W, 2.0, 2)[1]
    text = FORWARD + "## Step 5 · Iteration 2 (η = 2.0)\n\n"
    text += f"- h1 = {two['h1']:.7f},  a_h1 = {two['a_h1']:.7f}\n- E_total = {two['E']:.7f}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and result.warnings == [] and {5, 6} <= set(result.read), "\n".join(result.lines())


def test_a_table_of_weights_and_formulas_under_gradients(tmp_path):
    # `| weight | formula | value |` with `| w₅ | (O₁ − t₁)·O₁(1 − O₁)·H₁ = δo₁·H₁ | 0.0128808 |`: each row is
    # the weight's gradient, and was blamed as w5 = 0.0128808; a Russian `| вес | формула | значение |` too
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    rows = [("w₅", "(a_o1 − t1)·a_o1(1 − a_o1)·a_h1 = δ_o1·a_h1", ONE["g"][4]),
            ("w₆", "(a_o1 − t1)·a_o1(1 − a_o1)·a_h2 = δ_o1·a_h2", ONE["g"][5]),
            ("w₇", "(a_o2 − t2)·a_o2(1 − a_o2)·a_h1 = δ_o2·a_h1", ONE["g"][6])]  # fmt: skip
    text = FORWARD + f"δ_o1 = (a_o1 − t1)·a_o1·(1 − a_o1) = {d1:.5f}, δ_o2 = (a_o2 − t2)·a_o2·(1 − a_o2) = {d2:.5f}\n\n"
    text += "| weight | formula | value |\n|---|---|---|\n"
    text += "".join(f"| {w} | {f} | {v:.7f} |\n" for w, f, v in rows)
    result = check(tmp_path, text)
    assert result.mistakes == [] and {7, 8, 9} <= set(result.read), "\n".join(result.lines())
    russian = text.replace("| weight | formula | value |", "| вес | формула | значение |")
    russian = russian.replace("a_o1(1 − a_o1)·a_h2 = δ_o1·a_h2", "a_o1(1 − a_o1)·a_h1 = δ_o1·a_h1")
    assert set(blamed(check(tmp_path, russian))) == {8}, "\n".join(check(tmp_path, russian).lines())
    # a table of steps is not one of gradients: `| w₁ | 0.15 − 0.8·g | 0.1498 |` is the weight after the step
    steps = FORWARD + "| weight | formula | value |\n|---|---|---|\n"
    steps += f"| w₅ | 0.4 − 0.8·{ONE['g'][4]:.7f} | {ONE['w'][4]:.7f} |\n"
    steps += f"| w₆ | 0.45 − 0.8·{ONE['g'][4]:.7f} | {0.45 - 0.8 * ONE['g'][4]:.7f} |\n"  # w5's gradient
    assert set(blamed(check(tmp_path, steps))) == {6}, "\n".join(check(tmp_path, steps).lines())


def test_a_printouts_values_one_space_apart_are_each_their_own(tmp_path):
    # a notebook's output `a_h1=0.5069 a_h2=0.5106 a_o1=0.6065`: read as a_h1 = 0.5069·a_h2 = 0.5106 and
    # blamed; `target_o1 = 0.01 target_o2 = 0.99` as t1 = 0.01·t2
    text = FORWARD + f"a_h1={ONE['a_h1']:.4f} a_h2={ONE['a_h2']:.4f} a_o1={ONE['a_o1']:.4f} E_tot={ONE['E']:.4f}\n"
    text += "target_o1 = 0.01 target_o2 = 0.99\n"
    result = check(tmp_path, text, "notes.txt")
    assert result.mistakes == [] and {3, 4} <= set(result.read), "\n".join(result.lines())
    slipped = text.replace(f"a_o1={ONE['a_o1']:.4f}", f"a_o1={ONE['a_o2']:.4f}")
    assert set(blamed(check(tmp_path, slipped, "notes.txt"))) == {3}


def test_two_definitions_of_functions_spaces_apart(tmp_path):
    # `σ(z) = 1/(1+e^-z)        σ'(z) = σ(z)(1-σ(z))`: read as one chain, and σ(x) "is not" the product
    text = "σ(z) = 1/(1+e^-z)        σ'(z) = σ(z)(1-σ(z))\n\n" + FORWARD
    result = check(tmp_path, text, "sheet.txt")
    assert result.mistakes == [] and 1 in result.read, "\n".join(result.lines())
    slipped = text.replace("σ(z)(1-σ(z))", "σ(z)(1+σ(z))")
    assert set(blamed(check(tmp_path, slipped, "sheet.txt"))) == {1}


def test_a_neurons_delta_where_h_names_the_activation(tmp_path):
    # h_1 = σ(z_1) (z the sums): δ_{h_1} is still the neuron's δ, ∂C/∂z_1, and was read as ∂C/∂h_1 (the
    # activation's), so `δ_{h_2} = ∂C/∂h_2 · h_2(1 − h_2)` was blamed
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    dh2 = d1 * 0.45 + d2 * 0.55
    s2 = dh2 * ONE["a_h2"] * (1 - ONE["a_h2"])
    text = "\n\n".join([
        "Inputs $x_1 = 0.05$, $x_2 = 0.1$, targets $y_1 = 0.01$, $y_2 = 0.99$. $z$ is the sum, $h_1 = \\sigma(z_1)$.",
        f"The sums are $z_1 = w_1 x_1 + w_2 x_2 = {ONE['h1']:.5f}$ and $z_2 = w_3 x_1 + w_4 x_2 = {ONE['h2']:.5f}$, "
        f"so $h_2 = {ONE['a_h2']:.5f}$.",
        "Outputs: $z_3 = w_5 h_1 + w_6 h_2$, $\\hat y_1 = \\sigma(z_3)$, $z_4 = w_7 h_1 + w_8 h_2$, "
        "$\\hat y_2 = \\sigma(z_4)$.",
        "The cost is $C = \\frac12(y_1-\\hat y_1)^2 + \\frac12(y_2-\\hat y_2)^2$.",
        f"With $\\delta_1 = (\\hat y_1 - y_1)\\,\\hat y_1(1-\\hat y_1) = {d1:.5f}$ and "
        f"$\\delta_2 = (\\hat y_2 - y_2)\\,\\hat y_2(1-\\hat y_2) = {d2:.5f}$:",
        f"Then $\\frac{{\\partial C}}{{\\partial h_2}} = \\delta_1 w_6 + \\delta_2 w_8 = {dh2:.5f}$.",
        f"So $\\delta_{{h_2}} = \\frac{{\\partial C}}{{\\partial h_2}}\\,h_2(1-h_2) = {s2:.5f}$.",
    ]) + "\n"  # fmt: skip
    result = check(tmp_path, text)
    assert result.mistakes == [] and {11, 13} <= set(result.read), "\n".join(result.lines())
    slipped = text.replace("h_2(1-h_2) =", "h_2(1+h_2) =")
    assert set(blamed(check(tmp_path, slipped))) == {13}, "\n".join(check(tmp_path, slipped).lines())


def _after(eta: float, steps: int) -> float:
    return run(W, eta, steps + 1)[steps]["E"]


def test_a_table_of_losses_by_rate_says_what_it_is_in_its_own_words_or_nearby(tmp_path):
    # `E_gesamt nach n Updates:` over `| η | n = 1 | n = 10 |`, and an HTML table `| η | 0 | 1 | 10 |` whose
    # loss is named only in the lines after it: neither was read (E_gesamt, and a loss said below)
    rows = "".join(f"| {eta:.1f} | {_after(eta, 1):.4f} | {_after(eta, 10):.4f} |\n" for eta in (0.1, 0.5, 2.0))
    german = FORWARD + "E_gesamt nach n Updates:\n\n| η | n = 1 | n = 10 |\n|---|---|---|\n" + rows
    result = check(tmp_path, german.replace(".", ","))  # a decimal comma, as in German
    assert result.mistakes == [] and {7, 8, 9} <= set(result.read), "\n".join(result.lines())
    slipped = german.replace(f"{_after(0.5, 10):.4f}", f"{_after(0.8, 10):.4f}")  # another η's cell
    assert set(blamed(check(tmp_path, slipped))) == {8}, "\n".join(check(tmp_path, slipped).lines())
    cells = "".join(
        f"<tr><td>{eta}</td><td>{_after(eta, 0):.5f}</td><td>{_after(eta, 10):.5f}</td></tr>\n" for eta in (0.1, 2.0)
    )
    page = (
        "<html><body><p>t<sub>1</sub> = 0.01, t<sub>2</sub> = 0.99; a<sub>h1</sub> = 0.506875, "
        "a<sub>o1</sub> = 0.606478, "
        f"E<sub>1</sub> = {ONE['E1']:.6f}, E<sub>total</sub> = {ONE['E']:.6f}</p>\n"
        "<p>The column header is the number of updates already done.</p>\n"
        f"<table>\n<tr><th>\\(\\eta\\)</th><th>0</th><th>10</th></tr>\n{cells}</table>\n"
        f"<p>With η = 2 the error after 10 updates is {_after(2.0, 10):.5f}.</p>\n</body></html>\n"
    )
    result = check(tmp_path, page, "page.html")
    assert result.mistakes == [] and {5, 6} <= set(result.read), "\n".join(result.lines())
    slipped = page.replace(f"<td>{_after(2.0, 10):.5f}</td>", f"<td>{_after(2.0, 5):.5f}</td>")
    assert set(blamed(check(tmp_path, slipped, "page.html"))) == {6}, "\n".join(
        check(tmp_path, slipped, "page.html").lines()
    )


def test_a_tables_steps_are_at_the_rate_its_heading_names(tmp_path):
    # `## Update (η = 0.8)` over `| w₂ | 0.2 | 0.0003170 | 0.1997 |` (a step of η = 0.5): right at some η,
    # it was not blamed; the one η the lines above a table name is its steps'
    rows = "".join(
        f"| w{j} | {W[j - 1]} | {0.8 * ONE['g'][j - 1]:.7f} | {W[j - 1] - 0.8 * ONE['g'][j - 1]:.4f} |\n"
        for j in (1, 2, 5)
    )
    text = FORWARD + "## Update (η = 0.8)\n\n| | old | η · grad | new |\n|---|---|---|---|\n" + rows
    result = check(tmp_path, text)
    assert result.mistakes == [] and {7, 8, 9} <= set(result.read), "\n".join(result.lines())
    slipped = text.replace(f"{W[1] - 0.8 * ONE['g'][1]:.4f} |", f"{W[1] - 0.5 * ONE['g'][1]:.4f} |")
    assert set(blamed(check(tmp_path, slipped))) == {8}, "\n".join(check(tmp_path, slipped).lines())


def test_html_subscripted_names_side_by_side_are_a_product(tmp_path):
    # `δ<sub>o1</sub>w<sub>5</sub> + δ<sub>o2</sub>w<sub>7</sub>` was read as one name δ_o1w_5, and not read
    d1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])
    d2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])
    page = (
        "<html><body><p>t<sub>1</sub> = 0.01, t<sub>2</sub> = 0.99</p>\n"
        f"<p>δ<sub>o1</sub> = {d1:.4f}, δ<sub>o2</sub> = {d2:.4f}</p>\n"
        f"<p>∂E<sub>total</sub>/∂a<sub>h1</sub> = δ<sub>o1</sub>w<sub>5</sub> + δ<sub>o2</sub>w<sub>7</sub> = "
        f"{d1 * 0.4:.4f} + {d2 * 0.5:.4f} = {d1 * 0.4 + d2 * 0.5:.4f}</p>\n</body></html>\n"
    )
    result = check(tmp_path, page, "page.html")
    assert result.mistakes == [] and 3 in result.read, "\n".join(result.lines())
    slipped = page.replace("δ<sub>o2</sub>w<sub>7</sub>", "δ<sub>o2</sub>w<sub>8</sub>")
    assert set(blamed(check(tmp_path, slipped, "page.html"))) == {3}
