"""A learner's raw response (quizzes.domain.grading shapes) as text a person can read in a report."""
from quizzes.domain.grading import right_item_id


def response_text(*, spec: dict, response: dict | None) -> str:
    if not response:
        return ""
    qtype = spec.get("qtype")
    choices = {choice.get("id"): choice.get("text", "") for choice in spec.get("choices", [])}
    if qtype == "single_choice":
        picked = response.get("choice")
        return choices.get(picked, picked or "")
    if qtype == "multiple_response":
        return "; ".join(choices.get(picked, picked) for picked in response.get("choices") or [])
    if qtype == "true_false":
        value = response.get("value")
        return "" if value is None else ("True" if value in (True, "true", "True", 1) else "False")
    if qtype == "matching":
        rights = {right_item_id(text): text for text in [p.get("right", "") for p in spec.get("pairs", [])] + list(spec.get("distractors", []))}
        lefts = {pair.get("id"): pair.get("left", "") for pair in spec.get("pairs", [])}
        pairs = response.get("pairs") or {}
        return "; ".join(f"{lefts.get(left, left)} → {rights.get(right, '—')}" for left, right in pairs.items() if right)
    for key in ("text", "value"):
        if key in response and response[key] is not None:
            return str(response[key])
    return str(response)
