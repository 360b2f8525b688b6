"""xlwings Lite entry point for gongkai: paste into the add-in's main.py editor (requirements in requirements.txt).

Everything is declared once in gongkai.xl; Lite registers the scripts and functions imported here:
validate_workbook (校验), clear_marks (清除标记), fill_from_sheet (填充), export_clean (导出) and the GK_* functions.
"""

from gongkai.xl import *  # noqa: F403
