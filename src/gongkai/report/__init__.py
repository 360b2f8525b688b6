"""Reports of check results: text, JSON, CSV and HTML (`formats.py`, pure) and the .xlsx report (`xlsx_report.py`)."""
