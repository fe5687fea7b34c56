from django.urls import path

from . import views

app_name = "scenarios"
urlpatterns = [
    path("scenarios/", views.catalog, name="catalog"),
    path("progress/", views.progress, name="progress"),
    path("playground/", views.playground, name="playground"),
    path("scenarios/<slug:slug>/", views.lab, name="lab"),
    path("scenarios/<slug:slug>/check/", views.check, name="check"),
    path("scenarios/<slug:slug>/reset/", views.reset, name="reset"),
    path("scenarios/<slug:slug>/solution/", views.solution, name="solution"),
    path("scenarios/<slug:slug>/checks/<int:number>/trace/", views.check_trace, name="check-trace"),
    path("scenarios/<slug:slug>/lint/<str:target>/", views.lint, name="lint"),
    path("scenarios/<slug:slug>/grants/<str:target>/add/", views.grant_save, name="grant-add"),
    path("scenarios/<slug:slug>/grants/<str:target>/<int:index>/", views.grant_save, name="grant-update"),
    path("scenarios/<slug:slug>/grants/<str:target>/<int:index>/edit/", views.grant_edit, name="grant-edit"),
    path("scenarios/<slug:slug>/grants/<str:target>/<int:index>/remove/", views.grant_remove, name="grant-remove"),
    path("scenarios/<slug:slug>/questions/<int:number>/", views.question, name="question"),
]
