"""State changes of benefit records, one module per aggregate. Each is atomic, validated first, and audited.

``from benefits.services import X`` and ``services.X`` keep working: every public name is re-exported here.
Enrolment status changes follow ``ENROLMENT_TRANSITIONS`` (benefits/models.py) and each writes an
append-only ``EnrolmentEvent`` besides the audit event.
"""

from __future__ import annotations

from benefits.services._common import (
    CASEWORK_ROLES,
    now,
)
from benefits.services._workflow import (
    ALLOWED_ATTACHMENT_TYPES,
    attachment_add,
)
from benefits.services.accounts import (
    ACCOUNT_ROLES,
    change_report,
    recipient_account_create,
    recipient_password_reset,
)
from benefits.services.applications import (
    application_appraise,
    application_approve,
    application_decline_for_sanction,
    application_enrol,
    application_post_notice,
    application_reject,
    application_review,
    application_submit,
    application_survey,
    certificate_number_for,
    rejection_notice_text,
)
from benefits.services.cadre import (
    case_flag_cadre_relative,
    household_open_cases_flag,
)
from benefits.services.enrolments import (
    enrolment_change,
    enrolment_change_transition_amount,
    enrolment_end,
    enrolment_end_transition,
    enrolment_resume,
    enrolment_start,
    enrolment_start_transition,
    enrolment_suspend,
    next_review_date,
)
from benefits.services.households import (
    FLAG_CARVE_OUT,
    FLAG_TWO_HOUSEHOLDS,
    RECORD_ROLES,
    asset_save,
    household_refresh_flags,
    household_save,
    income_save,
    member_move,
    member_save,
)
from benefits.services.objections import (
    objection_raise,
    objection_resolve,
)
from benefits.services.repricing import (
    standard_change_apply,
    standard_change_preview,
)
from benefits.services.reviews import (
    DEATH_REVIEW_SOURCE,
    review_decide,
    review_open,
    reviews_apply_deferred,
    reviews_open_many,
    reviews_open_periodic,
)

__all__ = [
    "ACCOUNT_ROLES",
    "ALLOWED_ATTACHMENT_TYPES",
    "CASEWORK_ROLES",
    "DEATH_REVIEW_SOURCE",
    "FLAG_CARVE_OUT",
    "FLAG_TWO_HOUSEHOLDS",
    "RECORD_ROLES",
    "application_appraise",
    "application_approve",
    "application_decline_for_sanction",
    "application_enrol",
    "application_post_notice",
    "application_reject",
    "application_review",
    "application_submit",
    "application_survey",
    "asset_save",
    "attachment_add",
    "case_flag_cadre_relative",
    "certificate_number_for",
    "change_report",
    "enrolment_change",
    "enrolment_change_transition_amount",
    "enrolment_end",
    "enrolment_end_transition",
    "enrolment_resume",
    "enrolment_start",
    "enrolment_start_transition",
    "enrolment_suspend",
    "household_open_cases_flag",
    "household_refresh_flags",
    "household_save",
    "income_save",
    "member_move",
    "member_save",
    "next_review_date",
    "now",
    "objection_raise",
    "objection_resolve",
    "recipient_account_create",
    "recipient_password_reset",
    "rejection_notice_text",
    "review_decide",
    "review_open",
    "reviews_apply_deferred",
    "reviews_open_many",
    "reviews_open_periodic",
    "standard_change_apply",
    "standard_change_preview",
]
