"""Model permissions of benefits per role (synced to groups after migrate). Scoping decides which records."""

from reemployment.core.models import Role

_VIEW = ["benefits.view_household", "benefits.view_member", "benefits.view_incomeitem", "benefits.view_asset",
         "benefits.view_application", "benefits.view_enrolment", "benefits.view_review",
         "benefits.view_applicationevent", "benefits.view_objection", "benefits.view_attachment"]
_RECORDS = ["benefits.add_household", "benefits.change_household", "benefits.add_member", "benefits.change_member",
            "benefits.add_incomeitem", "benefits.change_incomeitem", "benefits.add_asset", "benefits.change_asset"]

ROLE_PERMISSIONS = {
    Role.COMMUNITY: [*_VIEW, *_RECORDS, "benefits.add_application", "benefits.change_application"],
    Role.TOWNSHIP: [*_VIEW, *_RECORDS, "benefits.change_application", "benefits.change_review"],
    # County staff also suspend, resume and end a benefit (the enrolment actions; ENROLMENT_ROLES).
    Role.COUNTY: [*_VIEW, *_RECORDS, "benefits.change_application", "benefits.change_review",
                  "benefits.change_enrolment"],
    Role.ADMIN: [*_VIEW],
}
