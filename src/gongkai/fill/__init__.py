"""The fill side: line items in, the budget and 决算 sets composed, laid out as published, templates, samples.

Pure plans (`layout.SheetPlan`); writing them to .xlsx is `write/workbook.py`.
"""
