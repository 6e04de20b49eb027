"""The fifth blind review's false alarms, in small: each write-up here is written for its test (none
is a copy of the blind corpus) and is right as written; where it matters, a slip in it must still be
found. Numbers are the course's network (i1 = 0.05, i2 = 0.1, w1…w8 = 0.15…0.55), ERA (t1 = t2 =
0.5): a_h1 = 0.506875, a_o1 = 0.606478, a_o2 = 0.630481, E_total = 0.014181, ∂E_total/∂w5 = 0.012881;
at iteration 2 (η = 0.5) a_h1 = 0.506865, E1 = 0.005503, E2 = 0.008275, E_total = 0.013777,
∂E_total/∂w5 = 0.012708; ∂E_total/∂a_h2 = 0.028155 at the first iteration.
"""

from tests.writeup.written import blamed, check

AGAIN = """# One step by hand (η = 0.5)

a_h1 = 0.506875, a_o1 = 0.606478
E_total = 0.014181

## Once more, with the new weights

σ(h1) = 0.506865
E_total = 0.005503 + 0.008275 = 0.013777
∂E_total/∂w5 = 0.012708
"""


def test_a_number_of_iteration_2_under_a_heading_not_read_is_not_blamed(tmp_path):
    # the second pass's numbers under a heading the reader does not take for `Iteration 2` were blamed
    # as the first iteration's, though each is its own quantity's at iteration 2
    result = check(tmp_path, AGAIN)
    assert result.mistakes == [], "\n".join(result.lines())
    assert {8, 9, 10} <= {n for n, _ in result.warnings}
    # said of the first iteration, the same number is blamed
    said = AGAIN.replace("## Once more, with the new weights", "## First iteration, again")
    assert set(blamed(check(tmp_path, said))) == {8, 9, 10}
    # and a number that is nothing at either iteration still is
    assert set(blamed(check(tmp_path, AGAIN.replace("= 0.012708", "= 0.012608")))) == {10}


def test_a_target_written_as_its_number_is_the_target(tmp_path):
    # ½(0.5 − a_o1)²: the target t1 = 0.5 written as its number was taken for a constant, and the
    # identity with E_total, held at random targets, was blamed
    text = (
        "Targets t1 = t2 = 0.5; a_o1 = 0.606478, a_o2 = 0.630481\n"
        "E_total = ½(0.5 − a_o1)² + ½(a_o2 − 0.5)² = 0.014181\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert 2 in result.read
    slipped = check(tmp_path, text.replace("½(a_o2 − 0.5)²", "½(a_o1 − 0.5)²").replace("0.014181", "0.011338"))
    assert 2 in blamed(slipped), "\n".join(slipped.lines())


def test_a_side_that_goes_on_in_notation_not_read_is_not_blamed(tmp_path):
    # `w ← w − η E'(w)` was read as `w ← w − η`, the trailing E'(w) dropped, and blamed
    text = "a_o1 = 0.606478\n\n## Then: step (w ← w − η L'(w))\n\nSo w5 ← w5 − η L'(w5) for each weight.\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert not {3, 5} & set(result.read)
    written = check(tmp_path, text.replace("L'(w5)", "∂E_total/∂w5").replace("L'(w)", "∂E_total/∂w"))
    assert 5 in written.read and written.mistakes == [], "\n".join(written.lines())


def test_a_name_after_a_factor_in_notation_not_read_is_not_its_left_side(tmp_path):
    # δ^{[2]}_1 w_6 + δ^{[2]}_2 w_8 = 0.028155 was read as `w_8 = 0.028155` — the last factor of a
    # product begun in notation not read — and blamed as ∂E_total/∂a_h2's number, not w8's
    text = "a_o1 = 0.606478\n\n$$g_2 = d^{[2]}_1 w_6 + d^{[2]}_2 w_8 = 0.028155$$\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())


def test_a_numbered_sections_heading_says_its_iteration(tmp_path):
    # `## 5. Iteration 2` was not read as a heading (the section's number before it): its lines were
    # judged at the first iteration
    numbered = AGAIN.replace("## Once more, with the new weights", "## 3. Iteration 2")
    result = check(tmp_path, numbered)
    assert result.mistakes == [], "\n".join(result.lines())
    assert not {8, 9, 10} & {n for n, _ in result.warnings}, result.warnings  # judged there, and right
    slipped = check(tmp_path, numbered.replace("σ(h1) = 0.506865", "σ(h1) = 0.506665"))
    assert set(blamed(slipped)) == {8}, "\n".join(slipped.lines())  # a number of neither iteration
