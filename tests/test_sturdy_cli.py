"""Sturdy under a hostile user (issue #23): bad input is one line and exit 2, nothing hangs, nothing the
user owns is lost, and every file sheetgen writes is written whole or not at all (issue #20)."""

import os
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
    return subprocess.run([*SHEETGEN, *map(str, argv)], capture_output=True, text=True, timeout=timeout, **kw)


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
