from django.apps import AppConfig


class StudyGroupsConfig(AppConfig):
    name = "studygroups"
    verbose_name = "Study groups"
