# Joins the three branches that added quiz behaviours, question pools and learner overrides.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0004_quiz_behaviours'),
        ('quizzes', '0005_question_pools'),
        ('quizzes', '0006_learner_overrides'),
    ]

    operations = [
    ]
