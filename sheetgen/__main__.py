from sheetgen.cli import entrypoint

entrypoint()
