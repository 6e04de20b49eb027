"""Sturdy under a hostile user (issue #23): bad input is one line and exit 2, nothing hangs, nothing the
user owns is lost, and every file sheetgen writes is written whole or not at all (issue #20)."""

import io
import json
import os
import pty
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sheetgen import cli, files

SHEETGEN = [sys.executable, "-m", "sheetgen"]


def run(capsys, *argv):
    try:
        code = cli.main([str(a) for a in argv])
    except SystemExit as e:
        code = e.code
    return (code, *capsys.readouterr())


def one_line(code, out, err, *says):
    """Refused: exit 2, nothing on stdout, one line on stderr saying each of `says`."""
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err, err
    for text in says:
        assert text in err, err


def spawn(*argv, timeout=60, **kw):
    """A run in its own process, bounded in time (a FIFO or a device must never make it wait)."""
    kw = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | kw
    return subprocess.run([*SHEETGEN, *map(str, argv)], text=True, timeout=timeout, **kw)


# -- issue #20, point 6: one atomic write ---------------------------------------------------------------
def test_every_file_sheetgen_writes_goes_through_the_one_atomic_write(capsys, tmp_path, monkeypatch):
    written, atomic = [], files.atomic

    def spy(path, *args, **kwargs):
        written.append(Path(path).resolve())
        return atomic(path, *args, **kwargs)

    monkeypatch.setattr(files, "atomic", spy)
    (tmp_path / "roster.txt").write_text("ann\nbob\n")
    assert run(capsys, "class", "-q", tmp_path / "roster.txt", "-o", tmp_path / "class")[0] == 0
    assert run(capsys, "report", "--iterations", "3", "--lr", "0.5", "-o", tmp_path / "report")[0] == 0
    (tmp_path / "w.md").write_text("w1 = 0.15\n")
    run(capsys, "check", "-q", tmp_path / "w.md", "--csv", tmp_path / "grades.csv")
    on_disk = {p.resolve() for p in tmp_path.rglob("*") if p.is_file() and p.name not in ("roster.txt", "w.md")}
    assert len(on_disk) == 2 + 2 + 1 + 3 + 1  # exercises, keys, class.json; README and 2 pictures; the CSV
    assert on_disk <= set(written), on_disk - set(written)


# -- point 7: --samples and --targets say what to give, naming the flag ------------------------------------
def test_one_sample_by_samples_builds(capsys, tmp_path):
    for extra in (["--targets", "0.5,0.5"], []):  # with its targets, or the template's
        out = tmp_path / f"one{len(extra)}.xlsx"
        code, _, err = run(
            capsys, "build", "era", "-q", "--iterations", "2", "--samples", "0.05,0.1", *extra, "-o", out
        )
        assert code == 0 and out.exists(), err


@pytest.mark.parametrize(
    "argv, says",
    [
        (
            ["era", "--samples", "0.05,0.1", "0.1,0.2"],
            ["--samples: 2 samples", "give --targets too", "0.5,0.5 0.5,0.5"],
        ),
        (
            ["era", "--samples", "0,0", "0,1", "--targets", "0.5,0.5"],
            ["--targets: expected 2 rows", "--targets 0.5,0.5 0.5,0.5"],
        ),
        (["xor", "--samples", "0,1"], ["--samples: 1 sample", "give --targets too"]),
        (["era", "--targets", "0.5,0.5", "0.1,0.2"], ["--targets:", "give --samples too"]),
    ],
)
def test_samples_and_targets_that_do_not_fit_name_the_flag_and_what_to_give(capsys, tmp_path, argv, says):
    code, out, err = run(capsys, "build", *argv, "-o", tmp_path / "x.xlsx")
    one_line(code, out, err, *says)
    assert "templates/era.toml: network" not in err and "got a list" not in err and not os.listdir(tmp_path)


# -- points 20 and 21: where an output cannot go ---------------------------------------------------------
def _devices(folder: Path) -> Path:
    """A folder holding a device node, as /dev does (our own null device: writing it loses everything)."""
    folder.mkdir()
    try:
        os.mknod(folder / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "-q", "--iterations", "2", "-o", "{dev}/null"],
        ["build", "-q", "--iterations", "2", "-o", "{dev}/"],
        ["build", "-q", "--iterations", "2", "-o", "{dev}/new/x.xlsx"],
        ["report", "--iterations", "2", "--lr", "0.5", "-o", "{dev}"],
        ["class", "-q", "{tmp}/roster.txt", "-o", "{dev}/class"],
        ["check", "-q", "{tmp}/w.md", "--csv", "{dev}/grades.csv"],
    ],
)
def test_special_files_and_the_folders_that_hold_them_are_refused(capsys, tmp_path, argv):
    dev = _devices(tmp_path / "dev")
    (tmp_path / "roster.txt").write_text("ann\n")
    (tmp_path / "w.md").write_text("w1 = 0.15\n")
    argv = [a.replace("{dev}", str(dev)).replace("{tmp}", str(tmp_path)) for a in argv]
    code, out, err = run(capsys, *argv)
    one_line(code, out, err)
    assert "is a character device" in err or "is a folder of devices (null, …)" in err
    assert os.listdir(dev) == ["null"]


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "-q", "--iterations", "2", "-o", "{tmp}/afile/x.xlsx"],
        ["build", "-q", "--iterations", "2", "-o", "{tmp}/afile/deeper/x.xlsx"],
        ["report", "--iterations", "2", "--lr", "0.5", "-o", "{tmp}/afile/report"],
        ["class", "-q", "{tmp}/roster.txt", "-o", "{tmp}/afile/class"],
        ["check", "-q", "{tmp}/w.md", "--csv", "{tmp}/afile/grades.csv"],
    ],
)
def test_a_path_under_a_file_says_the_file_is_a_file(capsys, tmp_path, argv):
    (tmp_path / "afile").write_text("mine")
    (tmp_path / "roster.txt").write_text("ann\n")
    (tmp_path / "w.md").write_text("w1 = 0.15\n")
    code, out, err = run(capsys, *[a.replace("{tmp}", str(tmp_path)) for a in argv])
    one_line(code, out, err, f"{tmp_path / 'afile'} is a file, not a folder")
    assert (tmp_path / "afile").read_text() == "mine" and len(os.listdir(tmp_path)) == 3


# -- points 10 to 15: rosters, class folders and CSVs of every kind -----------------------------------
def test_a_decomposed_id_is_the_same_id_composed(capsys, tmp_path):
    (tmp_path / "roster.txt").write_bytes("Jose\u0301\nAnn\n".encode())  # as macOS writes José
    code, out, err = run(capsys, "class", "-q", tmp_path / "roster.txt", "-o", tmp_path / "class", "--seed", "1")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "class" / "keys").iterdir()) == ["Ann.xlsx", "Jos\u00e9.xlsx"]
    (tmp_path / "again.txt").write_bytes("Jos\u00e9\njose\u0301\n".encode())  # one id, composed or not
    one_line(
        *run(capsys, "class", "-q", tmp_path / "again.txt", "-o", tmp_path / "other"), "line 2", "already on line 1"
    )


def _bounded():
    """A run that goes wrong must not take the machine with it: 1 GB of memory at most."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    "make, argv, says",
    [
        (None, ["check", "{tmp}/w.md", "--csv", "/dev/full"], "is a character device"),
        (None, ["check", "{tmp}/w.md", "--csv", "/dev/zero"], "is a character device"),
        (None, ["class", "/dev/zero", "-o", "{tmp}/class"], "is a character device"),
        ("grades.csv", ["check", "{tmp}/w.md", "--csv", "{tmp}/grades.csv"], "is a FIFO"),
        ("roster.txt", ["class", "{tmp}/roster.txt", "-o", "{tmp}/class"], "is a FIFO"),
        ("class/class.json", ["check", "{tmp}/w.md", "--class", "{tmp}/class"], "is a FIFO"),
    ],
)
def test_devices_and_fifos_are_refused_not_read_nor_waited_on(tmp_path, make, argv, says):
    (tmp_path / "w.md").write_text("w1 = 0.15\n")
    if make:
        (tmp_path / make).parent.mkdir(exist_ok=True)
        _fifo(tmp_path / make)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    done = spawn(*argv, timeout=30, preexec_fn=_bounded, stdin=subprocess.DEVNULL)
    one_line(done.returncode, done.stdout, done.stderr, says, "regular files only")
    assert not (tmp_path / "class" / "exercises").exists()


def test_csv_to_standard_output_on_a_terminal_is_refused_not_waited_on(tmp_path):
    """`--csv /dev/stdout` on a terminal waited for a key: /dev/stdout is then the terminal, a device."""
    (tmp_path / "w.md").write_text("w1 = 0.15\n")
    main, terminal = pty.openpty()
    try:
        done = spawn("check", tmp_path / "w.md", "--csv", "/dev/stdout", stdin=terminal, stdout=terminal, timeout=30)
    finally:
        os.close(main)
        os.close(terminal)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "/dev/stdout: is a character device; sheetgen reads and writes regular files only" in done.stderr


@pytest.mark.parametrize("case", ["deep", "no students"])
def test_a_class_json_that_is_not_a_class_is_one_line(capsys, tmp_path, case):
    (tmp_path / "roster.txt").write_text("ann\n")
    assert run(capsys, "class", "-q", tmp_path / "roster.txt", "-o", tmp_path / "class", "--seed", "1")[0] == 0
    record = tmp_path / "class" / "class.json"
    if case == "deep":
        record.write_text("[" * 200_000)  # was a RecursionError
    else:
        record.write_text(json.dumps(json.loads(record.read_text()) | {"students": []}))
        assert json.loads(record.read_text())["students"] == []  # was an IndexError, with a write-up to judge
    (tmp_path / "w.md").write_text("w1 = 0.15\nw2 = 0.2\n")
    says = "nested too deep" if case == "deep" else "a class of no students"
    one_line(*run(capsys, "check", tmp_path / "w.md", "--class", tmp_path / "class"), says)
    # and `class` into that folder is refused, nothing written
    before = {p: p.read_bytes() for p in (tmp_path / "class").rglob("*") if p.is_file()}
    one_line(*run(capsys, "class", "-q", tmp_path / "roster.txt", "-o", tmp_path / "class"), "not a class folder")
    assert before == {p: p.read_bytes() for p in (tmp_path / "class").rglob("*") if p.is_file()}


# -- point 14: a template nested as deep as it is long -----------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 100_000 + "]" * 100_000,
        "x = " + "{a = " * 100_000 + "1" + "}" * 100_000,
        'description = "x"\noutput = "a.xlsx"\niterations = 2\nlearning_rates = [0.5]\n[network]\nlayers = '
        + "[" * 900
        + "]" * 900,
    ],
    ids=["lists", "tables", "a key's value"],
)
def test_a_template_nested_too_deep_is_one_line(capsys, tmp_path, text):
    (tmp_path / "deep.toml").write_text(text)
    one_line(*run(capsys, "build", tmp_path / "deep.toml", "-o", tmp_path / "x.xlsx"), "deep.toml: not a template: ")
    assert os.listdir(tmp_path) == ["deep.toml"]


# -- point 17: report never replaces a picture of the user's own -------------------------------------------
def test_report_keeps_a_picture_of_the_users_own_under_its_name(capsys, tmp_path):
    out = tmp_path / "report"
    argv = ["report", "--iterations", "3", "--lr", "0.5", "-o", out]
    assert run(capsys, *argv)[0] == 0
    assert run(capsys, *argv)[0] == 0  # its own pictures it replaces
    mine = b"\x89PNG\r\n\x1a\n my own chart, drawn by hand"
    (out / "E_total_all.png").write_bytes(mine)
    readme = (out / "README.md").read_bytes()
    one_line(*run(capsys, *argv), "E_total_all.png: exists and was not drawn by sheetgen report", "--force")
    assert (out / "E_total_all.png").read_bytes() == mine and (out / "README.md").read_bytes() == readme
    # nor removes it when a run with other rates no longer draws a picture by that name
    (out / "E_total_all.png").unlink()
    assert run(capsys, *argv)[0] == 0
    (out / "E_total_LR_0.5.png").write_bytes(mine)
    assert run(capsys, "report", "--iterations", "3", "--lr", "0.7", "-o", out)[0] == 0
    assert (out / "E_total_LR_0.5.png").read_bytes() == mine
    assert run(capsys, *argv, "--force")[0] == 0 and (out / "E_total_LR_0.5.png").read_bytes() != mine


# -- point 22: a class's progress from the start -----------------------------------------------------------
def test_class_shows_its_progress_from_the_start_on_a_terminal(capsys, tmp_path, monkeypatch):
    from sheetgen.classroom import classroom

    err = io.StringIO()
    err.isatty = lambda: True
    monkeypatch.setattr(sys, "stderr", err)
    seen_when_drawing = []
    trouble = classroom.trouble

    def spy(spec):
        seen_when_drawing.append(err.getvalue())
        return trouble(spec)

    monkeypatch.setattr(classroom, "trouble", spy)
    (tmp_path / "roster.txt").write_text("ann\nbob\n")  # a small class: the draws alone take a while in a big one
    assert cli.main(["class", str(tmp_path / "roster.txt"), "-o", str(tmp_path / "class"), "--seed", "1"]) == 0
    assert "drawing each student's numbers" in seen_when_drawing[0]
    assert "writing exercises and keys" in err.getvalue()
