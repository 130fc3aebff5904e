"""SMS channel: an HTTP gateway configured in settings, or the log when none is.

The gateway speaks Aliyun SMS (阿里云短信服务, ``dysmsapi``) ``SendSms``, API version 2017-05-25, in
its documented RPC form: the request's parameters are signed with HMAC-SHA1 (``SignatureVersion``
1.0) over ``METHOD&%2F&percentEncode(sorted canonical query)`` with the key ``AccessKeySecret + "&"``
and sent as an ``application/x-www-form-urlencoded`` POST. The published worked example (AccessKeyId
``testId``, secret ``testSecret``, …) signs to ``zJDF+Lrzhj/ThnlvIToysFRq6t4=``;
tests/notifications/test_sms_gateway.py checks that vector. Any gateway that accepts this request
(a provincial government SMS platform in front of Aliyun, a relay) can stand in: only the URL
changes. Mainland SMS must use a registered template: ``SMS_TEMPLATE_CODE`` is a template whose
one variable ``${content}`` carries the rendered text (docs/notifications.md).

Outcomes (:class:`SmsResult`): accepted (``Code`` "OK", the ``BizId`` kept as the receipt);
*transient* — a timeout, no connection, HTTP 5xx or the provider's flow control — the task retries
later; *permanent* — HTTP 4xx or any other ``Code`` — the notification fails with the provider's
reason. Without ``SMS_GATEWAY_URL`` the message is written to the log (logger
``notifications.sms``, the phone masked) and counts as sent.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger("notifications.sms")

# Aliyun codes that mean "not now" rather than "never": flow control (业务限流) and throttling.
ALIYUN_TRANSIENT_CODES = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "Throttling", "Throttling.User",
                                    "Throttling.Api", "ServiceUnavailable", "InternalError"})


@dataclass(frozen=True)
class SmsResult:
    sent: bool
    transient: bool = False
    reference: str = ""
    error: str = ""


def percent_encode(value: str) -> str:
    """Aliyun's percent-encoding (RFC 3986): everything but A–Z a–z 0–9 - _ . ~ is encoded, UTF-8,
    space as %20 (not +), * as %2A, ~ left as it is."""
    return urllib.parse.quote(str(value), safe="~")


def aliyun_string_to_sign(method: str, params: dict[str, str]) -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonical)}"


def aliyun_signature(method: str, params: dict[str, str], secret: str) -> str:
    """The ``Signature`` parameter of an Aliyun RPC request (HMAC-SHA1, base64), before URL-encoding."""
    digest = hmac.new(f"{secret}&".encode(), aliyun_string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def aliyun_timestamp(moment: dt.datetime | None = None) -> str:
    moment = moment or dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class LogGateway:
    """No gateway configured: the message goes to the log, the phone masked."""

    name = "log"

    def send(self, *, phone: str, text: str, reference: str) -> SmsResult:
        from notifications.models import mask_phone

        logger.info("SMS (log channel) #%s to %s: %s", reference, mask_phone(phone), text)
        return SmsResult(sent=True, reference="log")


class AliyunGateway:
    """Aliyun SMS ``SendSms`` (RPC, HMAC-SHA1) at ``SMS_GATEWAY_URL``."""

    name = "aliyun"
    action = "SendSms"
    version = "2017-05-25"

    def __init__(self, *, url: str, access_key_id: str, access_key_secret: str, sign_name: str,
                 template_code: str, region_id: str, timeout: float):
        self.url = url
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_name = sign_name
        self.template_code = template_code
        self.region_id = region_id
        self.timeout = timeout

    def request_params(self, *, phone: str, text: str, reference: str, nonce: str | None = None,
                       timestamp: str | None = None) -> dict[str, str]:
        params = {
            "AccessKeyId": self.access_key_id, "Action": self.action, "Format": "JSON",
            "OutId": reference, "PhoneNumbers": phone, "RegionId": self.region_id, "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0", "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"content": text}, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": timestamp or aliyun_timestamp(), "Version": self.version,
        }
        params["Signature"] = aliyun_signature("POST", params, self.access_key_secret)
        return params

    def send(self, *, phone: str, text: str, reference: str) -> SmsResult:
        body = urllib.parse.urlencode(self.request_params(phone=phone, text=text, reference=reference),
                                      quote_via=urllib.parse.quote).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, exc.read()
        except TimeoutError:
            return SmsResult(sent=False, transient=True, error=f"网关超时（{self.timeout:g} 秒）")
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                return SmsResult(sent=False, transient=True, error=f"网关超时（{self.timeout:g} 秒）")
            return SmsResult(sent=False, transient=True, error=f"无法连接短信网关：{exc.reason}")
        except OSError as exc:  # reset connections and the like
            return SmsResult(sent=False, transient=True, error=f"短信网关连接中断：{exc}")
        return self.interpret(status, payload)

    @staticmethod
    def interpret(status: int, payload: bytes) -> SmsResult:
        text = payload.decode("utf-8", "replace")
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        code, message = str(data.get("Code", "")), str(data.get("Message", ""))
        reason = f"HTTP {status} {code}: {message}".strip() if code or message else f"HTTP {status} {text[:200]}".strip()
        if status >= 500:
            return SmsResult(sent=False, transient=True, error=reason)
        if status >= 400:
            return SmsResult(sent=False, error=reason)
        if code == "OK":
            return SmsResult(sent=True, reference=str(data.get("BizId", ""))[:100])
        return SmsResult(sent=False, transient=code in ALIYUN_TRANSIENT_CODES, error=reason)


SCHEMES = {"aliyun": AliyunGateway}


def gateway():
    """The configured gateway (settings ``SMS_*``), or :class:`LogGateway` without ``SMS_GATEWAY_URL``."""
    url = getattr(settings, "SMS_GATEWAY_URL", "")
    if not url:
        return LogGateway()
    scheme = getattr(settings, "SMS_SIGNATURE_SCHEME", "aliyun")
    if scheme not in SCHEMES:
        raise ValueError(f"unknown SMS_SIGNATURE_SCHEME {scheme!r} (known: {', '.join(SCHEMES)})")
    return SCHEMES[scheme](
        url=url, access_key_id=settings.SMS_ACCESS_KEY_ID, access_key_secret=settings.SMS_ACCESS_KEY_SECRET,
        sign_name=settings.SMS_SIGN_NAME, template_code=settings.SMS_TEMPLATE_CODE,
        region_id=settings.SMS_REGION_ID, timeout=float(settings.SMS_TIMEOUT_SECONDS))
