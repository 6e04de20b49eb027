"""The seventh blind review's first contact (12 write-ups written blind to the code): its false alarms,
in small. Each write-up here is written for its test (none is a copy of the blind corpus) and is right
as written; where it matters, a slip in it must still be found. Numbers from test_review6b's
`iteration`, the network written out by hand, independently of sheetgen."""

from tests.writeup.test_review6b import ONE, W
from tests.writeup.written import blamed, check

D1 = (ONE["a_o1"] - 0.01) * ONE["a_o1"] * (1 - ONE["a_o1"])  # ∂E_total/∂o1, EVA8's targets
D2 = (ONE["a_o2"] - 0.99) * ONE["a_o2"] * (1 - ONE["a_o2"])


def test_a_dot_between_finished_assignments_parts_them(tmp_path):
    # `i1 = 0.05 · i2 = 0.1 · t1 = 0.01`: read as i1 = 0.05·i2 = 0.1·t1 = … and blamed
    text = (
        "**i1** = 0.05 · **i2** = 0.1 · **t1** = 0.01 · **t2** = 0.99\n\n"
        + " · ".join(f"**w{k}** = {w:g}" for k, w in enumerate(W, 1))
        + f"\n\n**a_o1** = {ONE['a_o1']:.6f} · **a_o2** = {ONE['a_o2']:.6f}\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert result.equations >= 14
    slipped = check(tmp_path, text.replace(f"{ONE['a_o2']:.6f}", f"{ONE['o2']:.6f}"))
    assert blamed(slipped) == {5: "a_o2"}, "\n".join(slipped.lines())
    # a product of a number and a name is no list: `w5 = 0.4 − 0.5 · g5 = …` is not cut at its dot
    assert check(tmp_path, "w5_new = 0.4 − 0.5 · g5 = 0.3936\n").mistakes == []


def test_equations_of_any_form_three_spaces_after_a_value_are_apart(tmp_path):
    # `out_o1-t1 = 0.1065     out_o1*(1-out_o1) = 0.2387`: read as one equation, 0.1065·out_o1·(1 − out_o1)
    a, b = ONE["a_o1"], ONE["a_o2"]
    text = f"  out_o1-t1 = {a - 0.01:.10f}     out_o1*(1-out_o1) = {a * (1 - a):.10f}\n"
    text += f"  out_o2-t2 = {b - 0.99:.10f}     out_o2*(1-out_o2) = {b * (1 - b):.10f}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert result.equations == 4
    slipped = check(tmp_path, text.replace(f"{b * (1 - b):.10f}", f"{b * (1 + b):.10f}"))
    assert blamed(slipped) == {2: "a_o2·(1 − a_o2)"}, "\n".join(slipped.lines())


def test_a_line_that_goes_on_from_an_equation_not_read_is_not_read(tmp_path):
    # `g_out_h1 = …` (not read), then `= 0.0102 + 0.0152 = 0.0254` was read as going on from `g_w8 = …`
    # two lines up, and blamed as ∂E_total/∂w8
    g8 = D2 * ONE["a_h2"]
    text = (
        f"  g_w8 = {g8:.10f}\n\n"
        "  g_out_h1 = (out_o1-t1)*out_o1*(1-out_o1)*w5 + (out_o2-t2)*out_o2*(1-out_o2)*w7\n"
        f"           = {D1 * 0.4:.10f} + {D2 * 0.5:.10f} = {D1 * 0.4 + D2 * 0.5:.10f}\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert any(n == 4 and "does not read" in why for n, _, why in result.skipped)
    # going on from an equation it reads, it is read there
    read = check(tmp_path, text.replace("g_out_h1 =", "∂E_total/∂a_h1 ="))
    assert 4 in read.read and read.mistakes == [], "\n".join(read.lines())


def test_latex_in_an_image_address_keeps_its_thin_spaces(tmp_path):
    # codecogs' `\,` was unescaped by Markdown to a comma: `(out_o1-t_1)\,out_o1…` read as a list whose
    # first piece, `∂E/∂out_h1 = (out_o1 − t_1)`, was blamed
    url = ("https://latex.codecogs.com/svg.latex?\\frac{\\partial&space;E_{total}}{\\partial&space;out_{h1}}"
           "=(out_{o1}-t_1)\\,out_{o1}(1-out_{o1})\\,w_5+(out_{o2}-t_2)\\,out_{o2}(1-out_{o2})\\,w_7")  # fmt: skip
    text = f"a_o1 = {ONE['a_o1']:.6f}\n\n![dah1]({url})\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert 3 in result.read
    slipped = check(tmp_path, text.replace("w_7)", "w_6)"))  # the path through o2 is by w7
    assert set(blamed(slipped)) == {3}, "\n".join(slipped.lines())


def test_a_latex_matrix_is_a_vector_or_a_matrix(tmp_path):
    # `x = \begin{pmatrix} i_1 \\ i_2 \end{pmatrix} = …`: its rows were read as rows of the display
    # (`x = i_1`, `i_2 = 0.05`), and two vector equations on one line paired with each other's numbers
    text = (
        "$$\\mathbf{x} = \\begin{pmatrix} i_1 \\\\ i_2 \\end{pmatrix} = \\begin{pmatrix} 0.05 \\\\ 0.1 \\end{pmatrix},"
        " \\qquad \\mathbf{t} = \\begin{pmatrix} t_1 \\\\ t_2 \\end{pmatrix} = \\begin{pmatrix} 0.01 \\\\ 0.99"
        " \\end{pmatrix}$$\n\n"
        "$$W^{[1]} = \\begin{pmatrix} w_1 & w_2 \\\\ w_3 & w_4 \\end{pmatrix} = \\begin{pmatrix} 0.15 & 0.2 \\\\ "
        "0.25 & 0.3 \\end{pmatrix}, \\qquad W^{[2]} = \\begin{pmatrix} w_5 & w_6 \\\\ w_7 & w_8 \\end{pmatrix} = "
        "\\begin{pmatrix} 0.4 & 0.45 \\\\ 0.5 & 0.55 \\end{pmatrix}$$\n\n"
        f"$$\\mathbf{{a}}_o = \\begin{{pmatrix}} {ONE['a_o1']:.6f} \\\\ {ONE['a_o2']:.6f} \\end{{pmatrix}}, "
        "\\qquad E = \\tfrac12\\lVert \\mathbf{t} - \\mathbf{a}_o \\rVert^2$$\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {1, 3} <= set(result.read)
    assert result.stated == {"i1": 0.05, "i2": 0.1, "t1": 0.01, "t2": 0.99} | {f"w{k}": w for k, w in enumerate(W, 1)}
    slipped = check(tmp_path, text.replace(f"{ONE['a_o2']:.6f}", f"{ONE['o2']:.6f}"))  # o2 for a_o2
    assert blamed(slipped) == {5: "a_o2"}, "\n".join(slipped.lines())


def test_a_step_of_an_eta_the_file_never_names_is_blamed(tmp_path):
    # `w6 = 0.45 − 0.1 × 0.0727` in a file whose only η is 1.0: right at the η it writes, which is the
    # slip (a warning before); a number right at another η, the η not written, stays a warning
    g6 = ONE["g"][5]
    text = f"η = 1.0 throughout.\n\n- w5: 0.4 − 1.0 × {ONE['g'][4]:.10f} = {0.4 - ONE['g'][4]:.10f}\n"
    text += f"- w6: 0.45 − 1.0 × {g6:.10f} = {0.45 - g6:.10f}\n"
    assert check(tmp_path, text).mistakes == []
    slipped = check(
        tmp_path, text.replace(f"1.0 × {g6:.10f} = {0.45 - g6:.10f}", f"0.1 × {g6:.10f} = {0.45 - 0.1 * g6:.10f}")
    )
    assert [(m.line, m.code) for m in slipped.mistakes] == [(4, "wrong-parameter")], "\n".join(slipped.lines())
    # the file naming 0.1 too (its own table of rates): no slip to say
    named = check(tmp_path, slipped.path.read_text() + "\nWith η = 0.1 the loss falls slowly.\n")
    assert named.mistakes == [], "\n".join(named.lines())


def test_a_step_of_an_eta_the_file_names_nowhere_is_blamed_whatever_else_it_names(tmp_path):
    # the tenth round: a file of η = 0.2 that also says `η = 2` (fastest) wrote one step with 0.5, which
    # it names nowhere; the rule above wanted the file to name one η only
    g1 = ONE["g"][0]
    text = f"## Weight update (η = 0.2)\n\n    w1 = w1 - η*∂E_total/∂w1 = 0.15 - 0.2*{g1:.9f} = {0.15 - 0.2 * g1:.9f}\n"
    text += "\nThe bigger the rate the faster the loss falls (fastest at η = 2).\n"
    assert check(tmp_path, text).mistakes == []
    slipped = check(
        tmp_path, text.replace(f"0.2*{g1:.9f} = {0.15 - 0.2 * g1:.9f}", f"0.5*{g1:.9f} = {0.15 - 0.5 * g1:.9f}")
    )
    assert [(m.line, m.code) for m in slipped.mistakes] == [(3, "wrong-parameter")], "\n".join(slipped.lines())
