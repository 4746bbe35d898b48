"""Word lists bundled in privacy/data (sources and licences in its README), loaded at import."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_list(name: str, *, lower: bool = True) -> frozenset[str]:
    """Read one bundled list: one entry a line, '#' at a line start is a comment."""
    entries: set[str] = set()
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        for line in handle:
            entry = line.strip()
            if entry and not entry.startswith("#"):
                entries.add(entry.lower() if lower else entry)
    return frozenset(entries)


FIRST_NAMES = load_list("first_names.txt")
PUBLIC_DOMAINS = load_list("public_domains.txt")
PERSONAL_DOMAINS = load_list("personal_domains.txt")
CONDITION_PATTERNS = load_list("conditions.txt", lower=False)
RARE_CONDITION_PATTERNS = load_list("rare_conditions.txt", lower=False)
OCCUPATIONS = load_list("occupations.txt")


def domain_in(host: str, domains: frozenset[str]) -> bool:
    """True when host is one of domains or a subdomain; entries starting with '.' are suffixes."""
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    for domain in domains:
        if domain.startswith("."):
            if host.endswith(domain) or host == domain[1:]:
                return True
        elif host == domain or host.endswith("." + domain):
            return True
    return False
