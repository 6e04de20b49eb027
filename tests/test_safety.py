"""Nothing the user owns is lost, whatever they type and whatever happens mid-build."""

import contextlib
import hashlib
import os
import re
import resource
import signal
import socket
import stat
import subprocess
import sys
import time
import zipfile
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetgen import cli
from sheetgen.build import workbook
from sheetgen.model import spec

SHEETGEN = [sys.executable, "-m", "sheetgen"]


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, *argv):
    try:
        code = cli.main(list(argv))
    except SystemExit as e:
        code = e.code
    return (code, *capsys.readouterr())


def test_a_file_that_is_not_ours_is_never_overwritten(capsys, tmp_path):
    theirs = tmp_path / "mine.xlsx"
    theirs.write_bytes(b"PK\x03\x04 a week of the student's own work")
    code, out, err = run(capsys, "build", "-q", "--iterations", "2", "-o", str(theirs))
    assert code == 2 and "exists and is not a sheetgen workbook" in err and "--force" in err
    assert theirs.read_bytes() == b"PK\x03\x04 a week of the student's own work"
    assert run(capsys, "build", "-q", "--iterations", "2", "-o", str(theirs), "--force")[0] == 0
    assert workbook.is_ours(theirs)


def test_our_own_workbook_is_replaced(capsys, tmp_path):
    ours = tmp_path / "ERA.xlsx"
    assert run(capsys, "build", "-q", "--iterations", "2", "-o", str(ours))[0] == 0
    assert run(capsys, "build", "-q", "--iterations", "3", "-o", str(ours))[0] == 0


def test_a_workbook_open_in_libreoffice_is_left_alone(capsys, tmp_path):
    ours = tmp_path / "ERA.xlsx"
    assert run(capsys, "build", "-q", "--iterations", "2", "-o", str(ours))[0] == 0
    before = digest(ours)
    (tmp_path / ".~lock.ERA.xlsx#").write_text("someone,host,...")
    code, _, err = run(capsys, "build", "-q", "--iterations", "3", "-o", str(ours))
    assert code == 2 and "is open in LibreOffice" in err and digest(ours) == before


@pytest.mark.parametrize(
    "target, message",
    [
        pytest.param("{tmp}/a-file/out.xlsx", "a-file is a file, not a folder", id="folder-is-a-file"),
        pytest.param("/proc/sheetgen-test/out.xlsx", "cannot write in", id="unwritable-folder"),
        pytest.param("{tmp}/a-file/", "ends in / but is not a folder", id="slash-after-a-file"),
    ],
)
def test_places_that_cannot_be_written(capsys, tmp_path, target, message):
    (tmp_path / "a-file").write_text("x")
    code, out, err = run(capsys, "build", "-q", "--iterations", "2", "-o", target.replace("{tmp}", str(tmp_path)))
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err


def test_a_full_disk_leaves_the_previous_file_intact(tmp_path):
    ours = tmp_path / "ERA.xlsx"
    subprocess.run([*SHEETGEN, "build", "-q", "--iterations", "2", "-o", str(ours)], check=True)
    before = digest(ours)

    def small_disk():  # the file-size limit stands in for a full disk: writes past it fail
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))

    done = subprocess.run(
        [*SHEETGEN, "build", "-q", "-o", str(ours)], preexec_fn=small_disk, capture_output=True, text=True
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert re.fullmatch(
        r"sheetgen: error: .*ERA.xlsx: cannot write: .*\(the previous file, if any, is untouched\)\n", done.stderr
    )
    assert digest(ours) == before and sorted(p.name for p in tmp_path.iterdir()) == ["ERA.xlsx"]


@pytest.mark.slow
def test_killed_at_any_moment_the_old_file_survives(tmp_path):
    """kill -9 at 20 moments spread over a build: the old workbook stays whole and readable."""
    ours = tmp_path / "ERA.xlsx"
    cmd = [*SHEETGEN, "build", "-q", "--iterations", "150", "-o", str(ours)]
    subprocess.run(cmd, check=True)
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    duration = time.perf_counter() - start
    before, kills, finished = digest(ours), 0, 0
    for n in range(20):
        proc = subprocess.Popen(cmd)
        time.sleep(duration * (n + 0.5) / 20)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        if digest(ours) != before:  # the build won the race and replaced it whole
            finished += 1
            before = digest(ours)
        with zipfile.ZipFile(ours) as z:
            assert z.testzip() is None
        assert workbook.is_ours(ours)
    assert kills >= 10  # most of the 20 land mid-build (fewer when the machine is busy and builds run slower)
    # the next build clears what the killed ones left behind
    subprocess.run([*SHEETGEN, "build", "-q", "--iterations", "2", "-o", str(ours)], check=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ERA.xlsx"]


# -- only regular files: never a device, a FIFO or a socket, whichever command and flag --------


def _special(kind: str, path):
    """A FIFO, a device (our own /dev/zero: reading it never ends), a socket, or a link to itself."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 5))
        except PermissionError:
            pytest.skip("making a device node needs root")
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(str(path))
    else:
        os.symlink(path.name, path)
    return stat.S_IFMT(os.lstat(path).st_mode)


def _bounded():
    """A run that goes wrong must not take the machine with it: 2 GB of memory at most."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


SPECIAL = {"fifo": "is a FIFO", "device": "is a character device", "socket": "is a socket", "loop": "symbolic links"}
COMMANDS = {  # where the node sits, and the command line that meets it
    "build -o": ("out.xlsx", ["build", "-q", "--iterations", "2", "-o", "{node}"]),
    "build -o --force": ("out.xlsx", ["build", "-q", "--iterations", "2", "-o", "{node}", "--force"]),
    "build TEMPLATE": ("mine.toml", ["build", "-q", "{node}", "-o", "{tmp}/other.xlsx"]),
    "verify": ("book.xlsx", ["verify", "-q", "{node}"]),
    "report": ("README.md", ["report", "--iterations", "2", "--lr", "0.5", "-o", "{tmp}"]),
}


@pytest.mark.parametrize(
    "command, kind",
    [(c, k) for c in COMMANDS for k in SPECIAL if c.startswith("build -o") or k in ("fifo", "device")],
)
def test_only_regular_files_are_read_or_replaced(tmp_path, command, kind):
    """Not read (/dev/zero once ate all memory, a FIFO hung), not replaced even with --force."""
    name, argv = COMMANDS[command]
    node = tmp_path / name
    before = _special(kind, node)
    argv = [a.replace("{node}", str(node)).replace("{tmp}", str(tmp_path)) for a in argv]
    done = subprocess.run([*SHEETGEN, *argv], capture_output=True, text=True, timeout=60, preexec_fn=_bounded)
    assert done.returncode == 2 and done.stdout == "", done.stderr
    assert done.stderr.startswith(f"sheetgen: error: {node}: ") and done.stderr.count("\n") == 1, done.stderr
    assert SPECIAL[kind] in done.stderr
    assert stat.S_IFMT(os.lstat(node).st_mode) == before and os.listdir(tmp_path) == [name]


def test_a_symbolic_link_is_written_through(capsys, tmp_path):
    real = tmp_path / "real.xlsx"
    assert run(capsys, "build", "-q", "--iterations", "2", "-o", str(real))[0] == 0
    before = digest(real)
    (tmp_path / "link.xlsx").symlink_to("real.xlsx")
    assert run(capsys, "build", "-q", "--iterations", "3", "-o", str(tmp_path / "link.xlsx"))[0] == 0
    assert os.readlink(tmp_path / "link.xlsx") == "real.xlsx" and digest(real) != before
    assert sorted(os.listdir(tmp_path)) == ["link.xlsx", "real.xlsx"]


def test_a_read_only_workbook_is_kept_and_a_replaced_one_keeps_its_mode(capsys, tmp_path):
    ours = tmp_path / "ERA.xlsx"
    assert run(capsys, "build", "-q", "--iterations", "2", "-o", str(ours))[0] == 0
    os.chmod(ours, 0o600)  # private: rebuilding must not make it readable by all
    assert run(capsys, "build", "-q", "--iterations", "3", "-o", str(ours))[0] == 0
    assert stat.S_IMODE(ours.stat().st_mode) == 0o600
    os.chmod(ours, 0o444)
    before = digest(ours)
    code, out, err = run(capsys, "build", "-q", "--iterations", "2", "-o", str(ours))
    assert code == 2 and "is read-only" in err and "--force" in err and digest(ours) == before
    assert run(capsys, "build", "-q", "--iterations", "2", "-o", str(ours), "--force")[0] == 0
    assert stat.S_IMODE(ours.stat().st_mode) == 0o444 and digest(ours) != before


def test_a_name_near_the_length_limit_is_written(capsys, tmp_path):
    name = "é" * 125 + ".xlsx"  # 255 bytes: the longest a file name may be
    code, out, err = run(capsys, "build", "-q", "--iterations", "2", "-o", str(tmp_path / name))
    assert code == 0 and os.listdir(tmp_path) == [name], err


# -- a workbook the user changed is theirs ---------------------------------------------------


def _saved_by_openpyxl(path):
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["LR 0.1"]["A16"] = "my notes"
    wb.save(path)


def _part_added(path):
    with zipfile.ZipFile(path, "a") as z:  # keeps the zip's comment
        z.writestr("notes.txt", "my notes")


def _sheet_edited_seal_kept(path):
    """A tool that rewrites one part and copies the rest, comment and all."""
    with zipfile.ZipFile(path) as z:
        parts, comment = [(i, z.read(i)) for i in z.infolist()], z.comment
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info, data.replace(b"-eta*", b"-2*eta*") if info.filename.endswith("sheet2.xml") else data)
        z.comment = comment


@pytest.mark.parametrize("change", [_saved_by_openpyxl, _part_added, _sheet_edited_seal_kept])
def test_a_workbook_changed_since_sheetgen_wrote_it_is_not_replaced(capsys, tmp_path, change):
    ours = tmp_path / "ERA.xlsx"
    assert run(capsys, "build", "-q", "--iterations", "2", "-o", str(ours))[0] == 0
    change(ours)
    before = digest(ours)
    code, out, err = run(capsys, "build", "-q", "--iterations", "2", "-o", str(ours))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "changed since sheetgen wrote it" in err and "--force" in err and digest(ours) == before
    assert run(capsys, "build", "-q", "--iterations", "2", "-o", str(ours), "--force")[0] == 0
    assert workbook.unchanged(ours)


# -- interrupted: Ctrl-C, or kill -------------------------------------------------------------


def _default_signals():
    # a process started in the background inherits SIGINT ignored; a user's terminal does not do that
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    "sig, code, message", [(signal.SIGINT, 130, "sheetgen: interrupted\n"), (signal.SIGTERM, 143, "")]
)
def test_interrupted_while_writing_leaves_the_old_workbook_and_no_temporary_file(tmp_path, sig, code, message):
    ours, scratch = tmp_path / "out" / "ERA.xlsx", tmp_path / "tmp"
    scratch.mkdir()
    subprocess.run([*SHEETGEN, "build", "-q", "--iterations", "2", "-o", str(ours)], check=True)
    before = digest(ours)
    cmd = [*SHEETGEN, "build", "-q", "--iterations", "3000", "--lr", "0.5", "-o", str(ours)]
    env = dict(os.environ, TMPDIR=str(scratch))  # where xlsxwriter keeps its own scratch files
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=_default_signals)
    try:
        deadline = time.monotonic() + 60
        while not any(p.suffix == ".tmp" for p in ours.parent.iterdir()):  # it is writing
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(0.3)  # into the rows
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert (proc.returncode, err) == (code, message)
    assert os.listdir(ours.parent) == ["ERA.xlsx"] and digest(ours) == before and workbook.unchanged(ours)
    assert list(scratch.iterdir()) == []


def test_ctrl_c_during_verify_takes_libreoffice_down(tmp_path):
    book = tmp_path / "small.xlsx"
    subprocess.run([*SHEETGEN, "build", "-q", "--iterations", "2", "-o", str(book)], check=True)
    fake = tmp_path / "soffice"  # stands in for LibreOffice: it works for a minute
    fake.write_text(f"#!/bin/sh\necho $$ > {tmp_path}/pid\nexec sleep 60\n")
    fake.chmod(0o755)
    env = dict(os.environ, SHEETGEN_SOFFICE=str(fake))
    proc = subprocess.Popen([*SHEETGEN, "verify", "-q", str(book)], env=env, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_signals)  # fmt: skip
    pid = None
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "pid").is_file() or not (tmp_path / "pid").read_text().strip():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        pid = int((tmp_path / "pid").read_text())
        time.sleep(0.5)  # LibreOffice at work, as when a user gives up waiting
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert (proc.returncode, err) == (130, "sheetgen: interrupted\n")
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    finally:
        proc.kill()
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_template_text_is_always_text(tmp_path):
    """A description that looks like a formula is written as text, never evaluated."""
    tricks = ['=HYPERLINK("http://x","click")', "@SUM(1)", "+1+1", "-2", "=1/0"]
    era = (spec.templates_dir() / "era.toml").read_text()
    era = era.replace("iterations = 100", "iterations = 2").replace("[0.1, 0.2, 0.5, 0.8, 1.0, 2.0]", "[0.5]")
    for n, trick in enumerate(tricks):
        # the template's own description (a flag would replace it with one of the network)
        s = spec.parse(era.replace('description = "', f"description = {trick!r} #"), "t.toml")
        assert s.description == trick
        path = tmp_path / f"t{n}.xlsx"
        workbook.build(s, path)
        with zipfile.ZipFile(path) as z:
            summary = z.read("xl/worksheets/sheet1.xml").decode()
            tab = z.read("xl/worksheets/sheet2.xml").decode()
        text = re.search(r'<c r="A2"[^>]*>(.*?)</c>', summary)[1]  # the Summary holds the description
        assert "<f>" not in text and "<is><t" in text and escape(trick) in text  # an inline string, not a formula
        title = re.search(r'<c r="A1"[^>]*><f>(.*?)</f>', tab)[1]  # each tab's title refers to it
        assert title == escape('"η = "&eta&" — "&\'Summary\'!$A$2')


@pytest.mark.parametrize(
    "text, expected",
    [("LR 0.1", "LR 0.1"), ("a[b]:c*d?e/f\\g", "a(b)-c-d-e-f-g"), ("x" * 40, "x" * 31), ("", "Sheet")],
)
def test_sheet_names_are_made_valid(text, expected):
    assert workbook.valid_sheet_name(text, set()) == expected


def test_sheet_names_are_unique():
    taken = set()
    names = [workbook.valid_sheet_name("y" * 35, taken) for _ in range(3)]
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)


# -- fuzzing: whatever the template or the command line says, one clear line or a workbook -----

KEYS = ["description", "output", "iterations", "learning_rates", "network", "layers", "activation", "bias",
        "biases", "inputs", "targets", "weights", "seed", "leaky_slope", "x", "itérations"]  # fmt: skip
SCALARS = st.one_of(
    st.integers(-3, 8),
    st.sampled_from([0, 10**7, 2**70, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.booleans(),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=9), st.lists(st.integers(1, 3), min_size=2, max_size=4))


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if v != v else ("inf" if v > 0 else "-inf") if v in (float("inf"), float("-inf")) else repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return "[" + ", ".join(toml_value(x) for x in v) + "]"


@st.composite
def templates(draw) -> bytes:
    """Mostly the era template with a few keys changed, dropped or added; sometimes raw bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200))
    # keep accepted templates quick to build: a few iterations, cut before any change is made (cut
    # after, a value set to 10**7 became "iterations = 300000": six tabs, an hour's build)
    text = (spec.templates_dir() / "era.toml").read_text().replace("iterations = 100", "iterations = 3")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    for _ in range(draw(st.integers(0, 3))):
        n = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["set", "drop", "add", "garble"]))
        if action == "set" and "=" in lines[n]:
            lines[n] = lines[n].split("=")[0] + "= " + toml_value(draw(VALUES))
        elif action == "drop":
            del lines[n]
        elif action == "add":
            lines.insert(n, f"{draw(st.sampled_from(KEYS))} = {toml_value(draw(VALUES))}")
        else:
            lines[n] = lines[n][: draw(st.integers(0, len(lines[n])))]
    return "\n".join(lines).encode()


BUILT: list = []


@settings(max_examples=int(os.environ.get("SHEETGEN_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(template=templates(), extra=st.lists(st.sampled_from(
    ["--lr", "0.5", "-1", "abc", "--iterations", "4", "0", "--layers", "3,2", "2,2,2", "--activation", "tanh",
     "gelu", "--bias", "fixed", "--seed", "5", "--inputs", "1,2", "--targets", "0.5", "nan", "--force", "-q"]),
    max_size=5))  # fmt: skip
def test_fuzz_never_a_traceback(tmp_path_factory, capsys, template, extra):
    # in-process: an exception escaping main() is the traceback a user would see, and fails this test
    where = tmp_path_factory.mktemp("fuzz")
    (where / "t.toml").write_bytes(template)
    out = where / "out.xlsx"
    capsys.readouterr()
    code, stdout, stderr = run(capsys, "build", str(where / "t.toml"), "-o", str(out), "-q", *extra)
    if code == 0:
        assert out.is_file()
        BUILT.append(out)
    else:
        assert code == 2 and stdout == "" and out.exists() is False
        assert stderr.startswith("sheetgen: error: ") and stderr.count("\n") == 1, stderr


@pytest.mark.libreoffice
def test_fuzz_built_workbooks_pass_verify():
    """The accepted ones from the fuzz run above, in one LibreOffice run."""
    from sheetgen.check import verify

    from .conftest import need_libreoffice

    need_libreoffice()
    assert len(BUILT) >= 5, "the fuzz run accepted too few templates to check"
    print(f"{len(BUILT)} fuzzed templates were accepted; verifying {min(len(BUILT), 40)}")
    reports = verify.verify(BUILT[:40])
    assert all(r.ok for r in reports), [(r.path, [p for t in r.tabs for p in t.problems]) for r in reports if not r.ok]
