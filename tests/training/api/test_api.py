"""Public open-courses endpoint (no personal data) and the scoped staff course list."""

import datetime as dt

from tests.training.factories import CourseFactory
from training import services

PUBLIC_KEYS = {"id", "title", "course_type", "course_type_label", "occupation", "provider", "region_code",
               "region_name", "place", "starts_on", "ends_on", "capacity", "places_left", "subsidy_per_trainee",
               "certificate_name", "description"}


def test_open_courses_are_public_and_carry_no_personal_data(client, users, upcoming_course, member_a, course):
    services.enrolment_create(actor=users["labour"], course=upcoming_course, member=member_a)
    response = client.get("/api/v1/training/open-courses/")
    assert response.status_code == 200
    rows = response.json()
    assert [r["title"] for r in rows] == [upcoming_course.title]
    assert set(rows[0]) == PUBLIC_KEYS
    assert rows[0]["places_left"] == 29 and rows[0]["subsidy_per_trainee"] == "800.00"
    assert member_a.name not in response.content.decode()


def test_open_courses_by_region(client, regions):
    start = dt.date(2099, 3, 1)
    county = CourseFactory(region=regions["county"], title="县级班", starts_on=start, ends_on=start)
    town_a = CourseFactory(region=regions["town_a"], title="定城班", starts_on=start, ends_on=start)
    CourseFactory(region=regions["town_b"], title="炉桥班", starts_on=start, ends_on=start)
    titles = {r["title"] for r in client.get("/api/v1/training/open-courses/?region=341125100001").json()}
    # a community sees its township's courses and the county's, not another township's
    assert titles == {county.title, town_a.title}
    assert client.get("/api/v1/training/open-courses/?region=999999").json() == []


def test_staff_course_list_is_scoped(client, users, course, other_course):
    client.force_login(users["labour"])
    titles = {r["title"] for r in client.get("/api/v1/training/courses/").json()["results"]}
    assert course.title in titles and other_course.title not in titles
    assert client.get(f"/api/v1/training/courses/{other_course.pk}/").status_code == 404
    client.logout()
    assert client.get("/api/v1/training/courses/").status_code in (401, 403)
