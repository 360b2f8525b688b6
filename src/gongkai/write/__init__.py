"""Writers (openpyxl, pandas): workbooks from plans, annotated copies, the clean and tidy export.

`marks.py` (what to mark, the 校验结果 rows) is pure and shared by `annotate.py` (openpyxl) and `xl.py` (xlwings).
"""
