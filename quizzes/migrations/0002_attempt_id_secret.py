"""Each attempt gets a secret for its public choice ids; existing attempts get one each."""
import secrets

from django.db import migrations, models

import quizzes.models


def fill_secrets(apps, schema_editor):
    Attempt = apps.get_model("quizzes", "Attempt")
    for attempt in Attempt.objects.filter(id_secret="").only("pk").iterator():
        Attempt.objects.filter(pk=attempt.pk).update(id_secret=secrets.token_hex(16))


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="attempt", name="id_secret",
            field=models.CharField(default="", editable=False, max_length=32,
                                   help_text="Secret behind this attempt's public choice ids."),
            preserve_default=False,
        ),
        migrations.RunPython(fill_secrets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attempt", name="id_secret",
            field=models.CharField(default=quizzes.models.new_id_secret, editable=False, max_length=32,
                                   help_text="Secret behind this attempt's public choice ids."),
        ),
    ]
