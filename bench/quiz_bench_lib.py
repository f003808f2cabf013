"""The quiz benchmark's shared pieces (bench/quiz_load.py, bench/quiz_locustfile.py, tests/bench/):
the bench quiz, how a simulated student reads the attempt page and answers, and the count of lost answers.

Kept apart from the Locust file so the test suite can check them against the real attempt page
(a template change that the regexes no longer match fails a test, not a 3-minute benchmark run).
"""
import html
import random
import re

QUIZ_MARKDOWN = r'''# Bench quiz: one of every question type

## Q: Scaling the scores
type: single
What is $\sqrt{d_k}$ when $d_k = 64$?

- [x] 8
- [ ] 64
- [25%] 4
- [ ] 4096

## Q: Shapes
type: multiple
Which statements hold for self-attention over n tokens?

- [x] QKᵀ is n × n
- [x] The output has one row per query
- [-100%] Columns of the weights sum to 1
- [ ] V must be square

## Q: Row-wise softmax
type: true-false
The softmax is applied to each row of the score matrix.

- [x] True
- [ ] False

## Q: The fused function
type: short
Which PyTorch function computes attention in one call?

answer: scaled_dot_product_attention
answer (50%): *attention*

## Q: Number of scores
type: numeric
mark: 2
How many scores does one head compute for 512 tokens?

answer: 262144
answer (50%): 250000..270000

## Q: Who does what
type: matching
Match each vector to its role.

- Query => what a token is looking for
- Key => what a token offers to be found by
- Value => what a token passes on when attended to

## Q: In your own words
type: essay
Explain why attention needs positional information.

## Q: Missing word
type: single
Attention weights come from a _____ over the scores.

- [x] softmax
- [ ] sigmoid
- [ ] tanh

## Q: Heads
type: numeric
A model of width 512 has 8 heads. What is the width of one head?

answer: 64

## Q: Masking
type: short
Which kind of mask stops a decoder token from looking ahead?

answer: causal
answer: look-ahead
'''


FIELDSET = re.compile(r'<fieldset class="quiz-question[^"]*"[^>]*data-question="(\d+)"[^>]*hx-post="([^"]+)"')
CHOICE = re.compile(r'<input type="(radio|checkbox)" name="(q\d+-choice)" value="([^"]*)"')
SELECT = re.compile(r'<select [^>]*name="(q\d+-match-[^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
TEXT = re.compile(r'<(?:input|textarea) class="quiz-(short|essay)" id="[^"]*" name="(q\d+-text)"([^>]*)>')


def question_fields(page: str) -> list[tuple[int, str, str]]:
    """(question id, save URL, the HTML of that question's fieldset), in page order."""
    starts = [(m.start(), int(m.group(1)), html.unescape(m.group(2))) for m in FIELDSET.finditer(page)]
    out = []
    for index, (start, question, url) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(page)
        out.append((question, url, page[start:end]))
    return out


def answer_for(chunk: str, tag: str) -> dict[str, list[str]] | None:
    """A random answer in the shape the browser posts (field -> values); the text carries `tag`."""
    choices = CHOICE.findall(chunk)
    if choices:
        kind, name = choices[0][0], choices[0][1]
        values = [html.unescape(value) for _, _, value in choices]
        if kind == "radio":
            return {name: [random.choice(values)]}
        return {name: random.sample(values, random.randint(1, len(values)))}
    selects = SELECT.findall(chunk)
    if selects:
        return {name: [random.choice([html.unescape(v) for v in OPTION.findall(body)] or [""])] for name, body in selects}
    text = TEXT.search(chunk)
    if text:
        kind, name, attrs = text.groups()
        if "inputmode=\"decimal\"" in attrs:
            return {name: [str(random.randint(1, 300000))]}
        if kind == "essay":
            return {name: [f"Without positions attention is permutation-invariant ({tag}); sinusoids or RoPE fix it."]}
        return {name: [f"softmax {tag}"]}
    return None


def answers_check(records: list[dict]) -> dict:
    """Compare what the server acknowledged (one record per attempt, as the Locust users write them)
    with the database. An answer is kept when its row holds exactly the response that the last
    acknowledged save of that question sent (the posted fields turned into a response by the
    server's own `response_from_form`), and, once the attempt is submitted, it was graded."""
    from django.http import QueryDict

    from quizzes.models import Answer, Attempt, AttemptState
    from quizzes.services.grading import response_from_form

    result = {"attempts_started": 0, "attempts_submitted_by_client": 0, "attempts_submitted_in_db": 0,
              "saves_sent": 0, "saves_acknowledged": 0, "answers_expected": 0, "answers_kept": 0, "problems": []}
    for record in records:
        if record["attempt"] is None:
            continue
        result["attempts_started"] += 1
        attempt = Attempt.objects.get(pk=record["attempt"])
        result["attempts_submitted_by_client"] += bool(record["submitted"])
        if attempt.state == AttemptState.SUBMITTED:
            result["attempts_submitted_in_db"] += 1
        elif record["submitted"]:
            result["problems"].append(f"attempt {attempt.pk}: submit acknowledged, state is {attempt.state}")
        expected = {}
        for save in record["saves"]:
            result["saves_sent"] += 1
            if save["acknowledged"]:
                result["saves_acknowledged"] += 1
                data = QueryDict(mutable=True)
                for field, values in save["data"].items():
                    data.setlist(field, values)
                expected[save["question"]] = response_from_form(attempt=attempt, question_id=save["question"], data=data)
        answers = {answer.question_id: answer for answer in Answer.objects.filter(attempt=attempt)}
        for question, response in expected.items():
            result["answers_expected"] += 1
            answer = answers.get(question)
            graded = attempt.state != AttemptState.SUBMITTED or bool(answer and answer.state)
            if answer is not None and answer.saved_at is not None and answer.response == response and graded:
                result["answers_kept"] += 1
            else:
                result["problems"].append(f"attempt {attempt.pk} question {question}: sent {response}, "
                                          f"database has {answer.response if answer else None} (graded: {graded})")
    result["lost"] = result["answers_expected"] - result["answers_kept"]
    return result
