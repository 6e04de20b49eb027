"""sheetgen class and check --class: a teacher's round trip, at the command line.

A roster of five gets its exercises, keys and class.json; then the submissions a teacher gets back
(keys, a key with a slip, two copies of one key, a student's filled-in exercise under another
student's file name, the common sheet, a near miss) are graded in one `check --class` run.
"""

import csv
import io
import json
import re
import zipfile
from contextlib import redirect_stdout
from pathlib import Path

import openpyxl
import pytest

from sheetgen import classroom, cli, writeup
from sheetgen.build import workbook
from sheetgen.check import verify
from sheetgen.model import names, reference, spec
from sheetgen.xlsx import reader
from tests import handmade
from tests.conftest import edit_sheets, need_libreoffice, replace_formula, set_cell_value
from tests.writeup.test_writeup import by_hand

ROSTER = "id,name\ns01,Ann\ns02,Bo\ns03,Cy\ns04,Di\ns05,Ed\n"
IDS = ["s01", "s02", "s03", "s04", "s05"]
SEED = "2024"
SMALL = """description = "a small class template"
output = "small.xlsx"
iterations = 4
learning_rates = [0.5, 2.0]

[network]
layers = [2, 2, 2]
inputs = [0.05, 0.10]
targets = [0.5, 0.5]
weights = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
"""


def run(capsys, *argv):
    try:
        code = cli.main([str(a) for a in argv])
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def klass(tmp_path_factory) -> Path:
    """The class of five, from the default template, as `sheetgen class` writes it."""
    where = tmp_path_factory.mktemp("class")
    (where / "roster.csv").write_text(ROSTER)
    assert cli.main(["class", str(where / "roster.csv"), "-o", str(where / "class"), "--seed", SEED, "-q"]) == 0
    return where / "class"


def students(folder: Path) -> dict[str, dict[str, float]]:
    record = json.loads((folder / "class.json").read_text())
    return {s["id"]: s["params"] for s in record["students"]}


def test_a_roster_of_five_gets_exercises_keys_and_five_different_sets_of_numbers(klass):
    assert sorted(p.name for p in klass.iterdir()) == ["class.json", "exercises", "keys"]
    for kind in ("exercises", "keys"):
        assert sorted(p.name for p in (klass / kind).iterdir()) == [f"{i}.xlsx" for i in IDS]
    record = json.loads((klass / "class.json").read_text())
    assert record["seed"] == int(SEED) and [s["columns"] for s in record["students"]] == [
        {"name": n} for n in ("Ann", "Bo", "Cy", "Di", "Ed")
    ]
    params = students(klass)
    sets = {tuple(p.values()) for p in params.values()}
    assert len(sets) == 5
    era = spec.load("era")
    for sid, p in params.items():
        assert list(p) == ["i1", "i2", "t1", "t2", *[f"w{k}" for k in range(1, 9)]]
        values = list(p.values())
        assert len(set(values)) == 12  # all different
        assert all(0.05 <= x <= 0.95 and round(x, 2) == x for x in values)
        # the key holds the same numbers, in its named cells
        key = reader.read(klass / "keys" / f"{sid}.xlsx")
        tab = key.sheet("LR 0.1")
        assert {q: tab.value(*tab.names[names.defined(q)]) for q in p} == p
        # and trains sensibly: on every learning rate E_total falls at every step, from 0.01 or more
        s = classroom.with_params(era, p)
        for eta in era.learning_rates:
            e = reference.run(s, eta)[names.E_TOTAL]
            assert e[0] >= 0.01 and all(b < a for a, b in zip(e, e[1:])), (sid, eta)


NUMBER = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?")


def answers_in(path: Path, answers: list[float]) -> list[str]:
    """Where a formula, a chart, a note, or any of `answers` (to six significant digits, however many
    the file keeps) shows anywhere in the file: every part of the zip, read as text."""
    wanted = {f"{x:.6g}" for x in answers}
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8", "replace")
            if re.search(r"<f[ >]", text) or re.search(r"chart|comment|drawing|calcChain", name):
                found.append(f"{name}: formulas, a chart or notes")
            if hit := {f"{float(n):.6g}" for n in NUMBER.findall(text)} & wanted:
                found.append(f"{name}: {min(hit)}")
    return found


def test_exercises_hold_no_answers_anywhere(klass):
    params = students(klass)
    for sid in IDS:
        exercise, key = klass / "exercises" / f"{sid}.xlsx", klass / "keys" / f"{sid}.xlsx"
        # every number the key computes (its cached results: forward pass, losses, gradients, updates,
        # the Summary and the Derivation), with at least four significant digits
        cached = [v for s in reader.read(key).sheets for f, v in s.cells.values() if f is not None]
        answers = {v for v in cached if isinstance(v, float) and len(f"{abs(v):.6g}".strip("0.")) >= 4}
        assert len(answers) > 10_000
        assert answers_in(exercise, answers) == [], sid
        assert answers_in(key, answers)  # the search does find them where they are
        book = reader.read(exercise)
        assert [s.name for s in book.sheets] == ["LR 0.1", "LR 0.2", "LR 0.5", "LR 0.8", "LR 1.0", "LR 2.0"]
        given = set(params[sid].values()) | {0.1, 0.2, 0.5, 0.8, 1.0, 2.0} | {1}
        for sheet in book.sheets:
            numbers = {v for f, v in sheet.cells.values() if not isinstance(v, str)}
            assert numbers <= given and all(f is None for f, _ in sheet.cells.values())
            # the first row holds the iteration number and the initial weights, nothing else
            assert [sheet.value(17, c) for c in range(9)] == [1, *(params[sid][f"w{k}"] for k in range(1, 9))]
            assert all(c < 9 for r, c in sheet.cells if r > 16 and r != 16)
            assert max(r for r, _ in sheet.cells) == 17 and book.names == {} and sheet.names == {}
        assert book.charts == []


# the backward pass through the hidden layer, as sheetgen's layout has a column for it
RULES = handmade.RULES | {
    "∂E_total/∂a_h1": "=({a_o1}-{t1})*{a_o1}*(1-{a_o1})*{w5}+({a_o2}-{t2})*{a_o2}*(1-{a_o2})*{w7}",
    "∂E_total/∂a_h2": "=({a_o1}-{t1})*{a_o1}*(1-{a_o1})*{w6}+({a_o2}-{t2})*{a_o2}*(1-{a_o2})*{w8}",
}


def _fill_in(exercise: Path, dst: Path, tabs: int, rows: int) -> None:
    """A student's work: the exercise's first `tabs` tabs filled in with formulas, `rows` iterations,
    in the seeds' equations (tests/handmade.py), referencing the parameter block; saved by openpyxl."""
    wb = openpyxl.load_workbook(exercise)
    for ws in wb.worksheets[:tabs]:
        header = [c.value for c in ws[17]]
        layout = handmade.Layout(
            name="exercise",
            sheet=ws.title,
            header_row=17,
            columns=[({v: k for k, v in handmade.GRAD.items()}.get(h, h), h) for h in header],
            block={"i1": ("A2", "i1"), "i2": ("A3", "i2"), "t1": ("A4", "t1"), "t2": ("A5", "t2"), "eta": ("A14", "η")},
        )  # fmt: skip
        for n in range(rows):
            r = 18 + n
            ws.cell(r, 1, n + 1)
            for c, (q, _) in enumerate(layout.columns[1:], 2):
                if not (q.startswith("w") and n == 0):  # the first row's weights are the exercise's own
                    ws.cell(r, c, handmade.resolve(layout, RULES[q], r))
    wb.save(dst)


@pytest.fixture(scope="module")
def graded(klass, tmp_path_factory):
    """What a teacher gets back, graded in one `check --class … --csv` run: (exit status, stdout, CSV rows)."""
    need_libreoffice()
    sub = tmp_path_factory.mktemp("submissions")
    keys = klass / "keys"
    (sub / "a.xlsx").write_bytes((keys / "s01.xlsx").read_bytes())
    # s02's own work, filled in from the exercise, handed in under another student's name
    _fill_in(klass / "exercises" / "s02.xlsx", sub / "s05.xlsx", tabs=2, rows=12)

    # s03's key with a slip planted in 'LR 0.1' (sheet2): ∂E_total/∂w5 with a_h2 where a_h1 belongs,
    # its results removed (as openpyxl saves a file), so the slip is in the values too
    def slip(xml):
        return replace_formula(xml, "(O18-t_1)*O18*(1-O18)*K18", "(O18-t_1)*O18*(1-O18)*M18")

    edit_sheets(keys / "s03.xlsx", sub / "slip.xlsx", slip, "2")
    edit_sheets(sub / "slip.xlsx", sub / "c.xlsx", lambda xml: re.sub(r"(</f>)<v>[^<]*</v>", r"\1", xml))
    (sub / "slip.xlsx").unlink()
    for name in ("d.xlsx", "e.xlsx"):  # two copies of s04's key
        (sub / name).write_bytes((keys / "s04.xlsx").read_bytes())
    # the course's common sheet: the template's own numbers
    assert cli.main(["build", "-q", "--iterations", "5", "-o", str(sub / "u.xlsx")]) == 0
    # s01's key with w1 retyped 0.01 higher on every tab (B6, named w_1), results removed
    w1 = students(klass)["s01"]["w1"]
    edit_sheets(keys / "s01.xlsx", sub / "v.xlsx",
                lambda xml: re.sub(r"(</f>)<v>[^<]*</v>", r"\1", set_cell_value(xml, "B6", round(w1 + 0.01, 2))),
                "[2-7]")  # fmt: skip
    files = sorted(sub.iterdir())
    out_csv = sub.parent / "grades.csv"
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = cli.main(["check", "-q", "--class", str(klass), *map(str, files), "--csv", str(out_csv)])
    with out_csv.open(newline="") as f:
        rows = list(csv.reader(f))
    return code, buffer.getvalue(), rows, {f.name: str(f) for f in files}


def _by_file(rows):
    header, *body = rows
    return {Path(r[0]).name if r[0] else f"({r[1]})": dict(zip(header, r)) for r in body}


@pytest.mark.libreoffice
def test_csv_has_the_columns_and_one_row_per_file_then_each_missing_student(graded):
    code, _, rows, files = graded
    assert rows[0] == ["file", "student", "verdict", "first_mistake", "code", "note"]
    assert [r[0] for r in rows[1 : 1 + len(files)]] == list(files.values())  # in the order given
    assert rows[1 + len(files) :] == [["", "s05", "no submission", "", "", ""]]
    assert code == 1  # a mistake, duplicates and unknown variants found


@pytest.mark.libreoffice
def test_keys_are_right_and_a_planted_mistake_is_named(graded):
    rows = _by_file(graded[2])
    a = rows["a.xlsx"]
    assert (a["student"], a["verdict"], a["first_mistake"]) == ("s01", "right", "")
    c = rows["c.xlsx"]
    assert (c["student"], c["verdict"]) == ("s03", "wrong")
    assert c["first_mistake"] == "∂E_total/∂w5 at 'LR 0.1'!AA18: uses a_h2 (M18) where a_h1 (K18) belongs"
    assert (a["code"], c["code"]) == ("", "swap-reference")
    assert c["note"] == "1 wrong quantity in 1 of 6 tables"


@pytest.mark.libreoffice
def test_the_student_is_named_by_the_numbers_in_the_file_not_its_name(graded):
    s05 = _by_file(graded[2])["s05.xlsx"]  # s02's filled-in exercise
    assert (s05["student"], s05["verdict"], s05["first_mistake"]) == ("s02", "right", "")
    assert s05["note"].startswith("no table for η 0.5, 0.8, 1, 2; no chart of E_total: LR 0.1, LR 0.2")


@pytest.mark.libreoffice
def test_two_copies_of_one_key_are_both_duplicates(graded):
    _, out, rows, files = graded
    rows = _by_file(rows)
    for name, other in (("d.xlsx", "e.xlsx"), ("e.xlsx", "d.xlsx")):
        assert (rows[name]["student"], rows[name]["verdict"]) == ("s04", "duplicate")
        assert rows[name]["note"] == f"s04's numbers, as in {files[other]}; the sheet itself: right"
    assert f"{files['d.xlsx']}: RIGHT" in out
    assert f"  student s04: DUPLICATE: s04's numbers, as in {files['e.xlsx']}" in out


@pytest.mark.libreoffice
def test_numbers_no_student_has_are_an_unknown_variant(graded):
    rows = _by_file(graded[2])
    u, v = rows["u.xlsx"], rows["v.xlsx"]
    assert (u["student"], u["verdict"]) == ("", "unknown variant")
    assert u["note"].startswith("the template's own numbers, not a student's (every table); the sheet itself: right")
    assert (v["student"], v["verdict"]) == ("", "unknown variant")
    assert re.match(r"no student's numbers; nearest s01: w1 = 0\.\d\d here, 0\.\d\d in the key \(every table\)",
                    v["note"]), v["note"]  # fmt: skip


@pytest.mark.libreoffice
def test_a_student_with_no_submission_is_listed(graded):
    _, out, rows, _ = graded
    assert out.rstrip().endswith("no submission from 1 of 5 students: s05")
    assert _by_file(rows)["(s05)"]["verdict"] == "no submission"


def test_every_key_graded_is_right_and_named(klass, capsys, tmp_path):
    keys = [klass / "keys" / f"{sid}.xlsx" for sid in IDS]
    code, out, _ = run(capsys, "check", "-q", "--class", klass, *keys, "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(d["student"], d["class_verdict"], d["verdict"]) for d in lines] == [
        (sid, "right", "right") for sid in IDS
    ]


def test_same_roster_and_seed_give_byte_identical_files(tmp_path, capsys):
    (tmp_path / "roster.txt").write_text("s01\ns02\n\ns03\n")
    (tmp_path / "small.toml").write_text(SMALL)

    def make(folder, *more):
        return run(capsys, "class", tmp_path / "roster.txt", tmp_path / "small.toml", "-o", tmp_path / folder, *more)

    assert make("one", "--seed", "5")[0] == 0 and make("two", "--seed", "5")[0] == 0
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert len(files) == 7
    for f in files:
        assert (tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes(), f
    # written again into its own folder, without --seed: the folder's seed, the same bytes
    before = {f: (tmp_path / "one" / f).read_bytes() for f in files}
    code, out, _ = make("one")
    assert code == 0 and "class seed 5;" in out
    assert all((tmp_path / "one" / f).read_bytes() == data for f, data in before.items())
    # another seed draws other numbers; into the same folder it is refused: they were handed out
    assert make("three", "--seed", "6")[0] == 0
    assert students(tmp_path / "three") != students(tmp_path / "one")
    code, _, err = make("one", "--seed", "6")
    assert code == 2 and "drawn with --seed 5" in err
    assert all((tmp_path / "one" / f).read_bytes() == data for f, data in before.items())


def test_a_student_added_later_leaves_everyone_elses_numbers(tmp_path):
    (tmp_path / "five.txt").write_text("\n".join(IDS))
    (tmp_path / "six.txt").write_text("\n".join(["s00", *IDS]))
    era = spec.load("era")
    five = classroom.plan(tmp_path / "five.txt", era, tmp_path / "a", 9)
    six = classroom.plan(tmp_path / "six.txt", era, tmp_path / "b", 9)
    assert [s.params for s in five.students] == [s.params for s in six.students[1:]]
    assert not (tmp_path / "a").exists()  # a plan writes nothing


BAD_ROSTERS = [
    pytest.param("roster.csv", "name,email\nAnn,ann@example.org\n", "no 'id' column (its columns: name, email)",
                 id="no-id-column"),
    pytest.param("roster.txt", "s01\ns02\nS01\n", "line 3: id 'S01' is already on line 1", id="duplicate-ids"),
    pytest.param("roster.csv", "id,name\ns01,Ann\ns01,Bo\n", "line 3: id 's01' is already on line 2",
                 id="duplicate-csv"),
    pytest.param("roster.txt", "", "no students", id="empty"),
    pytest.param("roster.csv", "id,name\n", "no students", id="header-only"),
    pytest.param("roster.txt", "s01\n../s02\n", "line 2: id '../s02' cannot name a file", id="path-in-id"),
    pytest.param("roster.csv", "id,name\n,Ann\n", "line 2: empty id", id="empty-id"),
    pytest.param("missing.txt", None, "cannot read the roster", id="no-such-file"),
]  # fmt: skip


@pytest.mark.parametrize("name, text, message", BAD_ROSTERS)
def test_a_bad_roster_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, name, text, message):
    if text is not None:
        (tmp_path / name).write_text(text)
    code, out, err = run(capsys, "class", tmp_path / name, "-o", tmp_path / "class", "--seed", "1")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"sheetgen: error: {tmp_path / name}: ") and message in err
    assert not (tmp_path / "class").exists()


def test_folders_and_files_that_are_not_ours_are_left_alone(tmp_path, capsys):
    (tmp_path / "roster.txt").write_text("s01\n")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("the teacher's notes")
    code, _, err = run(capsys, "class", tmp_path / "roster.txt", "-o", mine, "--seed", "1")
    assert code == 2 and "is not a class folder written by sheetgen class" in err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    # check --class on a folder that is not a class; --csv onto the teacher's own file
    code, _, err = run(capsys, "check", "--class", mine, tmp_path / "roster.txt")
    assert code == 2 and err.count("\n") == 1 and "no class.json" in err
    grades = tmp_path / "grades.csv"
    grades.write_text("name,mark\nAnn,A\n")
    code, out, err = run(capsys, "check", tmp_path / "roster.txt", "--csv", grades)
    assert code == 2 and out == "" and "not a CSV sheetgen check wrote" in err
    assert grades.read_text() == "name,mark\nAnn,A\n"


def test_a_template_no_numbers_train_sensibly_on_is_refused(tmp_path, capsys):
    """A linear net stepping with η = 50 overshoots whatever its numbers: every draw is rejected."""
    (tmp_path / "roster.txt").write_text("s01\n")
    wild = SMALL.replace("[0.5, 2.0]", "[50.0]").replace("[2, 2, 2]", '[2, 2, 2]\nactivation = "linear"')
    (tmp_path / "wild.toml").write_text(wild)
    code, _, err = run(capsys, "class", tmp_path / "roster.txt", tmp_path / "wild.toml", "-o", tmp_path / "c")
    assert code == 2 and "no numbers in [0.05, 0.95] train sensibly" in err and "most often: E_total rises" in err
    assert not (tmp_path / "c").exists()


@pytest.mark.libreoffice
def test_what_is_the_lesson_stays_the_templates(tmp_path, capsys):
    """Cross-entropy's targets are a distribution: kept (a drawn 0.37, 0.81 is no target a softmax can
    reach); XOR's four samples are the lesson: kept, only its weights and biases drawn. Every key is
    proven by LibreOffice and graded to its student."""
    need_libreoffice()
    (tmp_path / "roster.csv").write_text(ROSTER)
    templates = {
        "ce": spec.load("era").with_overrides(loss="cross_entropy", targets=[[0, 1]], iterations=6),
        "xor": spec.load("xor").with_overrides(iterations=6, learning_rates=[2.0]),
    }
    keys = []
    for name, template in templates.items():
        out = tmp_path / name
        plan = classroom.plan(tmp_path / "roster.csv", template, out, seed=7)
        classroom.write(plan)
        drawn = students(out)
        if name == "ce":
            assert all(set(p) == {"i1", "i2", *(f"w{k}" for k in range(1, 9))} for p in drawn.values()), drawn
        else:
            assert all(set(p) == {*(f"w{k}" for k in range(1, 7)), "b1", "b2", "b3"} for p in drawn.values()), drawn
        for sid in IDS:
            key = out / "keys" / f"{sid}.xlsx"
            own = classroom.with_params(template, drawn[sid])
            kept = (own.targets == template.targets) if name == "ce" else (own.data() == template.data())
            assert kept and own.weights[0] == drawn[sid]["w1"]
            if name == "ce":  # t1, t2 beside their labels in the key, as the template has them
                sheet = reader.read(key).sheet(workbook.sheet_name(template.learning_rates[0]))
                assert [sheet.value(r, 1) for r in (3, 4)] == [0, 1], [sheet.value(r, 0) for r in (3, 4)]
            keys.append(key)
        code, out_text, _ = run(capsys, "check", "-q", "--class", out, *keys[-len(IDS) :], "--json")
        graded = [json.loads(line) for line in out_text.splitlines()]
        assert code == 0 and [(d["student"], d["class_verdict"]) for d in graded] == [(s, "right") for s in IDS]
    reports = verify.verify(keys)
    assert all(r.ok for r in reports), [line for r in reports for t in r.tabs for line in t.lines()]


def test_an_exercise_handed_in_blank_is_its_students_and_said_so(klass, tmp_path, capsys):
    """A blank exercise names its student (sheetgen wrote the id in it), so they are not listed as
    having handed in nothing, and it is no duplicate of their other file. Without the property that
    says it is an exercise, the same file is a header with no rows under it, said once for all its tabs."""
    blank, key = tmp_path / "blank.xlsx", tmp_path / "key.xlsx"
    blank.write_bytes((klass / "exercises" / "s03.xlsx").read_bytes())
    key.write_bytes((klass / "keys" / "s03.xlsx").read_bytes())
    out_csv = tmp_path / "grades.csv"
    code, out, err = run(capsys, "check", "-q", "--class", klass, blank, key, "--csv", out_csv)
    assert (code, err) == (2, "")  # a file with no table could not be checked
    assert out.startswith(f"{blank}: NO TABLE: an exercise of sheetgen class (student s03: a 2-2-2 sigmoid "
                          "network with your own inputs, targets and initial weights) with nothing filled in\n"
                          "  student s03\n")  # fmt: skip
    with out_csv.open(newline="") as f:
        rows = [r[:3] + r[5:] for r in csv.reader(f)][1:]  # file, student, verdict, note
    assert rows == [
        [str(blank), "s03", "no table", "s03's exercise as it was handed out: nothing filled in"],
        [str(key), "s03", "right", ""],
        *[["", s, "no submission", ""] for s in ("s01", "s02", "s04", "s05")],
    ]
    unmarked = tmp_path / "unmarked.xlsx"
    with zipfile.ZipFile(blank) as zin, zipfile.ZipFile(unmarked, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item, data.replace(classroom.EXERCISE.encode(), b"x") if "custom" in item.filename else data)
    code, out, _ = run(capsys, "check", "-q", unmarked)
    tabs = ", ".join(repr(workbook.sheet_name(eta)) for eta in spec.load("era").learning_rates)
    assert (code, out) == (2, f"{unmarked}: NO TABLE: {tabs} row 17 names the quantities, but no row under it "
                              "holds numbers\n")  # fmt: skip


def write_up(p: dict[str, float], state: str = "itw", a_o2_as_o2: bool = False) -> str:
    """A student's write-up of their own numbers `p`: the given values of the kinds `state` says (i, t, w)
    in a list and a table, then numbers worked out by hand (a_o2 given o2's value to plant a slip), and
    identities."""
    w = [p[f"w{k}"] for k in range(1, 9)]
    v = by_hand(p["i1"], p["i2"], p["t1"], p["t2"], w)
    lines = [f"- {q} = {p[q]}" for q in ("i1", "i2", "t1", "t2") if q[0] in state]
    if "w" in state:
        lines += ["", "| weight | initial value |", "|---|---|", *[f"| w{k} | {x} |" for k, x in enumerate(w, 1)], ""]
    a_o2 = v["o2"] if a_o2_as_o2 else v["a_o2"]
    lines += [f"h1 = w1*i1 + w2*i2 = {v['h1']:.4f}", f"a_o1 = {v['a_o1']:.4f}, a_o2 = {a_o2:.4f}",
              f"E_total = {v['E_total']:.5f}", "E2 = ½(t2 − a_o2)²"]  # fmt: skip
    return "\n".join(lines) + "\n"


def test_check_class_names_a_write_ups_student_by_the_numbers_it_states(tmp_path, capsys):
    (tmp_path / "roster.txt").write_text("s01\ns02\ns03\ns04\n")
    (tmp_path / "small.toml").write_text(SMALL)
    folder = tmp_path / "class"
    assert run(capsys, "class", tmp_path / "roster.txt", tmp_path / "small.toml", "-o", folder, "--seed", "3")[0] == 0
    p = students(folder)
    sub = tmp_path / "sub"
    sub.mkdir()
    era = spec.load("era")
    era = dict(zip(classroom.labels(era), [*era.inputs, *era.targets, *era.weights]))
    texts = {
        "ann.md": write_up(p["s01"]),
        "bo.md": write_up(p["s02"], a_o2_as_o2=True),  # one wrong number
        "bo-copy.md": write_up(p["s02"], a_o2_as_o2=True),
        "cy.md": write_up(p["s03"], state="w", a_o2_as_o2=True),  # the weights only: enough to name s03
        "prose.md": "h1 = w1*i1 + w2*i2\nE2 = ½(t2 − a_o1)²\n",  # no given value
        "common.md": write_up(era),  # the template's own numbers
    }
    for name, text in texts.items():
        (sub / name).write_text(text, encoding="utf-8")
    files = [sub / name for name in texts] + [folder / "keys" / "s01.xlsx"]  # s01's workbook, beside her write-up
    code, out, _ = run(capsys, "check", "-q", "--class", folder, *files, "--csv", tmp_path / "grades.csv")
    assert code == 1
    rows = {Path(r["file"]).name: r for r in csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8"))}
    cols = ("student", "verdict", "first_mistake", "note")
    assert tuple(rows["ann.md"][c] for c in cols) == ("s01", "right", "", "")
    assert tuple(rows["s01.xlsx"][c] for c in cols[:2]) == ("s01", "right")  # a workbook and a write-up: no duplicate
    o2, a_o2 = (by_hand(p["s02"]["i1"], p["s02"]["i2"], p["s02"]["t1"], p["s02"]["t2"],
                        [p["s02"][f"w{k}"] for k in range(1, 9)])[q] for q in ("o2", "a_o2"))  # fmt: skip
    # line 18: after 4 given values listed, the table block's 12 lines and h1's; 17 equations: 12 given
    # values, h1, a_o1, a_o2, E_total, E2
    slip = f"line 18: a_o2: {o2:.4f} is o2 at the first iteration, not a_o2 ({a_o2:.4f})"
    for name, other in (("bo.md", "bo-copy.md"), ("bo-copy.md", "bo.md")):
        assert tuple(rows[name][c] for c in cols[:3]) == ("s02", "duplicate", slip)
        note = f"s02's numbers, as in {sub / other}; the write-up itself: wrong; 1 wrong of 17 equations checked"
        assert rows[name]["note"] == note
    cy = rows["cy.md"]  # judged on s03's inputs and targets, which it does not state: o2 for a_o2 found
    assert (cy["student"], cy["verdict"]) == ("s03", "wrong") and cy["first_mistake"].startswith("line 14: a_o2: ")
    assert tuple(rows["prose.md"][c] for c in cols) == (
        "", "wrong", "line 2: E2: uses a_o1 where a_o2 belongs — seed 001 writes E2 = ½(t2 − a_o1)²",
        "1 wrong of 2 equations checked; no student named: it states no given values (i1 = …, t1 = …, w1 = …)",
    )  # fmt: skip
    assert (rows["common.md"]["student"], rows["common.md"]["verdict"]) == ("", "unknown variant")
    assert rows["common.md"]["note"] == "the template's own numbers, not a student's; the write-up itself: right"
    assert f"{sub / 'ann.md'}: RIGHT: none wrong of 17 equations checked (numbers checked against student s01's" in out
    assert "  no student named: it states no given values" in out and "no submission from 1 of 4 students: s04" in out
    # each wrong line is a finding with its code, judged on the student's numbers the class gives
    on = classroom.load(folder).writeups()
    found = {name: [(m.line, m.quantity, m.code) for m in writeup.check(sub / name, on).mistakes]
             for name in ("ann.md", "bo.md", "cy.md", "prose.md")}  # fmt: skip
    assert found == {"ann.md": [], "bo.md": [(18, "a_o2", "wrong-number")], "cy.md": [(14, "a_o2", "wrong-number")],
                     "prose.md": [(2, "E2", "swap-reference")]}  # fmt: skip
    # without the class, the weights alone fix no network: cy.md's numbers are not judged, its o2 not found
    code, out, _ = run(capsys, "check", "-q", sub / "cy.md")
    assert code == 0 and "not judged; give --template or --class to judge them" in out


@pytest.mark.libreoffice
def test_a_submission_typed_as_text_is_still_its_students(klass, tmp_path, capsys):
    """The first row's weights typed as text ("0.83", as a cell formatted as Text keeps them) are the
    numbers its formulas compute with: the file is still the student's, not an unknown variant."""
    filled, typed = tmp_path / "filled.xlsx", tmp_path / "typed.xlsx"
    _fill_in(klass / "exercises" / "s02.xlsx", filled, tabs=1, rows=4)
    wb = openpyxl.load_workbook(filled)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[17]]
    for k in range(1, 9):
        cell = ws.cell(18, header.index(f"w{k}") + 1)
        cell.value = str(cell.value)
    wb.save(typed)
    code, out, _ = run(capsys, "check", "-q", "--class", klass, typed, "--json")
    (line, *_) = [json.loads(line) for line in out.splitlines()]
    assert (line["student"], line["class_verdict"]) == ("s02", "right"), line


@pytest.mark.libreoffice
def test_an_exercise_filled_in_part_way_says_its_empty_cells_are_empty(klass, tmp_path, capsys):
    """s01's exercise with the forward pass of the first row typed in as formulas, and nothing else:
    the first cell left blank is said to be empty, not a number typed over a formula holding None."""
    need_libreoffice()  # openpyxl writes no cached results
    part = tmp_path / "part.xlsx"
    wb = openpyxl.load_workbook(klass / "exercises" / "s01.xlsx")
    ws = wb.worksheets[0]
    row = {"J": "=B18*$B$2+C18*$B$3", "K": "=1/(1+EXP(-J18))", "L": "=D18*$B$2+E18*$B$3", "M": "=1/(1+EXP(-L18))",
           "N": "=F18*K18+G18*M18", "O": "=1/(1+EXP(-N18))", "P": "=H18*K18+I18*M18", "Q": "=1/(1+EXP(-P18))",
           "R": "=0.5*($B$4-O18)^2", "S": "=0.5*($B$5-Q18)^2", "T": "=R18+S18"}  # fmt: skip
    for column, formula in row.items():
        ws[f"{column}18"] = formula
    wb.save(part)
    out_csv = tmp_path / "grades.csv"
    code, out, err = run(capsys, "check", "-q", "--class", klass, part, "--csv", out_csv)
    assert code == 1 and "holds None" not in out, out
    with out_csv.open(newline="") as f:
        first = next(r for r in csv.DictReader(f) if r["file"] == str(part))
    assert (first["student"], first["verdict"]) == ("s01", "wrong")
    assert first["first_mistake"] == "∂E_total/∂a_h1 at 'LR 0.1'!U18: empty: the cell holds no value", first
    assert first["code"] == "empty"


def _edited(path: Path) -> None:
    """The file as the teacher's spreadsheet saves it after an edit: a new zip, one part changed."""
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info, data.replace(b"</sheetData>", b"</sheetData><!-- edited -->")
                       if info.filename.startswith("xl/worksheets/") else data)  # fmt: skip


@pytest.mark.parametrize("which", ["exercises", "keys"])
def test_an_edited_exercise_or_key_stops_a_second_run_before_anything_is_written(tmp_path, capsys, which):
    roster = tmp_path / "roster.txt"
    roster.write_text("ann\nbob\n")
    out = tmp_path / "class"
    assert run(capsys, "class", "-q", roster, "-o", out, "--seed", "3")[0] == 0
    assert run(capsys, "class", "-q", roster, "-o", out)[0] == 0  # unedited, it is written again
    _edited(out / which / "bob.xlsx")
    roster.write_text("ann\nbob\ncid\n")  # a student added: the run that would write everyone again
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, stdout, err = run(capsys, "class", "-q", roster, "-o", out)
    assert code == 2 and stdout == "" and err.count("\n") == 1, err
    assert f"{out / which / 'bob.xlsx'}: changed since sheetgen class wrote it" in err
    assert before == {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}  # nothing written, not even ann's


def test_a_run_stopped_half_way_leaves_the_files_done_and_a_rerun_checks_only_the_rest(klass, tmp_path, capsys):
    """The CSV is written a row at a time as each file is done; a rerun with the same CSV skips the
    files it holds (a row cut short by the stop is checked again), on two processes as on one."""
    sub = tmp_path / "submissions"
    sub.mkdir()
    for sid, name in (("s01", "a.xlsx"), ("s02", "b.xlsx"), ("s03", "c.xlsx")):
        (sub / name).write_bytes((klass / "keys" / f"{sid}.xlsx").read_bytes())
    (sub / "d.xlsx").write_bytes((klass / "keys" / "s03.xlsx").read_bytes())  # a copy of c.xlsx
    files = sorted(map(str, sub.iterdir()))
    whole = tmp_path / "whole.csv"
    code, _, err = run(capsys, "check", "-q", "-j", "1", "--class", klass, *files, "--csv", whole)
    assert code == 1 and "already checked" not in err  # two duplicates
    rows = list(csv.reader(whole.open(newline="")))
    # stopped after a.xlsx and c.xlsx (d.xlsx's copy), during b.xlsx's row: the files done, and half a row
    stopped = tmp_path / "stopped.csv"
    run(capsys, "check", "-q", "--class", klass, files[0], files[2], "--csv", stopped)
    with stopped.open("a") as f:
        f.write(files[1] + ",s0")
    code, out, err = run(capsys, "check", "-q", "-j", "2", "--class", klass, *files, "--csv", stopped)
    assert code == 1
    assert "2 of the 4 files already checked there" in err
    assert files[0] not in out and files[1] in out  # a.xlsx is not checked again, b.xlsx is
    again = list(csv.reader(stopped.open(newline="")))
    assert again[0] == rows[0] and sorted(again[1:]) == sorted(rows[1:])
    # and nothing left to check: every file skipped, the CSV as it was
    code, out, err = run(capsys, "check", "-q", "--class", klass, *files, "--csv", stopped)
    assert "4 of the 4 files already checked there" in err and code == 1
    assert sorted(list(csv.reader(stopped.open(newline="")))[1:]) == sorted(rows[1:])


def test_a_copy_is_a_duplicate_whatever_its_tabs_are_named(tmp_path):
    # settle took a note holding "exercise as it was handed out" (a tab may be named so: the note
    # names tabs without a chart) for a blank exercise, and let two copies of bob's numbers through
    k = classroom.Class(Path("class"), {"students": [{"id": "bob", "params": {}}], "template": {}})
    tab = "no chart of E_total: exercise as it was handed out"
    copies = [classroom.Grade(f"b{n}.xlsx", "bob", "right", note=tab) for n in (1, 2)]
    settled = classroom.settle(copies, k)
    assert [g.verdict for g in settled] == ["duplicate", "duplicate"]
    # a blank exercise as sheetgen wrote it is no copy, in this run or as an earlier run's CSV row says it
    note = "bob's exercise as it was handed out: nothing filled in"
    grades = tmp_path / "grades.csv"
    grades.write_text(f"file,student,verdict,first_mistake,code,note\nbob.xlsx,bob,no table,,,{note}\n")
    earlier = classroom.checked_before(grades, with_student=True)
    mine = classroom.Grade("mine.xlsx", "bob", "right")
    assert [g.verdict for g in classroom.settle([mine], k, earlier)] == ["right"]
    blank = classroom.Grade("bob.xlsx", "bob", "no table", note=note, handout=True)
    assert [g.verdict for g in classroom.settle([mine, blank], k)] == ["right", "no table"]
