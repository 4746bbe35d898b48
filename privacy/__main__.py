"""`python -m privacy check [TEXT|-] [--json] [--jsonl FILE]`."""

import sys

from privacy.cli import run_cli

if __name__ == "__main__":
    sys.exit(run_cli(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))
