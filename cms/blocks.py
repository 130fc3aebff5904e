"""StreamField blocks of the public portal, each with its own template (cms/templates/cms/blocks/)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock

RICH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
AREA_LABELS = {"urban": _("城市"), "rural": _("农村")}


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("小标题")
        template = "cms/blocks/heading.html"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("正文")
        template = "cms/blocks/paragraph.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted box: information, warning or important (e.g. 'applying costs nothing')."""

    kind = blocks.ChoiceBlock(
        choices=[("info", _("提示")), ("warning", _("注意")), ("important", _("重要"))], default="info", label=_("类型")
    )
    title = blocks.CharBlock(label=_("标题"), required=False)
    text = blocks.RichTextBlock(label=_("内容"), features=RICH_FEATURES)

    class Meta:
        icon = "warning"
        label = _("提示框")
        template = "cms/blocks/callout.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("问题"))
    answer = blocks.RichTextBlock(label=_("回答"), features=RICH_FEATURES)


class FAQBlock(blocks.StructBlock):
    """Frequently asked questions (常见问题), shown as expandable <details>."""

    title = blocks.CharBlock(label=_("标题"), required=False, default="常见问题")
    items = blocks.ListBlock(FAQItemBlock(), label=_("问答"))

    class Meta:
        icon = "help"
        label = _("常见问题")
        template = "cms/blocks/faq.html"


class CaptionedTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("表格标题"), required=False)
    table = TableBlock(label=_("表格"), table_options={"startRows": 3, "startCols": 3})

    class Meta:
        icon = "table"
        label = _("表格")
        template = "cms/blocks/table.html"


class DocumentLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("名称"))
    document = DocumentChooserBlock(label=_("文档"), required=False)
    url = blocks.URLBlock(label=_("或链接"), required=False)
    note = blocks.CharBlock(label=_("说明"), required=False)


class DocumentLinksBlock(blocks.StructBlock):
    """Downloadable forms and the policy documents a guide is based on."""

    title = blocks.CharBlock(label=_("标题"), required=False, default="相关文件")
    links = blocks.ListBlock(DocumentLinkBlock(), label=_("文件"))

    class Meta:
        icon = "doc-full"
        label = _("相关文件")
        template = "cms/blocks/documents.html"


class CurrentStandardsBlock(blocks.StructBlock):
    """The guarantee standards (低保标准) in force today for a county, read from the database,
    so that a guide never shows an out-of-date amount."""

    region_code = blocks.CharBlock(label=_("县/区代码"), required=False, max_length=12,
                                   help_text=_("留空则用门户设置中的县"))

    class Meta:
        icon = "table"
        label = _("现行低保标准（自动）")
        template = "cms/blocks/current_standards.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        region_code = value.get("region_code")
        if not region_code:
            from cms.models import county_code_for  # models import this module

            region_code = county_code_for((parent_context or {}).get("request"))
        context["standards"] = current_standards(region_code)
        return context


def current_standards(region_code: str, as_of: dt.date | None = None) -> list[dict]:
    """[{area, area_label, amount, valid_from}] for urban and rural; [] when none is set."""
    from reemployment.core.errors import DomainError
    from reemployment.core.models import Area, Region, today
    from reemployment.core.selectors import standard_in_force

    as_of = as_of or today()
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        return []
    rows = []
    for area in (Area.URBAN, Area.RURAL):
        try:
            standard = standard_in_force(region, area, as_of)
        except DomainError:
            continue
        rows.append(
            {"area": area.value, "area_label": AREA_LABELS[area.value], "amount": standard.monthly_amount,
             "valid_from": standard.valid_from, "region_name": region.name}
        )
    return rows


class StepBlock(blocks.StructBlock):
    """One step of a procedure (办理步骤): what happens, who does it, how long it takes."""

    title = blocks.CharBlock(label=_("步骤"))
    text = blocks.RichTextBlock(label=_("说明"), features=RICH_FEATURES)
    who = blocks.CharBlock(label=_("办理单位"), required=False)
    time_limit = blocks.CharBlock(label=_("办理时限"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("步骤")


class RequiredDocumentBlock(blocks.StructBlock):
    """A document the applicant brings (申请材料)."""

    name = blocks.CharBlock(label=_("材料名称"))
    note = blocks.CharBlock(label=_("说明"), required=False)
    original_needed = blocks.BooleanBlock(label=_("需原件"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("申请材料")


class OfficeBlock(blocks.StructBlock):
    """Where to go (办理地点): the one-stop window (一门受理) with address and opening hours."""

    name = blocks.CharBlock(label=_("窗口名称"))
    address = blocks.CharBlock(label=_("地址"))
    phone = blocks.CharBlock(label=_("电话"), required=False)
    opening_hours = blocks.TextBlock(label=_("办公时间"), help_text=_("每行一个时段，如：周一至周五 8:30–12:00"))

    class Meta:
        icon = "site"
        label = _("办理地点")
        template = "cms/blocks/office.html"


class GuideStreamBlock(blocks.StreamBlock):
    """Sections of a policy guide (政策指南)."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    callout = CalloutBlock()
    faq = FAQBlock()
    table = CaptionedTableBlock()
    documents = DocumentLinksBlock()
    current_standards = CurrentStandardsBlock()
