from django.db import migrations

PERMISSIONS = ["add_scenario", "change_scenario", "delete_scenario", "view_scenario", "view_attempt", "view_answer",
               "view_historicalscenario"]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="scenarios", codename__in=PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [("scenarios", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length"),
                    ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
