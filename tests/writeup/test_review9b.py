"""The ninth blind review's first contact (8 write-ups written blind to the code): its false alarms, in
small. Each write-up here is written for its test (none is a copy of the blind corpus) and is right as
written; where it matters, a slip in it must still be found. Numbers from test_review6b's `run`, the
network written out by hand, independently of sheetgen; EVA8's targets unless said."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE = run(W, 0.5, 1)[0]
ERA = run(W, 2.0, 1, t1=0.5, t2=0.5)[0]


def test_a_name_alone_in_square_brackets_is_the_files_own_notation(tmp_path):
    # `[o1] = (a_o1 - t1)*a_o1*(1 - a_o1)`, `dE/dw5 = [o1]*a_h1`: read as o1, and every line blamed
    d1 = (ERA["a_o1"] - 0.5) * ERA["a_o1"] * (1 - ERA["a_o1"])
    text = (f"a_o1 = {ERA['a_o1']:.4f}   E = {ERA['E']:.4f}\n\n(my shorthand: [o1] = (a_o1 - t1)*a_o1*(1 - a_o1))\n"
            f"  [o1] = {d1:.4f}\n  dE/dw5 = [o1]*a_h1 = {ERA['g'][4]:.4f}\n")  # fmt: skip
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    # a vector's brackets are still a vector's
    vector = check(tmp_path, f"a_o = [{ONE['a_o1']:.6f}, {ONE['o2']:.6f}]\n")
    assert 1 in blamed(vector), "\n".join(vector.lines())


def test_a_dash_after_a_label_is_no_minus(tmp_path):
    # `**Step 4** – a_o1 = σ(o1) = 0.60648`: the dash was read as a minus, −a_o1 = σ(o1), "the sign is wrong"
    text = f"**Step 4** – a_o1 = σ(o1) = {ONE['a_o1']:.5f}, a_o2 = σ(o2) = {ONE['a_o2']:.5f}\n"
    text += f"E1 = ½(t1 – a_o1)² = {ONE['E1']:.5f}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and {1, 2} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("E1 = ½(t1 – a_o1)²", "E1 = ½(t1 – a_o2)²"))
    assert 2 in blamed(slipped), "\n".join(slipped.lines())


def test_names_given_together_with_colon_equals_are_a_tuple(tmp_path):
    # `Δo1, Δo2 := ∂E_total/∂o1, ∂E_total/∂o2` was read as Δo2 := ∂E_total/∂o1
    text = "* `δo1`, `δo2` := ∂E_total/∂o1, ∂E_total/∂o2 (the error at each output)\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert result.equations == 2


def test_a_number_of_a_sheets_row_is_not_judged_as_the_first_iterations(tmp_path):
    # `E_total on row 2 = 0.0141` was read as `2 = 0.0141`; `row 50: E_total = 0.0125 for η = 2` as
    # the first iteration's E_total
    text = (f"a_o1 = {ERA['a_o1']:.6f}, η = 2\n\n- E_total on row 2 = {ERA['E']:.7f}\n"
            "> row 50: E_total = 0.0125 for η = 2 but still 0.181 for η = 0.1\n")  # fmt: skip
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    said = check(tmp_path, text.replace("row 50:", "row 50 (iteration 1):"))
    assert 4 in blamed(said), "\n".join(said.lines())


def test_a_step_of_eta_1_left_unwritten_is_judged_where_the_file_says_eta_is_1(tmp_path):
    # `w ← w − ∂E/∂w` under `Update with η = 1` was judged as `w = w − ∂E/∂w` (no update) and blamed
    one = run(W, 1.0, 1)[0]
    step = "$w \\leftarrow w - \\frac{\\partial E}{\\partial w}$"
    text = f"a_o1 = {one['a_o1']:.6f}\n\n### Update with $\\eta = 1$, i.e. {step}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and 3 in result.read, "\n".join(result.lines())
    # where the file's η is another, the same step is unsure: not judged, not blamed
    other = check(tmp_path, text.replace("\\eta = 1", "\\eta = 0.5"))
    assert other.mistakes == [] and 3 not in other.read, "\n".join(other.lines())


def test_one_confusion_repeated_is_the_files_notation(tmp_path):
    # a notation the reader does not know is misread on every line that uses it (round 9's `[o1]`, nine
    # false alarms; round 6's `H1` for the hidden output): a number that is the same neuron's other
    # quantity, on two lines or more, is the file's name for it — skipped, not blamed. Once, it is a slip.
    text = f"a_h1 = {ONE['a_h1']:.6f}\nE_total = {ONE['E']:.6f}\n\n"
    text += f"Outputs: o1 = {ONE['a_o1']:.6f}, o2 = {ONE['a_o2']:.6f}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert sum("notation" in why for n, _, why in result.skipped if n == 4) == 2
    once = check(tmp_path, text.replace(f", o2 = {ONE['a_o2']:.6f}", ""))
    assert blamed(once) == {4: "o1"}, "\n".join(once.lines())
    # the activation's own name given the net's number is a slip however often (σ forgotten): blamed
    forgot = check(
        tmp_path,
        text.replace("o1 = ", "a_o1 = ")
        .replace("o2 = ", "a_o2 = ")
        .replace(f"{ONE['a_o1']:.6f}", f"{ONE['o1']:.6f}")
        .replace(f"{ONE['a_o2']:.6f}", f"{ONE['o2']:.6f}"),
    )
    assert [(m.line, m.quantity) for m in forgot.mistakes] == [(4, "a_o1"), (4, "a_o2")], "\n".join(forgot.lines())


def test_what_a_file_writes_with_a_name_of_its_own_meaning_is_not_judged_either(tmp_path):
    # `o1 = 0.1065·0.2387 = 0.0254` for o1's error signal (twice: o1 and o2), then `dE/dw5 = o1*a_h1`:
    # read as the net, every identity with it blamed ("o1·a_h1 is not ∂E_total/∂w5")
    d1 = (ERA["a_o1"] - 0.5) * ERA["a_o1"] * (1 - ERA["a_o1"])  # ERA's targets: both signals positive
    d2 = (ERA["a_o2"] - 0.5) * ERA["a_o2"] * (1 - ERA["a_o2"])
    text = (f"a_h1 = {ERA['a_h1']:.6f}, a_h2 = {ERA['a_h2']:.6f}\na_o1 = {ERA['a_o1']:.6f}, a_o2 = {ERA['a_o2']:.6f}, "
            f"E_total = {ERA['E']:.6f}\n\nerrors: o1 = {d1:.6f}   o2 = {d2:.6f}\n"
            f"dE/dw5 = o1*a_h1 = {ERA['g'][4]:.6f}\ndE/dw7 = o2*a_h1 = {ERA['g'][6]:.6f}\n")  # fmt: skip
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {n for n, _, why in result.skipped if "own meaning" in why} == {5, 6}


def test_an_arrow_after_a_formula_to_a_number_is_what_it_evaluates_to(tmp_path):
    # `E1 := ½(t1 − a_o1)²  → 0.1778928` (`x → y`: x evaluates to y) was read without its number
    text = f"a_o1 := σ(o1)   → {ONE['a_o1']:.7f}\nE1 := ½(t1 − a_o1)²   → {ONE['E1']:.7f}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and {1, 2} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{ONE['E1']:.7f}", f"{ONE['E1'] + 0.0001:.7f}"))
    assert 2 in blamed(slipped), "\n".join(slipped.lines())
    # a loss going down, one number to the next, is no formula's value
    assert check(tmp_path, text + f"E_total {ONE['E']:.5f} → 0.23550\n").mistakes == []
