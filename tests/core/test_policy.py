"""load_policy: the issue's sample round-trips, reloading changes nothing, bad files are rejected whole."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from reemployment.core.errors import DomainError
from reemployment.core.models import AuditEvent, ParameterSet, Region, Standard
from reemployment.core.policy_loader import PolicyFileError, load_policy_text
from reemployment.core.selectors import parameters_in_force, policy_in_force, standard_in_force

SAMPLE = """\
regions:
  - code: "341125"
    name: 定远县
    level: county
    children:
      - {code: "341125100", name: 定城镇, level: township, area: urban, children: [{code: "341125100001", name: 城南社区, level: community, area: urban}]}
      - {code: "341125101", name: 炉桥镇, level: township, area: rural}
standards:
  - {region: "341125", area: urban, monthly_amount: "150.00", valid_from: 2026-01-01}
  - {region: "341125", area: rural, monthly_amount: "110.00", valid_from: 2026-01-01}
parameters:
  - region: "341125"
    valid_from: 2026-01-01
    values: {urban_b_uplift: "0.30", rural_amounts: {A: "120.00", B: "100.00", C: "70.00"}}
"""


@pytest.mark.django_db
def test_sample_round_trips(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    call_command("load_policy", str(path))
    assert {r.code: r.level for r in Region.objects.all()} == {
        "341125": "county", "341125100": "township", "341125100001": "community", "341125101": "township",
    }
    community = Region.objects.get(code="341125100001")
    assert community.path == "341125/341125100/341125100001/"
    assert community.effective_area() == "urban"
    assert Region.objects.get(code="341125101").effective_area() == "rural"
    standard = standard_in_force(community, "urban", dt.date(2026, 3, 1))
    assert standard.monthly_amount == Decimal("150.00")
    params = parameters_in_force(community, dt.date(2026, 3, 1))
    assert params.urban_b_uplift == Decimal("0.30")
    assert dict(params.rural_amounts) == {"A": Decimal("120.00"), "B": Decimal("100.00"), "C": Decimal("70.00")}
    events = AuditEvent.objects.count()
    assert events == 4 + 2 + 1  # every created record is audited

    # Loading the same file again changes nothing and audits nothing.
    call_command("load_policy", str(path))
    assert AuditEvent.objects.count() == events
    assert Standard.objects.count() == 2 and ParameterSet.objects.count() == 1


@pytest.mark.django_db
def test_as_of_picks_the_value_in_force():
    load_policy_text(SAMPLE)
    load_policy_text(
        """
standards:
  - {region: "341125", area: urban, monthly_amount: "180.00", valid_from: 2026-07-01}
parameters:
  - region: "341125"
    valid_from: 2026-07-01
    values: {transition_threshold: "900.00"}
  - region: "341125100"
    valid_from: 2026-08-01
    values: {urban_b_uplift: "0.25"}
"""
    )
    community = Region.objects.get(code="341125100001")
    assert standard_in_force(community, "urban", dt.date(2026, 6, 30)).monthly_amount == Decimal("150.00")
    assert standard_in_force(community, "urban", dt.date(2026, 7, 1)).monthly_amount == Decimal("180.00")
    june = parameters_in_force(community, dt.date(2026, 6, 30))
    august = parameters_in_force(community, dt.date(2026, 8, 1))
    assert june.transition_threshold == Decimal("800.00")  # the default before the change
    assert august.transition_threshold == Decimal("900.00")
    assert june.urban_b_uplift == Decimal("0.30")
    assert august.urban_b_uplift == Decimal("0.25")  # the township's own set is more specific
    # The other township keeps the county's value.
    assert parameters_in_force(Region.objects.get(code="341125101"), dt.date(2026, 8, 1)).urban_b_uplift == Decimal("0.30")
    with pytest.raises(Exception, match="no urban standard"):
        standard_in_force(community, "urban", dt.date(2025, 12, 31))


@pytest.mark.django_db
def test_policy_in_force_for_many_regions_is_the_same_choice_in_two_queries(django_assert_num_queries):
    """The bulk read (re-pricing and simulation) picks what one region at a time picks: the most specific
    region's latest standard, parameters merged from the county down; no standard → the same error."""
    load_policy_text(SAMPLE)
    load_policy_text(
        """
standards:
  - {region: "341125", area: urban, monthly_amount: "180.00", valid_from: 2026-07-01}
  - {region: "341125100", area: urban, monthly_amount: "190.00", valid_from: 2026-06-01}
  - {region: "341125100001", area: rural, monthly_amount: "120.00", valid_from: 2026-08-01}
parameters:
  - region: "341125"
    valid_from: 2026-07-01
    values: {transition_threshold: "900.00"}
  - region: "341125100"
    valid_from: 2026-08-01
    values: {urban_b_uplift: "0.25"}
"""
    )
    regions = list(Region.objects.all())
    for as_of in (dt.date(2025, 12, 31), dt.date(2026, 6, 30), dt.date(2026, 7, 1), dt.date(2026, 8, 1)):
        with django_assert_num_queries(2):
            bulk = policy_in_force(regions, as_of)
        for region in regions:
            for area in ("urban", "rural"):
                standard, params = bulk[(region.pk, area)]
                try:
                    expected = standard_in_force(region, area, as_of)
                except DomainError as exc:
                    assert isinstance(standard, DomainError) and standard.message == exc.message
                else:
                    assert standard == expected
                assert params == parameters_in_force(region, as_of)
    community = Region.objects.get(code="341125100001")
    august = policy_in_force([community], dt.date(2026, 8, 1))
    # The township's 190.00 (from June) is more specific than the county's 180.00 (from July).
    assert august[(community.pk, "urban")][0].monthly_amount == Decimal("190.00")
    assert august[(community.pk, "rural")][0].monthly_amount == Decimal("120.00")
    assert august[(community.pk, "urban")][1].urban_b_uplift == Decimal("0.25")


BAD = """\
regions:
  - code: "341125"
    name: 定远县
    level: county
    children:
      - {code: "34112510", name: 错误镇, level: township}
standards:
  - {region: "999999", area: urban, monthly_amount: "abc", valid_from: 2026-13-01}
parameters:
  - region: "341125"
    valid_from: 2026-01-01
    values: {urban_b_uplift: 0.3, no_such_parameter: "1", transition_months: -2}
"""


@pytest.mark.django_db
def test_bad_file_rejected_whole_with_line_numbers():
    with pytest.raises(PolicyFileError) as info:
        load_policy_text(BAD)
    errors = "\n".join(info.value.errors)
    assert "第 6 行：township 级代码应为9位" in errors and "第 8 行：未知区划 999999" in errors  # Chinese by default
    with translation.override("en"), pytest.raises(PolicyFileError) as info:
        load_policy_text(BAD)
    errors = "\n".join(info.value.errors)
    assert "line 6:" in errors and "9 digits" in errors
    assert "line 8:" in errors and "unknown region 999999" in errors
    assert "not an amount" in errors
    assert "valid_from must be a date" in errors
    assert "not floats" in errors  # 0.3 unquoted is a float: refused
    assert "unknown parameter 'no_such_parameter'" in errors
    assert "transition_months: must not be negative" in errors
    assert Region.objects.count() == 0  # nothing was written


@pytest.mark.django_db
def test_command_reports_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("regions: [", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的YAML"):
        call_command("load_policy", str(path))
    with translation.override("en"), pytest.raises(CommandError, match="rejected, nothing was loaded:\n  line 1: not valid YAML"):
        call_command("load_policy", str(path))
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("regions: []\n# 定远县\n".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("load_policy", str(gbk))


@pytest.mark.django_db
def test_demo_policy_loads_twice():
    from reemployment.core.demo import POLICY_FILE

    first = load_policy_text(POLICY_FILE.read_text(encoding="utf-8"))
    second = load_policy_text(POLICY_FILE.read_text(encoding="utf-8"))
    assert first.changed > 50 and second.changed == 0


DUPLICATE_PARAMETERS = """\
parameters:
  - region: "341125"
    valid_from: 2026-01-01
    values: {urban_b_uplift: "0.30"}
  - region: "341125"
    valid_from: 2026-01-01
    values: {urban_b_uplift: "0.25"}
"""


@pytest.mark.django_db
def test_duplicate_parameter_sets_are_refused_naming_both_lines():
    load_policy_text(SAMPLE)
    events = AuditEvent.objects.count()
    with pytest.raises(PolicyFileError) as info:
        load_policy_text(DUPLICATE_PARAMETERS)
    assert info.value.errors == ["第 5 行：参数重复，与第 2 行相同 341125 2026-01-01"]
    with translation.override("en"), pytest.raises(PolicyFileError) as info:
        load_policy_text(DUPLICATE_PARAMETERS)
    assert info.value.errors == ["line 5: duplicate parameter set for 341125 2026-01-01 (also line 2)"]
    # Rejected whole: nothing changed, nothing audited (before, each load wrote "2 updated").
    assert AuditEvent.objects.count() == events
    assert ParameterSet.objects.get().values["urban_b_uplift"] == "0.30"


@pytest.mark.django_db
def test_duplicate_standards_are_reported_with_both_lines():
    text = """\
standards:
  - {region: "341125", area: urban, monthly_amount: "150.00", valid_from: 2026-01-01}
  - {region: "341125", area: rural, monthly_amount: "110.00", valid_from: 2026-01-01}
  - {region: "341125", area: urban, monthly_amount: "160.00", valid_from: 2026-01-01}
"""
    load_policy_text(SAMPLE)
    with pytest.raises(PolicyFileError) as info:
        load_policy_text(text)
    assert info.value.errors == ["第 4 行：标准重复，与第 2 行相同 341125 urban 2026-01-01"]
    with translation.override("en"), pytest.raises(PolicyFileError) as info:
        load_policy_text(text)
    assert info.value.errors == ["line 4: duplicate standard for 341125 urban 2026-01-01 (also line 2)"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, expected",
    [
        # A number where a list belongs: a line-level error, not a TypeError.
        ("regions: []\nparameters: 5\n", "第 2 行：parameters 必须是条目列表"),
        # A string is not iterated character by character.
        ("# standards\nstandards: abc\n", "第 2 行：standards 必须是条目列表"),
        ("regions:\n  code: '341125'\n", "第 1 行：regions 必须是条目列表"),
        ("standards:\n  - abc\n  - 7\n", "第 2 行：标准条目必须是映射：'abc'"),
        ("parameters:\n\n  - [1, 2]\n", "第 3 行：参数条目必须是映射：[1, 2]"),
        ("regions:\n  - {code: '341125', name: 定远县, level: county, children: 5}\n",
         "第 2 行：children 必须是列表"),
        # Two entries with a malformed area are reported, not a crash on comparing them.
        (("standards:\n  - {region: '341125', area: [urban], monthly_amount: '1.00', valid_from: 2026-01-01}\n"
          "  - {region: '341125', area: [urban], monthly_amount: '1.00', valid_from: 2026-01-01}\n"),
         "第 3 行：城乡应为 urban 或 rural"),
    ],
)
def test_sections_of_the_wrong_shape_are_line_level_errors(text, expected):
    with pytest.raises(PolicyFileError) as info:
        load_policy_text(text)
    assert any(error.startswith(expected) for error in info.value.errors), info.value.errors
    assert "第 ? 行" not in "\n".join(info.value.errors)


@pytest.mark.django_db
def test_a_non_mapping_entry_reports_its_own_line():
    with pytest.raises(PolicyFileError) as info:
        load_policy_text("standards:\n  - abc\n  - 7\n")
    assert [error.split("：", 1)[0] for error in info.value.errors] == ["第 2 行", "第 3 行"]


@pytest.mark.django_db
def test_a_child_code_must_start_with_its_parents_prefix():
    text = """\
regions:
  - code: "341100"
    name: 滁州市
    level: city
    children:
      - {code: "341125", name: 定远县, level: county}
      - {code: "340225", name: 无为县, level: county}
"""
    with pytest.raises(PolicyFileError) as info:
        load_policy_text(text)
    assert info.value.errors == ["第 7 行：340225 不以上级代码 3411 开头"]
    with translation.override("en"), pytest.raises(PolicyFileError) as info:
        load_policy_text(text)
    assert info.value.errors == ["line 7: 340225 must start with its parent's code 3411"]
