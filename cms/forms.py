"""Public forms of the portal: the self-check and the tip-off. Labels are translatable."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from reemployment.core.models import Area, Region

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal(0), "required": False}


def _township_choices(county_code: str) -> list[tuple[str, str]]:
    rows = Region.objects.filter(parent__code=county_code).order_by("code").values_list("code", "name")
    return [("", _("（不限）"))] + [(code, name) for code, name in rows]


class SelfCheckForm(forms.Form):
    """What the self-check asks: nothing identifying, nothing stored."""

    area = forms.ChoiceField(
        label=_("户籍类型"), choices=Area.choices, widget=forms.RadioSelect, initial=Area.URBAN,
        help_text=_("城市低保看城镇户口，农村低保看农村户口"),
    )
    region_code = forms.ChoiceField(label=_("乡镇（街道）"), required=False)
    household_size = forms.IntegerField(
        label=_("共同生活的家庭人口"), min_value=1, max_value=12, initial=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    all_three_no = forms.BooleanField(
        label=_("全家都是“三无”人员（无劳动能力、无收入来源、无法定赡养抚养人）"), required=False
    )
    serious_illness = forms.BooleanField(label=_("家中有重病患者"), required=False)
    severe_disability = forms.BooleanField(label=_("家中有重度残疾人"), required=False)
    single_parent = forms.BooleanField(label=_("单亲家庭"), required=False)
    university_student = forms.BooleanField(label=_("有子女在读大学"), required=False)
    no_work_ability = forms.BooleanField(label=_("家中有无劳动能力的成员"), required=False)
    disaster = forms.BooleanField(label=_("因灾、因意外事故生活困难"), required=False)
    wages = forms.DecimalField(label=_("工资收入（元/月，全家合计）"), **MONEY)
    work_costs = forms.DecimalField(
        label=_("外出务工的必要开支（元/月，如路费、住宿）"), help_text=_("有凭据的部分可从工资中扣减"), **MONEY
    )
    business = forms.DecimalField(label=_("经营收入（元/月）"), **MONEY)
    pension = forms.DecimalField(label=_("养老金、退休金（元/月）"), **MONEY)
    agricultural = forms.DecimalField(label=_("农业收入（元/月，折算现金）"), **MONEY)
    support = forms.DecimalField(label=_("子女等给付的赡养费（元/月）"), **MONEY)
    transfer = forms.DecimalField(label=_("其他转移性收入（元/月）"), **MONEY)
    other = forms.DecimalField(label=_("其他收入（元/月）"), **MONEY)
    deposits = forms.DecimalField(label=_("家庭存款合计（元）"), **MONEY)
    vehicles = forms.IntegerField(label=_("机动车（辆）"), min_value=0, max_value=20, required=False, initial=0)
    properties = forms.IntegerField(label=_("住房（套）"), min_value=0, max_value=20, required=False, initial=1)

    FLAG_FIELDS = (
        "all_three_no", "serious_illness", "severe_disability", "single_parent", "university_student",
        "no_work_ability", "disaster",
    )
    INCOME_FIELDS = ("wages", "work_costs", "business", "pension", "agricultural", "support", "transfer", "other")
    ASSET_FIELDS = ("deposits", "vehicles", "properties")

    def __init__(self, *args, region_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = _township_choices(region_code)

    def clean(self):
        data = super().clean()
        if (data.get("work_costs") or 0) and not (data.get("wages") or 0):
            self.add_error("work_costs", _("只有工资收入才能扣减务工开支"))
        return data

    def grouped(self):
        return {
            "flags": [self[name] for name in self.FLAG_FIELDS],
            "incomes": [self[name] for name in self.INCOME_FIELDS],
            "assets": [self[name] for name in self.ASSET_FIELDS],
        }


class TipOffForm(forms.Form):
    """A tip-off (举报): what happened, where; contact only if not anonymous.

    ``website`` is a honeypot: hidden from people (off screen, out of the tab order, hidden from
    screen readers, labelled "leave empty"), filled in by bots that fill every field."""

    HONEYPOT = "website"

    text = forms.CharField(
        label=_("举报内容"), widget=forms.Textarea(attrs={"rows": 6}), min_length=10, max_length=2000,
        help_text=_("请写明何人、何时、何地、何事，例如：隐瞒收入、优亲厚友、索要好处费。"),
    )
    region_code = forms.ChoiceField(label=_("发生地（乡镇/街道）"), required=False)
    household_number = forms.CharField(label=_("涉及的低保户编号（如知道）"), max_length=30, required=False)
    anonymous = forms.BooleanField(label=_("匿名举报（不留联系方式）"), required=False, initial=True)
    contact = forms.CharField(
        label=_("联系方式（电话）"), max_length=50, required=False,
        help_text=_("实名举报时填写，便于反馈处理结果；我们依法为举报人保密。"),
    )
    website = forms.CharField(
        label=_("请勿填写此项"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, region_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = _township_choices(region_code)

    def clean(self):
        data = super().clean()
        if not data.get("anonymous") and not (data.get("contact") or "").strip():
            self.add_error("contact", _("实名举报请留下联系方式，或勾选“匿名举报”。"))
        return data

    def is_from_a_bot(self) -> bool:
        """The honeypot was filled in (only after ``is_valid()``)."""
        return bool((self.cleaned_data.get(self.HONEYPOT) or "").strip())


# 17 digits and a final digit or X, typed with spaces around or a lowercase x (GB 11643).
ID_NUMBER_USERNAME = re.compile(r"\d{17}[\dXx]")


class PortalAuthenticationForm(AuthenticationForm):
    """The login form: a recipient's user name is the ID number, stored with a capital X
    (``recipient_account_create``); one typed with a lowercase x or spaces logs in all the same.
    Staff user names are left exactly as typed."""

    def clean_username(self) -> str:
        username = (self.cleaned_data.get("username") or "").strip()
        if ID_NUMBER_USERNAME.fullmatch(username):
            return username.upper()
        return username
