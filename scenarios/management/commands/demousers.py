from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from kmstrainer.accounts import INSTRUCTORS_GROUP

DEMO = [("learner", "learn-kms-2026", False), ("instructor", "teach-kms-2026", True)]


class Command(BaseCommand):
    help = "Create (or reset) the demo learner and demo instructor and print their logins."

    def handle(self, *args, **options):
        User = get_user_model()
        instructors, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
        for username, password, staff in DEMO:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = staff
            user.save()
            if staff:
                user.groups.add(instructors)
        self.stdout.write("Demo logins:")
        for username, password, staff in DEMO:
            self.stdout.write(f"  {username} / {password}" + ("  (instructor: authoring in /admin/)" if staff else ""))
