"""Essay: free text graded by a person; `grader_info` guides them and never reaches learners."""
from __future__ import annotations

from ..domain import gift_writing
from ..domain import moodle_xml_parts as moodle_xml
from ..domain.grading import NEEDS_GRADING, GradeResult, ResponseError, UNANSWERED_RESULT
from ..domain.spec import EssaySpec
from .base import QuestionType, response_field
from .ids import PublicIds
from .page_parts import QuestionForm


class Essay(QuestionType):
    name = "essay"
    spec_class = EssaySpec
    label = "Essay"
    description = "Free text, graded by you."
    graded_by_person = True
    editor_form = "EssayForm"

    def editor_initial(self, spec: dict) -> tuple[dict, list[dict]]:
        return {"grader_info": spec.get("grader_info", "")}, []

    def editor_spec(self, value, rows: list[dict], original: dict, form) -> dict:
        return {"grader_info": value("grader_info", "") or ""}

    def grade(self, spec: EssaySpec, response) -> GradeResult:
        text = response_field(response, "text")
        if text is None:
            return UNANSWERED_RESULT
        if not isinstance(text, str):
            raise ResponseError("'text' must be a string")
        if not text.strip():
            return UNANSWERED_RESULT
        return GradeResult(fraction=None, state=NEEDS_GRADING)

    def question_form(self, spec, public: dict, response: dict, ids: PublicIds) -> QuestionForm:
        return QuestionForm(kind="essay", text=str(response.get("text") or ""))

    def frequency_rows(self, spec, responses: list[tuple[dict, int]]) -> list:
        return []  # essays are read, not counted

    def right_answer_summary(self, spec: EssaySpec) -> str:
        return "Graded by you after the student submits."

    def gift_answer_block(self, spec: EssaySpec) -> str:
        return "{" + gift_writing.general_feedback(spec) + "}"

    def markdown_sections(self, spec: EssaySpec) -> list[tuple[str, str]]:
        return [("grader info", spec.grader_info)]

    moodle_name = "essay"

    def moodle_read(self, question, common: dict) -> EssaySpec:
        return EssaySpec(**common, grader_info=question.text("graderinfo"))

    def moodle_elements(self, spec: EssaySpec) -> list[str]:
        return [moodle_xml.value_element("responseformat", "editor"), moodle_xml.value_element("responserequired", "1"),
                moodle_xml.value_element("responsefieldlines", 15), moodle_xml.value_element("attachments", 0),
                moodle_xml.value_element("attachmentsrequired", 0),
                *moodle_xml.text_element("graderinfo", spec.grader_info, spec.text_format),
                *moodle_xml.text_element("responsetemplate", "", spec.text_format)]
