"""Scorers for `single` and `multi` choice scenarios."""

from __future__ import annotations

from .assessment import Assessment, InvalidResponse
from .model import Evidence, PrivacyChecker, Response, Rubric, Scenario

# --------------------------------------------------------------------------- single / multi


def _check_options(scenario: Scenario, response: Response) -> frozenset[str]:
    known = {o.id for o in scenario.options}
    unknown = [s for s in response.selected if s not in known]
    if unknown:
        raise InvalidResponse(f"scenario {scenario.id!r} has no option(s) {', '.join(unknown)}")
    return frozenset(response.selected)


def score_single(
    scenario: Scenario, rubric: Rubric, response: Response, privacy_check: PrivacyChecker | None
) -> dict[str, Assessment]:
    selected = _check_options(scenario, response)
    if len(selected) != 1:
        raise InvalidResponse(f"scenario {scenario.id!r} needs exactly one selected option")
    opt = scenario.option(next(iter(selected)))
    ev = (Evidence("option", opt.text, detail=f"selected option {opt.id}"),)
    return {cid: Assessment(lid, ev) for cid, lid in opt.levels}


def score_multi(
    scenario: Scenario, rubric: Rubric, response: Response, privacy_check: PrivacyChecker | None
) -> dict[str, Assessment]:
    selected = _check_options(scenario, response)
    out: dict[str, Assessment] = {}
    for cid, rules in scenario.mapping:
        for rule in rules:
            if not rule.holds(selected):
                continue
            if rule.is_default:
                chosen = ", ".join(sorted(selected)) or "nothing"
                ev: tuple[Evidence, ...] = (
                    Evidence("default", "", detail=f"default rule (selected: {chosen})"),
                )
            else:
                evs = []
                for oid in (*rule.all, *rule.any):
                    if oid in selected:
                        evs.append(
                            Evidence(
                                "option", scenario.option(oid).text, detail=f"selected option {oid}"
                            )
                        )
                for oid in rule.none:
                    evs.append(
                        Evidence(
                            "option",
                            scenario.option(oid).text,
                            detail=f"did not select option {oid}",
                        )
                    )
                ev = tuple(evs)
            out[cid] = Assessment(rule.level, ev)
            break
        else:  # the loader guarantees a default; stay total for hand-built scenarios
            crit = rubric.criterion(cid)
            out[cid] = Assessment(
                crit.lowest.id, (Evidence("default", "", detail="no rule matched"),)
            )
    return out
