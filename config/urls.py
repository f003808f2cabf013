"""Top-level URL routes: pages, accounts, the API and its documentation, health."""
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from attention_lab.api import AttentionAPIView, AttentionModelsAPIView
from courses.highlight import pygments_css
from quizzes.api_exchange import QuizExportAPIView, QuizImportAPIView

from .api_router import router
from .health import healthz

urlpatterns = [
    path("", include("courses.urls")),
    path("accounts/", include("accounts.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("quizzes/manage/", include("quizzes.authoring_urls")),
    path("lab/", include("attention_lab.urls")),
    path("progress/", include("progress.urls")),
    path("review/", include("quizzes.review.urls")),
    path("admin/", admin.site.urls),
    path("api/attention/", AttentionAPIView.as_view(), name="attention-api"),
    path("api/attention/models/", AttentionModelsAPIView.as_view(), name="attention-models-api"),
    path("api/learning/", include("progress.api_urls")),
    path("api/review/", include("quizzes.review.api_urls")),
    path("api/quizzes/<int:quiz_id>/export/<slug:fmt>/", QuizExportAPIView.as_view(), name="quiz-export-api"),
    path("api/quizzes/<int:quiz_id>/import/", QuizImportAPIView.as_view(), name="quiz-import-api"),
    path("api/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the docs work under our CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    path("highlight.css", pygments_css, name="pygments_css"),
]

if settings.BENCH_VIEWS:  # the load test's yardstick page (bench/run_load.py); never on in production
    from .bench_views import bare_page

    urlpatterns.append(path("bench/bare/", bare_page, name="bench-bare"))
