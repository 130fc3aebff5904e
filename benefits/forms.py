"""Input checking: the public estimate (a DRF serializer, shared by the API and the portal) and
the recipient's change report form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from benefits.rules import INCOME_KINDS

MAX_MEMBERS = 20
MAX_INCOMES = 100
MONEY_FIELD = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.00"),
               "max_value": Decimal("1000000.00")}


class EstimateMember(serializers.Serializer):
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=["M", "F"])
    three_no = serializers.BooleanField(default=False)
    serious_illness = serializers.BooleanField(default=False)
    severe_disability = serializers.BooleanField(default=False)
    single_parent = serializers.BooleanField(default=False)
    university_student = serializers.BooleanField(default=False)
    work_ability = serializers.BooleanField(default=True)
    disaster = serializers.BooleanField(default=False)


class EstimateIncome(serializers.Serializer):
    member = serializers.IntegerField(min_value=0)
    kind = serializers.ChoiceField(choices=list(INCOME_KINDS))
    monthly_amount = serializers.DecimalField(**MONEY_FIELD)


class EstimateInput(serializers.Serializer):
    """Body of POST /api/v1/eligibility/estimate."""

    region = serializers.RegexField(r"^\d{6}(\d{3}(\d{3})?)?$", max_length=12)
    as_of = serializers.DateField(required=False)
    # Only used when the region has no area of its own (a county code): urban or rural.
    area = serializers.RegexField(r"^(urban|rural)$", required=False)
    members = EstimateMember(many=True, allow_empty=False, max_length=MAX_MEMBERS)
    incomes = EstimateIncome(many=True, required=False, max_length=MAX_INCOMES)
    current_monthly_amount = serializers.DecimalField(required=False, **MONEY_FIELD)
    new_monthly_earnings = serializers.DecimalField(required=False, **MONEY_FIELD)

    def validate(self, attrs):
        if ("current_monthly_amount" in attrs) != ("new_monthly_earnings" in attrs):
            missing = "new_monthly_earnings" if "current_monthly_amount" in attrs else "current_monthly_amount"
            raise serializers.ValidationError({missing: ["测算过渡期需同时填写现低保金和新月收入"]})
        return attrs


class ChangeReportForm(forms.Form):
    """A recipient reports a change (报告变化): new earnings or a change in the household."""

    KINDS = [("earnings", _("就业/收入变化")), ("household", _("家庭成员变化（出生、死亡、迁入迁出、婚嫁）")),
             ("other", _("其他变化"))]
    kind = forms.ChoiceField(label=_("变化类型"), choices=KINDS)
    new_monthly_earnings = forms.DecimalField(label=_("新的月收入(元，如有)"), required=False, min_value=0,
                                              max_digits=12, decimal_places=2)
    details = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=1000)
