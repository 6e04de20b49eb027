"""What the fiftieth and later blind reviews (and the misses of rounds 45–49 they were scored after) found,
in small; each write-up written for its test (none a copy of the corpus); numbers from test_review6b's
`run` (the network by hand, independently of sheetgen), EVA8's targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE = run(W, 0.5, 1)[0]
D1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])


def _braced(under_w6: float, factor: str = r"\frac{\partial o_1}{\partial w_6}") -> str:
    # the numbers under every factor of the chain rule, as a display over five lines
    return f"""# Backprop, EVA targets $t_1 = 0.01$, $t_2 = 0.99$, first iteration

$$
\\frac{{\\partial E_{{total}}}}{{\\partial w_6}}
= \\underbrace{{\\frac{{\\partial E_{{total}}}}{{\\partial a_{{o_1}}}}}}_{{ {ONE["a_o1"] - 0.01:.4f} }}
\\cdot \\underbrace{{\\frac{{\\partial a_{{o_1}}}}{{\\partial o_1}}}}_{{ {ONE["a_o1"] * (1 - ONE["a_o1"]):.4f} }}
\\cdot \\underbrace{{{factor}}}_{{ {under_w6:.4f} }}
= {D1 * ONE["a_h2"]:.4f}
$$
"""


def test_a_number_under_a_brace_is_what_the_factor_is_worth(tmp_path):
    # `\underbrace{\frac{∂o_1}{∂w_6}}_{0.5069}`: the factor is a_h2 (0.5106); a_h1's number under it is
    # the slip, said on the line it is written on (line 7), not the row's first; the right one is read
    right = check(tmp_path, _braced(ONE["a_h2"]))
    assert right.mistakes == [] and 4 in right.read, "\n".join(right.lines())
    slipped = check(tmp_path, _braced(ONE["a_h1"]))
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def test_a_name_under_a_brace_is_a_remark_not_a_value(tmp_path):
    # `\underbrace{…}_{a_{h_2}}`: the label names the factor (no number), nothing to judge, nothing blamed;
    # a product under the brace (`0.5965 \times 0.2387`) is no single number either
    text = _braced(ONE["a_h2"]).replace(f"{{ {ONE['a_h2']:.4f} }}", "{a_{h_2}}")
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    product = _braced(ONE["a_h2"]).replace(f"{{ {ONE['a_h2']:.4f} }}", f"{{{ONE['a_h1']:.4f} + 0.0037}}")
    assert check(tmp_path, product).mistakes == []


def test_a_number_set_under_a_factor_is_its_value(tmp_path):
    # `\underset{0.5069}{\frac{∂o_1}{∂w_6}}` says the same as the brace
    text = _braced(ONE["a_h1"]).replace(r"\underbrace{\frac{\partial o_1}{\partial w_6}}_{", r"\underset{")
    text = text.replace(
        f"{{ {ONE['a_h1']:.4f} }}\n=", f"{{ {ONE['a_h1']:.4f} }}{{\\frac{{\\partial o_1}}{{\\partial w_6}}}}\n="
    )
    result = check(tmp_path, text)
    assert set(blamed(result)) == {7}, "\n".join(result.lines())


def test_a_sign_slip_is_said_where_the_brackets_are_not_among_the_partials(tmp_path):
    # a row over three lines: the left side, the chain rule's partials, then `= (t_1 - a_{o1})…`: the
    # sign is wrong on the third line, where it is written (it was said on the second)
    a, h = ONE["a_o1"], ONE["a_h1"]
    partials = r"\frac{\partial E_1}{\partial a_{o1}}\,\frac{\partial a_{o1}}{\partial o_1}"
    partials += r"\,\frac{\partial o_1}{\partial w_5}"
    text = f"""# Backprop, EVA targets $t_1 = 0.01$, $t_2 = 0.99$

$$
\\begin{{aligned}}
\\frac{{\\partial E_{{total}}}}{{\\partial w_5}}
  &= {partials}
   = (SIGN)\\; a_{{o1}}(1-a_{{o1}})\\; a_{{h1}} \\\\
  &= {a - 0.01:.6f} \\times {a * (1 - a):.6f} \\times {h:.6f} = {D1 * h:.6f}
\\end{{aligned}}
$$
"""
    right = check(tmp_path, text.replace("SIGN", "a_{o1} - t_1"))
    assert right.mistakes == [], "\n".join(right.lines())
    slipped = check(tmp_path, text.replace("SIGN", "t_1 - a_{o1}"))
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())
