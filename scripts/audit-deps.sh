#!/usr/bin/env bash
# Known vulnerabilities in the locked dependencies (CI: .ci/run, after `make test`).
#
#   pip-audit -r requirements.lock --strict
#
# requirements.lock pins every package the app, the dev and the production extras install, so
# pip-audit checks exactly those versions (--no-deps --disable-pip: nothing is installed or
# resolved again). Exit status:
#   0  no known vulnerability, or the advisory service could not be reached (said loudly: the
#      dependencies were NOT audited; a network outage must not fail the build)
#   1  a locked package has a known vulnerability: upgrade it with
#      `make lock LOCK_ARGS='--upgrade-package NAME'`
#   2  anything else went wrong (pip-audit missing, a package it could not audit, ...)
set -uo pipefail
cd "$(dirname "$0")/.."
LOCK=${LOCK:-requirements.lock}
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

if ! "$PYTHON" -c "import pip_audit" 2>/dev/null; then
  echo "audit-deps: pip-audit is not installed (it is in the dev extra: make install-dev)" >&2
  exit 2
fi

# pip-audit asks PyPI's per-release JSON API (/pypi/NAME/VERSION/json) for advisories. Ask it
# about a release that certainly exists (pip-audit's own): a network error, or a mirror that
# serves only project pages (404 here), means no package can be audited.
if ! "$PYTHON" - <<'EOF'
import sys
import urllib.request
from importlib.metadata import version

url = f"https://pypi.org/pypi/pip-audit/{version('pip-audit')}/json"
try:
    urllib.request.urlopen(url, timeout=20).close()
except OSError as exc:
    print(f"audit-deps: {url}: {exc}", file=sys.stderr)
    sys.exit(1)
EOF
then
  echo "audit-deps: WARNING: the advisory service (PyPI's JSON API) is unreachable;" \
    "$LOCK was NOT audited." >&2
  exit 0
fi

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$PYTHON" -m pip_audit -r "$LOCK" --strict --no-deps --disable-pip --progress-spinner off \
  --format json --output "$out" 2>"$err"
rc=$?

"$PYTHON" - "$out" "$rc" "$LOCK" <<'EOF'
import json
import sys

path, rc, lock = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    with open(path) as fh:
        report = json.load(fh)
except (OSError, ValueError):
    sys.exit(0 if rc == 0 else 3)  # no report: decided below from pip-audit's own message
found = [(d["name"], d["version"], v) for d in report["dependencies"] for v in d.get("vulns", [])]
for name, version, vuln in found:
    fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
    aliases = ", ".join(vuln.get("aliases") or [])
    print(f"  {name}=={version}: {vuln['id']} ({aliases}) fixed in: {fixes}")
if found:
    names = sorted({n for n, _, _ in found})
    print(f"audit-deps: {len(found)} known vulnerabilit{'y' if len(found) == 1 else 'ies'}"
          f" in {lock}: {', '.join(names)}")
    print("  upgrade: make lock LOCK_ARGS='--upgrade-package NAME'")
    sys.exit(1)
print(f"audit-deps: no known vulnerabilities in {lock} ({len(report['dependencies'])} packages)")
sys.exit(0 if rc == 0 else 3)
EOF
verdict=$?
if [ "$verdict" -eq 3 ]; then  # pip-audit failed without finding anything
  if grep -qiE "connection|timed out|resolve|network|temporar|Max retries|SSL" "$err"; then
    cat "$err" >&2
    echo "audit-deps: WARNING: the advisory service could not be reached during the audit;" \
      "$LOCK was NOT audited." >&2
    exit 0
  fi
  cat "$err" >&2
  echo "audit-deps: pip-audit failed (exit $rc) without a result" >&2
  exit 2
fi
exit "$verdict"
