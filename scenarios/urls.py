from django.urls import path

from . import views, views_practice

app_name = "scenarios"
urlpatterns = [
    path("scenarios/", views.catalog, name="catalog"),
    path("progress/", views.progress, name="progress"),
    path("playground/", views.playground, name="playground"),
    path("playground/access/", views.playground_access, name="playground-access"),
    path("exams/", views_practice.exam_home, name="exam-home"),
    path("exams/start/", views_practice.exam_start, name="exam-start"),
    path("exams/<int:pk>/", views_practice.exam_take, name="exam-take"),
    path("exams/<int:pk>/answer/<int:index>/", views_practice.exam_answer, name="exam-answer"),
    path("exams/<int:pk>/finish/", views_practice.exam_finish, name="exam-finish"),
    path("exams/<int:pk>/review/", views_practice.exam_review, name="exam-review"),
    path("exams/<int:pk>/result/", views_practice.exam_result, name="exam-result"),
    path("review/", views_practice.review_queue, name="review"),
    path("scenarios/<slug:slug>/", views.lab, name="lab"),
    path("scenarios/<slug:slug>/check/", views.check, name="check"),
    path("scenarios/<slug:slug>/reset/", views.reset, name="reset"),
    path("scenarios/<slug:slug>/solution/", views.solution, name="solution"),
    path("scenarios/<slug:slug>/hint/", views.hint, name="hint"),
    path("scenarios/<slug:slug>/checks/<int:number>/trace/", views.check_trace, name="check-trace"),
    path("scenarios/<slug:slug>/lint/<str:target>/", views.lint, name="lint"),
    path("scenarios/<slug:slug>/grants/<str:target>/add/", views.grant_save, name="grant-add"),
    path("scenarios/<slug:slug>/grants/<str:target>/<int:index>/", views.grant_save, name="grant-update"),
    path("scenarios/<slug:slug>/grants/<str:target>/<int:index>/edit/", views.grant_edit, name="grant-edit"),
    path("scenarios/<slug:slug>/grants/<str:target>/<int:index>/remove/", views.grant_remove, name="grant-remove"),
    path("scenarios/<slug:slug>/questions/<int:number>/", views.question, name="question"),
]
