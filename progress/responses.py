"""A learner's stored response as text a person can read in a report: the question type says how."""
from quizzes.qtypes import qtype_for


def response_text(*, spec: dict, response: dict | None) -> str:
    if not response:
        return ""
    qtype = qtype_for(spec)
    return qtype.response_text(qtype.spec(spec), response)
