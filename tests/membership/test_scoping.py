"""MEM-2 (issue 7): membership.scoping reads each model's owners and assignments in one query that
fails closed."""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from courses.models import Course, CourseReview, Enrolment
from membership import scoping
from membership.scoping import Owner, Scope
from tests.factories import UserFactory, WorkerFactory, class_create, course_create, enrolment_make


def test_a_row_reached_through_several_owners_is_listed_once_in_one_query(tree, chaoyang_officer, django_assert_num_queries):
    unit = tree["chaoyang_enterprise"]
    enrolment = enrolment_make(class_create(course_create(unit)), WorkerFactory(unit=unit))
    scoping.user_root_path(chaoyang_officer)  # the user's subtree is looked up once per request
    with django_assert_num_queries(1):
        assert list(scoping.visible_to(Enrolment.objects.all(), chaoyang_officer)) == [enrolment]


def test_an_owner_path_through_a_to_many_relation_does_not_repeat_rows(tree, chaoyang_officer, monkeypatch):
    course = course_create(tree["root"])
    class_create(course, unit=tree["chaoyang_enterprise"])
    class_create(course, unit=tree["chaoyang_enterprise"])
    monkeypatch.setattr(Course, "SCOPE", Scope(owners=(Owner("classes__unit"),)), raising=False)
    assert list(scoping.visible_to(Course.objects.all(), chaoyang_officer)) == [course]


def test_a_user_without_a_unit_sees_only_the_rows_assigned_to_them(tree):
    reviewer = UserFactory(unit=None)
    mine = CourseReview.objects.create(course=course_create(tree["haidian"], status="submitted"), reviewer=reviewer)
    CourseReview.objects.create(course=course_create(tree["haidian"], status="submitted"), reviewer=UserFactory(unit=None))
    unit = tree["chaoyang_enterprise"]
    enrolment_make(class_create(course_create(unit)), WorkerFactory(unit=unit))
    assert list(scoping.visible_to(CourseReview.objects.all(), reviewer)) == [mine]
    assert list(scoping.changeable_by(CourseReview.objects.all(), reviewer)) == [mine]
    assert not scoping.visible_to(Enrolment.objects.all(), reviewer).exists()


def test_anonymous_and_inactive_users_see_nothing_even_when_assigned(tree):
    reviewer = UserFactory(unit=tree["root"], is_active=False)
    CourseReview.objects.create(course=course_create(tree["haidian"], status="submitted"), reviewer=reviewer)
    assert not scoping.visible_to(CourseReview.objects.all(), reviewer).exists()
    assert not scoping.visible_to(CourseReview.objects.all(), AnonymousUser()).exists()
    assert not scoping.changeable_by(CourseReview.objects.all(), AnonymousUser()).exists()


def test_a_superuser_sees_and_changes_every_row(tree):
    unit = tree["chaoyang_enterprise"]
    enrolment = enrolment_make(class_create(course_create(unit)), WorkerFactory(unit=unit))
    superuser = UserFactory(unit=None, is_superuser=True)
    assert list(scoping.changeable_by(Enrolment.objects.all(), superuser)) == [enrolment]


def test_staff_of_a_root_see_everything_only_while_it_is_the_trees_only_root(tree, municipal):
    from membership.models import Unit

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    assert scoping._whole_tree(municipal, tree["root"].path)
    # A second root, before and after the city's in path order: its rows are not the city's.
    for code in ("ROOT-A", "ROOT-Z"):
        other = Unit.add_root(name=f"另一棵树{code}", code=code, kind=tree["root"].kind)
        if code == "ROOT-A":
            Unit.objects.filter(pk=other.pk).update(path="0000")
        outsider = WorkerFactory(unit=Unit.objects.get(pk=other.pk))
        user = UserFactory(username=f"city-{code}", unit=tree["root"])
        assert not scoping._whole_tree(user, tree["root"].path)
        visible = set(scoping.visible_to(type(worker).objects.all(), user).values_list("pk", flat=True))
        assert worker.pk in visible and outsider.pk not in visible
        outsider.delete()
        Unit.objects.filter(pk=other.pk).delete()
