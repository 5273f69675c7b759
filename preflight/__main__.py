"""``python -m preflight``: the one place that exits."""

import sys

from preflight.cli import main

if __name__ == "__main__":
    sys.exit(main())
