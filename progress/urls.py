"""Progress pages: /progress/ for learners, /progress/teaching/ for instructors, /progress/platform/ for admins."""
from django.urls import path

from .views import instructor, learner, platform

app_name = "progress"

urlpatterns = [
    path("", learner.my_learning, name="my_learning"),
    path("courses/<slug:course_slug>/", learner.course_progress, name="course_progress"),
    path("teaching/", instructor.teaching, name="teaching"),
    path("teaching/<slug:course_slug>/gradebook/", instructor.gradebook, name="gradebook"),
    path("teaching/<slug:course_slug>/gradebook.csv", instructor.gradebook_csv, name="gradebook_csv"),
    path("teaching/<slug:course_slug>/responses.csv", instructor.responses_csv, name="responses_csv"),
    path("teaching/<slug:course_slug>/learners/<int:user_id>/", instructor.learner_detail, name="learner_detail"),
    path("teaching/<slug:course_slug>/lessons/", instructor.lesson_report_page, name="lesson_report"),
    path("teaching/<slug:course_slug>/lessons.csv", instructor.lesson_report_csv, name="lesson_report_csv"),
    path("teaching/quizzes/<int:quiz_id>/", instructor.quiz_report_page, name="quiz_report"),
    path("teaching/quizzes/<int:quiz_id>/items.csv", instructor.quiz_report_csv, name="quiz_report_csv"),
    path("platform/", platform.dashboard, name="platform"),
    path("platform/<slug:chart>.csv", platform.chart_csv, name="platform_csv"),
    path("platform/users/", platform.users, name="users"),
    path("platform/users/<int:user_id>/", platform.user_roles, name="user_roles"),
]
