"""Spreadsheets as files, knowing nothing of networks: the formula language (excel: tokenize,
parse, evaluate, move a reference), any .xlsx read into cells and values (reader), and a real
engine's recalculation of a stripped copy (recalc: LibreOffice, Gnumeric)."""
