"""A vacancy's fields → what the index stores about it (:class:`IndexedVacancy`). Pure; the same
function serves the database pipeline (``pipeline.indexed_vacancy``) and the offline evaluation,
so the evaluation measures what production does."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jobs.matching.index import IndexedVacancy
from jobs.matching.limits import vacancy_demands
from jobs.matching.text import normalise_certificates, tokenize, words
from jobs.matching.vocabulary import vocabulary


def vacancy_token_text(*, title: str, occupation: str = "", description: str = "", requirements: str = "",
                       certificates: Sequence[str] = ()) -> str:
    return " ".join([title, title, occupation, description, requirements, " ".join(certificates or [])])


def code_vacancy(*, title: str, occupation: str = "", description: str = "") -> list[str]:
    """Canonical occupations of a vacancy, primary first (see ``Vocabulary.code_vacancy``)."""
    return vocabulary().code_vacancy(occupation=occupation, title=title, description=description)


def vacancy_record(*, id: int, region_codes: list[str], township: str, title: str, occupation: str = "",
                   description: str = "", requirements: str = "", certificates: Sequence[str] = (),
                   hours: str = "", vector: np.ndarray | None = None, tokens: list[str] | None = None,
                   occupation_code: str = "") -> IndexedVacancy:
    """``occupation_code`` is the stored (possibly staff-corrected) 大典 code: when it names an
    occupation of the vocabulary, that occupation is the primary one."""
    vocab = vocabulary()
    certificates = normalise_certificates(certificates)
    coded = code_vacancy(title=title, occupation=occupation, description=description)
    if occupation_code:
        chosen = [o.name for o in vocab.by_code(occupation_code)]
        if chosen and not (coded and coded[0] in chosen):
            coded = [chosen[0], *[c for c in coded if c != chosen[0]]]
    primary = vocab.get(coded[0]) if coded else None
    code = occupation_code or (primary.code if primary else "")
    text = vacancy_token_text(title=title, occupation=occupation, description=description,
                              requirements=requirements, certificates=certificates)
    if tokens is None:
        tokens = tokenize(text)
    demands = vacancy_demands(title=title, description=description, requirements=requirements, hours=hours,
                              certificates=certificates,
                              occupation_demands=primary.demands if primary else ())
    return IndexedVacancy(
        id=id, region_codes=region_codes, township=township, occupation=primary.name if primary else occupation,
        certificates=list(certificates), hours=hours, tokens=tokens, vector=vector, occupations=coded,
        occupation_code=code, words=sorted(set(words(text))), demands=demands.as_meta(),
    )
