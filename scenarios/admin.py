from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Answer, Attempt, Progress, Scenario


@admin.register(Scenario)
class ScenarioAdmin(SimpleHistoryAdmin):
    list_display = ("title", "slug", "tip", "difficulty", "published", "valid")
    list_filter = ("tip", "difficulty", "published", "valid")
    search_fields = ("title", "slug", "story", "task")
    readonly_fields = ("question_keys", "valid", "problems", "created_at", "updated_at")


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("user", "scenario", "passed", "visible_passed", "hidden_passed", "created_at")
    list_select_related = ("user", "scenario")
    list_filter = ("passed",)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("user", "scenario", "question", "correct", "created_at")
    list_select_related = ("user", "scenario")


@admin.register(Progress)
class ProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "scenario", "status", "attempts", "updated_at")
    list_select_related = ("user", "scenario")
