"""Forms of the recipient self-service pages (求职登记 by the recipient)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from jobs.models import Education, Hours
from reemployment.core.models import Region, RegionLevel

_SPLIT = re.compile(r"[、,，;；\s]+")


def _split(value: str) -> list[str]:
    return [part for part in _SPLIT.split(value or "") if part]


class SeekerProfileForm(forms.Form):
    skills = forms.CharField(label=_("技能"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("例如：会电焊，做过三年钢结构；会开叉车"))
    experience = forms.CharField(label=_("工作经历"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    education = forms.ChoiceField(label=_("文化程度"), choices=Education.choices, initial=Education.JUNIOR)
    certificates = forms.CharField(label=_("证书"), required=False, help_text=_("用顿号或逗号分隔，如：焊工证、健康证"))
    desired_occupations = forms.CharField(label=_("意向职业"), required=False, help_text=_("如：电焊工、保安员"))
    hours = forms.MultipleChoiceField(label=_("可接受班次"), choices=Hours.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    preferred_townships = forms.ModelMultipleChoiceField(label=_("意向乡镇"), required=False,
                                                         queryset=Region.objects.none(),
                                                         widget=forms.CheckboxSelectMultiple)
    physical_limits = forms.CharField(label=_("身体限制"), required=False, max_length=200)

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        townships = Region.objects.filter(level=RegionLevel.TOWNSHIP)
        if county is not None:
            townships = townships.filter(path__startswith=county.path)
        self.fields["preferred_townships"].queryset = townships.order_by("code")

    @classmethod
    def initial_from(cls, seeker) -> dict:
        return {
            "skills": seeker.skills, "experience": seeker.experience, "education": seeker.education,
            "certificates": "、".join(seeker.certificates or []),
            "desired_occupations": "、".join(seeker.desired_occupations or []), "hours": seeker.hours or [],
            "preferred_townships": list(seeker.preferred_townships.all()), "physical_limits": seeker.physical_limits,
        }

    def profile(self) -> dict:
        data = self.cleaned_data
        return {
            "skills": data["skills"], "experience": data["experience"], "education": data["education"],
            "certificates": _split(data["certificates"]), "desired_occupations": _split(data["desired_occupations"]),
            "hours": list(data["hours"]), "physical_limits": data["physical_limits"],
        }
