"""The command line: help, exit codes, one-line errors, nothing written on bad input."""

import argparse
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sheetgen import __version__, cli
from sheetgen.model import spec
from sheetgen.xlsx import recalc

from .conftest import need_libreoffice


def run(capsys, *argv):
    try:
        code = cli.main(list(argv))
    except SystemExit as e:  # argparse's own exits (--help, --version, usage errors)
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["build", "templates", "verify", "class"])
def test_every_command_has_help_with_an_example(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and re.search(rf"examples?: sheetgen {command}", out)


def test_version_and_module_entry_point():
    done = subprocess.run([sys.executable, "-m", "sheetgen", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == f"sheetgen {__version__}"


def test_templates_lists_era(capsys):
    code, out, _ = run(capsys, "templates")
    assert code == 0 and out.startswith("era ") and "2-2-2" in out


def test_build_writes_the_workbook(capsys, tmp_path):
    target = tmp_path / "deep" / "out.xlsx"
    code, out, _ = run(capsys, "build", "-o", str(target), "--iterations", "5", "--lr", "0.5", "1")
    assert code == 0 and target.is_file() and "2 tabs × 5 iterations" in out
    assert oct(target.stat().st_mode & 0o777) != "0o600"  # an ordinary file, not a private temp


def test_default_output_goes_to_output_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(capsys, "build", "--iterations", "2")
    assert code == 0 and (tmp_path / "output" / "ERA_backprop.xlsx").is_file()
    assert [p.name for p in (tmp_path / "output").iterdir()] == ["ERA_backprop.xlsx"]  # no temp left


BAD_INPUT = [
    pytest.param(["build", "nope"], "nope: no such template", id="unknown-template"),
    pytest.param(["build", "{tmp}/missing.toml"], "missing.toml: cannot read template", id="unreadable-file"),
    pytest.param(["build", "{tmp}/bad.toml"], "bad.toml: network.weights: expected a list of numbers", id="text"),
    pytest.param(["build", "--lr", "abc"], "argument --lr: invalid float value: 'abc'", id="lr-not-a-number"),
    pytest.param(["build", "--lr", "-1"], "--lr: learning rates must be finite and > 0", id="lr-negative"),
    pytest.param(["build", "--iterations", "x"], "argument --iterations: invalid int value", id="iterations-nan"),
    pytest.param(["build", "--iterations", "0"], "--iterations: expected a whole number from 1", id="iterations-0"),
    pytest.param(["build", "-o", "{tmp}/keep.xlsx/"], "keep.xlsx/: ends in / but is not a folder", id="slash-file"),
    pytest.param(["build", "-o", "{tmp}/keep.csv"], "sheetgen writes .xlsx workbooks", id="output-not-xlsx"),
    pytest.param(["verify", "{tmp}/keep.xlsx"], "not an .xlsx workbook", id="verify-foreign"),
    pytest.param(["frobnicate"], "invalid choice: 'frobnicate'", id="unknown-command"),
    # a flag that takes one value, given twice: refused, not the last one silently kept
    pytest.param(["build", "--iterations", "3", "--iterations", "4"], "--iterations: given more than once", id="it-2x"),
    pytest.param(["build", "--seed", "1", "--seed", "2"], "argument --seed: given more than once", id="seed-twice"),
    pytest.param(["build", "--bias", "fixed", "--bias", "none"], "--bias: given more than once", id="bias-twice"),
    pytest.param(["build", "-o", "a.xlsx", "-o", "b.xlsx"], "argument -o: given more than once", id="output-twice"),
    pytest.param(["report", "--iterations", "3", "--iterations", "4"], "given more than once", id="report-it-twice"),
    pytest.param(["verify", "x.xlsx", "--timeout", "5", "--timeout", "9"], "given more than once", id="timeout-twice"),
    # --timeout: seconds, more than none
    *[
        pytest.param(
            ["verify", "{tmp}/keep.xlsx", "--timeout", t],
            f"argument --timeout: expected a number of seconds > 0, got '{t}'",
            id=f"timeout-{t}",
        )
        for t in ("-1", "0", "nan", "inf", "abc")
    ],
    # errors name the file as the user gave it, or the flag
    pytest.param(["build", "./bad.toml"], "error: ./bad.toml: network.weights", id="path-as-given"),
    pytest.param(["build", "--iterations", "1048560"], "error: --iterations: 1,048,560 rows do not fit", id="rows"),
    pytest.param(
        ["report", "-o", "{tmp}/r", "--iterations", "1048560"], "error: --iterations: 1,048,560 rows", id="report-rows"
    ),
    pytest.param(["build", "--layers", "3,2", "--inputs", "1"], "--inputs: expected 3 numbers", id="plural"),
    pytest.param(["build", "--layers", "1,2", "--inputs", "1,2"], "--inputs: expected 1 number (", id="singular"),
    pytest.param(["templates", "--show", "nope"], "nope: no such template (shipped: era", id="show-unknown"),
    pytest.param(["templates", "--show", ""], "error: : no such template (shipped: era", id="show-empty"),
    pytest.param(["templates", "--show", "../templates/era"], "no such template (shipped: era", id="show-path"),
    pytest.param(["build", "keep.xlsx"], "or give a path to a .toml file, e.g. ./keep.xlsx)", id="file-not-path"),
    pytest.param(["build", "{tmp}/big.toml"], "big.toml: cannot read template: 2,", id="template-too-big"),
    pytest.param(["build", "-o", "a" * 300 + ".xlsx"], "File name too long", id="output-name-too-long"),
    pytest.param(["build", "a" * 300], "no such template", id="template-name-too-long"),
    # what no workbook can hold: refused before anything is written
    pytest.param(["build", "--layers", "2,1000,2"], "--layers: at most 500 neurons per layer", id="too-wide"),
    # Iteration, 17,160 weights, h and a of 132 neurons, E1, E2, E_total, 130 ∂E_total/∂a_h, 17,160 ∂E_total/∂w
    pytest.param(
        ["build", "--layers", "130,130,2", "--inputs", ",".join(["1"] * 130), "--iterations", "1", "--lr", "1"],
        "needs 34,718 columns; a sheet has 16,384",
        id="too-many-columns",
    ),
    pytest.param(
        ["build", "--layers", "2,2,400", "--targets", ",".join(["0.5"] * 400), "--iterations", "1", "--lr", "1"],
        "Excel allows 8,192",
        id="formula-too-long",
    ),
    pytest.param(
        ["build", "--layers", ",".join(["2"] * 20), "--iterations", "1", "--lr", "1"],
        "--layers: 20 layers are too many to record",
        id="too-deep-to-record",
    ),
]


@pytest.mark.parametrize("argv, message", BAD_INPUT)
def test_bad_input_is_one_line_exit_2_and_nothing_touched(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text(
        (cli.spec.templates_dir() / "era.toml").read_text().replace("0.40, 0.45", '0.40, "0.45"')
    )
    (tmp_path / "big.toml").write_text((cli.spec.templates_dir() / "era.toml").read_text() + "#" * 2_000_000)
    keep = tmp_path / "keep.xlsx"
    keep.write_bytes(b"the student's week of work")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, *[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("sheetgen: error: ") and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert keep.read_bytes() == b"the student's week of work"


def _terminal(monkeypatch, tty: bool):
    """stderr as a terminal (or not) that keeps what is written to it."""
    err = io.StringIO()
    err.isatty = lambda: tty
    monkeypatch.setattr(sys, "stderr", err)
    return err


@pytest.mark.parametrize("tty, quiet, shown", [(True, False, True), (True, True, False), (False, False, False)])
def test_progress_only_on_a_terminal_and_not_with_quiet(monkeypatch, tty, quiet, shown):
    err = _terminal(monkeypatch, tty)
    args = argparse.Namespace(quiet=quiet)
    with cli._stages(args, 3) as stage:
        stage("stripping cached results")
        stage(None)
        stage("LibreOffice recalculating")
    with cli._progress(args, 20_000, "rows") as bar:
        bar.update(256)
    text = err.getvalue()
    assert ("LibreOffice recalculating 1/3" in text and "/20.0k [" in text) == shown
    assert text == "" or shown


@pytest.mark.libreoffice
def test_verify_shows_its_stages_on_a_terminal(monkeypatch, tmp_path):
    need_libreoffice()
    book = tmp_path / "small.xlsx"
    assert cli.main(["build", "-q", "--iterations", "3", "--lr", "0.5", "-o", str(book)]) == 0
    err = _terminal(monkeypatch, True)
    assert cli.main(["verify", str(book)]) == 0
    stages = list(dict.fromkeys(re.findall(r"\r([a-zA-Z][^\r]*?) \d/3", err.getvalue())))
    assert stages == ["stripping cached results", "LibreOffice recalculating", "comparing small.xlsx"]


def _on_a_terminal(argv, size: tuple[int, int] | None) -> tuple[str, str]:
    """sheetgen run with its stderr on a terminal (a pty, `size` rows × columns, or as made: 0 × 0, what
    `script -qc … /dev/null` run from a program gives) and its stdout piped: (what the terminal showed,
    stdout)."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    main, terminal = pty.openpty()
    if size:
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", *size, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "sheetgen", *argv], stdout=subprocess.PIPE, stderr=terminal,
                            stdin=subprocess.DEVNULL)  # fmt: skip
    os.close(terminal)
    shown = b""
    while select.select([main], [], [], 60)[0]:
        try:
            data = os.read(main, 1 << 16)
        except OSError:  # the run is over, the terminal closed (Linux: EIO)
            break
        if not data:
            break
        shown += data
    out = proc.communicate(timeout=60)[0]
    os.close(main)
    return shown.decode(errors="replace"), out.decode()


@pytest.mark.parametrize("size", [None, (24, 100)], ids=["as made (0 columns)", "100 columns"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_shows_a_bar_over_the_files_on_a_terminal_and_nothing_in_piped_output(tmp_path, size, jobs):
    """check's bar over the files: on a terminal (stderr), done of how many, at what rate, and the
    stage; cleared before the verdicts. Never in stdout, piped, nor on stderr piped. On a terminal that
    says it is 0 columns wide tqdm showed nothing at all."""
    books = []
    for n in range(3):
        books.append(tmp_path / f"b{n}.xlsx")
        assert cli.main(["build", "-q", "--iterations", "3", "--lr", "0.5", "-o", str(books[-1])]) == 0
    argv = ["check", "-j", jobs, *map(str, books)]
    shown, out = _on_a_terminal(argv, size)
    assert re.search(r"\| [0-3]/3 \[\d\d:\d\d<", shown), shown  # n/total [elapsed<remaining
    assert "file/s]" in shown and "checked b1.xlsx" in shown or "checking b1.xlsx" in shown, shown
    assert shown.endswith("\r"), shown  # cleared, the cursor back at the start of the line
    piped = subprocess.run([sys.executable, "-m", "sheetgen", *argv], capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0 and piped.stderr == "" and out == piped.stdout
    assert "\r" not in out and out.count("RIGHT") == 3
    # -q: nothing on the terminal either
    assert _on_a_terminal(["check", "-q", *argv[1:]], size) == ("", piped.stdout)


@pytest.mark.slow
def test_build_shows_its_bar_on_a_terminal_made_without_a_size(tmp_path):
    """build's bar (20,000 rows or more) on a terminal that says it is 0 × 0, as `script` run from a
    program makes it: tqdm showed nothing there."""
    out = tmp_path / "big.xlsx"
    shown, said = _on_a_terminal(["build", "--iterations", "3400", "-o", str(out)], None)
    assert re.search(r"\d+(\.\d+)?k/20\.4k \[", shown) and "rows/s]" in shown, shown
    assert said.startswith(f"wrote {out}: 6 tabs × 3,400 iterations") and "\r" not in said


def test_a_closed_pipe_is_not_a_traceback(tmp_path):
    book = tmp_path / "small.xlsx"
    assert cli.main(["build", "-q", "--iterations", "3", "-o", str(book)]) == 0
    # `sheetgen templates | head -1`, with head gone before sheetgen writes
    r, w = os.pipe()
    os.close(r)
    done = subprocess.run([sys.executable, "-m", "sheetgen", "templates"], stdout=w, stderr=subprocess.PIPE, text=True)
    os.close(w)
    assert done.returncode == 1 and done.stderr == ""


def test_counts_are_singular_when_one(capsys, tmp_path):
    code, out, _ = run(capsys, "build", "-o", str(tmp_path / "one.xlsx"), "--iterations", "1", "--lr", "0.5")
    assert code == 0 and out.endswith(": 1 tab × 1 iteration\n")


@pytest.mark.parametrize(
    "given, written",
    [
        ("mybook", "mybook.xlsx"),  # Excel opens a workbook by its extension
        ("newdir/", "newdir/ERA_backprop.xlsx"),  # a trailing slash means a folder, created if need be
        ("existing", "existing/ERA_backprop.xlsx"),  # a folder that exists is one, slash or not
        ("Mine.XLSX", "Mine.XLSX"),
    ],
)
def test_output_names_as_users_mean_them(capsys, tmp_path, monkeypatch, given, written):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "existing").mkdir()
    code, out, err = run(capsys, "build", "-q", "--iterations", "2", "-o", given)
    assert code == 0 and out.startswith(f"wrote {written}: "), err
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == [written]


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--lr", "0.1", "--lr", "0.2"], {"learning_rates": (0.1, 0.2)}),
        (["--lr", "0.5,1.0", "2"], {"learning_rates": (0.5, 1.0, 2.0)}),
        (
            ["--layers", "3", "--layers", "4,2", "--inputs", "1,0", "--inputs", "1"],
            {"layers": (3, 4, 2), "inputs": (1.0, 0.0, 1.0)},
        ),  # fmt: skip
        (["--inputs", "-1,0.5"], {"inputs": (-1.0, 0.5)}),  # negative numbers are values, not options
        (["--targets", "-0.5", "-1e-3"], {"targets": (-0.5, -0.001)}),
        (["--activation", "tanh", "--activation", "sigmoid"], {"activations": ("tanh", "sigmoid")}),
    ],
)
def test_list_flags_add_up_and_take_commas(capsys, monkeypatch, argv, expected):
    built = []
    monkeypatch.setattr(cli.workbook, "build", lambda s, path, progress=None, force=False: built.append(s) or {})
    code, _, err = run(capsys, "build", "-o", "never-written.xlsx", *argv)
    assert code == 0, err
    assert {key: getattr(built[0], key) for key in expected} == expected


def test_report_flags_add_up_too(capsys, monkeypatch, tmp_path):
    from sheetgen.build import report

    written = []
    monkeypatch.setattr(report, "write", lambda s, outdir, force=False: written.append(s) or Path(outdir))
    assert run(capsys, "report", "-o", str(tmp_path), "--lr", "0.1,0.2", "--lr", "0.5")[0] == 0
    assert written[0].learning_rates == (0.1, 0.2, 0.5)


def test_templates_says_where_they_are_and_shows_one_to_start_from(capsys, tmp_path):
    code, out, _ = run(capsys, "templates")
    assert code == 0 and str(spec.templates_dir()) in out and "sheetgen templates --show era > mine.toml" in out
    for name, _ in spec.list_templates():
        code, text, err = run(capsys, "templates", "--show", name)
        assert code == 0 and err == "" and f"sheetgen templates --show {name} > mine.toml" in text
        # the copy, comments and all, builds the very workbook the shipped template does (each cut to
        # 3 iterations in its own text: a flag would make the description name the file it came from)
        shipped = (spec.templates_dir() / f"{name}.toml").read_text(encoding="utf-8")
        for text_of, out in ((text, "a.xlsx"), (shipped, "b.xlsx")):
            copy = tmp_path / f"{out}.toml"
            copy.write_text(re.sub(r"(?m)^iterations = \d+", "iterations = 3", text_of), encoding="utf-8")
            assert run(capsys, "build", str(copy), "-q", "-o", str(tmp_path / out))[0] == 0
        assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
        # and every optional key it offers, taken out of its comment, is a valid one
        offered = re.findall(r"^# (\w+) = ", text.split("Optional [network] keys")[-1].split("\n\n")[0], flags=re.M)
        uncommented = re.sub(r"^# (\w+ = |\[training\]$)", r"\1", text, flags=re.M)
        assert set(offered) == {"bias", "biases", "leaky_slope", "seed"} - set(spec.load(name).doc["network"])
        spec.parse(uncommented, f"{name}-mine.toml")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("x.csv", b"a,b\n1,2\n", "x.csv: not an .xlsx workbook (not a zip file)"),
        ("empty.xlsx", b"", "empty.xlsx: not an .xlsx workbook (not a zip file)"),
        ("x.ods", "ods", "x.ods: not an .xlsx workbook (a zip file without xl/workbook.xml)"),
        ("folder", None, "folder: is a folder"),
        ("missing.xlsx", "missing", "missing.xlsx: no such file"),
        ("/dev/zero", "device", "/dev/zero: is a character device"),
    ],
)
def test_verify_refuses_what_is_not_a_workbook_before_libreoffice(capsys, tmp_path, monkeypatch, name, content,
                                                                  message):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(recalc, "_soffice", lambda *a, **k: pytest.fail("LibreOffice started"))
    if content is None:
        os.mkdir(name)
    elif content == "ods":
        with zipfile.ZipFile(name, "w") as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    elif isinstance(content, bytes):
        Path(name).write_bytes(content)
    code, out, err = run(capsys, "verify", "-q", name)
    assert (code, out) == (2, "") and err == f"sheetgen: error: {message}" + err[len(message) + 17 :]
    assert err.count("\n") == 1 and message in err


@pytest.mark.libreoffice
def test_a_workbook_under_another_name_verifies(capsys, tmp_path):
    need_libreoffice()
    book = tmp_path / "book.xlsx"
    assert run(capsys, "build", "-q", "--iterations", "3", "--lr", "0.5", "-o", str(book))[0] == 0
    shutil.copy(book, tmp_path / "mybook")
    shutil.copy(book, tmp_path / "my book #1.bin")
    code, out, err = run(capsys, "verify", "-q", str(tmp_path / "mybook"), str(tmp_path / "my book #1.bin"))
    assert code == 0 and err == "" and f"{tmp_path}/mybook: OK" in out and "my book #1.bin: OK" in out


@pytest.mark.parametrize("soffice", ["{tmp}/nonexistent", "{tmp}", "{tmp}/book.xlsx"])
def test_a_soffice_that_is_not_a_program_is_one_line(capsys, tmp_path, monkeypatch, soffice):
    book = tmp_path / "book.xlsx"
    assert run(capsys, "build", "-q", "--iterations", "2", "-o", str(book))[0] == 0
    monkeypatch.setenv("SHEETGEN_SOFFICE", soffice.replace("{tmp}", str(tmp_path)))
    code, out, err = run(capsys, "verify", "-q", str(book))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"sheetgen: error: SHEETGEN_SOFFICE={soffice.replace('{tmp}', str(tmp_path))}: ")


def test_soffice_may_be_named_as_a_command(capsys, tmp_path, monkeypatch):
    book = tmp_path / "book.xlsx"
    assert run(capsys, "build", "-q", "--iterations", "2", "-o", str(book))[0] == 0
    fake = tmp_path / "bin" / "my-soffice"  # found on PATH, like soffice itself
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\ntouch {tmp_path}/ran\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("SHEETGEN_SOFFICE", "my-soffice")
    code, _, err = run(capsys, "verify", "-q", str(book))
    assert code == 2 and "LibreOffice failed (exit status 3)" in err and (tmp_path / "ran").exists()


def test_verify_help_shows_the_timeout_default(capsys):
    assert "(default: 300)" in run(capsys, "verify", "--help")[1]


def test_report_without_matplotlib_says_how_to_install_it(capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    code, out, err = run(capsys, "report", "-o", str(tmp_path / "r"), "--iterations", "2")
    assert code == 2 and err.count("\n") == 1 and "sheetgen[report]" not in err
    assert f"{shlex.quote(sys.executable)} -m pip install 'matplotlib" in err


def test_make_run_installs_what_report_needs():
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", makefile, flags=re.M)[1]
    assert "'.[report]'" in recipe


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_names_a_terminal_cannot_show_are_no_traceback(tmp_path, encoding):
    name = os.fsencode("ünï-η") + b"\xff.xlsx"  # not even valid UTF-8
    env = dict(os.environ, PYTHONIOENCODING=encoding)
    done = subprocess.run([sys.executable, "-m", "sheetgen", "build", "-q", "--iterations", "2", "-o",
                           os.fsencode(tmp_path) + b"/" + name], capture_output=True, env=env)  # fmt: skip
    assert done.returncode == 0 and done.stderr == b"" and done.stdout.startswith(b"wrote ")
    assert os.listdir(os.fsencode(tmp_path)) == [name]


def test_a_full_disk_under_standard_output_is_one_line():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "sheetgen", "templates", "--show", "era"], stdout=full,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert (done.returncode, done.stderr) == (2, "sheetgen: error: cannot write to standard output: No space left on "
                                                 "device\n")  # fmt: skip


def test_check_of_a_folder_checks_the_workbooks_and_write_ups_in_it(tmp_path, capsys):
    """A teacher's folder of submissions, one folder a student: every write-up and workbook in it, in name
    order; a listing (MANIFEST.tsv), Excel's lock files and hidden files left out."""
    folder = tmp_path / "submissions"
    (folder / "ana").mkdir(parents=True)
    (folder / "ben").mkdir()
    (folder / "ana" / "README.md").write_text("h1 = w1*i1 + w2*i2\n\nh2 = w3*i1 + w4*i2\n", encoding="utf-8")
    (folder / "ben" / "notes.md").write_text("h1 = w1*i1 + w3*i2\n\nh2 = w3*i1 + w4*i2\n", encoding="utf-8")
    (folder / "MANIFEST.tsv").write_text("ana\tben\n", encoding="utf-8")
    (folder / "ben" / "~$sheet.xlsx").write_bytes(b"lock")
    (folder / ".notes.md").write_text("h1 = 1\n", encoding="utf-8")
    code, out, err = run(capsys, "check", str(folder))
    assert (code, err) == (1, "")
    said = [line.split(":")[0] for line in out.splitlines() if not line.startswith(" ")]
    assert said == [str(folder / "ana" / "README.md"), str(folder / "ben" / "notes.md")]


def test_check_of_a_folder_with_nothing_to_check_is_one_line(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "MANIFEST.tsv").write_text("", encoding="utf-8")
    code, out, err = run(capsys, "check", str(tmp_path / "empty"))
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"sheetgen: error: {tmp_path / 'empty'}: a folder with no workbook (.xlsx")
