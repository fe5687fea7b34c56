from django.urls import path

from . import views

app_name = "studygroups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("join/", views.group_join, name="join"),
    path("join/<str:code>/", views.group_join, name="join-link"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/leaderboard/", views.leaderboard_toggle, name="leaderboard"),
    path("<int:pk>/assignments/new/", views.assignment_create, name="assignment-create"),
    path("<int:pk>/dashboard/", views.group_dashboard, name="dashboard"),
]
