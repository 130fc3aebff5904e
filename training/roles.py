"""Model permissions of training per role (what kind of record; scoping decides which)."""

from reemployment.core.models import Role

_MANAGE = [
    f"training.{action}_{model}"
    for model in ("provider", "course", "trainingenrolment", "placement", "accountabilityreview", "subsidypayment",
                  "trainingwish")
    for action in ("view", "add", "change")
]

ROLE_PERMISSIONS = {
    Role.LABOUR: _MANAGE,
    Role.COUNTY: ["training.view_course", "training.view_provider", "training.view_trainingwish",
                  "training.add_trainingwish", "training.change_trainingwish"],
    Role.TOWNSHIP: ["training.view_course", "training.view_trainingwish", "training.add_trainingwish",
                    "training.change_trainingwish"],
    Role.COMMUNITY: ["training.view_course", "training.view_trainingwish", "training.add_trainingwish",
                     "training.change_trainingwish"],
    Role.ADMIN: _MANAGE,
}
