"""The contact-preference form: the recipient's on /me/notifications/settings/, staff's on the case page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.models import Channel


class PreferenceForm(forms.Form):
    preferred_channel = forms.ChoiceField(
        label=_("通知方式"), choices=[(Channel.INBOX, _("只在“我的消息”里通知")), (Channel.SMS, _("“我的消息”和手机短信"))],
        widget=forms.RadioSelect, initial=Channel.INBOX)
    sms_consent = forms.BooleanField(
        label=_("我同意接收低保服务的短信通知"), required=False,
        help_text=_("短信只用于告知您本人的办理进度、发放和待遇变动，可随时取消。"))
    phone = forms.CharField(label=_("接收短信的手机号"), max_length=20, required=False,
                            help_text=_("留空则使用家庭登记的联系电话"),
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))
    language = forms.ChoiceField(label=_("通知语言"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE)

    @classmethod
    def initial_for(cls, preference) -> dict:
        if preference is None:
            return {}
        return {"preferred_channel": preference.preferred_channel, "sms_consent": preference.sms_consent,
                "phone": preference.phone, "language": preference.language}
