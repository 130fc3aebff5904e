"""Which kinds of jobs records each role may touch; scoping decides which ones (core.roles)."""

from reemployment.core.models import Role
from reemployment.core.roles import WAGTAIL_ADMIN


def _perms(model: str, *actions: str) -> list[str]:
    return [f"jobs.{action}_{model}" for action in actions]


ROLE_PERMISSIONS = {
    Role.LABOUR: [
        WAGTAIL_ADMIN,
        *_perms("employer", "view", "add", "change"),
        *_perms("vacancy", "view", "add", "change"),
        *_perms("jobseeker", "view", "add", "change"),
        *_perms("referral", "view", "add", "change"),
        *_perms("hire", "view"),
        *_perms("sanctionproposal", "view"),
    ],
    Role.COMMUNITY: [WAGTAIL_ADMIN, *_perms("jobseeker", "view", "add", "change"), *_perms("referral", "view"),
                     *_perms("vacancy", "view")],
    Role.TOWNSHIP: [WAGTAIL_ADMIN, *_perms("jobseeker", "view", "add", "change"), *_perms("referral", "view"),
                    *_perms("vacancy", "view"), *_perms("hire", "view")],
    Role.COUNTY: [WAGTAIL_ADMIN, *_perms("jobseeker", "view", "add", "change"), *_perms("referral", "view"),
                  *_perms("vacancy", "view"), *_perms("hire", "view"), *_perms("employer", "view"),
                  *_perms("sanctionproposal", "view", "change")],
    Role.ADMIN: [
        *_perms("employer", "view", "add", "change"),
        *_perms("vacancy", "view", "add", "change"),
        *_perms("jobseeker", "view", "add", "change"),
        *_perms("referral", "view", "add", "change"),
        *_perms("hire", "view"),
        *_perms("sanctionproposal", "view", "change"),
    ],
}
