"""The review and notice stages of an application (审核公示环节), as county policy data.

An application is reviewed bottom-up: the community or village (社区/村: home survey and democratic
appraisal), the township or street (乡镇/街道 审核) and the county civil-affairs bureau (县级审批). Which
of these review and whether each posts a public notice (公示) differs by county:

- [R1] 定远县: the community notices the appraisal result (张榜公布), the township reviews, the county
  approves and the approved list is noticed three days — the default below.
- [R5] "经三审核三公示": community, street and district each review and each post a notice.
- [R2] 南京: 社区调查 — 街道审核 — 张榜公布 — 上报审批, with a notice before and after the district's
  approval (审前、审后公示): community without a notice, township and county with one.

The parameter ``application_stages`` is a list of stages in that bottom-up order. It always starts at
the community (the survey and appraisal happen there) and ends at the county (the decision); the
township in between may be left out. ``notice_days`` is optional: without it a notice lasts
``appraisal_notice_days`` (community and township) or ``approval_notice_days`` (county) in force on
the day it is posted. Pure Python; :func:`coerce_stages` checks a raw value from YAML, JSON or the admin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

COMMUNITY, TOWNSHIP, COUNTY = "community", "township", "county"
LEVELS = (COMMUNITY, TOWNSHIP, COUNTY)
STAGE_KEYS = ("level", "notice", "notice_days")


def gettext_noop(message: str) -> str:
    return message  # marks a msgid for makemessages, like parameters.gettext_noop


@dataclass(frozen=True)
class ApplicationStage:
    """One review stage: the level that reviews, whether it posts a notice, and for how many days
    (``None``: the level's default parameter on the day of the notice)."""

    level: str
    notice: bool
    notice_days: int | None = None

    def as_json(self) -> dict:
        data: dict = {"level": self.level, "notice": self.notice}
        if self.notice_days is not None:
            data["notice_days"] = self.notice_days
        return data


# [R1]: appraisal notice at the community, township review, county approval with the approved list noticed.
DEFAULT_STAGES = (ApplicationStage(COMMUNITY, True), ApplicationStage(TOWNSHIP, False), ApplicationStage(COUNTY, True))
# [R5] 三审核三公示, for tests and documentation.
THREE_NOTICES = (ApplicationStage(COMMUNITY, True), ApplicationStage(TOWNSHIP, True), ApplicationStage(COUNTY, True))


def coerce_stages(name: str, value: object) -> tuple[ApplicationStage, ...]:
    """Check a raw stage list; raise ``ParameterError`` naming the stage (``index``, 0-based) at fault."""
    from reemployment.policy.parameters import ParameterError  # parameters imports this module

    def fail(message: str, index: int | None = None, **values) -> ParameterError:
        if index is not None:
            values["number"] = index + 1
        return ParameterError(message, {"name": name, **values}, index=index)

    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)) or not value:
        raise fail(gettext_noop("%(name)s：应为审核公示环节的列表，如 [{level: community, notice: true}, …]"))
    stages: list[ApplicationStage] = []
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise fail(gettext_noop("%(name)s：第 %(number)s 个环节应为映射（level、notice、notice_days）"), index)
        unknown = sorted(str(key) for key in item if key not in STAGE_KEYS)
        if unknown:
            raise fail(gettext_noop("%(name)s：第 %(number)s 个环节含未知键 %(keys)s"), index, keys="、".join(unknown))
        level = item.get("level")
        if level not in LEVELS:
            raise fail(gettext_noop("%(name)s：第 %(number)s 个环节的 level 应为 community、township 或 county"), index)
        notice = item.get("notice")
        if not isinstance(notice, bool):
            raise fail(gettext_noop("%(name)s：第 %(number)s 个环节须写明 notice: true 或 false"), index)
        days = item.get("notice_days")
        if days is not None:
            if not notice:
                raise fail(gettext_noop("%(name)s：第 %(number)s 个环节不公示，不能设 notice_days"), index)
            if isinstance(days, bool) or not isinstance(days, int) or days < 1:
                raise fail(gettext_noop("%(name)s：第 %(number)s 个环节的 notice_days 应为不小于 1 的整数"), index)
        if stages and LEVELS.index(level) <= LEVELS.index(stages[-1].level):
            raise fail(gettext_noop("%(name)s：第 %(number)s 个环节 %(level)s 重复或顺序不对（应依次为 community、"
                             "township、county，自下而上）"), index, level=level)
        stages.append(ApplicationStage(level, notice, days))
    if stages[0].level != COMMUNITY:
        raise fail(gettext_noop("%(name)s：第一个环节须为 community（入户调查和民主评议在社区/村）"), 0)
    if stages[-1].level != COUNTY:
        raise fail(gettext_noop("%(name)s：最后一个环节须为 county（县级审批）"), len(stages) - 1)
    return tuple(stages)


def stages_jsonable(stages: tuple[ApplicationStage, ...]) -> list[dict]:
    return [stage.as_json() for stage in stages]
