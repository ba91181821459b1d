"""Command-line commands, one module per pipeline area. Each registers on the typer app.

Modules here import only typer and the standard library at import time; the heavy work
(pydantic models, polars, WeasyPrint, openpyxl) is imported inside the command bodies so
that ``kam --help`` answers fast.
"""
