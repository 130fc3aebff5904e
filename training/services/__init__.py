"""State changes of training (DESIGN.md §5, [R4]), by aggregate. Each service is atomic and audited.

Who may do what:
- labour-bureau staff (``Role.LABOUR``) of the course's jurisdiction manage providers, courses,
  rosters (attendance, completion, assessment, certificates), placements, reviews and subsidies;
- community / township staff enrol members of their jurisdiction and record survey wishes;
- a recipient (``Role.RECIPIENT``) signs up and withdraws members of their own household;
- system administrators may do everything.

Modules: ``courses`` (providers, courses), ``enrolments`` (sign-up to certificate), ``placements``
(输出, also from jobs' hires), ``assessment`` (output rate, reviews, subsidies), ``survey``
(training wishes); ``_common`` holds the permission checks they share. Callers import from
``training.services``.
"""

from training.services._common import (
    ASSESSMENT_PARAMETERS,
    HIRE_SOURCE,
    SYSTEM,
)
from training.services.assessment import (
    accountability_review_save,
    course_assess,
    course_counts,
    review_default_owner,
    subsidy_pay,
)
from training.services.courses import (
    COURSE_EDITABLE_FIELDS,
    course_save,
    course_transition,
    provider_save,
    standard_certificates,
)
from training.services.enrolments import (
    attendance_record,
    enrolment_assess,
    enrolment_certify,
    enrolment_complete,
    enrolment_create,
    enrolment_withdraw,
)
from training.services.placements import (
    placement_record,
    placement_record_after_hire,
    placement_record_from_hire,
    placement_window_end,
)
from training.services.survey import (
    training_wish_save,
)

__all__ = [
    "ASSESSMENT_PARAMETERS",
    "COURSE_EDITABLE_FIELDS",
    "HIRE_SOURCE",
    "SYSTEM",
    "accountability_review_save",
    "attendance_record",
    "course_assess",
    "course_counts",
    "course_save",
    "course_transition",
    "enrolment_assess",
    "enrolment_certify",
    "enrolment_complete",
    "enrolment_create",
    "enrolment_withdraw",
    "placement_record",
    "placement_record_after_hire",
    "placement_record_from_hire",
    "placement_window_end",
    "provider_save",
    "review_default_owner",
    "standard_certificates",
    "subsidy_pay",
    "training_wish_save",
]
