"""The SMS gateway: Aliyun's documented signature vector, and a real local HTTP server standing in
for the provider — accepted, signature checked, 5xx and timeouts retried, 4xx failed with the reason,
attempts exhausted, no gateway configured (the log)."""

import logging
import urllib.parse

import pytest

from notifications import services
from notifications.models import Channel, Notification, Status
from notifications.sms import AliyunGateway, LogGateway, aliyun_signature, aliyun_string_to_sign, gateway
from notifications.tasks import send_sms
from tests.notifications.conftest import KEY_ID, PHONE, prefer

# Aliyun SMS "HTTP protocol and signature" (短信服务 HTTP 协议及签名), the published worked example.
DOC_PARAMS = {
    "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}
DOC_CANONICAL = (
    "AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou"
    "&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8"
    "&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0"
    "&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z"
    "&Version=2017-05-25"
)


def test_the_published_signature_example():
    string_to_sign = aliyun_string_to_sign("GET", DOC_PARAMS)
    assert string_to_sign == "GET&%2F&" + urllib.parse.quote(DOC_CANONICAL, safe="~")
    signature = aliyun_signature("GET", DOC_PARAMS, "testSecret")
    assert signature == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert urllib.parse.quote(signature, safe="~") == "zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D"


def test_percent_encoding_follows_rfc3986_like_aliyun():
    # space → %20 (not +), * → %2A, ~ stays; the signature covers these exact bytes.
    params = {"A": "a b*c~d"}
    assert aliyun_string_to_sign("POST", params) == "POST&%2F&A%3Da%2520b%252Ac~d"


def test_request_carries_the_text_in_the_one_template_variable(settings):
    gateway_ = AliyunGateway(url="http://127.0.0.1:9/", access_key_id="id", access_key_secret="s", sign_name="签名",
                             template_code="SMS_1", region_id="cn-hangzhou", timeout=1)
    params = gateway_.request_params(phone=PHONE, text="您户的低保金已发放", reference="42", nonce="n-1",
                                     timestamp="2026-12-03T00:00:00Z")
    assert params["TemplateParam"] == '{"content":"您户的低保金已发放"}'
    assert (params["Action"], params["Version"], params["PhoneNumbers"], params["OutId"]) == (
        "SendSms", "2017-05-25", PHONE, "42")
    signed = dict(params)
    signature = signed.pop("Signature")
    assert signature == aliyun_signature("POST", signed, "s")


@pytest.mark.parametrize(("status", "body", "sent", "transient"), [
    (200, b'{"Code":"OK","BizId":"b1","Message":"OK"}', True, False),
    (200, b'{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"invalid mobile"}', False, False),
    (200, b'{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"flow control"}', False, True),
    (400, b'{"Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}', False, False),
    (403, b"forbidden", False, False),
    (500, b'{"Code":"InternalError","Message":"x"}', False, True),
    (503, b"<html>busy</html>", False, True),
])
def test_answers_are_read_as_sent_transient_or_permanent(status, body, sent, transient):
    result = AliyunGateway.interpret(status, body)
    assert (result.sent, result.transient) == (sent, transient)
    if not sent:
        assert str(status) in result.error


def test_without_a_url_the_log_is_the_gateway(settings):
    settings.SMS_GATEWAY_URL = ""
    assert isinstance(gateway(), LogGateway)


# --- against the local stand-in ------------------------------------------------------------------------

def _queued_sms(household, text="您户的低保金已发放"):
    prefer(household)
    return Notification.objects.create(
        event="payroll.paid", event_key="payroll.paid:test", recipient_key=f"household:{household.pk}",
        household=household, channel=Channel.SMS, language="zh-hans", title="低保金发放",
        text=text, address=PHONE, status=Status.QUEUED)


@pytest.mark.django_db
def test_accepted_by_the_gateway_with_a_valid_signature(household, gateway):
    notification = _queued_sms(household)
    send_sms.delay([notification.pk])
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (Status.SENT, 1, "")
    assert notification.provider_ref == "900619746936498440^0"
    request = gateway.requests[0]
    assert (request["AccessKeyId"], request["PhoneNumbers"], request["SignName"], request["TemplateCode"]) == (
        KEY_ID, PHONE, "定远县民政局", "SMS_480000001")
    assert request["TemplateParam"] == '{"content":"您户的低保金已发放"}'
    assert request["OutId"] == str(notification.pk)


@pytest.mark.django_db
def test_5xx_is_retried_until_accepted(household, gateway):
    gateway.script.extend([(502, {"Code": "ServiceUnavailable", "Message": "busy"}), (500, {"Message": "oops"})])
    notification = _queued_sms(household)
    send_sms.delay([notification.pk])
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 3)
    assert len(gateway.requests) == 3
    # each try is a new request: a new nonce, signed again
    assert len({request["SignatureNonce"] for request in gateway.requests}) == 3


@pytest.mark.django_db
def test_a_timeout_is_retried(household, gateway):
    gateway.script.append(("sleep", 1.5, (200, {"Code": "OK", "BizId": "late"})))  # answers after 1.5 s > 0.5 s
    notification = _queued_sms(household)
    send_sms.delay([notification.pk])
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 2)
    assert notification.provider_ref == "900619746936498440^0"  # the second, timely answer


@pytest.mark.django_db
def test_4xx_fails_at_once_with_the_providers_reason(household, gateway):
    gateway.script.append((400, {"Code": "isv.TEMPLATE_MISSING_PARAMETERS", "Message": "模版缺少变量"}))
    notification = _queued_sms(household)
    send_sms.delay([notification.pk])
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 1)
    assert notification.last_error == "HTTP 400 isv.TEMPLATE_MISSING_PARAMETERS: 模版缺少变量"
    assert len(gateway.requests) == 1


@pytest.mark.django_db
def test_a_wrong_secret_is_refused_by_the_provider(household, gateway, settings):
    settings.SMS_ACCESS_KEY_SECRET = "not-the-secret"
    notification = _queued_sms(household)
    send_sms.delay([notification.pk])
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert "SignatureDoesNotMatch" in notification.last_error


@pytest.mark.django_db
def test_attempts_run_out_then_it_fails_with_the_last_reason(household, gateway):
    gateway.script.extend([(503, {"Message": "down"})] * 5)
    notification = _queued_sms(household)
    send_sms.delay([notification.pk])
    notification.refresh_from_db()
    # SMS_MAX_ATTEMPTS = 3 (the fixture)
    assert (notification.status, notification.attempts, len(gateway.requests)) == (Status.FAILED, 3, 3)
    assert notification.last_error == "已尝试 3 次：HTTP 503 : down"


@pytest.mark.django_db
def test_no_connection_is_retried_then_fails(household, settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/"  # nothing listens on the discard port
    settings.SMS_ACCESS_KEY_ID = settings.SMS_ACCESS_KEY_SECRET = "x"
    settings.SMS_SIGN_NAME, settings.SMS_TEMPLATE_CODE = "签名", "SMS_1"
    settings.SMS_MAX_ATTEMPTS, settings.SMS_RETRY_SECONDS, settings.SMS_TIMEOUT_SECONDS = 2, 0, 0.5
    notification = _queued_sms(household)
    send_sms.delay([notification.pk])
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 2)
    assert "无法连接短信网关" in notification.last_error


@pytest.mark.django_db
def test_a_sent_message_is_never_sent_again(household, gateway):
    notification = _queued_sms(household)
    send_sms.delay([notification.pk])
    send_sms.delay([notification.pk])  # a duplicated task (redelivery, the sweeper)
    assert services.sms_deliver(notification.pk) == "skipped"
    assert len(gateway.requests) == 1


@pytest.mark.django_db
def test_without_a_gateway_the_message_goes_to_the_log(household, settings, caplog):
    settings.SMS_GATEWAY_URL = ""
    notification = _queued_sms(household, text="测试短信")
    with caplog.at_level(logging.INFO, logger="notifications.sms"):
        send_sms.delay([notification.pk])
    notification.refresh_from_db()
    assert (notification.status, notification.provider_ref) == (Status.SENT, "log")
    assert f"#{notification.pk} to 139****1234: 测试短信" in caplog.text
    assert PHONE not in caplog.text
