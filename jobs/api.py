"""REST API of jobs: employers, vacancies (with public search and import), job seekers (with
matches and the obliged-not-registered list), referrals, hires and sanction proposals.

Every list and detail is scoped (a record outside the caller's jurisdiction answers 404); every
change goes through ``jobs.services``; domain errors become JSON by the project exception handler.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from benefits.models import Member
from jobs import imports, selectors, services
from jobs.models import Employer, Hire, Hours, JobSeeker, Referral, ReferralStatus, SanctionProposal, Vacancy
from reemployment.core.api import ScopedPrimaryKeyRelatedField, SearchThrottle
from reemployment.core.errors import DomainError
from reemployment.core.models import Region
from reemployment.idcard import mask_name


@extend_schema_field(OpenApiTypes.STR)
class RegionField(serializers.Field):
    """A region by code (e.g. "341125101"); an integer is taken as the primary key."""

    def to_representation(self, value):
        return value.code

    def to_internal_value(self, data):
        if isinstance(data, int) or (isinstance(data, str) and data.isdigit() and len(data) < 6):
            region = Region.objects.filter(pk=int(data)).first()
        else:
            region = Region.objects.filter(code=str(data)).first()
        if region is None:
            raise serializers.ValidationError(_("未知的行政区划 %(region)s") % {"region": data})
        return region


class EmployerSerializer(serializers.ModelSerializer):
    region = RegionField()
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Employer
        fields = ["id", "name", "region", "region_name", "credit_code", "contact", "phone", "address", "created_at"]
        read_only_fields = ["created_at"]
        validators = []  # uniqueness is the service's job (it answers 409)


class VacancySerializer(serializers.ModelSerializer):
    region = RegionField()
    employer = ScopedPrimaryKeyRelatedField(queryset=Employer.objects.all())
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    township = serializers.CharField(source="region.name", read_only=True)
    certificates = serializers.ListField(child=serializers.CharField(max_length=30), required=False)
    hours = serializers.ChoiceField(choices=Hours.choices, required=False)

    class Meta:
        model = Vacancy
        fields = ["id", "employer", "employer_name", "title", "description", "occupation", "occupation_code",
                  "occupation_code_confirmed", "region", "township", "pay_min", "pay_max", "hours", "openings",
                  "requirements", "certificates", "closes_on", "status", "created_at", "updated_at"]
        read_only_fields = ["status", "occupation_code_confirmed", "created_at", "updated_at"]
        validators = []


class StatusChangeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class EmployerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Employers (用人单位) in the caller's jurisdiction; labour-bureau staff register and edit."""

    serializer_class = EmployerSerializer

    def get_queryset(self):
        return selectors.employers_for(self.request.user).order_by("name", "id")

    def perform_create(self, serializer):
        serializer.instance = services.employer_save(actor=self.request.user, instance=Employer(**serializer.validated_data))

    def perform_update(self, serializer):
        instance = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        serializer.instance = services.employer_save(actor=self.request.user, instance=instance)


class VacancyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Vacancies (岗位) in the caller's jurisdiction. A new vacancy is open and searchable at once."""

    serializer_class = VacancySerializer
    filterset_fields = ["status", "employer", "hours"]
    action_permissions = {name: ("jobs.change_vacancy",) for name in ("close", "fill", "reopen")}

    def get_queryset(self):
        return selectors.vacancies_for(self.request.user).order_by("-created_at", "-id")

    def perform_create(self, serializer):
        serializer.instance = services.vacancy_save(actor=self.request.user, instance=Vacancy(**serializer.validated_data))

    def perform_update(self, serializer):
        instance = Vacancy.objects.get(pk=serializer.instance.pk)
        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        serializer.instance = services.vacancy_save(actor=self.request.user, instance=instance)

    def _status(self, request, status_value):
        vacancy = self.get_object()
        body = StatusChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        vacancy = services.vacancy_set_status(actor=request.user, vacancy=vacancy, status=status_value,
                                              note=body.validated_data.get("note", ""))
        return Response(VacancySerializer(selectors.vacancies_for(request.user).get(pk=vacancy.pk)).data)

    @extend_schema(request=StatusChangeSerializer, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the vacancy (关闭): it leaves matching and search."""
        return self._status(request, "closed")

    @extend_schema(request=StatusChangeSerializer, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def fill(self, request, pk=None):
        """Mark the vacancy filled (已招满)."""
        return self._status(request, "filled")

    @extend_schema(request=StatusChangeSerializer, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a closed, filled or expired vacancy (closing date must be ahead)."""
        return self._status(request, "open")


class SearchRequestSerializer(serializers.Serializer):
    query = serializers.CharField(max_length=500)
    region = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=12)
    k = serializers.IntegerField(required=False, default=10, min_value=1, max_value=selectors.MAX_K)


class SearchResultSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField()
    title = serializers.CharField()
    employer = serializers.CharField()
    township = serializers.CharField()
    pay_min = serializers.DecimalField(max_digits=12, decimal_places=2)
    pay_max = serializers.DecimalField(max_digits=12, decimal_places=2)
    hours = serializers.CharField()
    closes_on = serializers.DateField()
    score = serializers.FloatField(help_text="校准后的相关度（0–1），供程序排序用；给人看请用 label")
    label = serializers.CharField(help_text="很合适 / 可以考虑 / 不符合您的条件")
    reasons = serializers.ListField(child=serializers.CharField())
    conflicts = serializers.ListField(child=serializers.CharField(),
                                      help_text="与所述条件的冲突（只出现在 excluded 中）")


class SearchResponseSerializer(serializers.Serializer):
    results = SearchResultSerializer(many=True, help_text="合适的岗位；没有合适的时为空列表")
    excluded = SearchResultSerializer(many=True, help_text="与搜索中所述条件（如不能上夜班）冲突的岗位，附原因")
    suggestions = serializers.ListField(child=serializers.CharField(), help_text="没有结果时可以尝试的写法")


class VacancySearchView(APIView):
    """Public hybrid search of open vacancies (no login; throttled; no personal data)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SearchThrottle]

    @extend_schema(request=SearchRequestSerializer, responses=SearchResponseSerializer)
    def post(self, request):
        body = SearchRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = selectors.search(body.validated_data["query"], body.validated_data.get("region") or None,
                                  body.validated_data["k"])
        return Response({"results": SearchResultSerializer(answer["results"], many=True).data,
                         "excluded": SearchResultSerializer(answer["excluded"], many=True).data,
                         "suggestions": answer["suggestions"]})


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class VacancyImportView(APIView):
    """Bulk import (批量导入) of vacancies from CSV (UTF-8/GBK) or XLSX; 400 with a row-level report
    when any row is invalid (nothing is imported then)."""

    parser_classes = [MultiPartParser, FormParser]
    required_permissions = ("jobs.add_vacancy",)

    @extend_schema(request={"multipart/form-data": ImportSerializer},
                   responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request):
        body = ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise DomainError(_("文件过大（最大 10 MB）"))
        report = imports.vacancies_import(actor=request.user, content=upload.read(), filename=upload.name)
        return Response(report.as_dict(), status=status.HTTP_201_CREATED if report.ok else status.HTTP_400_BAD_REQUEST)


# ---------------------------------------------------------------------- job seekers


class TrainingCertificateSerializer(serializers.Serializer):
    """A certificate earned in training (read-only; recorded by labour staff on the course roster)."""

    name = serializers.CharField(help_text="证书名称（培训班所发）")
    matching_name = serializers.CharField(help_text="岗位匹配所用的证书名称，如 焊工证")
    course = serializers.IntegerField()
    course_title = serializers.CharField()
    provider = serializers.CharField()
    number = serializers.CharField(help_text="证书编号")
    issued_on = serializers.DateField(allow_null=True, help_text="发证日期")


class JobSeekerSerializer(serializers.ModelSerializer):
    member = ScopedPrimaryKeyRelatedField(queryset=Member.objects.all(), recipient_filter="household__account")
    member_name = serializers.SerializerMethodField()
    household = serializers.IntegerField(source="member.household_id", read_only=True)
    region = serializers.CharField(source="member.household.region.code", read_only=True)
    phone = serializers.CharField(source="member.household.phone", read_only=True, help_text="家庭联系电话")
    certificates = serializers.ListField(child=serializers.CharField(max_length=30), required=False)
    desired_occupations = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    occupation_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False,
        help_text=gettext_lazy("职业分类大典（2022）编码；不填则按意向职业和技能自动编码"))
    hours = serializers.ListField(child=serializers.ChoiceField(choices=Hours.choices), required=False)
    preferred_townships = serializers.ListField(child=RegionField(), required=False, write_only=True)
    training_certificates = serializers.SerializerMethodField(
        help_text=gettext_lazy("培训所获证书（只读，劳动就业局在花名册登记）"))

    class Meta:
        model = JobSeeker
        fields = ["id", "member", "member_name", "household", "region", "phone", "status", "skills", "experience",
                  "education", "certificates", "training_certificates", "desired_occupations", "occupation_codes",
                  "occupation_codes_confirmed", "preferred_townships", "hours", "physical_limits", "registered_on",
                  "updated_at"]
        read_only_fields = ["status", "occupation_codes_confirmed", "registered_on", "updated_at"]

    def get_member_name(self, obj) -> str:
        return mask_name(obj.member.name)

    @extend_schema_field(TrainingCertificateSerializer(many=True))
    def get_training_certificates(self, obj) -> list:
        return TrainingCertificateSerializer([c.as_dict() for c in selectors.training_certificates(obj.member)],
                                             many=True).data

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["preferred_townships"] = [r.code for r in instance.preferred_townships.all()]
        return data


class MatchSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField()
    title = serializers.CharField()
    employer = serializers.CharField()
    township = serializers.CharField()
    pay_min = serializers.DecimalField(max_digits=12, decimal_places=2)
    pay_max = serializers.DecimalField(max_digits=12, decimal_places=2)
    score = serializers.FloatField()
    label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    conflicts = serializers.ListField(child=serializers.CharField())


class MatchesResponseSerializer(serializers.Serializer):
    results = MatchSerializer(many=True)
    excluded = MatchSerializer(many=True, help_text="与登记条件（班次、年龄、驾照、身体限制等）冲突的岗位，附原因")


class JobSeekerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Job-seeker registrations (求职登记): staff in jurisdiction, or the recipient for their household."""

    serializer_class = JobSeekerSerializer
    filterset_fields = ["status"]
    action_permissions = {"matches": ("jobs.view_jobseeker",)}
    # A recipient registers and keeps their own household's members' profiles (seekers_for limits them).
    recipient_actions = frozenset({"list", "retrieve", "create", "update", "partial_update", "matches"})

    def get_queryset(self):
        return selectors.with_training_certificates(selectors.seekers_for(self.request.user)).order_by(
            "-registered_on", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        townships = data.pop("preferred_townships", None)
        serializer.instance = services.seeker_save(actor=self.request.user, instance=JobSeeker(**data),
                                                   preferred_townships=townships)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        townships = data.pop("preferred_townships", None)
        data.pop("member", None)  # a registration stays with its member
        instance = JobSeeker.objects.select_related("member__household__region").get(pk=serializer.instance.pk)
        for key, value in data.items():
            setattr(instance, key, value)
        serializer.instance = services.seeker_save(actor=self.request.user, instance=instance,
                                                   preferred_townships=townships)

    @extend_schema(responses=MatchesResponseSerializer)
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        """Open vacancies ranked for this seeker, with reasons (?k=10); ``excluded``: those that break a
        limit of the profile, with why."""
        seeker = self.get_object()
        answer = selectors.seeker_matches(seeker, request.query_params.get("k", 10))
        return Response({"results": MatchSerializer(answer["results"], many=True).data,
                         "excluded": MatchSerializer(answer["excluded"], many=True).data})


class ObligedSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    household_id = serializers.IntegerField()
    household_number = serializers.CharField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    name_masked = serializers.CharField()
    id_number_masked = serializers.CharField()
    sex = serializers.CharField()
    age = serializers.IntegerField()
    explanation = serializers.CharField()
    phone = serializers.CharField(help_text="家庭联系电话")


class ObligedUnregisteredView(APIView):
    """Members obliged to register as job seekers who have not (应登记未登记), in your jurisdiction,
    with the household's phone to reach them (no income, category or amount)."""

    required_permissions = ("jobs.view_jobseeker",)

    @extend_schema(responses=ObligedSerializer(many=True))
    def get(self, request):
        rows = selectors.obliged_unregistered(request.user, region_code=request.query_params.get("region") or None)
        return Response({"count": len(rows), "results": ObligedSerializer(rows, many=True).data})


# ---------------------------------------------------------------------- referrals, hires, sanctions


class ReferralSerializer(serializers.ModelSerializer):
    seeker = ScopedPrimaryKeyRelatedField(queryset=JobSeeker.objects.all())
    vacancy = ScopedPrimaryKeyRelatedField(queryset=Vacancy.objects.all())
    vacancy_title = serializers.CharField(source="vacancy.title", read_only=True)
    employer = serializers.CharField(source="vacancy.employer.name", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "seeker", "vacancy", "vacancy_title", "employer", "status", "referred_on", "match_reasons",
                  "outcome_on", "outcome_note", "refusal_reason", "refusal_valid"]
        read_only_fields = ["status", "referred_on", "match_reasons", "outcome_on", "outcome_note", "refusal_reason",
                            "refusal_valid"]


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.PENDING])
    outcome_on = serializers.DateField(required=False)
    start_date = serializers.DateField(required=False)
    monthly_earnings = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=0)
    refusal_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    refusal_valid = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class JudgeSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    """Referrals (推荐岗位) and their outcomes. Labour-bureau staff refer and record outcomes."""

    serializer_class = ReferralSerializer
    filterset_fields = ["status", "seeker", "vacancy"]
    action_permissions = {"outcome": ("jobs.change_referral",), "judge_refusal": ("jobs.change_referral",)}
    recipient_actions = frozenset({"list", "retrieve"})  # the referrals of their own household

    def get_queryset(self):
        return selectors.referrals_for(self.request.user).order_by("-referred_on", "-id")

    def perform_create(self, serializer):
        user = self.request.user
        seeker = get_object_or_404(selectors.seekers_for(user), pk=serializer.validated_data["seeker"].pk)
        vacancy = get_object_or_404(selectors.vacancies_for(user), pk=serializer.validated_data["vacancy"].pk)
        reasons = next((m["reasons"] for m in _safe_matches(seeker) if m["vacancy"] == vacancy.pk), [])
        serializer.instance = services.referral_create(actor=user, seeker=seeker, vacancy=vacancy, reasons=reasons)

    @extend_schema(request=OutcomeSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """Record the outcome: hired / refused / rejected / no_show."""
        referral = self.get_object()
        body = OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.referral_record_outcome(actor=request.user, referral=referral, **body.validated_data)
        return Response(ReferralSerializer(self.get_queryset().get(pk=referral.pk)).data)

    @extend_schema(request=JudgeSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="judge-refusal")
    def judge_refusal(self, request, pk=None):
        """Decide whether the seeker's refusal had a valid reason (正当理由)."""
        referral = self.get_object()
        body = JudgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.referral_judge_refusal(actor=request.user, referral=referral, **body.validated_data)
        return Response(ReferralSerializer(self.get_queryset().get(pk=referral.pk)).data)


def _safe_matches(seeker) -> list[dict]:
    # The reasons a referral was made are kept with it; a failing ranking must not block a referral.
    try:
        return selectors.matches_for_seeker(seeker, selectors.MAX_K)
    except DomainError:
        return []


class HireSerializer(serializers.ModelSerializer):
    vacancy_title = serializers.CharField(source="vacancy.title", read_only=True)
    employer = serializers.CharField(source="vacancy.employer.name", read_only=True)

    class Meta:
        model = Hire
        fields = ["id", "referral", "seeker", "member", "household", "vacancy", "vacancy_title", "employer",
                  "start_date", "monthly_earnings"]


class HireViewSet(viewsets.ReadOnlyModelViewSet):
    """Placements (就业登记) in the caller's jurisdiction."""

    serializer_class = HireSerializer

    def get_queryset(self):
        return selectors.hires_for(self.request.user).order_by("-start_date", "-id")


class SanctionSerializer(serializers.ModelSerializer):
    refusals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = SanctionProposal
        fields = ["id", "seeker", "household", "kind", "status", "refusals", "explanation", "proposed_at",
                  "decided_at", "decision_note"]


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class SanctionProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Proposals to suspend the benefit or decline the application after refusals [R4]; county
    civil-affairs staff confirm or dismiss."""

    serializer_class = SanctionSerializer
    filterset_fields = ["status", "kind"]
    action_permissions = {"confirm": ("jobs.change_sanctionproposal",), "dismiss": ("jobs.change_sanctionproposal",)}

    def get_queryset(self):
        return selectors.sanction_proposals_for(self.request.user).order_by("-proposed_at", "-id")

    @extend_schema(request=DecisionSerializer, responses=SanctionSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        proposal = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.sanction_confirm(actor=request.user, proposal=proposal, note=body.validated_data.get("note", ""))
        return Response(SanctionSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=DecisionSerializer, responses=SanctionSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        proposal = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.sanction_dismiss(actor=request.user, proposal=proposal, note=body.validated_data.get("note", ""))
        return Response(SanctionSerializer(self.get_queryset().get(pk=proposal.pk)).data)

