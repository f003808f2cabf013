"""One DRF router for the whole API, so /api/ lists every resource."""
from rest_framework.routers import DefaultRouter

from courses.api import CourseViewSet, EnrollmentViewSet, LessonProgressViewSet, LessonViewSet
from quizzes.api import AttemptViewSet, QuestionViewSet, QuizViewSet
from quizzes.pools.api import RandomSlotViewSet
from quizzes.overrides.api import OverrideAuditViewSet, QuizOverrideViewSet
from quizzes.overrides.groups_api import LearnerGroupViewSet

router = DefaultRouter()
router.register("courses", CourseViewSet, basename="course")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
router.register("progress", LessonProgressViewSet, basename="progress")
router.register("quizzes", QuizViewSet, basename="quiz")
router.register("attempts", AttemptViewSet, basename="attempt")
router.register("quiz-questions", QuestionViewSet, basename="quiz-question")
router.register("quiz-random-slots", RandomSlotViewSet, basename="quiz-random-slot")
router.register("quiz-overrides", QuizOverrideViewSet, basename="quiz-override")
router.register("quiz-override-audit", OverrideAuditViewSet, basename="quiz-override-audit")
router.register("learner-groups", LearnerGroupViewSet, basename="learner-group")
