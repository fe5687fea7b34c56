"""Study group views: an access helper first (404 for anyone outside the group), then one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kmstrainer.accounts import is_instructor

from . import services
from .forms import AssignmentForm, GroupForm, JoinForm, LeaderboardForm
from .models import Membership, StudyGroup


can_create_groups = is_instructor


def _membership(request: HttpRequest, pk: int) -> Membership:
    """The caller's membership of group `pk`; 404 when they are not a member (ids are not secrets)."""
    return get_object_or_404(Membership.objects.select_related("group"), group_id=pk, user=request.user)


def _taught(request: HttpRequest, pk: int) -> StudyGroup:
    membership = _membership(request, pk)
    if membership.role != Membership.INSTRUCTOR:
        raise_404()
    return membership.group


def raise_404():
    from django.http import Http404

    raise Http404("No such group")


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("group")
    return render(request, "studygroups/group_list.html", {
        "memberships": memberships, "join_form": JoinForm(), "group_form": GroupForm(),
        "can_create": can_create_groups(request.user)})


@login_required
@require_POST
def group_create(request: HttpRequest) -> HttpResponse:
    if not can_create_groups(request.user):
        messages.error(request, "Only instructors create groups; ask yours for an invite code.")
        return redirect("studygroups:list")
    form = GroupForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the group a name.")
        return redirect("studygroups:list")
    group = services.create_group(user=request.user, name=form.cleaned_data["name"])
    messages.success(request, f"Group created. Invite code: {group.code}")
    return redirect("studygroups:detail", pk=group.pk)


@login_required
@require_http_methods(["GET", "POST"])
def group_join(request: HttpRequest, code: str = "") -> HttpResponse:
    if request.method == "GET":
        invited_to = StudyGroup.objects.with_code(code).first() if code else None
        context = {"form": JoinForm(initial={"code": code}), "code": code, "invited_to": invited_to}
        return render(request, "studygroups/join.html", context)
    form = JoinForm(request.POST)
    group, joined = services.join_group(user=request.user, code=form.data.get("code", "")) if form.is_valid() \
        else (None, False)
    if group is None:
        messages.error(request, "No group has that invite code. Check it with your instructor.")
        return render(request, "studygroups/join.html", {"form": form, "code": code}, status=200)
    messages.success(request, f"You joined {group.name}." if joined else f"You are already in {group.name}.")
    return redirect("studygroups:detail", pk=group.pk)


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    group = membership.group
    assignments = group.assignments.prefetch_related("items__scenario")
    board = services.dashboard(group)
    mine = next((row for user, row in board.matrix if user.id == request.user.id), None)
    status = {item.id: s for item, s in zip(board.items, mine, strict=True)} if mine else {}
    return render(request, "studygroups/group_detail.html", {
        "group": group, "membership": membership, "assignments": assignments, "status": status,
        "leaderboard": services.leaderboard(group),
        "leaderboard_form": LeaderboardForm(initial={"on_leaderboard": membership.on_leaderboard}),
        "assignment_form": AssignmentForm() if membership.role == Membership.INSTRUCTOR else None,
        "invite_url": request.build_absolute_uri(f"/groups/join/{group.code}/"),
    })


@login_required
@require_POST
def leaderboard_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    form = LeaderboardForm(request.POST)
    form.is_valid()
    membership.on_leaderboard = bool(form.cleaned_data.get("on_leaderboard"))
    membership.save(update_fields=["on_leaderboard"])
    return redirect("studygroups:detail", pk=pk)


@login_required
@require_POST
def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = _taught(request, pk)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        membership = _membership(request, pk)
        return render(request, "studygroups/group_detail.html", {
            "group": group, "membership": membership, "assignments": group.assignments.all(), "status": {},
            "leaderboard": services.leaderboard(group), "leaderboard_form": LeaderboardForm(),
            "assignment_form": form, "invite_url": request.build_absolute_uri(f"/groups/join/{group.code}/")})
    services.create_assignment(group=group, title=form.cleaned_data["title"], due_at=form.cleaned_data["due_at"],
                               items=form.cleaned_data["items"])
    messages.success(request, "Assignment created.")
    return redirect("studygroups:detail", pk=pk)


@login_required
@require_GET
def group_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    group = _taught(request, pk)
    board = services.dashboard(group)
    if request.GET.get("format") == "csv":
        response = HttpResponse(services.dashboard_csv(board), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{group.code}-progress.csv"'
        return response
    return render(request, "studygroups/dashboard.html", {"group": group, "board": board,
                                                          "learner_count": len(board.learners)})
