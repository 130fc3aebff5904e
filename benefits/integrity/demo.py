"""Demo integrity records: a few tip-offs (public and staff), one cadre-relative registration.

Idempotent: records are found by their demo text / cadre name before anything is created.
Robust to a county without households (then only the anonymous public tip-off is made).
"""

from __future__ import annotations

from benefits.integrity.models import CadreRelation, CadreRelative, TipOff
from benefits.integrity.services import cadre_relative_register, tip_off_assign, tip_off_submit
from benefits.models import EnrolmentStatus, Household
from reemployment.core.models import Region, User

ACTOR = "system:seed_demo"
PUBLIC_TEXTS = [
    ("341125100001", "【演示】听说小区里有一户人家开着小汽车还领低保，希望核实。"),
    ("341125101001", "【演示】村里有户人家儿子在外地开厂，老人仍然吃低保，请核查赡养情况。"),
]


def seed(stdout=None) -> dict:
    made = {"tip_offs": 0, "cadre_relatives": 0}
    for region_code, text in PUBLIC_TEXTS:
        if Region.objects.filter(code=region_code).exists() and not TipOff.objects.filter(text=text).exists():
            tip_off_submit(text=text, region_code=region_code)
            made["tip_offs"] += 1
    enrolled = (Household.objects.filter(region__code__startswith="341125", enrolments__status=EnrolmentStatus.ACTIVE)
                .order_by("number"))
    household = enrolled.first()
    if household is not None:
        text = "【演示】举报该户户主有经营收入未申报。"
        if not TipOff.objects.filter(text=text).exists():
            tip = tip_off_submit(text=text, household_number=household.number, contact="", anonymous=True)
            township = User.objects.filter(username="dingcheng").first()
            community = User.objects.filter(username="chengnan").first()
            if township and community and community.region and community.region.contains(household.region):
                tip_off_assign(actor=township, tip_off=tip, assignee=community)
            made["tip_offs"] += 1
        member = household.members.order_by("id").first()
        if member and not CadreRelative.objects.filter(cadre_name="【演示】王村主任").exists():
            cadre_relative_register(actor=ACTOR, member=member, cadre_name="【演示】王村主任", cadre_post="村委会主任",
                                    cadre_unit="村民委员会", relation=CadreRelation.SIBLING, note="演示数据")
            made["cadre_relatives"] += 1
    if stdout:
        stdout.write(f"integrity: {made['tip_offs']} tip-offs, {made['cadre_relatives']} cadre registrations added")
    return made
