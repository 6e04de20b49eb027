"""Any workbook → reader → tables (where the table is, what each column holds) → judge (each cell
against the cells it reads) + diagnose (why it is wrong, and the fix) → run (a file's verdict).
ownsheets reads sheetgen's own tabs back, and verify judges a workbook sheetgen built."""

from sheetgen.check.run import UNCHECKED, FileResult, TableResult, check, each, text

__all__ = ["UNCHECKED", "FileResult", "TableResult", "check", "each", "text"]
