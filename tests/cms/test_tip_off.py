"""The tip-off page creates a tip-off record in benefits (anonymous or named)."""

from benefits.integrity.models import TipOff

URL = "/report/"
TEXT = "城南社区某户家中有人在县城开店，收入较高，仍在领取低保金。"


def test_anonymous_tip_off_creates_a_record_without_contact(client, site):
    response = client.post(URL, {"text": TEXT, "region_code": "341125100", "anonymous": "on",
                                 "contact": "13800000000"})
    assert response.status_code == 302
    tip_off = TipOff.objects.get()
    assert tip_off.anonymous and tip_off.contact == ""
    assert tip_off.region.code == "341125100"
    assert response["Location"] == f"/report/?sent={tip_off.pk}"
    body = client.get(response["Location"]).content.decode()
    assert "举报已收到" in body and str(tip_off.pk) in body


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
