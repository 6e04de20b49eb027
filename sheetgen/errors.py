"""The few exceptions the library raises; the CLI turns each into one line and an exit status."""


class SheetgenError(Exception):
    """Base class: the message is one complete line, ready for the user."""


class SpecError(SheetgenError):
    """A template or an override is not acceptable (names the file and the key)."""


class WorkbookError(SheetgenError):
    """A file is not a sheetgen workbook, or cannot be read or written."""


class RecalcError(SheetgenError):
    """LibreOffice is missing, failed, or timed out."""


class RecalcTimeout(RecalcError):
    """LibreOffice or Gnumeric did not finish within the time given (--timeout)."""


class ClassError(SheetgenError):
    """A roster or a class folder is not acceptable (names the file, the line and what is allowed)."""
