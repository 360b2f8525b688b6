"""gongkai: populate, cross-check and export the 部门预算/决算公开表 workbooks.

The core (specs, recognize, checks) knows nothing of Excel or the command line; `cli`, `xl` and the report
writers are thin shells around it.
"""

from __future__ import annotations

import os

# python-docx (the Word reader) brings lxml, and with lxml installed openpyxl parses with lxml instead of the
# standard library, which skips defusedxml (its guard against entity attacks in workbooks from strangers) and
# changes how it writes XML. Every gongkai module is imported through this package, so this runs before any of
# them imports openpyxl; a caller who sets OPENPYXL_LXML themselves keeps their choice.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"

__all__ = ["__version__"]
