"""What sheetgen reads, replaces or writes: regular files, or nothing yet; and the one atomic write.

Anything else is refused before it is opened: reading a device (/dev/zero, /dev/full) never ends,
opening a FIFO waits for a writer forever, and replacing either (with --force) would swap a device
node for a file.
"""

import glob
import os
import stat
import tempfile
import zipfile
from pathlib import Path

from sheetgen.errors import WorkbookError

KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
}


def regular(path, error=WorkbookError, doing: str = "") -> os.stat_result | None:
    """The stat of `path` (a symbolic link followed) if it is a regular file, None if nothing is
    there yet; anything else raises `error` with one line naming the path (and what we were
    `doing`, e.g. "cannot read template: ")."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:  # a loop of symbolic links, a name too long, a folder we may not enter
        raise error(f"{path}: {doing}{e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
        raise error(f"{path}: {doing}is {kind}; sheetgen reads and writes regular files only")
    return st


def may_write_in(path, error=WorkbookError) -> None:
    """Refuse, before anything is written, a file that is not a regular file (a device, a FIFO), or
    whose folder cannot hold it: a file where a folder should be (`-o notes.txt/book.xlsx`), or a
    folder of devices (`/dev`: a file written there sits among the machine's devices)."""
    path = Path(path)
    if not os.path.isdir(path):
        regular(path, error)  # the file itself: never a device, a FIFO or a socket
    for folder in (path.parent, *path.parent.parents):
        if not os.path.exists(folder):
            continue  # to be made, in the first folder that exists
        if not os.path.isdir(folder):
            raise error(f"{path}: {folder} is a file, not a folder; give a path in a folder")
        if device := _a_device_in(folder):
            raise error(f"{path}: {folder} is a folder of devices ({device}, …), not of files; give another folder")
        return


def _a_device_in(folder) -> str | None:
    """The name of a device node in `folder`, if it holds one (regular files, folders and links are told
    apart by the folder's own listing, without a stat each)."""
    try:
        with os.scandir(folder) as entries:
            for e in entries:
                if e.is_file(follow_symlinks=False) or e.is_dir(follow_symlinks=False) or e.is_symlink():
                    continue
                mode = e.stat(follow_symlinks=False).st_mode
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                    return e.name
    except OSError:  # a folder we may not list: writing in it says why, in its own words
        pass
    return None


def check_workbook(path) -> None:
    """Refuse, with one line, anything that is not an .xlsx workbook — judged by its content, not
    its name, so a workbook renamed without `.xlsx` is still one."""
    if regular(path) is None:
        raise WorkbookError(f"{path}: no such file")
    try:
        with zipfile.ZipFile(path) as z:
            z.getinfo("xl/workbook.xml")
    except zipfile.BadZipFile:
        raise WorkbookError(f"{path}: not an .xlsx workbook (not a zip file)") from None
    except KeyError:
        raise WorkbookError(f"{path}: not an .xlsx workbook (a zip file without xl/workbook.xml)") from None
    except OSError as e:
        raise WorkbookError(f"{path}: cannot read: {e.strerror or e}") from None


def atomic(path, write_to, error=WorkbookError, mode: int | None = None, failures: tuple = (), shown=None) -> None:
    """The one way sheetgen writes a file: `write_to(tmp)` fills a temporary file beside `path`, which
    is renamed over it only when whole, so an interrupted or failed write (Ctrl-C, a full disk) leaves
    the previous file, if any, as it was, and no temporary file behind. The temporary name carries our
    pid, so a later write can tell a killed run's leftover (removed) from a live one's. The file gets
    `mode`, or an ordinary file's permissions (0o666 less the umask; mkstemp's are private).
    `failures`: exception types of `write_to` besides OSError that mean "could not write" (a library's
    own); each becomes `error`, one line naming `shown` (default `path`)."""
    path = Path(path)
    shown = path if shown is None else shown
    try:
        _remove_stale_temps(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{_stem(path)}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as e:
        raise error(f"{shown}: cannot write in {path.parent}: {e.strerror or e}") from None
    try:
        write_to(tmp)
        os.chmod(tmp, 0o666 & ~umask() if mode is None else mode)
        os.replace(tmp, path)
    except (OSError, *failures) as e:
        reason = getattr(e, "strerror", None) or str(e).split(":")[-1].strip() or type(e).__name__
        raise error(f"{shown}: cannot write: {reason} (the previous file, if any, is untouched)") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_stale_temps(path: Path) -> None:
    """Temporary files of writes that were killed (their process is gone)."""
    stem = _stem(path)
    for tmp in path.parent.glob(f".{glob.escape(stem)}.*.tmp"):
        pid = tmp.name[len(stem) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and os.path.isfile(tmp):
            tmp.unlink(missing_ok=True)


def _stem(path: Path) -> str:
    """The file's name as its temporary file starts, cut to 100 bytes: a name near the 255-byte
    limit must leave room for the pid and mkstemp's suffix."""
    stem = path.name
    while len(os.fsencode(stem)) > 100:
        stem = stem[:-1]
    return stem


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_atomic(path, data: bytes, error=WorkbookError) -> None:
    """`data` written to `path` by the one atomic write (a symbolic link is written through)."""
    regular(path, error, "cannot write: ")
    atomic(os.path.realpath(path), lambda tmp: Path(tmp).write_bytes(data), error, shown=path)
