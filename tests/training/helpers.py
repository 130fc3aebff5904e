"""Drive a course through its life with the real services (no shortcuts past the rules)."""

import datetime as dt

from tests.training.factories import HouseholdFactory, MemberFactory
from training import services
from training.models import CourseStatus


def run_course(course, actor, *, enrolled, completed, placed, failed=0, region=None):
    """Enrol ``enrolled`` new members, complete ``completed``, mark ``failed`` of the completers as
    unable to do the basic operations, end the course and place ``placed`` completers (start on
    the completion day). Returns the enrolments, completers first."""
    region = region or course.region
    members = [MemberFactory(household=HouseholdFactory(region=region)) for _ in range(enrolled)]
    enrolments = [services.enrolment_create(actor=actor, course=course, member=m) for m in members]
    services.course_transition(actor=actor, course=course, to_status=CourseStatus.RUNNING)
    for i, enrolment in enumerate(enrolments[:completed]):
        services.enrolment_complete(actor=actor, enrolment=enrolment)
        if i < failed:
            services.enrolment_assess(actor=actor, enrolment=enrolment, passed=False, note="不能独立操作")
    services.course_transition(actor=actor, course=course, to_status=CourseStatus.ENDED)
    for enrolment in enrolments[:placed]:
        enrolment.refresh_from_db()
        services.placement_record(actor=actor, enrolment=enrolment, start_date=enrolment.completed_on,
                                  employer_name="定远电子厂", evidence="劳动合同 HT-001")
    course.refresh_from_db()
    return enrolments


AFTER_WINDOW = dt.date(2026, 10, 1)  # course ends 2026-03-31; window to 2026-09-30 inclusive
IN_WINDOW = dt.date(2026, 9, 30)
