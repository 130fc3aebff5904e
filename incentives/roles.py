from reemployment.core.models import Role

ROLE_PERMISSIONS = {
    Role.COUNTY: [
        "incentives.view_transitionproposal", "incentives.change_transitionproposal",
        "incentives.view_publiclabourrecord", "incentives.view_ruleapplication",
    ],
    Role.TOWNSHIP: ["incentives.view_transitionproposal", "incentives.view_publiclabourrecord",
                    "incentives.add_publiclabourrecord", "incentives.view_ruleapplication"],
    Role.COMMUNITY: ["incentives.view_publiclabourrecord", "incentives.add_publiclabourrecord",
                     "incentives.view_ruleapplication"],
}
