"""The fourth blind review's false alarms, in small: each write-up here is written for its test (none
is a copy of the blind corpus) and is right as written; where it matters, a slip in it must still be
found. A line the reader reads only in part, or whose iteration it cannot tell, is skipped or warned
about, never blamed. Numbers are the course's network (i1 = 0.05, i2 = 0.1, w1…w8 = 0.15…0.55), ERA
(t1 = t2 = 0.5): a_h1 = 0.506875, a_o1 = 0.606478, E1 = 0.005669, E_total = 0.014181, ∂E_total/∂w5 =
0.012881, ∂E_total/∂w1 = 0.000317; after one step of η = 0.5 w5 = 0.393560, and at iteration 2
E_total = 0.013777 (η = 0.5); after two steps of η = 0.5 w5 = 0.387174.
"""

from tests.writeup.written import blamed, check


def test_a_left_side_read_only_in_part_is_not_blamed(tmp_path):
    # `E'(w5)` (the error's derivative by w5) was read as `(w5) = …`, then blamed: "the left side
    # should say ∂E_total/∂w5" — a name glued to what is read is notation not read: the line is unsure
    text = (
        "Given a_h1 = 0.506875 and a_o1 = 0.606478 (t1 = 0.5):\n"
        "E'(w5) = (a_o1 − t1) · a_o1 · (1 − a_o1) · a_h1 = 0.012881\n"
        "\n"
        "| gradient | chain | value |\n"
        "|---|---|---|\n"
        "| E'(w1) | ∂E_total/∂a_h1 · a_h1 · (1 − a_h1) · i1 | 0.000317 |\n"
        "\n"
        "Error(E1) = ½ (t1 − a_o1)² = 0.005669\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert 8 in result.read  # a word before a bracketed name (Error(E1)) names it: read, as before
    slipped = check(tmp_path, text.replace("= 0.005669", "= 0.008513"))
    assert set(blamed(slipped)) == {8}, "\n".join(slipped.lines())


def test_a_side_cut_where_unread_notation_goes_on_is_not_blamed(tmp_path):
    # `E1 = ½ (t1 − s_o1)²` with s_o1 a name this reader does not know was read as `E1 = ½`, the
    # bracket taken for a remark in prose — but a bracket whose text ends on an operator goes on in notation
    text = (
        "a_o1 = 0.606478, a_h1 = 0.506875\n"
        "E1 = ½ (t1 − s_o1)² = 0.005669\n"
        "E_total = E1 + E2 = 0.014181 (the sum of both)\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    assert 3 in result.read  # a remark in a bracket after a finished equation is still a remark
