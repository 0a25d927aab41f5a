"""Issue 12: the course system over /api/v1/ — courses, classes, enrolments, training records and
the credit ledger — scoped like the admin. An enterprise's HR system pushes completions (POST
training-records) and enrolments through the same services as the admin and the uploads."""
from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers

from api.filters import year_filter
from api.pagination import LargeListPagination
from api.registry import router
from api.viewsets import ScopedReadOnlyViewSet
from membership import scoping
from membership.api_fields import ScopedWorkerField

from . import selectors, services
from .models import Course, CourseClass, CreditEntry, Enrolment, TrainingRecord


class MenuCourseField(serializers.SlugRelatedField):
    """EDU-1: a course by its code — the unit's own or any approved course of the city's menu,
    as the admin's course field offers (``public_choices``)."""

    def get_queryset(self):
        user = self.context["request"].user
        return Course.objects.published() | scoping.visible_to(Course.objects.all(), user)


class UnitFilter(django_filters.FilterSet):
    """``unit``: the unit's code, for the lists below."""

    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))


class CourseSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("owning unit"))
    category_display = serializers.CharField(source="get_category_display", read_only=True, label=_("category"))
    delivery_display = serializers.CharField(source="get_delivery_display", read_only=True, label=_("delivery mode"))
    status_display = serializers.CharField(source="get_status_display", read_only=True, label=_("status"))

    class Meta:
        model = Course
        fields = ["id", "code", "title", "category", "category_display", "delivery", "delivery_display", "hours",
                  "credits", "provider_kind", "provider_name", "unit", "status", "status_display", "created_at"]


class CourseFilter(UnitFilter):
    class Meta:
        model = Course
        fields = ["unit", "status", "category", "delivery", "provider_kind"]


class CourseViewSet(ScopedReadOnlyViewSet):
    """课程：本单位及下级单位的课程。"""

    queryset = Course.objects.select_related("unit")
    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    search_fields = ["code", "title", "provider_name"]
    ordering_fields = ["code", "title", "created_at"]


class CourseClassSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="course.code", read_only=True, label=_("course code"))
    course_title = serializers.CharField(source="course.title", read_only=True, label=_("course"))
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("organising unit"))
    place = serializers.CharField(source="place.name", read_only=True, allow_null=True, label=_("place"))
    teacher = serializers.CharField(source="teacher.name", read_only=True, allow_null=True, label=_("teacher"))

    class Meta:
        model = CourseClass
        fields = ["id", "name", "course", "course_title", "unit", "place", "teacher", "starts_on", "ends_on", "enrol_by",
                  "capacity", "enrolled_count", "is_open"]


class CourseClassFilter(UnitFilter):
    course = django_filters.CharFilter(field_name="course__code", label=_("course code"))
    year = year_filter("starts_on")

    class Meta:
        model = CourseClass
        fields = ["unit", "course", "year", "is_open"]


class CourseClassViewSet(ScopedReadOnlyViewSet):
    """培训班：本单位及下级单位组织的班级。"""

    queryset = CourseClass.objects.select_related("course", "unit", "place", "teacher")
    serializer_class = CourseClassSerializer
    filterset_class = CourseClassFilter
    search_fields = ["name", "course__title", "course__code"]
    ordering_fields = ["starts_on", "name", "id"]


class EnrolableClassField(serializers.PrimaryKeyRelatedField):
    """A class the caller may name: one the public site lists (open, of an approved course) or one of
    the caller's own subtree. Another district's unopened class answers like an id that does not
    exist, so ids cannot be walked to learn which classes exist."""

    def get_queryset(self):
        user = self.context["request"].user
        public = Q(is_open=True, course__status=Course.Status.APPROVED)
        own = Q(pk__in=scoping.visible_to(CourseClass.objects.all(), user).values("pk"))
        return selectors.enrolable_classes().filter(public | own)


class EnrolmentSerializer(serializers.ModelSerializer):
    course_class = EnrolableClassField(label=_("class"))
    class_name = serializers.CharField(source="course_class.name", read_only=True, label=_("class name"))
    course = serializers.CharField(source="course_class.course.code", read_only=True, label=_("course code"))
    worker = ScopedWorkerField(label=_("worker"))
    worker_name = serializers.CharField(source="worker.name", read_only=True, label=_("name"))
    worker_id_number_masked = serializers.CharField(source="worker.id_number_masked", read_only=True,
                                                    label=_("ID number"))
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit at the time"))
    status_display = serializers.CharField(source="get_status_display", read_only=True, label=_("status"))

    class Meta:
        model = Enrolment
        fields = ["id", "course_class", "class_name", "course", "worker", "worker_name", "worker_id_number_masked",
                  "unit", "status", "status_display", "created_at", "attended_hours", "score", "completed_on"]
        read_only_fields = ["status", "created_at", "attended_hours", "score", "completed_on"]

    def create(self, validated_data):
        # EDU-3: a seat or a place on the waiting list, decided under the class's row lock.
        return services.enrolment_create(worker=validated_data["worker"], course_class=validated_data["course_class"],
                                         by=self.context["request"].user)


class EnrolmentFilter(UnitFilter):
    # By id, not a choice among all workers: a foreign id answers like an unknown one.
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker"))
    course_class = django_filters.NumberFilter(field_name="course_class_id", label=_("class"))
    course = django_filters.CharFilter(field_name="course_class__course__code", label=_("course code"))
    year = year_filter("created_at")

    class Meta:
        model = Enrolment
        fields = ["unit", "year", "course_class", "course", "status", "worker"]


class EnrolmentViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """报名：本单位职工的报名及本单位所办班级的报名。POST 为职工报名（有空位即占座，否则进入候补）。"""

    queryset = Enrolment.objects.select_related("course_class__course", "worker", "unit")
    serializer_class = EnrolmentSerializer
    pagination_class = LargeListPagination
    filterset_class = EnrolmentFilter
    search_fields = ["worker__name", "course_class__name", "course_class__course__title"]
    ordering_fields = ["id", "created_at"]


class TrainingRecordSerializer(serializers.ModelSerializer):
    worker = ScopedWorkerField(label=_("worker"))
    worker_name = serializers.CharField(source="worker.name", read_only=True, label=_("name"))
    worker_id_number_masked = serializers.CharField(source="worker.id_number_masked", read_only=True,
                                                    label=_("ID number"))
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit at the time"))
    course = MenuCourseField(slug_field="code", required=False, allow_null=True, label=_("course code"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label=_("training type"))

    class Meta:
        model = TrainingRecord
        fields = ["id", "worker", "worker_name", "worker_id_number_masked", "unit", "course", "project", "kind",
                  "kind_display", "hours", "completed_on", "result", "institution", "created_at", "updated_at"]

    def create(self, validated_data):
        # UPL-6, EDU-8: the admin's and the upload's service; the record earns its credits (EDU-9).
        return services.training_record_create(**validated_data)


class TrainingRecordFilter(UnitFilter):
    # By id, not a choice among all workers: a foreign id answers like an unknown one.
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker"))
    course = django_filters.CharFilter(field_name="course__code", label=_("course code"))
    completed_from = django_filters.DateFilter(field_name="completed_on", lookup_expr="gte", label=_("completed from"))
    completed_to = django_filters.DateFilter(field_name="completed_on", lookup_expr="lte", label=_("completed until"))
    year = year_filter("completed_on")

    class Meta:
        model = TrainingRecord
        fields = ["unit", "year", "kind", "course", "worker", "completed_from", "completed_to"]


class TrainingRecordViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """培训记录：企业自办培训的完成记录。POST 一条完成记录，与管理后台、批量上传经同一服务写入并计入学分。"""

    queryset = TrainingRecord.objects.select_related("worker", "unit", "course")
    serializer_class = TrainingRecordSerializer
    pagination_class = LargeListPagination
    filterset_class = TrainingRecordFilter
    search_fields = ["worker__name", "project", "institution"]
    ordering_fields = ["id", "completed_on"]


class CreditEntrySerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.name", read_only=True, label=_("name"))
    worker_id_number_masked = serializers.CharField(source="worker.id_number_masked", read_only=True,
                                                    label=_("ID number"))
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit"))
    source_kind_display = serializers.CharField(source="get_source_kind_display", read_only=True, label=_("source"))

    class Meta:
        model = CreditEntry
        fields = ["id", "worker", "worker_name", "worker_id_number_masked", "unit", "earned_on", "source_kind",
                  "source_kind_display", "source_id", "cause", "credits", "created_at"]


class CreditEntryFilter(UnitFilter):
    # By id, not a choice among all workers: a foreign id answers like an unknown one.
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker"))
    year = year_filter("earned_on")

    class Meta:
        model = CreditEntry
        fields = ["unit", "year", "source_kind", "worker"]


class CreditEntryViewSet(ScopedReadOnlyViewSet):
    """学分银行记账：本单位的学分记录（只读）。"""

    queryset = CreditEntry.objects.select_related("worker", "unit")
    serializer_class = CreditEntrySerializer
    pagination_class = LargeListPagination
    filterset_class = CreditEntryFilter
    search_fields = ["worker__name", "cause"]
    ordering_fields = ["id", "earned_on"]


router.register("courses", CourseViewSet, basename="course")
router.register("classes", CourseClassViewSet, basename="course-class")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("training-records", TrainingRecordViewSet, basename="training-record")
router.register("credit-entries", CreditEntryViewSet, basename="credit-entry")
