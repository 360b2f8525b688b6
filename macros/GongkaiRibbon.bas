Attribute VB_Name = "GongkaiRibbon"
' gongkai: the 公开表 ribbon tab of the gongkai add-in (classic xlwings, BSD-3).
' Each button runs one script of the Python module gongkai.xl on the active workbook (xw.Book.caller()).
' Source of truth for the add-in's VBA: import this file into gongkai.xlam (see docs/excel.md).
Option Explicit

Sub GongkaiValidate(control As IRibbonControl)
    ' 校验: mark errors (red) and warnings (yellow), list every finding on the 校验结果 sheet
    RunPython "import gongkai.xl; gongkai.xl.validate_workbook()"
End Sub

Sub GongkaiClearMarks(control As IRibbonControl)
    ' 清除标记: restore the marked cells' fills, remove gongkai's notes and sheets
    RunPython "import gongkai.xl; gongkai.xl.clear_marks()"
End Sub

Sub GongkaiFill(control As IRibbonControl)
    ' 填充: fill every budget table from the 预算明细 sheet of this workbook
    RunPython "import gongkai.xl; gongkai.xl.fill_from_sheet()"
End Sub

Sub GongkaiExport(control As IRibbonControl)
    ' 导出: write every table, cleaned, to new sheets 导出_<sheet>
    RunPython "import gongkai.xl; gongkai.xl.export_clean()"
End Sub
