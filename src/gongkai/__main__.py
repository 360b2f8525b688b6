"""`python -m gongkai`."""

from .cli import main

raise SystemExit(main())
