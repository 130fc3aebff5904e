"""Model permissions of the portal's roles (merged by reemployment.core.roles).

Page permissions (add/change/lock on the HomePage subtree) are GroupPagePermissions set by
``cms.demo.seed``; publishing goes through the "发布审核" moderation workflow."""

from reemployment.core.models import Role

ROLE_PERMISSIONS = {
    Role.EDITOR: [
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
}
