"""Match queries from a search phrase or a seeker profile (pure: vectors are passed in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from jobs.matching.ranking import MatchQuery
from jobs.matching.text import certificates_in, hours_in, normalise_certificates, occupations_in, tokenize

ALL_HOURS = ("day", "night", "shift", "flexible")


def townships_named(text: str, township_names: Mapping[str, str]) -> list[str]:
    """Codes of townships whose name (with or without 镇/乡/街道) the text mentions."""
    codes = []
    for code, name in township_names.items():
        short = name.removesuffix("街道").rstrip("镇乡")
        if name in text or (len(short) >= 2 and short in text):
            codes.append(code)
    return codes


def text_query(text: str, vector: np.ndarray, township_names: Mapping[str, str] | None = None) -> MatchQuery:
    """A free-text search phrase: occupations, certificates, hours and townships are read from it."""
    wanted, ruled_out = hours_in(text)
    return MatchQuery(
        vector=vector, tokens=tokenize(text), occupations=occupations_in(text), certificates=certificates_in(text),
        hours_wanted=wanted, hours_ruled_out=ruled_out,
        township_codes=townships_named(text, township_names or {}),
    )


def profile_query(*, text: str, vector: np.ndarray, desired: Sequence[str] = (), certificates: Sequence[str] = (),
                  hours: Sequence[str] = (), township_codes: Sequence[str] = (), extra: str = "",
                  township_names: Mapping[str, str] | None = None) -> MatchQuery:
    """A registered seeker: the profile's fields are the structured signals.

    Hours the seeker did not list are ruled out (flexible work never is); certificates are all the
    person holds, so a vacancy requiring another one is a mismatch.
    """
    desired = [d for d in desired if d]
    occupations = list(dict.fromkeys([*desired, *[o for d in desired for o in occupations_in(d)]])) \
        or occupations_in(text)
    wanted = [h for h in hours if h in ALL_HOURS]
    _, ruled_out = hours_in(f"{text} {extra}")
    if wanted:
        ruled_out = sorted((set(ruled_out) | (set(ALL_HOURS) - set(wanted))) - {"flexible"})
    return MatchQuery(
        vector=vector, tokens=tokenize(text), occupations=occupations, certificates=normalise_certificates(certificates),
        hours_wanted=wanted, hours_ruled_out=ruled_out, township_codes=list(township_codes),
        holds_all_certificates=True,
    )
