"""Between the database and the index: stored vectors, index sync and rebuild, query building.

Vectors are computed once per text: a row's ``vector_text_hash`` is the sha256 of the text it
encodes and ``vector_model`` the encoder fingerprint; a row is re-encoded only when either changes.
Encoding is batched (the encoder is loaded once per process by ``get_encoder()``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterable

import numpy as np
from django.conf import settings
from django.db.models import QuerySet

from jobs import hooks
from jobs.matching.encoder import get_encoder
from jobs.matching.index import IndexedVacancy, get_store
from jobs.matching.queries import profile_query, text_query
from jobs.matching.ranking import MatchQuery
from jobs.matching.records import vacancy_record, vacancy_token_text
from jobs.matching.text import seeker_text, text_hash, tokenize, vacancy_text
from jobs.matching.vocabulary import vocabulary

logger = logging.getLogger(__name__)
BATCH = 256


def vector_of(row) -> np.ndarray | None:
    if row.vector is None:
        return None
    return np.frombuffer(bytes(row.vector), dtype=np.float32)


def vacancy_matching_text(vacancy) -> str:
    return vacancy_text(
        title=vacancy.title, occupation=vacancy.occupation, description=vacancy.description,
        requirements=vacancy.requirements, certificates=vacancy.certificates,
        hours_label=str(vacancy.get_hours_display()) if vacancy.hours else "",
    )


def vacancy_tokens(vacancy) -> str:
    """Space-joined jieba tokens of the vacancy's searchable text (stored in ``search_tokens``)."""
    return " ".join(tokenize(vacancy_token_text(
        title=vacancy.title, occupation=vacancy.occupation, description=vacancy.description,
        requirements=vacancy.requirements, certificates=vacancy.certificates or [])))


def seeker_matching_text(seeker) -> str:
    """The encoded text of a profile, with the certificates earned in training beside those on the
    profile: earning one changes the text, so the stored vector (keyed by the text's hash) is
    re-encoded — by ``jobs.encode_seeker`` queued when the certificate is recorded, or on the next
    match at the latest."""
    return seeker_text(skills=seeker.skills, experience=seeker.experience,
                       desired_occupations=seeker.desired_occupations, certificates=seeker_certificates(seeker))


def ensure_vectors(rows: Iterable, text_of, *, encoder=None) -> int:
    """Encode the rows whose text or model changed (in batches); returns how many were encoded."""
    rows = list(rows)
    if not rows:
        return 0
    encoder = encoder or get_encoder()
    fingerprint = encoder.fingerprint
    stale = []
    for row in rows:
        text = text_of(row)
        digest = text_hash(text)
        if row.vector is None or row.vector_text_hash != digest or row.vector_model != fingerprint:
            stale.append((row, text, digest))
    if not stale:
        return 0
    model = type(stale[0][0])
    for start in range(0, len(stale), BATCH):
        chunk = stale[start:start + BATCH]
        vectors = encoder.encode_for_matching([text for _, text, _ in chunk])
        for (row, _, digest), vector in zip(chunk, vectors, strict=True):
            row.vector = vector.astype(np.float32).tobytes()
            row.vector_text_hash = digest
            row.vector_model = fingerprint
        model.objects.bulk_update([row for row, _, _ in chunk], ["vector", "vector_text_hash", "vector_model"])
    return len(stale)


def indexed_vacancy(vacancy) -> IndexedVacancy:
    """What the index keeps of a vacancy: the same record the evaluation builds (records.vacancy_record),
    with the stored tokens, vector and (possibly staff-corrected) occupation code."""
    codes = [c for c in vacancy.region.path.split("/") if c]
    return vacancy_record(
        id=vacancy.pk, region_codes=codes, township=vacancy.region.name, title=vacancy.title,
        occupation=vacancy.occupation, description=vacancy.description, requirements=vacancy.requirements,
        certificates=list(vacancy.certificates or []), hours=vacancy.hours,
        tokens=(vacancy.search_tokens or "").split() or None, vector=vector_of(vacancy),
        occupation_code=vacancy.occupation_code if vacancy.occupation_code_confirmed else "",
    )


def _open_q():
    from jobs.selectors import open_vacancy_q

    return open_vacancy_q()


def sync_vacancies(vacancy_ids: Iterable[int]) -> dict:
    """Bring the index in step with these vacancies: open ones (re-)added, others removed."""
    from jobs.models import Vacancy

    ids = sorted({int(i) for i in vacancy_ids})
    if not ids:
        return {"added": 0, "removed": 0}
    open_rows = list(Vacancy.objects.filter(pk__in=ids).filter(_open_q()).select_related("region"))
    encoder = get_encoder()
    encoded = ensure_vectors(open_rows, vacancy_matching_text, encoder=encoder)
    removals = set(ids) - {v.pk for v in open_rows}
    info = get_store().apply(upserts=[indexed_vacancy(v) for v in open_rows], removals=removals,
                             model=encoder.fingerprint)
    return {"added": len(open_rows), "removed": len(removals), "encoded": encoded, "version": info["version"],
            "count": info["count"]}


def rebuild_index(*, encode_missing: bool = True, chunk: int = 5000) -> dict:
    """Rebuild the index from the stored vectors of all open vacancies (encoding only those whose
    vector is missing or stale when ``encode_missing``; otherwise they are left out)."""
    from jobs.models import Vacancy

    started = time.perf_counter()
    encoder = get_encoder() if encode_missing else None
    fingerprint = encoder.fingerprint if encoder else ""
    records: list[IndexedVacancy] = []
    encoded = skipped = 0
    queryset: QuerySet = Vacancy.objects.filter(_open_q()).select_related("region").order_by("pk")
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last)[:chunk])
        if not rows:
            break
        last = rows[-1].pk
        if encode_missing:
            missing_tokens = [v for v in rows if not v.search_tokens]
            for vacancy in missing_tokens:
                vacancy.search_tokens = vacancy_tokens(vacancy)
            if missing_tokens:
                Vacancy.objects.bulk_update(missing_tokens, ["search_tokens"])
            encoded += ensure_vectors(rows, vacancy_matching_text, encoder=encoder)
        for vacancy in rows:
            if vacancy.vector is None:
                skipped += 1
                continue
            records.append(indexed_vacancy(vacancy))
    model = fingerprint or (records and Vacancy.objects.filter(pk=records[0].id).values_list(
        "vector_model", flat=True).first()) or ""
    info = get_store().replace_all(records, model=model)
    return {"count": info["count"], "encoded": encoded, "skipped": skipped, "version": info["version"],
            "seconds": round(time.perf_counter() - started, 2)}


_townships: tuple[float, dict[str, str]] = (0.0, {})


def township_names() -> dict[str, str]:
    """Township code → name (cached for a minute: read on every search)."""
    global _townships
    from reemployment.core.models import Region, RegionLevel

    if time.monotonic() - _townships[0] > 60:
        _townships = (time.monotonic(),
                      dict(Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("code", "name")))
    return _townships[1]


@contextlib.contextmanager
def few_threads():
    """Encode one short query with ``JOBS_QUERY_ENCODE_THREADS`` (1) torch threads: for a single
    sentence more threads only add synchronisation, and under CPU contention (several web and
    worker processes) multi-threaded torch was 10× slower (docs/performance.md, Jobs)."""
    import torch

    wanted = int(getattr(settings, "JOBS_QUERY_ENCODE_THREADS", 1) or 0)
    if wanted <= 0:
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(min(wanted, old))
    try:
        yield
    finally:
        torch.set_num_threads(old)


def query_for_text(text: str, *, encoder=None) -> MatchQuery:
    """A free-text search phrase as a match query (public search)."""
    encoder = encoder or get_encoder()
    with few_threads():
        vector = encoder.encode_queries([text])[0]
    return text_query(text, vector, township_names())


def seeker_certificates(seeker) -> list[str]:
    """Certificates on the profile plus those earned in training (DESIGN.md §5: a certificate
    earned becomes part of the profile and a matching signal). Training certificates come under
    the name vacancies use (``Course.standard_certificate``, e.g. 焊工（初级）职业技能等级证书 →
    焊工证); ``profile_query`` normalises the rest (叉车司机证 → 叉车证). Earned certificates come
    from the sources registered in :mod:`jobs.hooks` (training's)."""
    held = list(seeker.certificates or [])
    for certificate in hooks.earned_certificates(seeker.member):
        if certificate.matching_name not in held:
            held.append(certificate.matching_name)
    return held


def seeker_desired(seeker) -> list[str]:
    """Desired occupations, plus the occupations of codes staff confirmed on the profile."""
    desired = list(seeker.desired_occupations or [])
    if seeker.occupation_codes_confirmed:
        for code in seeker.occupation_codes or []:
            desired += [o.name for o in vocabulary().by_code(code)[:1]]
    return list(dict.fromkeys(desired))


def member_age(member, as_of: dt.date) -> int | None:
    birth = getattr(member, "birth_date", None)
    if birth is None:
        return None
    return as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))


def query_for_seeker(seeker, *, encoder=None, as_of: dt.date | None = None) -> MatchQuery:
    """A registered seeker's profile as a match query (encoding the profile if it changed). The
    member's age and sex come from the benefit record: a post's stated age range or sex is checked
    against them (limits.conflicts), nothing else uses them."""
    from reemployment.core.models import today

    encoder = encoder or get_encoder()
    with few_threads():
        ensure_vectors([seeker], seeker_matching_text, encoder=encoder)
    member = seeker.member
    return profile_query(
        text=seeker_matching_text(seeker), vector=vector_of(seeker), desired=seeker_desired(seeker),
        certificates=seeker_certificates(seeker), hours=seeker.hours or [],
        township_codes=[r.code for r in seeker.preferred_townships.all()], extra=seeker.physical_limits,
        township_names=township_names(), age=member_age(member, as_of or today()),
        sex={"M": "M", "F": "F"}.get(getattr(member, "sex", ""), ""),
    )
