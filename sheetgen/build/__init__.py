"""template → Spec → Layout → formulas → workbook: the workbook sheetgen builds (workbook, with its
Summary and Derivation tabs), the column widths Excel will show (metrics), and `report`'s README
and pictures. It never imports the judge: what it builds is checked by sheetgen.check."""
