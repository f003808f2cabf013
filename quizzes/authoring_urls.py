"""Instructor-facing quiz pages: authoring, import/export, regrade, essay grading, item statistics.

Everything here answers 404 to anyone who cannot author the quiz's course, like the courses' own
authoring pages.
"""
from django.urls import include, path

from .overrides import groups as learner_groups
from .overrides import views as overrides
from .views import authoring, reports, responses

app_name = "quiz_authoring"

urlpatterns = [
    path("lessons/<slug:course_slug>/<slug:lesson_slug>/", authoring.lesson_quizzes, name="lesson_quizzes"),
    path("lessons/<slug:course_slug>/<slug:lesson_slug>/new/", authoring.quiz_create, name="quiz_create"),
    path("<int:quiz_id>/", authoring.quiz_manage, name="quiz"),
    path("<int:quiz_id>/settings/", authoring.quiz_settings, name="quiz_settings"),
    path("<int:quiz_id>/publish/", authoring.quiz_publish, name="quiz_publish"),
    path("<int:quiz_id>/preview/", authoring.quiz_preview, name="quiz_preview"),
    path("<int:quiz_id>/questions/new/<slug:qtype>/", authoring.question_create, name="question_create"),
    path("<int:quiz_id>/questions/preview/<slug:qtype>/", authoring.question_preview, name="question_preview"),
    path("<int:quiz_id>/questions/<int:question_id>/", authoring.question_edit, name="question_edit"),
    path("<int:quiz_id>/questions/<int:question_id>/duplicate/", authoring.question_duplicate, name="question_duplicate"),
    path("<int:quiz_id>/questions/<int:question_id>/delete/", authoring.question_delete, name="question_delete"),
    path("<int:quiz_id>/questions/<int:question_id>/move/", authoring.question_move, name="question_move"),
    path("<int:quiz_id>/random-slots/", include("quizzes.pools.urls")),
    path("<int:quiz_id>/import/", authoring.quiz_import, name="quiz_import"),
    path("<int:quiz_id>/export/<slug:fmt>/", authoring.quiz_export, name="quiz_export"),
    path("<int:quiz_id>/regrade/", reports.regrade, name="regrade"),
    path("<int:quiz_id>/grading/", reports.essay_queue, name="essay_queue"),
    path("<int:quiz_id>/grading/<int:answer_id>/", reports.essay_grade, name="essay_grade"),
    path("<int:quiz_id>/statistics/", reports.item_statistics, name="statistics"),
    path("<int:quiz_id>/statistics.csv", reports.item_statistics_csv, name="statistics_csv"),
    path("<int:quiz_id>/responses/", responses.responses_first, name="responses_first"),
    path("<int:quiz_id>/responses/<int:question_id>/", responses.responses, name="responses"),
    path("<int:quiz_id>/responses/<int:question_id>/accept/", responses.accept, name="response_accept"),
    path("<int:quiz_id>/overrides/", overrides.overrides_page, name="overrides"),
    path("<int:quiz_id>/overrides/<int:override_id>/", overrides.override_edit, name="override_edit"),
    path("<int:quiz_id>/overrides/<int:override_id>/delete/", overrides.override_delete, name="override_delete"),
    path("<int:quiz_id>/overrides/groups/new/", learner_groups.group_edit, name="learner_group_create"),
    path("<int:quiz_id>/overrides/groups/<int:group_id>/", learner_groups.group_edit, name="learner_group_edit"),
    path("<int:quiz_id>/overrides/groups/<int:group_id>/delete/", learner_groups.group_delete, name="learner_group_delete"),
]
