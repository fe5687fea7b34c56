"""Study groups: joining, assignments, the dashboard, the leaderboard, and isolation (guessed ids)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scenarios.models import Answer, Attempt, Progress
from studygroups import services
from studygroups.models import Membership, StudyGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(instructor, example):
    group = services.create_group(user=instructor, name="Thursday SAP-C02 cohort")
    services.create_assignment(group=group, title="Week 1", due_at=None, items=[(example.id, None), (example.id, 0)])
    return group


@pytest.fixture
def member(group, learner):
    services.join_group(user=learner, code=group.code)
    return learner


def url(name, group, **kw):
    return reverse(f"studygroups:{name}", args=[group.pk], **kw)


def test_an_instructor_creates_a_group_and_becomes_its_instructor(client, instructor):
    client.force_login(instructor)
    response = client.post(reverse("studygroups:create"), {"name": "Cohort A"})
    group = StudyGroup.objects.get(name="Cohort A")
    assert response["Location"] == url("detail", group)
    assert Membership.objects.get(group=group, user=instructor).role == Membership.INSTRUCTOR


def test_learners_cannot_create_groups(learner_client):
    learner_client.post(reverse("studygroups:create"), {"name": "Mine"})
    assert not StudyGroup.objects.exists()


def test_a_learner_joins_with_the_code_or_the_invite_link(learner_client, learner, group):
    response = learner_client.post(reverse("studygroups:join"), {"code": group.code.lower()})
    assert response["Location"] == url("detail", group)
    assert Membership.objects.get(group=group, user=learner).role == Membership.LEARNER
    page = learner_client.get(reverse("studygroups:join-link", args=[group.code]))
    assert group.code in page.content.decode()


def test_a_wrong_code_says_so(learner_client, group):
    html = learner_client.post(reverse("studygroups:join"), {"code": "NOPE"}, follow=True).content.decode()
    assert "No group has that invite code" in html


def test_a_learner_may_be_in_several_groups(learner, instructor, group):
    other = services.create_group(user=instructor, name="Weekend cohort")
    services.join_group(user=learner, code=group.code)
    services.join_group(user=learner, code=other.code)
    assert set(StudyGroup.objects.for_member(learner)) == {group, other}


def test_members_see_the_assignments_with_their_status(learner_client, member, group, example):
    Progress.objects.create(user=member, scenario=example, status=Progress.SOLVED)
    html = learner_client.get(url("detail", group)).content.decode()
    assert "Week 1" in html and "Solved" in html and "question 1" in html


def test_outsiders_get_404_for_every_group_page(client, other_learner, group):
    client.force_login(other_learner)
    for name in ("detail", "dashboard"):
        assert client.get(url(name, group)).status_code == 404
    assert client.post(url("assignment-create", group), {"title": "x"}).status_code == 404
    assert client.post(url("leaderboard", group), {"on_leaderboard": "on"}).status_code == 404


def test_learners_cannot_see_the_dashboard_or_create_assignments(learner_client, member, group):
    assert learner_client.get(url("dashboard", group)).status_code == 404
    assert learner_client.post(url("assignment-create", group), {"title": "x"}).status_code == 404


def test_an_instructor_sees_only_their_own_groups(client, django_user_model, group):
    other_instructor = django_user_model.objects.create_user("otto", password="x", is_staff=True)
    client.force_login(other_instructor)
    assert client.get(url("dashboard", group)).status_code == 404


def test_the_dashboard_shows_progress_matrix_stats_chart_and_csv(client, instructor, group, member, other_learner,
                                                                 example):
    services.join_group(user=other_learner, code=group.code)
    Progress.objects.create(user=member, scenario=example, status=Progress.SOLVED)
    Attempt.objects.create(user=member, scenario=example, failed_checks=["The Analyst can decrypt a Finance report"])
    Attempt.objects.create(user=other_learner, scenario=example,
                           failed_checks=["The Analyst can decrypt a Finance report"])
    Answer.objects.create(user=other_learner, scenario=example, question=0, selected=[2, 3], correct=False)
    client.force_login(instructor)
    response = client.get(url("dashboard", group))
    board = response.context["board"]
    assert [row for _, row in board.matrix] == [["solved", "not started"], ["not started", "attempted"]]
    assert board.stats[0].failed_checks == [("The Analyst can decrypt a Finance report", 2)]
    assert board.stats[1].wrong_options == [("C+D", 1)]
    html = response.content.decode()
    assert "<svg" in html and "50 %" in html
    csv = client.get(url("dashboard", group), {"format": "csv"}).content.decode()
    assert csv.splitlines()[1].startswith("alice,solved")


def test_the_dashboard_takes_the_same_queries_for_more_learners(client, instructor, group, example, django_user_model,
                                                                django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = django_user_model.objects.create_user("first", password="x")
    services.join_group(user=first, code=group.code)
    Attempt.objects.create(user=first, scenario=example)
    Answer.objects.create(user=first, scenario=example, question=0, selected=[0, 1], correct=True)
    client.force_login(instructor)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url("dashboard", group))
    for n in range(10):
        user = django_user_model.objects.create_user(f"l{n}", password="x")
        services.join_group(user=user, code=group.code)
        Attempt.objects.create(user=user, scenario=example)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        client.get(url("dashboard", group))


def test_the_leaderboard_lists_only_members_who_opted_in(learner_client, member, other_learner, group, example):
    services.join_group(user=other_learner, code=group.code)
    Progress.objects.create(user=other_learner, scenario=example, status=Progress.SOLVED)
    assert services.leaderboard(group) == []
    learner_client.post(url("leaderboard", group), {"on_leaderboard": "on"})
    assert services.leaderboard(group) == [("alice", 0)]


def test_the_dashboard_csv_never_starts_a_cell_with_a_formula():
    from studygroups.services import spreadsheet_safe

    assert [spreadsheet_safe(c) for c in ("=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "alice")] == \
        ["'=HYPERLINK(1)", "'+1", "'-1", "'@SUM(A1)", "alice"]


def test_staff_who_are_not_instructors_cannot_create_groups(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("sam", password="x", is_staff=True))
    from kmstrainer.accounts import is_instructor

    assert not is_instructor(django_user_model.objects.get(username="sam"))


def test_the_dashboard_lists_the_over_grants_most_often_left(client, instructor, group, member, other_learner,
                                                             example):
    services.join_group(user=other_learner, code=group.code)
    grant = {"principal": "arn:aws:iam::222222222222:role/Analyst", "action": "kms:CreateGrant", "class": "escalation"}
    read = {"principal": "arn:aws:iam::222222222222:role/Analyst", "action": "kms:ListGrants", "class": "read"}
    Attempt.objects.create(user=member, scenario=example, review={"over": [grant, read]})
    Attempt.objects.create(user=other_learner, scenario=example, review={"over": [grant]})
    client.force_login(instructor)
    response = client.get(url("dashboard", group))
    assert response.context["board"].stats[0].over_grants == [("role/Analyst kms:CreateGrant", 2)]
    assert "role/Analyst kms:CreateGrant" in response.content.decode()


def test_the_assignment_picker_groups_items_by_tip_along_the_suggested_path(pack):
    from scenarios.models import SUGGESTED_PATH, TIP_NAMES

    groups = services.item_choices()
    names = [name for name, _ in groups]
    assert names == [TIP_NAMES[t] for t in SUGGESTED_PATH if TIP_NAMES[t] in names]
    assert names[0] == TIP_NAMES["key-policy-basics"]
    assert all(options for _, options in groups)


def test_an_assignment_keeps_the_order_the_instructor_ticked(client, instructor, group, example):
    client.force_login(instructor)
    ticked = [f"{example.id}:0", f"{example.id}:"]  # the question first, then the lab
    client.post(url("assignment-create", group), {"title": "Week 2", "items": ticked, "order": ",".join(ticked)})
    assignment = group.assignments.get(title="Week 2")
    assert [(i.scenario_id, i.question) for i in assignment.items.all()] == [(example.id, 0), (example.id, None)]


def test_without_a_usable_order_an_assignment_keeps_the_lists_order(client, instructor, group, example):
    client.force_login(instructor)
    client.post(url("assignment-create", group), {"title": "Week 3", "items": [f"{example.id}:", f"{example.id}:0"],
                                                  "order": "999:,nonsense"})  # no script, or a stale or forged order
    assignment = group.assignments.get(title="Week 3")
    assert [i.question for i in assignment.items.all()] == [None, 0]


def test_the_group_page_offers_the_picker_and_a_copy_button_for_the_invite_link(client, instructor, group):
    client.force_login(instructor)
    html = client.get(url("detail", group)).content.decode()
    assert "data-picker" in html and 'name="order"' in html
    assert 'data-copy-target="invite-url"' in html and f"/groups/join/{group.code}/" in html
