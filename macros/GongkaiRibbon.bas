Attribute VB_Name = "GongkaiRibbon"
' gongkai: the callbacks of the gongkai add-in's ribbon tab (classic xlwings, BSD-3).
' Each button runs one script of the Python module gongkai.xl on the active workbook (xw.Book.caller()).
' Source of truth for the add-in's VBA: import this file into gongkai.xlam (docs/excel.md). ASCII only: the VBA
' editor reads an imported file in the system's ANSI code page.
Option Explicit

Sub GongkaiValidate(control As IRibbonControl)
    ' check: mark errors (red) and warnings (yellow), list every finding on the results sheet
    RunPython "import gongkai.xl; gongkai.xl.validate_workbook()"
End Sub

Sub GongkaiClearMarks(control As IRibbonControl)
    ' clear marks: restore the marked cells' fills, remove gongkai's notes and sheets
    RunPython "import gongkai.xl; gongkai.xl.clear_marks()"
End Sub

Sub GongkaiFill(control As IRibbonControl)
    ' fill: every budget table from the line-items sheet of this workbook
    RunPython "import gongkai.xl; gongkai.xl.fill_from_sheet()"
End Sub

Sub GongkaiExport(control As IRibbonControl)
    ' export: write every table, cleaned, to new sheets
    RunPython "import gongkai.xl; gongkai.xl.export_clean()"
End Sub
