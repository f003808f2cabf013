"""GIFT import and export: every type, every piece of syntax issue 3 lists, malformed input, round trips."""
import pytest

from quizzes.domain import GiftError, parse_gift, spec_from_json, write_gift
from tests.conftest import QUESTION_SPECS


def one(text):
    questions = parse_gift(text)
    assert len(questions) == 1
    return questions[0].spec


def test_names_categories_comments_and_formats():
    questions = parse_gift(
        "// a comment line is ignored\n"
        "$CATEGORY: attention/basics\n\n"
        "::Scaling:: [markdown]Divide by **√d_k**? {T}\n\n"
        "// another comment\n"
        "[html]<p>No name</p>{F}\n\n"
        "$CATEGORY: attention/advanced\n\n"
        "::Plain::[plain]<b> stays literal {=a ~b}\n"
    )
    first, second, third = (q.spec for q in questions)
    assert (first.title, first.text, first.text_format, first.category) == (
        "Scaling", "Divide by **√d_k**?", "markdown", "attention/basics")
    assert second.title == "No name" and second.text_format == "html" and second.correct is False
    assert second.category == "attention/basics"
    assert (third.text_format, third.text, third.category) == ("plain", "<b> stays literal", "attention/advanced")
    assert [q.line for q in questions] == [4, 7, 11]


def test_single_choice_with_feedback_and_general_feedback():
    spec = one("::Q::Which normalises? {\n  =softmax#Yes, rows sum to 1.\n  ~relu#No.\n  ~%25%sigmoid#Half right\n"
               "  ####Softmax turns scores into weights.\n}")
    assert spec.qtype == "single_choice"
    assert [(c.text, c.fraction, c.feedback) for c in spec.choices] == [
        ("softmax", 1.0, "Yes, rows sum to 1."), ("relu", 0.0, "No."), ("sigmoid", 0.25, "Half right")]
    assert spec.general_feedback == "Softmax turns scores into weights."


def test_multiple_response_weights_including_negative_and_repeating_decimals():
    spec = one("::M::Which? {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d#never}")
    assert spec.qtype == "multiple_response"
    assert [c.fraction for c in spec.choices] == [0.3333333, 0.3333333, 0.3333333, -1.0]
    assert spec.choices[3].feedback == "never"


def test_true_false_feedback_order_is_wrong_then_right():
    spec = one("::TF::Rows sum to one.{TRUE#No, they do.#Yes.####One distribution per query.}")
    assert spec.correct is True
    # GIFT gives "feedback if wrong" first: a student answering False is wrong here.
    assert (spec.feedback_false, spec.feedback_true) == ("No, they do.", "Yes.")
    assert spec.general_feedback == "One distribution per query."
    assert one("::t::x{T}").correct is True and one("::t::x{FALSE}").correct is False


def test_short_answer_partial_credit_and_wildcard():
    spec = one("::S::Name it {=softmax#Right =%50%soft*#Close =%0%*#No}")
    assert spec.qtype == "short_answer"
    assert [(a.text, a.fraction, a.feedback) for a in spec.answers] == [
        ("softmax", 1.0, "Right"), ("soft*", 0.5, "Close"), ("*", 0.0, "No")]


def test_numeric_tolerance_ranges_partial_credit_and_catch_all():
    spec = one("::N::sqrt 64? {#\n =8:0.5#Exact\n =%50%6..10#Close\n ~#Think again\n}")
    assert spec.qtype == "numeric"
    assert [a.to_json() for a in spec.answers] == [
        {"kind": "tolerance", "value": 8.0, "tolerance": 0.5, "fraction": 1.0, "feedback": "Exact"},
        {"kind": "range", "min": 6.0, "max": 10.0, "fraction": 0.5, "feedback": "Close"},
        {"kind": "any", "fraction": 0.0, "feedback": "Think again"},
    ]
    assert one("::n::x{#3}").answers[0].to_json()["tolerance"] == 0
    assert one("::n::x{#1..5}").answers[0].kind == "range"


def test_matching_with_distractor_and_essay():
    spec = one("::Mt::Match {=Q -> looks =K -> offers = -> position}")
    assert spec.qtype == "matching"
    assert [(p.left, p.right) for p in spec.pairs] == [("Q", "looks"), ("K", "offers")]
    assert spec.distractors == ["position"]
    essay = one("::E::Explain positional encodings. {####Look for permutation invariance.}")
    assert essay.qtype == "essay" and essay.general_feedback == "Look for permutation invariance."


def test_escapes_and_newlines():
    spec = one(r"::Esc\:ape::a \{brace\} \= \~ \# \\ back\nslash{=x\~y#fb \#1 ~z}")
    assert spec.title == "Esc:ape"
    assert spec.text == "a {brace} = ~ # \\ back\nslash"
    assert (spec.choices[0].text, spec.choices[0].feedback) == ("x~y", "fb #1")


def test_missing_word_keeps_a_blank_where_the_block_stood():
    spec = one("::MW::Attention weights come from a {=softmax ~sigmoid} over the scores.")
    assert spec.text == "Attention weights come from a _____ over the scores."
    assert spec.qtype == "single_choice"


def test_multiline_question_text_and_windows_line_endings():
    spec = one("::ML::First line\r\nsecond line{\r\n=a\r\n~b\r\n}\r\n")
    assert spec.text == "First line\nsecond line"


@pytest.mark.parametrize("text, line, reason", [
    ("::a::ok{=x ~y}\n\n::b::broken {=x ~y\n\n::c::fine{T}", 3, "never ends"),
    ("::a::ok{=x ~y}\n\n::b::not a number{#x}", 3, "a numeric answer needs a number"),
    ("::a:: no block here\n", 1, "no answer block"),
    ("::n::num{#abc}", 1, "a numeric answer needs a number; got 'abc'"),
    ("::n::num{#5..1}", 1, "write the smaller number first"),
    ("::m::Which{~%50%a ~%40%b}", 1, "add up to 100%"),
    ("::x::q{=a ~b}}", 1, "second '}'"),
    ("::w::weights{~%150%a =b}", 1, "150"),
])
def test_bad_files_are_rejected_with_line_and_reason(text, line, reason):
    with pytest.raises(GiftError) as error:
        parse_gift(text)
    assert error.value.line == line
    assert reason in error.value.message


def test_an_empty_file_has_no_questions():
    assert parse_gift("// only a comment\n\n") == []


def test_every_type_round_trips_through_gift():
    specs = [spec_from_json(data) for data in QUESTION_SPECS.values()]
    text = write_gift(specs)
    assert "[markdown]" in text  # GIFT's default is Moodle's format, so ours is written out
    assert [q.spec for q in parse_gift(text)] == specs


def test_extras_gift_cannot_say_survive_in_a_comment_moodle_ignores():
    spec = spec_from_json({**QUESTION_SPECS["short_answer"], "default_mark": 2.5, "case_sensitive": True,
                           "explanation": "See: Lesson › Section)"})
    text = write_gift([spec])
    assert text.startswith("// @attentive ")
    assert parse_gift(text)[0].spec == spec


def test_awkward_texts_round_trip():
    spec = spec_from_json({
        "qtype": "single_choice", "title": "Braces {and} colons: ::", "text": "Use \\sqrt{d_k} = 8 # not ~9\nsecond line",
        "text_format": "markdown", "category": "a/b",
        "choices": [{"id": "a", "text": "%50% literal", "fraction": 1.0, "feedback": "a #hash"},
                    {"id": "b", "text": "x -> y", "fraction": 0.0}],
    })
    assert parse_gift(write_gift([spec]))[0].spec == spec
