from django.urls import path

from .views import authoring, reading

app_name = "courses"

urlpatterns = [
    path("", reading.catalogue, name="catalogue"),
    path("courses/<slug:course_slug>/", reading.course_detail, name="course_detail"),
    path("courses/<slug:course_slug>/enroll/", reading.enroll, name="enroll"),
    path("courses/<slug:course_slug>/leave/", reading.unenroll, name="unenroll"),
    path("courses/<slug:course_slug>/glossary/", reading.glossary, name="glossary"),
    path("courses/<slug:course_slug>/lessons/<slug:lesson_slug>/", reading.lesson_detail, name="lesson_detail"),
    path(
        "courses/<slug:course_slug>/lessons/<slug:lesson_slug>/completion/",
        reading.lesson_completion,
        name="lesson_completion",
    ),
    path(
        "courses/<slug:course_slug>/lessons/<slug:lesson_slug>/position/",
        reading.lesson_position,
        name="lesson_position",
    ),
    path("courses/<slug:course_slug>/manage/", authoring.manage, name="manage"),
    path("courses/<slug:course_slug>/manage/instructors/", authoring.instructors, name="instructors"),
    path("courses/<slug:course_slug>/manage/lessons/<slug:lesson_slug>/edit/", authoring.lesson_edit, name="lesson_edit"),
    path(
        "courses/<slug:course_slug>/manage/lessons/<slug:lesson_slug>/preview/",
        authoring.lesson_preview,
        name="lesson_preview",
    ),
    path("courses/<slug:course_slug>/manage/lessons/<slug:lesson_slug>/move/", authoring.lesson_move, name="lesson_move"),
    path(
        "courses/<slug:course_slug>/manage/lessons/<slug:lesson_slug>/publish/",
        authoring.lesson_publish,
        name="lesson_publish",
    ),
]
