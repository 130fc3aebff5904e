"""``application_stages`` in a policy file: the [R5] sequence loads (idempotently) and an invalid sequence is
rejected whole, with the line of the stage at fault."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reemployment.core.models import AuditEvent, ParameterSet, Region
from reemployment.core.policy_loader import PolicyFileError, load_policy_text
from reemployment.core.selectors import parameters_in_force
from reemployment.policy.parameters import DEFAULTS
from reemployment.policy.stages import DEFAULT_STAGES, THREE_NOTICES, ApplicationStage

REGION = """\
regions:
  - {code: "341125", name: 定远县, level: county}
"""

R5 = REGION + """\
parameters:
  - region: "341125"
    valid_from: 2026-01-01
    note: 三审核三公示
    values:
      application_stages:
        - {level: community, notice: true}
        - {level: township, notice: true, notice_days: 5}
        - {level: county, notice: true}
"""


def _file(*stages: str) -> str:
    """A file whose stage list starts on line 8 (one stage a line)."""
    lines = "".join(f"        - {stage}\n" for stage in stages)
    return REGION + ("parameters:\n  - region: \"341125\"\n    valid_from: 2026-01-01\n    values:\n"
                     "      application_stages:\n" + lines)


def test_the_default_is_the_r1_sequence():
    assert DEFAULTS.application_stages == DEFAULT_STAGES == (
        ApplicationStage("community", True), ApplicationStage("township", False), ApplicationStage("county", True))


@pytest.mark.django_db
def test_three_reviews_three_notices_load_and_reload_changes_nothing():
    report = load_policy_text(R5)
    assert report.parameter_sets_created == 1
    county = Region.objects.get(code="341125")
    assert parameters_in_force(county, dt.date(2025, 12, 31)).application_stages == DEFAULT_STAGES
    stages = parameters_in_force(county, dt.date(2026, 1, 1)).application_stages
    assert stages == (THREE_NOTICES[0], ApplicationStage("township", True, 5), THREE_NOTICES[2])
    assert ParameterSet.objects.get().values["application_stages"] == [
        {"level": "community", "notice": True}, {"level": "township", "notice": True, "notice_days": 5},
        {"level": "county", "notice": True}]
    events = AuditEvent.objects.count()
    assert load_policy_text(R5).changed == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stages, expected",
    [
        # the township before the community: the order is bottom-up
        (("{level: township, notice: true}", "{level: community, notice: true}", "{level: county, notice: true}"),
         "第 9 行：application_stages：第 2 个环节 community 重复或顺序不对（应依次为 community、township、county，自下而上）"),
        # a level twice
        (("{level: community, notice: true}", "{level: community, notice: false}", "{level: county, notice: true}"),
         "第 9 行：application_stages：第 2 个环节 community 重复或顺序不对（应依次为 community、township、county，自下而上）"),
        # the survey and appraisal are at the community: it comes first
        (("{level: township, notice: true}", "{level: county, notice: true}"),
         "第 8 行：application_stages：第一个环节须为 community（入户调查和民主评议在社区/村）"),
        # the county decides: it comes last
        (("{level: community, notice: true}", "{level: township, notice: true}"),
         "第 9 行：application_stages：最后一个环节须为 county（县级审批）"),
        (("{level: community, notice: true}", "{level: district, notice: true}"),
         "第 9 行：application_stages：第 2 个环节的 level 应为 community、township 或 county"),
        (("{level: community}", "{level: county, notice: true}"),
         "第 8 行：application_stages：第 1 个环节须写明 notice: true 或 false"),
        (("{level: community, notice: true}", "{level: township, notice: false, notice_days: 5}",
          "{level: county, notice: true}"),
         "第 9 行：application_stages：第 2 个环节不公示，不能设 notice_days"),
        (("{level: community, notice: true}", "{level: county, notice: true, notice_days: 0}"),
         "第 9 行：application_stages：第 2 个环节的 notice_days 应为不小于 1 的整数"),
        (("{level: community, notice: true}", "{level: county, notice: true, days: 3}"),
         "第 9 行：application_stages：第 2 个环节含未知键 days"),
        (("community", "{level: county, notice: true}"),
         "第 8 行：application_stages：第 1 个环节应为映射（level、notice、notice_days）"),
    ],
)
def test_an_invalid_sequence_is_rejected_with_the_line_of_the_stage(stages, expected):
    with pytest.raises(PolicyFileError) as info:
        load_policy_text(_file(*stages))
    assert info.value.errors == [expected]
    assert not ParameterSet.objects.exists() and not Region.objects.exists()  # rejected whole


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["[]", "community", "5"])
def test_a_value_that_is_no_list_of_stages_is_rejected_at_its_line(value):
    text = REGION + f"""\
parameters:
  - region: "341125"
    valid_from: 2026-01-01
    values: {{application_stages: {value}}}
"""
    with pytest.raises(PolicyFileError) as info:
        load_policy_text(text)
    assert info.value.errors == [
        "第 6 行：application_stages：应为审核公示环节的列表，如 [{level: community, notice: true}, …]"]


@pytest.mark.django_db
def test_stage_errors_are_translated():
    text = _file("{level: township, notice: true}", "{level: county, notice: true}")
    with translation.override("en"), pytest.raises(PolicyFileError) as info:
        load_policy_text(text)
    assert info.value.errors == [
        ("line 8: application_stages: the first stage must be community (the home survey and the democratic "
         "appraisal happen at the community or village)")]


@pytest.mark.django_db
def test_the_admin_edit_of_a_parameter_set_checks_the_sequence_too(regions):
    parameter_set = ParameterSet(region=regions["county"], valid_from=dt.date(2026, 1, 1),
                                 values={"application_stages": [{"level": "county", "notice": True}]})
    with pytest.raises(ValidationError) as info:
        parameter_set.clean()
    assert "第一个环节须为 community" in str(info.value)
