#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml (`make lock`; run it after changing a dependency).
#
#   requirements.lock             every package of the app + the dev and production extras, as
#                                 constraints: `pip install -c requirements.lock -e '.[dev]'`
#                                 (make run, make test, CI). No hashes: pip turns a constraints
#                                 file with hashes into hash-checking mode for the whole install,
#                                 and an editable install cannot be hash-checked.
#   requirements-production.lock  the app + the production extra, the same versions, with
#                                 hashes, for deployments (README, Operations).
#
# Existing pins are kept; `./scripts/lock.sh --upgrade` (or `--upgrade-package NAME`) moves them.
# pip-tools runs in a throwaway venv and sees PyPI only, whatever this machine's pip
# configuration adds (local wheel folders would otherwise leave hashes PyPI does not have).
# The lock is resolved for the Python that runs this (CI's: 3.11) on Linux.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
PIP_TOOLS=${PIP_TOOLS:-pip-tools==7.6.2}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PIP_CONFIG_FILE=/dev/null
unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL PIP_CONSTRAINT PIP_REQUIRE_VIRTUALENV
export CUSTOM_COMPILE_COMMAND="make lock"

"$PYTHON" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q "$PIP_TOOLS"
compile=("$tmp/venv/bin/pip-compile" --quiet --strip-extras --no-emit-index-url
  --no-emit-find-links --no-emit-trusted-host --cache-dir "$tmp/cache")

"${compile[@]}" "$@" --extra dev --extra production -o requirements.lock pyproject.toml
# Same versions as requirements.lock (it is the constraint), so production runs what CI tested.
"${compile[@]}" "$@" --extra production --generate-hashes -c requirements.lock \
  -o requirements-production.lock pyproject.toml
echo "requirements.lock: $(grep -c '==' requirements.lock) packages;" \
  "requirements-production.lock: $(grep -c '==' requirements-production.lock)"
