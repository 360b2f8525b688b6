"""The real corpus: published 公开表 as JSON, and the builder that turns them into workbooks (build.py)."""
