"""The tip-off page creates a tip-off record in benefits (anonymous or named), shows a random
reference number once, and is protected against floods (rate limit) and bots (honeypot).
The rate limit counts in the default cache, which tests/conftest.py empties before every test."""

import re

from benefits.integrity.models import TipOff

URL = "/report/"
TEXT = "城南社区某户家中有人在县城开店，收入较高，仍在领取低保金。"
REFERENCE = re.compile(r"JB-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}")


def test_anonymous_tip_off_creates_a_record_without_contact(client, site):
    response = client.post(URL, {"text": TEXT, "region_code": "341125100", "anonymous": "on",
                                 "contact": "13800000000"})
    assert response.status_code == 302
    tip_off = TipOff.objects.get()
    assert tip_off.anonymous and tip_off.contact == ""
    assert tip_off.region.code == "341125100"
    assert response["Location"] == URL  # nothing in the query string
    body = client.get(response["Location"]).content.decode()
    assert "举报已收到" in body and tip_off.reference in body


def test_the_reference_is_random_stored_and_not_the_sequential_id(client, site):
    for _ in range(2):
        assert client.post(URL, {"text": TEXT, "anonymous": "on"}).status_code == 302
    first, second = TipOff.objects.order_by("pk")
    for tip_off in (first, second):
        assert REFERENCE.fullmatch(tip_off.reference), tip_off.reference
        assert tip_off.reference != str(tip_off.pk)
    assert first.reference != second.reference
    assert TipOff.objects.get(reference=second.reference) == second


def test_the_reference_is_shown_once_from_the_session(client, site):
    response = client.post(URL, {"text": TEXT, "anonymous": "on"})
    reference = TipOff.objects.get().reference
    assert reference not in response["Location"]
    assert reference in client.get(URL).content.decode()
    again = client.get(URL).content.decode()  # a reload shows the form again
    assert reference not in again and "举报已收到" not in again and 'name="text"' in again


def test_a_link_cannot_fake_a_received_page(client, site):
    body = client.get(f"{URL}?sent=4").content.decode()
    assert "举报已收到" not in body and "受理编号" not in body
    assert 'name="text"' in body


def test_english_page_shows_the_reference_too(client, site):
    client.post(f"/en{URL}", {"text": TEXT, "anonymous": "on"})
    body = client.get(f"/en{URL}").content.decode()
    assert "Your report has been received" in body and TipOff.objects.get().reference in body


def test_named_tip_off_keeps_the_contact(client, site):
    response = client.post(URL, {"text": TEXT, "contact": "13800000000"})
    assert response.status_code == 302
    tip_off = TipOff.objects.get()
    assert not tip_off.anonymous and tip_off.contact == "13800000000"


def test_named_tip_off_without_contact_is_refused(client, site):
    response = client.post(URL, {"text": TEXT})
    assert response.status_code == 200
    assert "实名举报请留下联系方式" in response.content.decode()
    assert not TipOff.objects.exists()


def test_too_short_text_is_refused(client, site):
    response = client.post(URL, {"text": "太短", "anonymous": "on"})
    assert response.status_code == 200
    assert not TipOff.objects.exists()


def test_service_field_errors_are_shown_on_the_form(client, site):
    # a household number the benefits service rejects: its message is shown next to the field
    response = client.post(URL, {"text": TEXT, "anonymous": "on", "household_number": "不是编号!!"})
    assert response.status_code == 200
    assert "户编号格式不正确" in response.content.decode()
    assert not TipOff.objects.exists()


def test_tip_off_page_requires_csrf(site):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"text": TEXT, "anonymous": "on"}).status_code == 403


# --- abuse protection ------------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_people(client, site):
    body = client.get(URL).content.decode()
    honeypot = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', body, re.DOTALL).group(1)
    assert 'name="website"' in honeypot and 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    assert "请勿填写此项" in honeypot


def test_a_filled_honeypot_stores_nothing_but_looks_received(client, site):
    response = client.post(URL, {"text": TEXT, "anonymous": "on", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not TipOff.objects.exists()
    body = client.get(URL).content.decode()
    assert "举报已收到" in body and "受理编号" not in body  # the bot learns nothing


def test_each_client_is_rate_limited(client, site, settings):
    settings.PORTAL_TIP_OFF_RATE = "2/hour"
    for _ in range(2):
        assert client.post(URL, {"text": TEXT, "anonymous": "on"}).status_code == 302
    response = client.post(URL, {"text": TEXT, "anonymous": "on"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "提交次数过多" in body and "60分钟后再试" in body
    assert TEXT in body  # what was typed is kept
    assert TipOff.objects.count() == 2
    # another client (another address) is not affected
    other = client_from("10.0.0.2")
    assert other.post(URL, {"text": TEXT, "anonymous": "on"}).status_code == 302
    assert TipOff.objects.count() == 3


def test_the_limit_also_counts_refused_and_honeypot_posts(client, site, settings):
    settings.PORTAL_TIP_OFF_RATE = "2/hour"
    client.post(URL, {"text": "太短", "anonymous": "on"})
    client.post(URL, {"text": TEXT, "anonymous": "on", "website": "x"})
    assert client.post(URL, {"text": TEXT, "anonymous": "on"}).status_code == 429
    assert not TipOff.objects.exists()


def test_rate_limit_message_in_english(client, site, settings):
    settings.PORTAL_TIP_OFF_RATE = "1/hour"
    client.post(f"/en{URL}", {"text": TEXT, "anonymous": "on"})
    body = client.post(f"/en{URL}", {"text": TEXT, "anonymous": "on"}).content.decode()
    assert "Too many reports" in body


def test_a_cache_outage_lets_tip_offs_through(client, site, monkeypatch):
    from cms.abuse import TipOffThrottle

    class BrokenCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get

    monkeypatch.setattr(TipOffThrottle, "cache", BrokenCache())
    assert client.post(URL, {"text": TEXT, "anonymous": "on"}).status_code == 302
    assert TipOff.objects.count() == 1


def client_from(address: str):
    from django.test import Client

    return Client(REMOTE_ADDR=address)


def test_the_tip_off_form_cannot_be_escaped_with_a_forged_header(settings, site):
    settings.TRUSTED_PROXIES = []
    settings.PORTAL_TIP_OFF_RATE = "2/hour"
    client = client_from("198.51.100.7")
    # A new X-Forwarded-For with each post is still the same client (reemployment.core.network.client_ip).
    codes = [client.post(URL, {"text": TEXT, "anonymous": "on"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
             for i in range(3)]
    assert codes == [302, 302, 429]
    assert TipOff.objects.count() == 2
