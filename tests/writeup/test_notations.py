r"""Write-ups as people write them, in each notation: plain, Unicode math letters, escaped Markdown,
inline and display LaTeX, aligned environments, tables, LaTeX in an image's address — and some the
shared write-ups do not show (\[…\], \(…\), $`…`$, a ```math block, HTML <sub>, GitHub's render/math
address, d-notation in LaTeX). Each is written right (no alarm, every equation read at its line) and
with slips planted (each found at its line, for its quantity, nothing else blamed).

Each write-up is a list of rows: (right text, slipped text or None, quantity, code). A row may hold
several source lines; its equations are on the lines with `=`.
"""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetgen import writeup
from sheetgen.writeup import equations as eq
from sheetgen.writeup import latex, markdown

PLAIN = [
    ("# Backprop", None, None, None),
    ("h1 = w1*i1 + w2*i2", "h1 = w1*i1 + w2*i1", "h1", "swap-reference"),
    ("a_h1 = σ(h1) = 1/(1 + exp(-h1))", None, None, None),
    ("o2 = w7*a_h1 + w8*a_h2", "o2 = w7*a_h1 + w8*a_h1", "o2", "swap-reference"),
    ("E2 = ½(t2 - a_o2)²", "E2 = ½(t2 - a_o1)²", "E2", "swap-reference"),
    ("∂o1/∂w5 = a_h1", "∂o1/∂w5 = a_h2", "∂o1/∂w5", "swap-reference"),
    ("∂a_o1/∂o1 = a_o1(1 − a_o1)", None, None, None),
    ("∂E_total/∂w5 = (a_o1 - t1)*a_o1*(1 - a_o1)*a_h1", "∂E_total/∂w5 = (t1 - a_o1)*a_o1*(1 - a_o1)*a_h1",
     "∂E_total/∂w5", "sign"),
    ("w5 = w5 - η*∂E_total/∂w5", "w5 = w5 + η*∂E_total/∂w5", "w5", "sign"),
]  # fmt: skip

UNICODE = [  # mathematical italic and bold letters, ð and 𝟃 for ∂, ℎ
    ("𝑎_ℎ1 = 𝜎(ℎ1) = 1/(1 + exp(−ℎ1))", "𝑎_ℎ1 = 𝜎(ℎ2)", "a_h1", "swap-reference"),
    ("𝜕E_total/𝜕𝑤6 = (a_o1 − t1)·a_o1·(1 − a_o1)·a_h2", "𝜕E_total/𝜕𝑤6 = (a_o1 − t1)·a_o1·(1 − a_o1)·a_h1",
     "∂E_total/∂w6", "swap-reference"),
    ("ðE_t/ða_o2 = a_o2 − t2", "ðE_t/ða_o2 = t2 − a_o2", "∂E_total/∂a_o2", "sign"),
    ("𝟃o2/𝟃w8 = a_h2", None, None, None),
    ("E₁ = ½·(t1 − a_o1)²", None, None, None),
]  # fmt: skip

ESCAPED = [  # Markdown escapes, emphasis around and inside, a list, a heading
    ("## The forward pass", None, None, None),
    ("- h2 = w3 \\* i1 + w4 \\* i2", "- h2 = w3 \\* i1 + w3 \\* i2", "h2", "swap-reference"),
    ("a\\\\_h2 = σ(h2)  ", None, None, None),
    ("**a\\_o2 = σ(o2)**", "**a\\_o2 = σ(o1)**", "a_o2", "swap-reference"),
    ("o1 = w5*a_h1 + w6*a_h2 <- *the first output*", "o1 = w5*a_h1 + w6*a_h1 <- *the first output*", "o1",
     "swap-reference"),
    ("_E1 = ½ \\* (t1 − a\\_o1)²_", None, None, None),
]  # fmt: skip

INLINE_LATEX = [
    (r"The hidden sum is $h_2 = w_3 \cdot i_1 + w_4 \cdot i_2$, then $a_{h_2} = \sigma(h_2)$.",
     r"The hidden sum is $h_2 = w_3 \cdot i_1 + w_4 \cdot i_2$, then $a_{h_2} = \sigma(h_1)$.",
     "a_h2", "swap-reference"),
    (r"- $E_{\text{total}} = E_1 + E_2$", None, None, None),
    (r"- $E_2 = \frac{1}{2} \left( t_2 - a_{o2} \right)^{2}$", r"- $E_2 = \left( t_2 - a_{o2} \right)^{2}$", "E2",
     "missing-half"),
    (r"- $a_{o1} = \frac{1}{1 + e^{-o_1}}$", None, None, None),
    (r"- $\frac{\partial o_2}{\partial a_{h1}} = w_7$ and $\frac{\partial a_{h1}}{\partial h_1} = a_{h1}(1 - a_{h1})$",
     r"- $\frac{\partial o_2}{\partial a_{h1}} = w_8$ and $\frac{\partial a_{h1}}{\partial h_1} = a_{h1}(1 - a_{h1})$",
     "∂o2/∂a_h1", "swap-reference"),
]  # fmt: skip

DISPLAY_LATEX = [
    ("$$\n\\frac{\\partial E_{total}}{\\partial w_7} = "
     "(a_{o2} - t_2) \\cdot a_{o2} \\cdot (1 - a_{o2}) \\cdot a_{h1}\n$$",
     "$$\n\\frac{\\partial E_{total}}{\\partial w_7} = "
     "(a_{o1} - t_1) \\cdot a_{o1} \\cdot (1 - a_{o2}) \\cdot a_{h1}\n$$",
     "∂E_total/∂w7", "swap-reference"),
    ("", None, None, None),
    ("$$\\frac{\\partial E_{\\text{total}}}{\\partial w_1} = \\frac{\\partial E_{\\text{total}}}{\\partial a_{h1}} "
     "\\times \\frac{\\partial a_{h1}}{\\partial h_1} \\times \\frac{\\partial h_1}{\\partial w_1}$$",
     "$$\\frac{\\partial E_{\\text{total}}}{\\partial w_1} = \\frac{\\partial E_1}{\\partial a_{o1}} \\times "
     "\\frac{\\partial a_{o1}}{\\partial o_1} \\times \\frac{\\partial o_1}{\\partial a_{h1}} \\times "
     "\\frac{\\partial a_{h1}}{\\partial h_1} \\times \\frac{\\partial h_1}{\\partial w_1}$$",
     "∂E_total/∂w1", "one-path"),
    ("", None, None, None),
    ("\\[ \\eta = 0.5, \\quad w_5 := w_5 - \\eta \\, \\frac{\\partial E_{total}}{\\partial w_5} \\]", None, None, None),
]  # fmt: skip

ALIGNED = [
    ("$$\n\\begin{aligned}\no_1 &= w_5 a_{h1} + w_6 a_{h2} \\\\\no_2 &= w_7 a_{h1} + w_8 a_{h2} \\\\\n"
     "\\frac{\\partial E_1}{\\partial a_{h1}} &= \\frac{\\partial E_1}{\\partial a_{o1}} \\cdot "
     "\\frac{\\partial a_{o1}}{\\partial o_1} \\cdot \\frac{\\partial o_1}{\\partial a_{h1}} \\\\\n"
     "&= (a_{o1} - t_1) \\cdot a_{o1} (1 - a_{o1}) \\cdot w_5\n\\end{aligned}\n$$",
     "$$\n\\begin{aligned}\no_1 &= w_5 a_{h1} + w_6 a_{h2} \\\\\no_1 &= w_7 a_{h1} + w_8 a_{h2} \\\\\n"
     "\\frac{\\partial E_1}{\\partial a_{h1}} &= \\frac{\\partial E_1}{\\partial a_{o1}} \\cdot "
     "\\frac{\\partial a_{o1}}{\\partial o_1} \\cdot \\frac{\\partial o_1}{\\partial a_{h1}} \\\\\n"
     "&= (a_{o1} - t_1) \\cdot a_{o1} (1 - a_{o1}) \\cdot w_7\n\\end{aligned}\n$$",
     None, None),
    ("", None, None, None),
    ("\\begin{align*}\nh_1 &= w_1 i_1 + w_2 i_2 \\tag{1} \\\\\n"
     "&= \\mathrm{w_1} \\times i_1 + w_2 \\times i_2\n\\end{align*}",
     None, None, None),
]  # fmt: skip
ALIGNED_SLIPS = {4: ("o1", "wrong-left-side"), 6: ("∂E1/∂a_h1", "swap-reference")}  # o1 &= w7…: it is o2

TABLE = [
    ("| Equation | Comment |", None, None, None),
    ("|---|---|", None, None, None),
    ("| h1 = w1*i1 + w2*i2 | the first hidden sum |", None, None, None),
    ("| `a_h1 = σ(h1)` | activation; σ(x) = 1/(1+exp(-x)) |", "| `a_h1 = σ(o1)` | activation; σ(x) = 1/(1+exp(-x)) |",
     "a_h1", "swap-reference"),
    ("| ∂E2/∂a_h1 = (a_o2 - t2)*a_o2*(1 - a_o2)*w7 | through o2 |",
     "| ∂E2/∂a_h1 = (a_o2 - t2)*a_o2*(1 - a_o2)*w8 | through o2 |", "∂E2/∂a_h1", "swap-reference"),
    ("| $\\frac{\\partial h_1}{\\partial w_2} = i_2$ | local |",
     "| $\\frac{\\partial h_1}{\\partial w_2} = i_1$ | local |",
     "∂h1/∂w2", "swap-reference"),
]  # fmt: skip

CODECOGS = "https://latex.codecogs.com/svg.latex?"


def _image(formula: str, alt: str = "equation") -> str:
    return f"![{alt}]({CODECOGS}{quote(formula, safe='')})"


IMAGES = [  # the formula only in the address of its picture (codecogs, GitHub's render/math), or in alt text
    (_image(r"\dpi{110} \frac{\partial E_{total}}{\partial w_8} = (a_{o2} - t_2) a_{o2} (1 - a_{o2}) a_{h2}"),
     _image(r"\dpi{110} \frac{\partial E_{total}}{\partial w_8} = (a_{o2} - t_2) a_{o2} (1 - a_{o2}) a_{h1}"),
     "∂E_total/∂w8", "swap-reference"),
    ('<img src="https://render.githubusercontent.com/render/math?math=' + quote(r"E_1 = \frac{1}{2}(t_1 - a_{o1})^2")
     + '">', None, None, None),
    ("![a_o2 = σ(o2)](network.png)", "![a_o2 = σ(h2)](network.png)", "a_o2", "swap-reference"),
    ('<p align="center"><img alt="h2" src="' + CODECOGS + quote(r"h_2 = w_3 i_1 + w_4 i_2") + '"></p>',
     None, None, None),
]  # fmt: skip

OTHERS = [  # notations of our own invention: \(…\), $`…`$, a ```math block, <sub>, d-notation in LaTeX
    (r"Inline: \(\frac{dE_{total}}{dw_6} = (a_{o1} - t_1)\,a_{o1}(1 - a_{o1})\,a_{h2}\)", None, None, None),
    (r"GitHub's own: $`\frac{\partial a_{o2}}{\partial o_2} = a_{o2}(1 - a_{o2})`$",
     r"GitHub's own: $`\frac{\partial a_{o2}}{\partial o_2} = a_{o1}(1 - a_{o2})`$", "∂a_o2/∂o2", "swap-reference"),
    ("```math\n\\frac{\\partial E_{total}}{\\partial a_{h2}} = (a_{o1} - t_1) a_{o1} (1 - a_{o1}) w_6 + "
     "(a_{o2} - t_2) a_{o2} (1 - a_{o2}) w_8\n```",
     "```math\n\\frac{\\partial E_{total}}{\\partial a_{h2}} = (a_{o1} - t_1) a_{o1} (1 - a_{o1}) w_6\n```",
     "∂E_total/∂a_h2", "one-path"),
    ("w<sub>2</sub> = w<sub>2</sub> − η · ∂E<sub>total</sub>/∂w<sub>2</sub>", None, None, None),
    ("W<sub>new</sub> = W<sub>old</sub> - LR * dEtotal/dW<sub>old</sub>",
     "W<sub>new</sub> = W<sub>old</sub> + LR * dEtotal/dW<sub>old</sub>", "new w1", "sign"),
]  # fmt: skip

NOTATIONS = {
    "plain": PLAIN, "unicode": UNICODE, "escaped": ESCAPED, "inline-latex": INLINE_LATEX,
    "display-latex": DISPLAY_LATEX, "aligned": ALIGNED, "table": TABLE, "images": IMAGES, "others": OTHERS,
}  # fmt: skip


def write_up(rows, slipped: bool) -> tuple[str, dict[int, tuple[str, str]], list[int]]:
    """The file's text; the slips planted (line -> (quantity, code)); the lines with equations."""
    lines, slips, equations = [], {}, []
    for right, wrong, quantity, code in rows:
        text = wrong if slipped and wrong else right
        start = len(lines) + 1
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if "=" in part and not part.startswith(("#", "|---")):
                equations.append(start + k)
        if slipped and wrong:
            changed = [start + k for k, (a, b) in enumerate(zip(right.split("\n"), parts)) if a != b]
            if quantity:
                slips[changed[0]] = (quantity, code)
        lines += parts
    return "\n".join(lines) + "\n", slips, equations


def check(tmp_path, name: str, text: str, suffix: str = ".md"):
    path = tmp_path / f"{name}{suffix}"
    path.write_text(text, encoding="utf-8")
    return writeup.check(path)


@pytest.mark.parametrize("name", NOTATIONS)
def test_a_right_write_up_in_each_notation_gets_no_alarm_and_is_read_whole(tmp_path, name):
    text, _, equations = write_up(NOTATIONS[name], slipped=False)
    result = check(tmp_path, name, text)
    assert not result.mistakes, result.lines()
    unread = [n for n in equations if n not in result.read]
    assert not unread, (unread, result.lines())


@pytest.mark.parametrize("name", NOTATIONS)
def test_slips_in_each_notation_are_found_at_their_lines(tmp_path, name):
    text, slips, _ = write_up(NOTATIONS[name], slipped=True)
    if name == "aligned":
        slips = ALIGNED_SLIPS
    result = check(tmp_path, name, text)
    blamed = {m.line: (m.quantity, m.code) for m in result.mistakes}
    assert blamed == slips, result.lines()


LATEX_AND_PLAIN = [  # the same equation, in LaTeX and in plain text: the same tree
    (r"\frac{\partial E_{total}}{\partial w_5} = (a_{o1} - t_1) \cdot a_{o1} \cdot (1 - a_{o1}) \cdot a_{h1}",
     "∂E_total/∂w5 = (a_o1 - t1) * a_o1 * (1 - a_o1) * a_h1"),
    (r"a_{h1} = \sigma(h_1) = \frac{1}{1 + e^{-h_1}}", "a_h1 = σ(h1) = 1/(1 + exp(-h1))"),
    (r"E_1 = \tfrac{1}{2}\left(t_1 - a_{o_1}\right)^{2}", "E1 = 1/2 * (t1 - a_o1)^2"),
    (r"\frac{\partial E_{\mathrm{total}}}{\partial w_1} = \frac{\partial E_{\text{total}}}{\partial a_{h_1}} "
     r"\times a_{h_1}(1 - a_{h_1}) \times i_1", "∂E_total/∂w1 = ∂E_total/∂a_h1 * a_h1 * (1 - a_h1) * i1"),
    (r"w_5 \leftarrow w_5 - \eta \frac{\partial E_{total}}{\partial w_5}", "w5 = w5 - η * ∂E_total/∂w5"),
    (r"\frac{\partial E_1}{\partial a_{o1}} = \frac{\partial}{\partial a_{o1}} \frac{1}{2}(t_1 - a_{o1})^2",
     "∂E1/∂a_o1 = ∂(1/2 * (t1 - a_o1)^2)/∂a_o1"),
]  # fmt: skip


@pytest.mark.parametrize(("tex", "plain"), LATEX_AND_PLAIN)
def test_latex_reads_into_the_trees_plain_text_gives(tex, plain):
    (a,), (b,) = eq.find(latex.text(tex)), eq.find(plain)
    assert [eq.render(s) for s in a.sides] == [eq.render(s) for s in b.sides], latex.text(tex)


def test_markdown_keeps_each_line_where_it_is():
    lines = ["# T", "", "$$", r"o_1 = w_5 a_{h1} \\", r"o_2 &= w_7 a_{h1}", "$$", "a `h1 = w1*i1` b", "| x = 1 |"]
    shown = markdown.render(lines)
    assert len(shown) == len(lines)
    assert shown[3] == "o_1 = w_5 * a_h1" and shown[4] == "o_2 = w_7 * a_h1" and not shown[2] and not shown[5]
    assert "h1 = w1*i1" in shown[6]


NOT_EQUATIONS = [  # (line, what it is): skipped or read as a reader would, never blamed
    ("EPOCH: 7 LR = [0.0001]", "a training log"),
    ("Epoch 3: loss = 0.2451, accuracy = 0.91", "a training log"),
    ("    self.fc1 = nn.Linear(2, 2)", "code"),
    ("    optimizer = optim.SGD(model.parameters(), lr=0.01)", "code"),
    ("batch_size = 128", "a setting"),
    ("LR = 0.5", "a setting"),
    ("o2 = w7*out_h1 + w8*out_h2  -(12)", "an equation number"),
    ("a_h2 = σ(h2) (6)", "an equation number"),
    ("∂E1/∂a_o1 = a_o1 – t1   ---- x", "an equation's name"),
    ("out_o1, out_o2 = σ(o1), σ(o2)", "a tuple of assignments"),
    ("∂o1/∂w5 = out_h1", "a local partial"),
    ("∂a_o1/∂o1 = a_o1(1−a_o1)", "a local partial"),
    ("derivative of σ(x) = σ(x) * (1 - σ(x))", "σ'(x), said in words"),
    ("a_o1 = σ(o1) = 1/(1+e-o1)", "e^-o1, its superscript lost"),
    ("E1 = 0.5*(t1-a_o1)2", "the square, its superscript lost"),
    ("**∂E_total/∂w5 = ∂E1/∂w5", "bold left open"),
    ("w1 = 0.15\tw2 = 0.2\tw3 = 0.25", "three given values a tab apart"),
    ("wi = wi - η * (∂E_t/∂wi) , where i = 1,2,3,4", "an update for every weight"),
]


def test_not_everything_with_an_equals_sign_is_blamed(tmp_path):
    text = "\n".join(line for line, _ in NOT_EQUATIONS) + "\n"
    for suffix in (".md", ".txt"):
        result = check(tmp_path, "not", text, suffix)
        assert not result.mistakes, result.lines()
        skipped = {n for n, _, _ in result.skipped}
        assert {1, 2, 5, 6} <= skipped | set(range(2, 5)), result.lines()  # what sets or logs is counted as skipped
        read = set(result.read)
        assert set(range(7, 19)) <= read, (sorted(set(range(7, 19)) - read), result.lines())


def test_a_tuple_of_assignments_is_read_pair_by_pair(tmp_path):
    result = check(tmp_path, "tuple", "out_o1, out_o2 = σ(o2), σ(o1)\n", ".txt")
    assert [(m.line, m.quantity) for m in result.mistakes] == [(1, "a_o1"), (1, "a_o2")], result.lines()
    result = check(tmp_path, "tuple", "out_o1, out_o2 = σ(o1), σ(o1)\n", ".txt")
    assert [(m.line, m.quantity) for m in result.mistakes] == [(1, "a_o2")], result.lines()


def test_a_line_that_goes_on_is_right_under_the_reading_that_makes_it_right(tmp_path):
    lines = [
        "    ∂E_total/∂w6 = ∂(E1+E2)/∂w6",
        "    E_total = E1 + E2",
        "    = ∂E1/∂w6 + ∂E2/∂w6 = ∂E1/∂w6",  # goes on from line 1, not from line 2's E_total
        "    = ∂E1/∂a_o1 * ∂a_o1/∂o1 * ∂o1/∂w6",
        "    = (a_o1 - t1) * a_o1 * (1 - a_o1) * a_h1",  # wrong under every reading: a_h1 where a_h2 belongs
    ]
    result = check(tmp_path, "goes-on", "\n".join(lines) + "\n", ".txt")
    assert [(m.line, m.quantity) for m in result.mistakes] == [(5, "∂E_total/∂w6")], result.lines()
    assert {3, 4, 5} <= set(result.read)


PIECES = ["$", "$$", "\\frac", "{", "}", "\\partial", "_", "^", "&=", "\\\\", "\\begin{align*}", "\\end{align*}",
          "\\left(", "\\right)", "`", "```", "|", "*", "\\*", "<sub>", "</sub>", "![a](", ")", "h1", "=", "w1", " ",
          "\n", "\\[", "\\]", "\\text{", "e^{-x}", "𝜎", "ð", "(t1-a_o1)2", "---- x", "-(12)",
          "a, b = 1, 2"]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_mix_of_markdown_and_latex_is_read_without_a_traceback(tmp_path, pieces):
    text = "".join(pieces)
    shown = markdown.render(text.split("\n"))
    assert len(shown) == len(text.split("\n"))
    result = check(tmp_path, "fuzz", text + "\n")
    assert result.verdict in ("right", "wrong", "no equations")
