"""The fifteenth blind review's first contact (8 write-ups in Chinese, Russian, Korean, Hinglish,
German, French, Spanish and plain text, in notations of their own, written blind to the code): its
nineteen false alarms, in small. Each write-up written for its test (none a copy of the corpus);
numbers from test_review6b's `run` (the network by hand, independently of sheetgen), EVA8's targets."""

from tests.writeup.test_review6b import W, run
from tests.writeup.written import blamed, check

ONE, TWO = run(W, 0.5, 2)
G = ONE["g"]
FORWARD = f"h1 = {ONE['h1']:.4f}, a_h1 = {ONE['a_h1']:.6f}, o1 = {ONE['o1']:.6f}, a_o1 = {ONE['a_o1']:.6f}\n\n"


def test_a_tables_header_in_korean_says_its_columns(tmp_path):
    # `| 가중치 | 기울기 | 업데이트 후 |` (weight, gradient, after the update): its gradient column was read
    # as each weight's value (w1 = 0.000188 blamed)
    rows = "".join(f"| $w_{k}$ | {G[k - 1]:.9f} | {ONE['w'][k - 1]:.9f} |\n" for k in (1, 2, 5))
    text = FORWARD + "학습률 0.5 일 때:\n\n| 가중치 | 기울기 | 업데이트 후 |\n|---|---|---|\n" + rows
    result = check(tmp_path, text)
    assert result.mistakes == [] and {7, 8, 9} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{G[4]:.9f}", f"{G[5]:.9f}"))  # w6's gradient on w5's row
    assert set(blamed(slipped)) == {9}, "\n".join(slipped.lines())


def test_a_table_whose_header_is_not_understood_is_not_guessed(tmp_path):
    # three columns under words this reader does not know: which holds the weight's value is unsure
    rows = "".join(f"| w{k} | {G[k - 1]:.6f} | {ONE['w'][k - 1]:.6f} |\n" for k in (1, 5))
    result = check(tmp_path, FORWARD + "| símbolo | dato | otro |\n|---|---|---|\n" + rows)
    assert result.mistakes == [], "\n".join(result.lines())


def test_the_learning_rate_named_in_another_language_is_the_files(tmp_path):
    # `## Обновление весов (скорость обучения 0,5)`: the file's η was not read, and every step of η = 0.5
    # was "a step of η = 0.5, which the file names nowhere"
    steps = "".join(f"w{k}⁺ = {W[k - 1]} − 0,5·{G[k - 1]:.6f} = {ONE['w'][k - 1]:.6f}\n".replace(".", ",")
                    for k in (1, 5))  # fmt: skip
    for said in ("скорость обучения 0,5", "taux d'apprentissage 0,5", "tasa de aprendizaje 0,5", "学习率 0,5"):
        others = "The sheet has tabs for η = 0,1, η = 1 and η = 2 too.\n\n"  # the η it names besides
        result = check(tmp_path, FORWARD + others + f"## Update ({said})\n\n" + steps)
        assert result.mistakes == [] and {7, 8} <= set(result.read), (said, "\n".join(result.lines()))


def test_a_difference_begun_by_a_name_the_reader_does_not_know_is_not_read_in_part(tmp_path):
    # `$y_1 - t_1 = 0.596478$`, y_1 the file's name for a_o1 said in Korean: read as −t1 = 0.596478
    text = FORWARD + f"각 항의 값은 $y_1 - t_1 = {ONE['a_o1'] - 0.01:.6f}$ 입니다.\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())


def test_primed_weights_in_the_second_forward_pass_are_the_weights_after_the_step(tmp_path):
    # `h1 = w1'·i1 + w2'·i2 = 0.0274604` under `Iteración 2`: w1' read as w1 after a second step
    w = ONE["w"]
    text = FORWARD + f"w1' = {w[0]:.7f}, w2' = {w[1]:.7f}\n\n## Iteración 2\n\n"
    text += f"h1 = w1'·i1 + w2'·i2 = {TWO['h1']:.7f}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and 7 in result.read, "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("w1'·i1 + w2'·i2", "w1'·i2 + w2'·i1"))
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def test_a_restructuredtext_row_written_past_its_columns_border_is_parted_by_its_spaces(tmp_path):
    # `w_1        0,1496234887     -0,0001253493` under `=========  ===================  ====`: cut at the
    # border, its numbers were read as `-0,0` and `001253493`
    text = (FORWARD + "=====  ======  =====\nweight value   gradient\n=====  ======  =====\n"
            f"w_5    0.4   {G[4]:.10f}\n=====  ======  =====\n")  # fmt: skip
    result = check(tmp_path, text, "notes.rst")
    assert result.mistakes == [] and 6 in result.read, "\n".join(result.lines())


def test_neurons_written_as_objects_and_gradients_as_code_names_them(tmp_path):
    # `hidden1.out = sigmoid(hidden1.net)`, `grad_w8 = … * hidden1.out`, `w5 := w5 - lr * grad_w5`, a sum
    # that goes on over a line begun with `+`: 35 lines of a Hinglish README were not read at all
    a_h, a_o = (ONE["a_h1"], ONE["a_h2"]), (ONE["a_o1"], ONE["a_o2"])
    text = (
        "```\n"
        f"hidden1.net = w1*i1 + w2*i2 = {ONE['h1']:.4f}\n"
        f"hidden1.out = sigmoid(hidden1.net) = {a_h[0]:.6f}\n"
        f"output1.out = sigmoid(output1.net) = {a_o[0]:.6f}\n"
        f"grad_w8 = (output2.out - t2) * output2.out * (1 - output2.out) * hidden2.out = {G[7]:.6f}\n"
        "dE_total/d(hidden1.out) = (output1.out - t1)*output1.out*(1 - output1.out)*w5\n"
        "                        + (output2.out - t2)*output2.out*(1 - output2.out)*w7\n"
        f"w5 := w5 - lr * grad_w5 = 0.4 - 0.5 * {G[4]:.6f} = {ONE['w'][4]:.6f}\n"
        "```\n"
    )
    result = check(tmp_path, text)
    assert result.mistakes == [] and {2, 3, 4, 5, 6, 8} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace("* hidden2.out =", "* hidden1.out ="))
    assert set(blamed(slipped)) == {5}, "\n".join(slipped.lines())
    one_path = check(
        tmp_path, text.replace("                        + (output2.out - t2)*output2.out*(1 - output2.out)*w7\n", "")
    )
    assert set(blamed(one_path)) == {6}, "\n".join(one_path.lines())  # the sum over both outputs needs its + line


def test_pytorchs_printed_gradients_are_read_as_the_gradients(tmp_path):
    # `w5.grad = tensor(0.0722)`, `E_total = tensor(0.2425, grad_fn=<MulBackward0>)`: not read
    text = FORWARD + "```\n" + f"E_total = tensor({ONE['E']:.4f}, grad_fn=<MulBackward0>)\n"
    text += "".join(f"w{k}.grad = tensor({G[k - 1]:.4f})\n" for k in (5, 6, 7)) + "```\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and {4, 5, 6, 7} <= set(result.read), "\n".join(result.lines())
    assert set(blamed(check(tmp_path, text.replace(f"tensor({G[6]:.4f})", f"tensor({-G[6]:.4f})")))) == {7}


def test_a_logs_step_is_the_iteration_of_its_numbers_a_headings_is_not(tmp_path):
    # `step 3  err.total=0.1932  out1.out=0.5654`: read as the second iteration's, under a heading of it
    third = run(W, 0.5, 3)[2]
    text = FORWARD + "## Iteration 2\n\n```text\n"
    text += f"step 2  E_total={TWO['E']:.6f}  output1.out={TWO['a_o1']:.6f}\n"
    text += f"step 3  E_total={third['E']:.6f}  output1.out={third['a_o1']:.6f}\n```\n"
    result = check(tmp_path, text)
    assert result.mistakes == [], "\n".join(result.lines())
    # `Step 3: the gradients:` is a heading's step, no iteration: what it introduces is read
    steps = FORWARD + f"Step 3: the gradients:\n∂E_total/∂w5 = {G[5]:.6f}\n"
    assert set(blamed(check(tmp_path, steps))) == {4}


def test_a_table_pasted_from_a_spreadsheet_its_cells_parted_by_tabs_is_read(tmp_path):
    # `iter⇥w1⇥…⇥E_total` then a row a line, in a .txt file: not read
    rows = run(W, 0.5, 4)
    used = [W, *(r["w"] for r in rows)]  # the weights iteration k uses: those after k − 1 steps
    table = "iter\tw5\tw6\tE_total\n" + "".join(
        f"{k}\t{used[k - 1][4]:.6f}\t{used[k - 1][5]:.6f}\t{r['E']:.6f}\n" for k, r in enumerate(rows, 1)
    )
    text = FORWARD + "--- the eta 0.5 tab ---\n" + table
    result = check(tmp_path, text, "notes.txt")
    assert result.mistakes == [] and {5, 6, 7, 8} <= set(result.read), "\n".join(result.lines())
    slipped = check(tmp_path, text.replace(f"{rows[2]['E']:.6f}", f"{rows[2]['E'] + 0.001:.6f}"), "notes.txt")
    assert set(blamed(slipped)) == {7}, "\n".join(slipped.lines())


def test_the_total_error_named_in_another_language(tmp_path):
    # `∂E_общ/∂a_o₂ = a_o₂ − t₂ = 0,3595` (a sign slip): E_общ was a word glued to ∂, the line not read
    text = FORWARD + f"∂E_общ/∂a_o₂ = a_o₂ − t₂ = {ONE['a_o2'] - 0.99:.4f}\n".replace(".", ",")
    text += f"E_gesamt = E1 + E2 = {ONE['E']:.6f}\n"
    result = check(tmp_path, text)
    assert result.mistakes == [] and {3, 4} <= set(result.read), "\n".join(result.lines())
    assert set(blamed(check(tmp_path, text.replace("= -0,", "= 0,")))) == {3}
