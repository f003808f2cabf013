"""How a quiz result is worded, on every page and report that shows one (My learning, the quiz page,
the review, the gradebook): one function, so one result never reads "Failed" here and "Not passed
yet" there."""


def outcome_label(*, passed: bool | None, attempts_left: int | None) -> str:
    """"Passed", "Not passed yet" while attempts remain (None: unlimited), "Not passed" when none do."""
    if passed is None:
        return ""
    if passed:
        return "Passed"
    return "Not passed" if attempts_left == 0 else "Not passed yet"
