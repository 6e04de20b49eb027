"""What sheetgen reads, replaces or writes: regular files, or nothing yet.

Anything else is refused before it is opened: reading a device (/dev/zero, /dev/full) never ends,
opening a FIFO waits for a writer forever, and replacing either (with --force) would swap a device
node for a file.
"""

import os
import stat
import zipfile

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


def write_atomic(path, data: bytes, error=WorkbookError) -> None:
    """Write `data` to `path` through a temporary file beside it, renamed over it when whole: the old
    file, if any, stays until the new one is complete (a symbolic link is written through)."""
    import tempfile

    regular(path, error, "cannot write: ")
    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise error(f"{path}: cannot write in {folder}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes it private; this is an ordinary file
        os.replace(tmp, target)
    except OSError as e:
        raise error(f"{path}: cannot write: {e.strerror or e} (the previous file, if any, is untouched)") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
