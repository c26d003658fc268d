"""Config section -> solver settings, and the deviations from the paper that a run records."""

from __future__ import annotations

from typing import Any, Mapping

from energyrepro.uc.de import DEParams


def de_params(cfg: Mapping[str, Any], method: str) -> DEParams:
    if method not in ("hde", "ihde"):
        raise ValueError(f"uc method {method!r} is not one of hde, ihde")
    return DEParams(pop=cfg["population"], iterations=cfg["iterations"], f=cfg["f"], f_sd=cfg["f_sd"],
                    f_refresh=cfg["f_refresh"], cr=cfg["cr"], eps1=cfg["eps1"], eps2=cfg["eps2"],
                    base=cfg["mutation_base"], sar=method == "ihde", sar_children=cfg["sar_children"],
                    sar_blocks=cfg["sar_blocks"], sar_rate0=cfg["sar_rate0"], sar_tau=cfg["sar_tau"])


def deviations(cfg: Mapping[str, Any], paper: Mapping[str, Any]) -> list[tuple[str, Any, str]]:
    """(key, value, why) for every setting that departs from the paper's section 6."""
    s = paper["settings"]
    out = []
    for key, ours in (("population", cfg["population"]), ("iterations", cfg["iterations"]),
                      ("f", cfg["f"]), ("cr", cfg["cr"]), ("runs", cfg["n_seeds"])):
        if ours != s[key]:
            out.append((key, ours, f"paper section 6 uses {s[key]}; reduced/changed for this profile's budget"))
    out.append(("crossover_orientation", "mutant_if_rand_lt_cr",
                "eq. 18 as printed takes the parent gene when rand < CR; we use the standard DE orientation"))
    out.append(("sar_operator", "interpreted",
                "section 5.2 A-E is underspecified; block rates self-adapt log-normally, best child replaces the oldest"))
    out.append(("repair", "forward_priority_repair",
                "the paper does not describe its repair; ours keeps min up/down, fills reserve, drops surplus start-ups"))
    return out
