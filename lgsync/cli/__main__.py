"""``python -m lgsync.cli``: the ``lgsync`` command without its console script."""

from __future__ import annotations

import sys

from lgsync.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
