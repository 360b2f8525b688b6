"""gongkai: populate, cross-check and export the 部门预算/决算公开表 workbooks.

The core (specs, recognize, checks) knows nothing of Excel or the command line; `cli`, `xl` and the report
writers are thin shells around it.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
