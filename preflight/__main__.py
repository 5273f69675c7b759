"""``python -m preflight``: the one place that exits (``preflight.cli.entry``)."""

from preflight.cli import entry

if __name__ == "__main__":
    entry()
