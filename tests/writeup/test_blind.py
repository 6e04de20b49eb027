"""The blind write-ups of issue #22's review rounds, kept: each written by someone who had read none of
sheetgen's code, labelled line by line (labels.json: the equation lines a person counts, the wrong lines
and what is wrong), and scored at first contact before anything was fixed on them
(bench/score_writeups.py; docs/checking.md): precision and recall at first contact were round 3
(blind3/) 58 % and 69 %, round 4 47 % and 61 %, round 5 70 % and 57 %, round 6 72 % and 66 %, round 7
66 % and 72 %, round 8 56 % and 64 %, round 9 50 % and 67 %; round 10 (ordinary write-ups, where the
others were asked for notations a checker would not expect) 100 % and 93 %; round 11 (ordinary) 92 % and
86 %; round 12 (ordinary, in LaTeX) 100 % and 92 %; round 13 (ordinary GitHub READMEs) 70 % and 96 %;
round 14 (LaTeX) 67 % and 62 %; round 15 (seven languages, notations of their own) 46 % and 50 %; round
16 (an ordinary class of ten, scored after 13–15's fixes) 84 % and 87 %; round 17 (a class of ten, half in
LaTeX, scored after 16's) 76 % and 78 %; round 18 (a class of ten, scored on the code after 17's) 100 % and
89 %; round 19 (a class of ten, on the code after 18's) 96 % and 84 %; round 20 (a class of ten, on the code
after 19's and a first fix of weights numbered w^{(k)}) 72 % and 93 %; round 21 (a class of nine, the
same code) 78 % and 88 %; round 22 (a class of ten, on the code after 20–21's fixes) 83 % and 69 %; round
23 (a class of nine, the same code) 97 % and 86 %; round 24 (a class of ten, on the code after 22–23's
fixes) 97 % and 76 %; round 25 (a class of nine, on the code after a first pass on 24) 67 % and 73 %;
rounds 26 and 27 (classes of nine, on the code after 24–25's fixes) 90 % and 95 %, 94 % and 85 %; rounds 28
and 29 (classes of nine, on the code after 27's) 83 % and 83 %, 86 % and 90 %; round 30 (a class of nine, on
the code after 28–29's fixes) 100 % and 97 %; round 31 (the same code but a fix of subscript letters) 89 % and
76 %; rounds 32 and 33 (on the code after 31's fixes) 85 % and 95 %, 94 % and 79 %; round 34 (on the code
after 32–33's) 98 % and 95 %; round 35 (the same code) 77 % and 76 %; rounds 36 and 37 (on the code after
34–35's fixes) 100 % and 88 %, 97 % and 95 %; round 38 (an ordinary class, on the code after 36–37's and a
first fix of a loss word, `Cost = E1 + E2`) 91 % and 91 %; round 39 (LaTeX in nine styles, on the code after
38's first fixes) 87 % and 96 %; round 40 (an ordinary class, on the code after 38–39's fixes) 76 % and 86 %;
rounds 41 and 42 (an ordinary class and LaTeX in nine sources, on the code after 40's and first fixes of a
loss said in words and of a step of another η among steps of one) 98 % and 98 %, 90 % and 90 %; round 43
(an ordinary class in a hurry, on the code after 41–42's) 89 % and 100 %; rounds 44 and 46 (an ordinary
class, and one of unusual habits, on the code after 41–43's) 78 % and 94 %, 61 % and 76 %; round 45 (LaTeX in
nine sources, on the code after 44's and 46's first fixes) 79 % and 79 %; rounds 47–49 (an ordinary class, LaTeX in
nine sources, habits of their own; on the code after 44–46's fixes) 90 % and 95 %, 84 % and 88 %, 62 % and 87 %;
rounds 50–52 (an ordinary class, LaTeX in nine sources, habits of their own; on the code after 47–49's fixes and
first fixes of numbers under braces) 100 % and 81 %, 96 % and 85 %, 88 % and 75 %; rounds 53–55 (the same three
kinds, on the code after 50–52's fixes) 86 % and 89 %, 95 % and 90 %, 86 % and 62 %; rounds 56–58 (an ordinary
class, LaTeX in nine sources, habits of their own, on the code after 53–55's fixes; their writers checked each
wrong line, not each right one, against their computed values) 100 % and 97 %, 74 % and 86 %, 100 % and 72 %;
round 59 (habits of their own again, a second class written for round 58's prompt, the same code) 94 % and 69 %.

What they hold now, after the fixes each round's review led to, is pinned here: no line labelled right
is ever blamed, and every wrong line is found but those listed below (not yet read, or read and unsure:
a number right at another η the file names; a rounded number carried, within its rounding)."""

import json
from pathlib import Path

import pytest

from sheetgen import writeup

HERE = Path(__file__).parent
ROUNDS = {  # wrong lines not yet found, by round
    "blind3": set(),
    "blind4": set(),
    "blind5": {("farhan_README.md", 75), ("hiro_README.md", 59)},
    "blind6": {("04_retropropagation.tex", 37), ("04_retropropagation.tex", 38), ("10_sheet_tables.md", 86)},
    "blind7": set(),
    "blind8": {("08_matrix_indices.tex", 26), ("08_matrix_indices.tex", 37),
               ("09_two_iterations_table.md", 41), ("09_two_iterations_table.md", 50),
               ("09_two_iterations_table.md", 52), ("10_backprop_page.html", 13), ("10_backprop_page.html", 15)},
    "blind9": {("Assignment6_Part1_README.md", 42), ("TSAI_S6_backprop_README.md", 23), ("backprop_notes.txt", 20),
               ("backprop_notes.txt", 30)},
    "blind10": set(),
    "blind11": set(),
    "blind12": set(),
    "blind13": {("08_report.html", 74)},
    "blind14": {("01_report.tex", 100), ("03_notes.tex", 42), ("03_notes.tex", 93), ("07_README.md", 92)},
    "blind15": {("02_README.md", 116)},
    "blind16": {("01_README.md", 92)},
    "blind17": {("sub05_report.tex", 79), ("sub10_backprop.html", 71)},
    "blind18": set(),
    "blind19": {("03_notes.txt", 38), ("03_notes.txt", 45)},
    "blind20": set(),
    "blind21": {("bp_cheatsheet.txt", 22), ("bp_cheatsheet.txt", 28)},
    "blind22": {("s10_README.md", 51), ("s10_README.md", 57), ("s10_README.md", 58)},
    "blind23": {("sheet_copy_lr05.txt", 43)},
    "blind24": {("README_id.md", 92), ("README_uk.md", 112), ("backprop_notes.md", 41), ("backprop_notes.md", 48),
                ("backprop_notes.md", 59), ("session6_report.md", 67), ("writeup.txt", 68),
                ("writeup.txt", 78)},
    "blind25": {("chen_backprop_mathjax.html", 65), ("dmitri_backprop.rst", 70), ("dmitri_backprop.rst", 76),
                ("kofi_two_iterations.md", 37), ("kofi_two_iterations.md", 41),
                ("kofi_two_iterations.md", 45)},
    "blind26": set(),
    "blind27": {("09_README_hinglish.md", 101)},
    "blind28": {("S4_backprop_layers.md", 45), ("backprop_writeup.txt", 60), ("backprop_writeup.txt", 61),
                ("backprop_writeup.txt", 67), ("training_tables.md", 49)},
    "blind29": {("04_README.md", 103)},
    "blind30": set(),
    "blind31": {("backprop.ipynb", 295)},
    "blind32": {("hiro_notes.txt", 83)},
    "blind33": {("06_backprop.rst", 133), ("06_backprop.rst", 137), ("07_README.txt", 52)},
    "blind34": {("s05_notes.txt", 82), ("s06_README_es.md", 68)},
    "blind35": {("09_fatima_README.md", 55)},
    "blind36": {("02_README_kabir.md", 103), ("04_README_tom.md", 70),
                ("09_README_lucia_es.md", 98)},
    "blind37": set(),
    "blind38": set(),
    "blind39": {("06_backprop.Rmd", 84)},
    "blind40": set(),
    "blind41": set(),
    "blind42": {("01_github_readme.md", 98), ("07_codecogs_readme.md", 93)},
    "blind43": set(),
    "blind44": {("README_rahul_hinglish.md", 102)},
    "blind45": {("07_README.md", 65), ("09_README_vectorised.md", 55), ("09_README_vectorised.md", 78),
                ("09_README_vectorised.md", 86)},
    "blind46": {("sentences.md", 59)},
    "blind47": {("02_README.md", 114), ("06_README.md", 50)},
    "blind48": {("backprop_by_hand.ipynb", 249), ("README_math_fences.md", 97)},
    "blind49": {("02_prose_explainer.md", 27), ("02_prose_explainer.md", 37), ("02_prose_explainer.md", 41),
                ("05_chain_rule_fractions.md", 54)},
    "blind50": set(),
    "blind51": {("README_matrix.md", 64)},
    "blind52": {("rahul_backprop_explained.md", 62)},
    "blind53": {("s06_README.md", 78), ("s06_README.md", 79)},
    "blind54": set(),
    "blind55": {("02_prose_walkthrough.md", 27), ("02_prose_walkthrough.md", 52), ("02_prose_walkthrough.md", 79)},
    "blind56": {("s9_README.md", 102)},
    "blind57": {("README.md", 100), ("README.md", 106), ("README_matrix.md", 56), ("backprop_era.qmd", 50)},
    "blind58": {("02_prose_walkthrough.md", 36), ("04_glossary_shortnames.md", 46), ("04_glossary_shortnames.md", 49),
                ("04_glossary_shortnames.md", 50), ("06_learning_rates.md", 11), ("08_cheatsheet.txt", 12),
                ("08_cheatsheet.txt", 14), ("08_cheatsheet.txt", 23)},
    "blind59": {("A_sheet_paste_README.md", 58), ("A_sheet_paste_README.md", 67), ("A_sheet_paste_README.md", 71),
                ("B_prose_notes.txt", 49), ("B_prose_notes.txt", 58), ("B_prose_notes.txt", 77),
                ("D_glossary_writeup.md", 70), ("D_glossary_writeup.md", 77), ("D_glossary_writeup.md", 81),
                ("D_glossary_writeup.md", 86), ("F_learning_rate_comparison.md", 44), ("H_cheatsheet.md", 22),
                ("H_cheatsheet.md", 45)},
}  # fmt: skip
# False alarms not yet mended, said here so that each is seen (the test fails once one goes, to strike it)
# round 57, at first contact (its writer re-read its wrong lines, not each right one): an array table's δ_1, δ_2 the
# outputs' deltas (read as the hidden ones'), `w_5 … w_8 = 0.07216, …` a list of gradients under their heading
# (read as weights), and three losses of later rows in prose (`E_total = 0.23550`, `L = 0.01292`) taken for the first
KNOWN_FALSE: dict[tuple[str, str], list[int]] = {
    ("blind57", "README_iterations.md"): [21, 25, 27, 48, 49, 51],
    ("blind57", "report.tex"): [95],
    ("blind57", "backprop.html"): [89],
    ("blind57", "backprop_era.qmd"): [105],
    ("blind59", "B_prose_notes.txt"): [66],  # (round 59's two, at first contact: not yet looked into)
    ("blind59", "G_bilingual_README.md"): [85],
}


# the inner loop (`make test-fast`) judges the latest rounds; `make test` (CI) every one: 330-odd write-ups
# took 43 s of the fast tier's CPU, which has a minute on two cores
LATEST = 4


def _cases():
    for k, folder in enumerate(ROUNDS):
        marks = [pytest.mark.corpus] if k < len(ROUNDS) - LATEST else []
        for name in json.loads((HERE / folder / "labels.json").read_text(encoding="utf-8")):
            yield pytest.param(folder, name, marks=marks)


@pytest.mark.parametrize("folder, name", list(_cases()))
def test_a_blind_write_up_is_judged_as_labelled(folder, name):
    label = json.loads((HERE / folder / "labels.json").read_text(encoding="utf-8"))[name]
    wrong = {int(n) for n in label["wrong"]}
    result = writeup.check(HERE / folder / name)
    blamed = {m.line for m in result.mistakes}
    assert sorted(blamed - wrong) == KNOWN_FALSE.get((folder, name), []), "false alarms"
    missed = {n for f, n in ROUNDS[folder] if f == name}
    assert sorted(wrong - blamed - missed) == [], "wrong lines missed"
    assert sorted(missed & blamed) == [], "found now: strike them from ROUNDS"  # (so the list cannot go stale)
