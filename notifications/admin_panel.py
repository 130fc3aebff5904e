"""The notifications panel on a household's case page (staff admin), through benefits' hook
``register_household_panel``: how the household wants to be told, its latest notifications on every
channel (status, attempts, the gateway's last error), and links to all of them and to the form that
changes the preference. Scoped like every staff read: the case page itself is only reachable inside
the jurisdiction, and the rows are read through ``selectors.household_notifications``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications import selectors
from notifications.models import Channel

LABEL = _("通知")
LATEST = 10
HEADS = (_("时间"), _("标题"), _("渠道"), _("状态"), _("发送次数"), _("内容/错误"))


def preference_summary(preference, household) -> str:
    if preference is None:
        return gettext("未登记：只在“我的消息”里通知，不发短信")
    channel = Channel(preference.preferred_channel).label
    if preference.sms_consent:
        consent = gettext("已同意接收短信（%(when)s）") % {
            "when": f"{preference.consent_changed_at:%Y-%m-%d}" if preference.consent_changed_at else "—"}
    else:
        consent = gettext("未同意接收短信")
    return f"{channel}；{consent}；{dict(preference._meta.get_field('language').choices).get(preference.language)}"


def household_panel(user, household) -> str:
    rows = list(selectors.household_notifications(user, household)[:LATEST])
    preference = selectors.preference_of(household=household)
    table = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
        (f"{n.created_at:%Y-%m-%d %H:%M}", n.title, n.get_channel_display()
         + (f" {n.masked_address}" if n.address else ""), n.get_status_display(), n.attempts or "—",
         n.last_error or n.text[:60]) for n in rows))
    heads = format_html_join("", "<th>{}</th>", ((head,) for head in HEADS))
    links = [format_html('<a href="{}">{}</a>', reverse("notifications_admin:household", args=(household.pk,)),
                         gettext("全部通知"))]
    if user.has_perm("benefits.change_household"):
        links.append(format_html('<a class="button button-small button-secondary" href="{}">{}</a>',
                                 reverse("notifications_admin:preference", args=(household.pk,)),
                                 gettext("修改通知方式")))
    return format_html(
        '<p>{}：{}</p><table class="listing"><thead><tr>{}</tr></thead><tbody>{}</tbody></table><p>{}</p>',
        gettext("通知方式"), preference_summary(preference, household), heads,
        table or format_html('<tr><td colspan="6">{}</td></tr>', gettext("暂无通知")),
        format_html_join(" ", "{}", ((link,) for link in links)))
