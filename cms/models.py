"""Page types of the public portal (门户网站).

One abstract base page; every page type declares where it may live (``parent_page_types``)
and what it may hold (``subpage_types``). Domain records (vacancies, courses, households) are
not pages: the listing pages read them through the owning app's selectors (``cms.portal``).
Pages are translated with Wagtail's core i18n (zh-hans first, en second).
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from cms import blocks, portal
from reemployment.core.models import today

# The reference number of the tip-off just sent, shown once on the page after the redirect.
TIP_OFF_SESSION_KEY = "cms.tip_off_reference"

logger = logging.getLogger(__name__)


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Per-site settings of the portal: the county it serves (its standards on the home page, the
    default scope of the listings and the self-check). The demo seeder sets the demo county."""

    county_code = models.CharField(
        _("所属县（区划代码）"), max_length=12, blank=True,
        help_text=_("门户服务的县/区，例如 341125；首页低保标准、自助测算和列表的默认范围"),
    )

    panels = [FieldPanel("county_code")]

    class Meta:
        verbose_name = _("门户设置")


def site_county_code(site: Site | None = None) -> str:
    """The county of ``site`` (the default site when None), "" when none is set."""
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ""
    return PortalSettings.for_site(site).county_code


def county_code_for(request) -> str:
    """The county of the site answering ``request``."""
    return PortalSettings.for_request(request).county_code if request is not None else site_county_code()


def default_county_code() -> str:
    """Default of a new page's region field: the default site's county (as set in PortalSettings)."""
    try:
        return site_county_code()
    except DatabaseError:  # no tables yet (e.g. while migrating)
        return ""


class BasePage(Page):
    """What every portal page has: a one-paragraph summary shown in listings and search."""

    summary = models.TextField(_("摘要"), blank=True, help_text=_("一两句话，列表和搜索结果中显示"))

    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [FieldPanel("summary")]

    class Meta:
        abstract = True

    def siblings_in_locale(self):
        return self.get_siblings(inclusive=False).live().public().filter(locale=self.locale)


class HomePage(BasePage):
    """The portal's home page (首页): what the service does, where to start, latest notices."""

    intro = RichTextField(_("引言"), blank=True, features=blocks.RICH_FEATURES)
    body = StreamField(blocks.GuideStreamBlock(), blank=True, verbose_name=_("正文"))

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ("wagtailcore.Page",)
    subpage_types = (
        "cms.PolicyIndexPage",
        "cms.ServiceIndexPage",
        "cms.NoticeIndexPage",
        "cms.SelfCheckPage",
        "cms.VacancyListingPage",
        "cms.CourseListingPage",
        "cms.TipOffPage",
        "cms.SearchPage",
    )

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().public().specific()
        context["sections"] = [child for child in children if not isinstance(child, SearchPage)]
        context["latest_notices"] = (
            NoticePage.objects.live().public().filter(locale=self.locale).order_by("-date", "-id")[:5]
        )
        context["standards"] = blocks.current_standards(county_code_for(request))
        context["self_check_page"] = next((c for c in context["sections"] if isinstance(c, SelfCheckPage)), None)
        context["service_guide"] = (
            ServiceGuidePage.objects.descendant_of(self).live().public().order_by("path").first()
        )
        return context


class PolicyIndexPage(BasePage):
    """The list of policy guides (政策指南)."""

    intro = RichTextField(_("引言"), blank=True, features=blocks.RICH_FEATURES)
    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ("cms.HomePage",)
    subpage_types = ("cms.PolicyGuidePage",)

    class Meta:
        verbose_name = _("政策指南栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = PolicyGuidePage.objects.child_of(self).live().public().order_by("path")
        return context


class PolicyGuidePage(BasePage):
    """A policy guide (政策指南): the rules explained in plain words, in StreamField sections
    (rich text, FAQs, callouts, tables, document links, the standards in force)."""

    body = StreamField(blocks.GuideStreamBlock(), verbose_name=_("正文"))
    legal_basis = models.CharField(_("政策依据"), max_length=300, blank=True)
    updated_on = models.DateField(_("更新日期"), default=today)

    content_panels = BasePage.content_panels + [
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("legal_basis"), FieldPanel("updated_on")], heading=_("依据")),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body"), index.SearchField("legal_basis")]
    parent_page_types = ("cms.PolicyIndexPage",)
    subpage_types = ()

    class Meta:
        verbose_name = _("政策指南")


class ServiceIndexPage(BasePage):
    """The list of service guides (办事指南)."""

    intro = RichTextField(_("引言"), blank=True, features=blocks.RICH_FEATURES)
    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ("cms.HomePage",)
    subpage_types = ("cms.ServiceGuidePage",)

    class Meta:
        verbose_name = _("办事指南栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = ServiceGuidePage.objects.child_of(self).live().public().order_by("path")
        return context


class ServiceGuidePage(BasePage):
    """A service guide (办事指南): who may apply, ordered steps, documents to bring, where to go
    and when (一门受理), fees and time limits."""

    who_can_apply = RichTextField(_("申请条件"), blank=True, features=blocks.RICH_FEATURES)
    steps = StreamField([("step", blocks.StepBlock())], verbose_name=_("办理步骤"))
    documents = StreamField([("document", blocks.RequiredDocumentBlock())], blank=True, verbose_name=_("申请材料"))
    offices = StreamField([("office", blocks.OfficeBlock())], blank=True, verbose_name=_("办理地点"))
    fee = models.CharField(_("收费"), max_length=100, blank=True, default="不收费")
    time_limit = models.CharField(_("总时限"), max_length=200, blank=True)
    body = StreamField(blocks.GuideStreamBlock(), blank=True, verbose_name=_("补充说明"))

    content_panels = BasePage.content_panels + [
        FieldPanel("who_can_apply"),
        FieldPanel("steps"),
        FieldPanel("documents"),
        FieldPanel("offices"),
        MultiFieldPanel([FieldPanel("fee"), FieldPanel("time_limit")], heading=_("收费与时限")),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("who_can_apply"),
        index.SearchField("steps"),
        index.SearchField("documents"),
        index.SearchField("body"),
    ]
    parent_page_types = ("cms.ServiceIndexPage",)
    subpage_types = ()

    class Meta:
        verbose_name = _("办事指南")


class NoticeIndexPage(BasePage):
    """Notices and public notices (公告公示), newest first."""

    intro = RichTextField(_("引言"), blank=True, features=blocks.RICH_FEATURES)
    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ("cms.HomePage",)
    subpage_types = ("cms.NoticePage", "cms.PublicNoticePage",)

    class Meta:
        verbose_name = _("公告公示栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["public_notice_pages"] = PublicNoticePage.objects.child_of(self).live().public()
        context["notices"] = NoticePage.objects.child_of(self).live().public().order_by("-date", "-id")
        return context


class NoticePage(BasePage):
    """A notice (公告) with its date; optionally valid until a date (then shown as expired)."""

    date = models.DateField(_("发布日期"), default=today)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    issuer = models.CharField(_("发布单位"), max_length=100, blank=True)
    body = StreamField(blocks.GuideStreamBlock(), verbose_name=_("正文"))

    content_panels = BasePage.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("valid_until"), FieldPanel("issuer")], heading=_("日期")),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body"), index.FilterField("date")]
    parent_page_types = ("cms.NoticeIndexPage",)
    subpage_types = ()

    class Meta:
        verbose_name = _("公告")

    @property
    def out_of_date(self) -> bool:
        return bool(self.valid_until and self.valid_until < today())


class PublicNoticeStages(models.TextChoices):
    """Which notices a public-notice page lists. The procedure has two (DESIGN.md §2 [R1][R2][R5]): the
    appraisal result (评议结果公示, before the county decides) and the approval result (审批结果公示,
    the households the county approved); a page titled for one must not list the other."""

    APPROVED = "approved", _("审批结果公示（县级已批准的家庭）")
    APPRAISAL = "appraisal", _("评议结果公示（已民主评议、尚未审批的申请）")
    ALL = "all", _("两类都列出（注明事项）")


class PublicNoticePage(BasePage):
    """A public notice (低保公示), generated from the benefits workflow: by default the approved
    households (审批结果公示); ``stages`` may choose the applications not yet approved (评议结果公示 and,
    where the county's stages have one, the township's 审核结果公示) or all of them, each row labelled.

    Entries come from ``benefits.selectors.public_notices``: only those inside their notice
    period are shown, so an entry disappears by itself when its period ends. Names are partly
    masked (张*三); no ID number and no income detail is ever shown (``cms.portal``).
    """

    intro = RichTextField(_("引言"), blank=True, features=blocks.RICH_FEATURES)
    stages = models.CharField(
        _("公示事项"), max_length=10, choices=PublicNoticeStages.choices, default=PublicNoticeStages.APPROVED,
        help_text=_("审批结果公示只列县级已批准的家庭；评议结果公示列已民主评议、尚未审批的申请"),
    )
    region_code = models.CharField(_("公示范围（区划代码）"), max_length=12, blank=True, default=default_county_code)
    objection_contact = models.CharField(_("异议受理电话"), max_length=100, blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"), FieldPanel("stages"), FieldPanel("region_code"), FieldPanel("objection_contact"),
    ]
    parent_page_types = ("cms.NoticeIndexPage",)
    subpage_types = ()

    class Meta:
        verbose_name = _("低保公示")

    @property
    def selected_stages(self) -> frozenset[str]:
        """The stages of ``benefits.selectors.public_notices`` rows this page lists."""
        if self.stages == PublicNoticeStages.ALL:
            return frozenset({PublicNoticeStages.APPROVED.value, PublicNoticeStages.APPRAISAL.value, "township"})
        if self.stages == PublicNoticeStages.APPRAISAL:
            # Not yet approved: the appraisal notice and, where the county's stages have one ([R5]
            # 三审核三公示), the township's review notice — each row labelled with its stage.
            return frozenset({PublicNoticeStages.APPRAISAL.value, "township"})
        return frozenset({self.stages or PublicNoticeStages.APPROVED.value})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entries"], context["entries_available"] = portal.public_notice_entries(
            self.region_code or None, stages=self.selected_stages
        )
        context["as_of"] = today()
        return context


class SelfCheckPage(BasePage):
    """The self-check (自助测算): a rough estimate of eligibility and amount, computed by the same
    rules code as case work (``benefits.rules.assess_household``) with the standard and the
    parameters in force today. Nothing entered is stored."""

    intro = RichTextField(_("引言"), blank=True, features=blocks.RICH_FEATURES)
    region_code = models.CharField(_("所属县（区划代码）"), max_length=12, blank=True, default=default_county_code,
                                   help_text=_("留空则用门户设置中的县"))
    disclaimer = RichTextField(_("说明"), blank=True, features=blocks.RICH_FEATURES)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("region_code"), FieldPanel("disclaimer")]
    parent_page_types = ("cms.HomePage",)
    subpage_types = ()

    class Meta:
        verbose_name = _("自助测算")

    def serve(self, request, *args, **kwargs):
        from cms.forms import SelfCheckForm

        result = None
        error = None
        county_code = self.region_code or county_code_for(request)
        if request.method == "POST":
            form = SelfCheckForm(request.POST, region_code=county_code)
            if form.is_valid():
                result, error = portal.self_check(form.cleaned_data, county_code=county_code)
        else:
            form = SelfCheckForm(region_code=county_code)
        context = self.get_context(request, *args, **kwargs)
        context.update({"form": form, "result": result, "error": error})
        return TemplateResponse(request, self.get_template(request, *args, **kwargs), context)


class VacancyListingPage(BasePage):
    """Open vacancies (岗位信息) with the semantic search box, from ``jobs.selectors``."""

    intro = RichTextField(_("引言"), blank=True, features=blocks.RICH_FEATURES)
    region_code = models.CharField(_("范围（区划代码）"), max_length=12, blank=True, default=default_county_code)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("region_code")]
    parent_page_types = ("cms.HomePage",)
    subpage_types = ()

    class Meta:
        verbose_name = _("岗位列表")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        query = (request.GET.get("q") or "").strip()[:100]
        context["query"] = query
        found = portal.vacancy_search(query, self.region_code or None)
        context["vacancies"], context["vacancies_available"] = found.rows, found.available
        context["excluded"], context["suggestions"] = found.excluded, found.suggestions
        return context


class CourseListingPage(BasePage):
    """Open training courses (培训课程), from ``training.selectors.open_courses``."""

    intro = RichTextField(_("引言"), blank=True, features=blocks.RICH_FEATURES)
    region_code = models.CharField(_("范围（区划代码）"), max_length=12, blank=True, default=default_county_code)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("region_code")]
    parent_page_types = ("cms.HomePage",)
    subpage_types = ()

    class Meta:
        verbose_name = _("培训课程列表")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"], context["courses_available"] = portal.courses(self.region_code or None)
        return context


class TipOffPage(BasePage):
    """The tip-off form (举报), optionally anonymous; creates a tip-off record in benefits."""

    intro = RichTextField(_("引言"), blank=True, features=blocks.RICH_FEATURES)
    thank_you = RichTextField(_("提交后显示"), blank=True, features=blocks.RICH_FEATURES)
    region_code = models.CharField(_("默认区划代码"), max_length=12, blank=True, default=default_county_code)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("thank_you"), FieldPanel("region_code")]
    parent_page_types = ("cms.HomePage",)
    subpage_types = ()

    class Meta:
        verbose_name = _("举报")

    def serve(self, request, *args, **kwargs):
        """The form; after sending, the page once more with the reference number (受理编号).

        The reference travels in the session, never in the URL: a link cannot fake a "received"
        page. Each client may send ``PORTAL_TIP_OFF_RATE`` tip-offs (``cms.abuse``); a filled-in
        honeypot gets the same "received" page, and nothing is stored."""
        from cms.abuse import tip_off_allowed
        from cms.forms import TipOffForm

        sent = None
        status = 200
        if request.method == "POST":
            form = TipOffForm(request.POST, region_code=self.region_code or county_code_for(request))
            allowed, wait_minutes = tip_off_allowed(request)
            if not allowed:
                status = 429
                form.add_error(None, _("提交次数过多，请%(minutes)s分钟后再试；紧急情况请拨打举报电话。")
                               % {"minutes": wait_minutes})
            elif form.is_valid():
                if form.is_from_a_bot():
                    logger.info("tip-off honeypot filled in: dropped")
                    request.session[TIP_OFF_SESSION_KEY] = ""
                    return redirect(self.get_url(request))
                reference, error = portal.submit_tip_off(form.cleaned_data)
                if error is None:
                    request.session[TIP_OFF_SESSION_KEY] = reference or ""
                    return redirect(self.get_url(request))
                if isinstance(error, dict):
                    for field, messages in error.items():
                        for message in messages:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    form.add_error(None, error)
        else:
            form = TipOffForm(region_code=self.region_code or county_code_for(request))
            if TIP_OFF_SESSION_KEY in request.session:
                sent = request.session.pop(TIP_OFF_SESSION_KEY)
        context = self.get_context(request, *args, **kwargs)
        context.update({"form": form, "sent": sent})
        return TemplateResponse(request, self.get_template(request, *args, **kwargs), context, status=status)


class SearchPage(BasePage):
    """Site search (站内搜索) over the live pages of the current language."""

    parent_page_types = ("cms.HomePage",)
    subpage_types = ()

    class Meta:
        verbose_name = _("站内搜索")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from cms.search import search_pages

        query = (request.GET.get("q") or "").strip()[:100]
        context["query"] = query
        context["results"] = search_pages(query, self.locale) if query else []
        return context

