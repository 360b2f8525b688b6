"""Shared fixtures. The xlwings licence key must be set before anything imports xlwings."""

from __future__ import annotations

import os

# xlwings' remote engine (xw.Book(json=...)) is PolyForm Noncommercial code; the key "noncommercial" is what
# that licence offers for non-commercial use such as this open project's tests. Clerks never need it.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
# Tests import openpyxl directly, maybe before anything imports gongkai (whose __init__ sets the same): without
# lxml openpyxl parses through defusedxml, as gongkai's writers expect (python-docx brings lxml).
os.environ.setdefault("OPENPYXL_LXML", "False")
