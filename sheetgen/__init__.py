"""sheetgen: builds the "backpropagation by hand" workbook with live formulas, and proves it right.

Pipeline, one module per stage:
    template (TOML) -> spec.Spec -> reference trace -> layout.Layout -> formulas -> workbook -> verify
"""

__version__ = "0.1.0"
