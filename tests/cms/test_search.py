"""Site search works for Chinese phrases without spaces and stays within the active language."""

from cms.search import query_terms


def test_chinese_phrase_is_segmented():
    terms = query_terms("低保申请材料")
    assert "低保" in terms and "申请" in terms


def test_chinese_search_finds_guides(client, site):
    body = client.get("/search/", {"q": "低保申请"}).content.decode()
    assert "/services/apply-for-dibao/" in body
    assert "/en/" not in body.split('class="search-results"')[1]


def test_english_search_finds_english_pages_only(client, site):
    body = client.get("/en/search/", {"q": "transition benefit"}).content.decode()
    results = body.split('class="search-results"')[1]
    assert "/en/policies/work-incentives/" in results
    assert 'href="/policies/' not in results


def test_nothing_found_says_so(client, site):
    assert "暂无结果" in client.get("/search/", {"q": "火星移民"}).content.decode()
