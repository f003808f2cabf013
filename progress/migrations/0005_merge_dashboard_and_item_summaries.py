# Joins the dashboard summaries and the per-attempt item contributions, built side by side.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('progress', '0003_dashboard_summaries'),
        ('progress', '0004_item_contributions'),
    ]

    operations = [
    ]
