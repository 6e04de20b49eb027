"""How wide things are in Excel: text measured in Calibri 11, the workbook's font, and column widths
chosen so that every number a column shows fits it (Excel shows ### for a number that does not).

Calibri's advance widths are a table here, measured once from Carlito (Debian's
fonts-crosextra-carlito), which is metric-compatible with Calibri: every glyph has Calibri's advance
width, so text lays out the same in both. A table rather than the font file, because Excel's users
have Calibri but rarely Carlito, a build machine may have neither, and a column width needs only
the widths, not a font parser. tests/test_render.py checks the table against the installed Carlito.
"""

import math

UNITS_PER_EM = 2048
POINTS = 11  # the workbook's font size (workbook._formats)
PX_PER_EM = POINTS * 96 / 72  # at 96 dpi, where Excel's column widths are defined

# Advance widths in font units, for the printable ASCII characters " " to "~" in order.
_ASCII = {
    "regular": "463 667 821 1020 1038 1464 1397 452 621 621 1020 1020 511 627 517 791 1038 1038 1038 1038 1038 "
    "1038 1038 1038 1038 1038 548 548 1020 1020 1020 949 1831 1185 1114 1092 1260 1000 941 1292 1276 516 653 1064 "
    "861 1751 1322 1356 1058 1378 1112 941 998 1314 1162 1822 1063 998 959 628 791 628 1020 1020 596 981 1076 866 "
    "1076 1019 625 964 1076 470 490 931 470 1636 1076 1080 1076 1076 714 801 686 1076 925 1464 887 927 809 644 943 "
    "644 1020",
    "bold": "463 667 898 1020 1038 1493 1443 478 638 638 1020 1020 528 627 547 880 1038 1038 1038 1038 1038 1038 "
    "1038 1038 1038 1038 565 565 1020 1020 1020 949 1840 1241 1148 1084 1291 999 940 1305 1292 546 678 1120 866 "
    "1790 1349 1385 1090 1405 1153 968 1014 1337 1211 1856 1128 1064 979 665 880 665 1020 1020 615 1011 1099 857 "
    "1099 1031 648 971 1099 503 523 983 503 1666 1099 1101 1099 1099 728 817 710 1099 969 1526 941 970 814 704 973 "
    "704 1020",
    "italic": "463 667 821 1020 1038 1464 1397 452 621 621 1020 1020 511 627 517 794 1038 1038 1038 1038 1038 "
    "1038 1038 1038 1038 1038 548 548 1020 1020 1020 949 1831 1185 1114 1070 1260 1000 941 1292 1276 516 653 1064 "
    "861 1751 1320 1340 1058 1360 1112 926 998 1314 1162 1823 1063 998 959 628 787 628 1020 1020 596 1053 1053 852 "
    "1053 978 625 1053 1053 470 490 931 470 1620 1053 1051 1053 1053 702 797 686 1053 913 1464 887 916 809 644 943 "
    "644 1020",
}
# the other characters sheetgen writes: regular, bold, italic
_OTHER = {
    "∂": (1091, 1100, 1091),
    "→": (1854, 1854, 1854),
    "η": (1100, 1114, 1076),
    "α": (1162, 1210, 1157),
    "σ": (1089, 1115, 1089),
    "·": (517, 548, 517),
    "−": (1020, 1020, 1020),
    "½": (1375, 1415, 1375),
    "—": (1854, 1854, 1854),
    "…": (1414, 1457, 1413),
}
STYLES = ("regular", "bold", "italic")
ADVANCE = {
    style: {chr(32 + n): int(w) for n, w in enumerate(_ASCII[style].split())}
    | {ch: widths[k] for ch, widths in _OTHER.items()}
    for k, style in enumerate(STYLES)
}
UNKNOWN = UNITS_PER_EM  # any other character counts as a full em, wider than any glyph above

# Excel: a column of width w (in characters) is 7·w + 5 pixels wide in Calibri 11 (its widest digit
# is 7 px on screen, plus 2 px of margin each side and the gridline), and the text area is 7·w.
DIGIT_PX = 7
# Printed (and in LibreOffice), glyphs take their exact advance widths: a digit is 7.43 px, not 7, so
# the widths above are the exact ones; SLACK_PX is kept free as well, for rounding.
SLACK_PX = 2


def text_px(text: str, style: str = "regular", points: float = POINTS) -> float:
    """The width of `text` in Calibri at `points`, in pixels at 96 dpi."""
    table = ADVANCE[style]
    return sum(table.get(ch, UNKNOWN) for ch in text) / UNITS_PER_EM * points * 96 / 72


# one level of indent is three spaces of the font (ECMA-376, alignment@indent)
INDENT = "   "
INDENT_PX = text_px(INDENT)

# the number formats of the workbook's cells (workbook._formats), and how Python writes the same text
FIXED = "0.0000000000"
SCIENTIFIC = "0.000000E+00"
WHOLE = "0"
# from this magnitude on, a FIXED cell is written in SCIENTIFIC instead (workbook.py): 1e150 written
# out would take 161 characters, and a column as wide
HUGE = 1e6
# the workbook's number cells (workbook._formats): the number format each shows, in which weight
CELLS = {
    "iteration": (WHOLE, "regular"),
    "value": (FIXED, "regular"),
    "loss": (SCIENTIFIC, "bold"),
    "gradient": (SCIENTIFIC, "regular"),
}


def huge(x) -> bool:
    """A number too long to write out in FIXED: its cell shows it in SCIENTIFIC."""
    return isinstance(x, float) and not -HUGE < x < HUGE and x == x


def shown(x, num_format: str | None = None) -> str:
    """The text a cell with this number format shows for x: what must fit its column."""
    if isinstance(x, str):
        return x
    if x != x:
        return "#NUM!"  # the reference's NaN is the sheet's #NUM!
    if num_format == FIXED and abs(x) < HUGE:
        return f"{x:.10f}"
    if num_format == FIXED:
        return f"{x:.6E}"  # in the SCIENTIFIC format the cell is given
    if num_format == SCIENTIFIC:
        return f"{x:.6E}"  # 8.727003E-03, and three exponent digits past 1e±99, as Excel writes them
    if num_format == WHOLE:
        return f"{x:.0f}"
    return f"{x:.10g}"  # General: at most 11 characters


def chars(px: float) -> float:
    """The narrowest column width, in Excel's characters (quarters), whose text area holds px pixels."""
    return math.ceil((px + SLACK_PX) / DIGIT_PX * 4) / 4


def fit(texts) -> float:
    """The column width (in Excel's characters) that shows every (text, Calibri style) of `texts` whole."""
    return chars(max((text_px(text, style) for text, style in texts), default=0))


def column_px(width: float) -> int:
    """A column's width in pixels, as Excel (and xlsxwriter's chart placement) computes it."""
    return int(width * DIGIT_PX + 0.5) + 5 if width >= 1 else int(width * (DIGIT_PX + 5) + 0.5)


class Extremes:
    """What a table column holds, as far as its width is concerned: its smallest and largest value
    (the longest texts of either sign) and its smallest magnitude other than zero (the longest
    exponent in E notation). Gathered while the rows stream past; NaN (#NUM!) is never counted."""

    def __init__(self, columns):
        self.columns = list(columns)
        self.lo = [math.inf] * len(self.columns)
        self.hi = [-math.inf] * len(self.columns)
        self.tiny = [math.inf] * len(self.columns)

    def track(self, rows):
        """Pass `rows` (dicts of column -> value) through, noting each value."""
        names, lo, hi, tiny = self.columns, self.lo, self.hi, self.tiny
        for values in rows:
            for i, name in enumerate(names):
                x = values[name]
                if x < lo[i]:
                    lo[i] = x
                if x > hi[i]:
                    hi[i] = x
                if 0 < abs(x) < tiny[i]:
                    tiny[i] = abs(x)
            yield values

    def largest(self, column: str) -> float:
        """The largest magnitude the column reached (0 if it never held a number)."""
        i = self.columns.index(column)
        return max((abs(x) for x in (self.lo[i], self.hi[i]) if math.isfinite(x)), default=0.0)

    def texts(self, column: str, num_format: str) -> list[str]:
        """The widest texts the column shows in this format, "#NUM!" included."""
        i = self.columns.index(column)
        lo, hi, tiny = self.lo[i], self.hi[i], self.tiny[i]
        xs = [lo, hi, tiny, -tiny if lo < 0 else tiny]
        # a column that reaches HUGE may have passed the widest numbers still written out: room for them
        below = math.nextafter(HUGE, 0)
        xs += [below] * (hi >= HUGE) + [-below] * (lo <= -HUGE)
        return [shown(x, num_format) for x in xs if math.isfinite(x)] + ["#NUM!"]
