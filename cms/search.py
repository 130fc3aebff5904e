"""Site search (站内搜索) that works for Chinese.

Wagtail's database backend tokenises on spaces, so a Chinese phrase without spaces ("低保申请")
rarely matches. We therefore also segment the query with jieba and match each term (2+
characters) in titles and summaries, ranking pages by how many terms they contain; the
backend's own results (good for English) come first.
"""

from __future__ import annotations

import re

from django.db.models import Q
from wagtail.models import Locale, Page

from cms.models import BasePage

MAX_RESULTS = 30
CJK = re.compile(r"[\u3400-\u9fff]")


def query_terms(query: str) -> list[str]:
    """Distinct search terms: jieba's search-mode segmentation of CJK text, words otherwise."""
    terms: list[str] = []
    for chunk in query.split():
        if CJK.search(chunk):
            import jieba

            pieces = [chunk] + [word for word in jieba.cut_for_search(chunk) if len(word.strip()) >= 2]
        else:
            pieces = [chunk] if len(chunk) >= 2 else []
        for piece in pieces:
            if piece not in terms:
                terms.append(piece)
    return terms[:12]


def search_pages(query: str, locale: Locale | None = None) -> list[Page]:
    """Live public pages of ``locale`` (the active one by default) matching ``query``, best first."""
    query = (query or "").strip()[:100]
    if not query:
        return []
    locale = locale or Locale.get_active()
    pages = Page.objects.live().public().filter(locale=locale, depth__gt=2)
    found: list[Page] = list(pages.search(query)[:MAX_RESULTS])
    seen = {page.pk for page in found}

    terms = query_terms(query)
    if terms:
        scores: dict[int, int] = {}
        for model in BasePage.__subclasses__():
            condition = Q()
            for term in terms:
                condition |= Q(title__icontains=term) | Q(summary__icontains=term) | Q(search_description__icontains=term)
            rows = model.objects.live().public().filter(locale=locale, depth__gt=2).filter(condition)
            for row in rows.values("pk", "title", "summary", "search_description"):
                text = f"{row['title']} {row['summary']} {row['search_description']}".lower()
                score = sum(2 if term.lower() in row["title"].lower() else 1 for term in terms if term.lower() in text)
                scores[row["pk"]] = max(scores.get(row["pk"], 0), score)
        ranked = [pk for pk, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0])) if pk not in seen]
        extra = Page.objects.in_bulk(ranked)
        found += [extra[pk] for pk in ranked if pk in extra]
    return [page.specific for page in found[:MAX_RESULTS]]
