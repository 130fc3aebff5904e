"""A vacancy's text → what the index stores about it (:class:`IndexedVacancy`). Pure; the same
function serves the database pipeline (``pipeline.indexed_vacancy``) and the offline evaluation,
so the evaluation measures what production does."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jobs.matching.index import IndexedVacancy
from jobs.matching.text import normalise_certificates, normalise_occupation, tokenize


def vacancy_token_text(*, title: str, occupation: str = "", description: str = "", requirements: str = "",
                       certificates: Sequence[str] = ()) -> str:
    return " ".join([title, title, occupation, description, requirements, " ".join(certificates or [])])


def vacancy_record(*, id: int, region_codes: list[str], township: str, title: str, occupation: str = "",
                   description: str = "", requirements: str = "", certificates: Sequence[str] = (),
                   hours: str = "", vector: np.ndarray | None = None, tokens: list[str] | None = None) -> IndexedVacancy:
    occupation = normalise_occupation(occupation)
    certificates = normalise_certificates(certificates)
    if tokens is None:
        tokens = tokenize(vacancy_token_text(title=title, occupation=occupation, description=description,
                                             requirements=requirements, certificates=certificates))
    return IndexedVacancy(id=id, region_codes=region_codes, township=township, occupation=occupation,
                          certificates=list(certificates), hours=hours, tokens=tokens, vector=vector)
