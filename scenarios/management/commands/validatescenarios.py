from django.core.management.base import BaseCommand, CommandError

from scenarios.loader import ScenarioFileError, read_spec, scenario_files
from scenarios.scenario_rows import apply_spec, mark_unreadable
from scenarios.models import Scenario


class Command(BaseCommand):
    help = ("Re-check scenarios with the current engine: the files under PATH (e.g. scenarios/content), or every "
            "scenario in the database. Exits non-zero when a scenario is invalid, so an engine change that breaks "
            "a published answer key fails the build. With --update, stored scenarios get their validity refreshed "
            "and invalid ones are unpublished.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*")
        parser.add_argument("--update", action="store_true")

    def handle(self, *args, **options):
        bad = []
        checked = 0
        if options["paths"]:
            for folder in options["paths"]:
                for path in scenario_files(folder):
                    checked += 1
                    try:
                        spec = read_spec(path)
                    except ScenarioFileError as exc:
                        bad.append(str(exc))
                        continue
                    bad += [f"{path}: {p}" for p in spec.problems]
        else:
            for obj in Scenario.objects.all():
                checked += 1
                try:
                    spec = read_spec(f"scenario {obj.slug}", text=obj.source)
                except ScenarioFileError as exc:
                    problems = [str(exc)]
                    if options["update"]:
                        mark_unreadable(obj, problems)
                else:
                    problems = spec.problems
                    if options["update"] and apply_spec(obj, spec):
                        obj.save()
                bad += [f"{obj.slug}: {p}" for p in problems]
        for line in bad:
            self.stderr.write(line)
        if bad:
            raise CommandError(f"{len(bad)} problem(s) in {checked} scenarios")
        self.stdout.write(f"{checked} scenarios valid")
