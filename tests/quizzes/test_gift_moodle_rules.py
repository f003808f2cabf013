r"""GIFT read the way Moodle's importer (qformat_gift) reads it: one test per rule, in the order the rules apply.

Where a case comes from Moodle's own unit tests (question/format/gift/tests/giftformat_test.php) the
test says so; where Moodle would import something wrong without a word, the test shows the refusal.
"""
import pytest

from quizzes.domain import GiftError, parse_gift, write_gift
from quizzes.domain.gift_text import GRADES
from quizzes.domain.control_characters import text_without_control_characters


def one(text):
    questions = parse_gift(text)
    assert len(questions) == 1
    return questions[0].spec


def refused(text):
    with pytest.raises(GiftError) as error:
        parse_gift(text)
    return error.value


# --- the file: questions, lines, comments -------------------------------------------------------


def test_blank_lines_separate_questions_and_a_line_of_spaces_is_blank():
    questions = parse_gift("::a::x{T}\n \t \n::b::y{F}\n\n\n::c::z{}")
    assert [q.spec.title for q in questions] == ["a", "b", "c"]
    assert [q.line for q in questions] == [1, 3, 6]


def test_lines_are_trimmed_so_indentation_is_not_kept():
    spec = one("::Q::[markdown]First\n    indented second{}")
    assert spec.text == "First\nindented second"


def test_comments_start_a_line_count_as_a_space_inside_a_question_and_a_comment_block_is_no_question():
    questions = parse_gift("// only a comment\n// and another\n\n::Q::Line one\n  // in between\nline two{}")
    assert len(questions) == 1 and questions[0].line == 4
    assert questions[0].spec.text == "Line one\n \nline two"  # Moodle turns the comment line into a space
    assert one("::U::See http://example.org // not a comment{}").text == "See http://example.org // not a comment"


def test_category_lines_set_the_category_of_the_questions_that_follow():
    questions = parse_gift("$CATEGORY: $course$/Unit 1\n\n::a::x{T}\n\n$CATEGORY: top/Unit\\: 2\n\n::b::y{T}")
    assert [q.spec.category for q in questions] == ["$course$/Unit 1", "top/Unit: 2"]


# (comment lines above a question, the tags Moodle reads from them)
COMMENT_TAGS = [
    ("// A plain comment.", []),
    ("// An [id:frog] is no tag.", []),
    ("// Tags: [tag:frog] [tag:toad].", ["frog", "toad"]),
    ("// [tag:add] [tag:basic] [id:four]", ["add", "basic"]),
    ("// [tag:  basic] spaced  \n// and a [id:   four   ] mid[tag:add   ]word", ["basic", "add"]),
    ("// a [tag:\n// split] over two lines is none", []),
    ("// [tag:t\\]ag] with an escaped bracket", ["t]ag"]),
    ("// [tag:same] [tag:same] given twice", ["same"]),
    ("// [tag:] empty", []),
]


@pytest.mark.parametrize(("comments", "tags"), COMMENT_TAGS)
def test_tags_in_the_comments_above_a_question(comments, tags):
    assert one(f"{comments}\n::Question name:: How are you? {{}}").tags == tags


def test_tag_like_text_in_an_attentive_comment_is_no_tag():
    spec = one('// @attentive {"explanation": "Write [tag:x] to tag."}\n::Q::Why scale?{}')
    assert spec.tags == [] and spec.explanation == "Write [tag:x] to tag."


def test_tags_round_trip_in_a_comment_moodle_reads():
    spec = one("// [tag:attention] [tag:a\\]b]\n::Q::Why scale?{}")
    text = write_gift([spec])
    assert "// [tag:attention] [tag:a\\]b]\n" in text
    assert parse_gift(text)[0].spec.tags == ["attention", "a]b"]


# --- names ------------------------------------------------------------------------------------


def test_the_name_between_double_colons_with_tags_removed():
    spec = one("::<b>Bold</b> name\\: yes:: text{T}")
    assert spec.title == "Bold name: yes" and spec.text == "text"


def test_a_name_never_closed_is_dropped_and_the_question_named_after_its_text():
    spec = one("::What is two plus two? {=4 ~5}")
    assert spec.text == "What is two plus two?" and spec.title == "What is two plus two?"


def test_an_unnamed_question_takes_the_first_80_characters_of_its_text():
    long = "Why " + "do attention weights sum to one " * 5 + "?"
    spec = one(f"[html]<p>{long}</p>{{T}}")
    assert len(spec.title) <= 80 and spec.title.endswith("...") and "<p>" not in spec.title
    assert one("Short question{T}").title == "Short question"


# --- formats and escapes ----------------------------------------------------------------------


def test_format_prefixes_on_question_text_answers_and_matching_items():
    spec = one("::F::[html]<b>Pick</b>{=[plain]<i>a</i> ~[markdown]**b** ~c}")
    assert (spec.text_format, spec.text) == ("html", "<b>Pick</b>")
    assert [(c.text, c.text_format) for c in spec.choices] == [("<i>a</i>", "plain"), ("**b**", "markdown"),
                                                              ("c", None)]
    assert one("::P::plain{T}").text_format == "moodle"  # Moodle's own format when none is given


def test_an_unknown_or_differently_cased_prefix_is_text():
    assert one("::F::[HTML]x{T}").text == "[HTML]x"
    assert one("::F::[see below] x{T}").text == "[see below] x"


def test_feedback_and_general_feedback_drop_their_own_format_prefix():
    spec = one("::F::q{=a#[html]<b>yes</b> ~b####[html]general}")
    assert spec.choices[0].feedback == "<b>yes</b>" and spec.general_feedback == "general"


def test_escapes_are_literal_characters_and_backslash_n_is_a_new_line():
    spec = one(r"::Esc\:ape::a \{b\} \= \~ \# \\ c\nd{=x\~y#f \#1 ~z}")
    assert spec.title == "Esc:ape"
    assert spec.text == "a {b} = ~ # \\ c\nd"
    assert (spec.choices[0].text, spec.choices[0].feedback) == ("x~y", "f #1")


def test_a_double_backslash_is_one_backslash_moodle_mdl_34171():
    # giftformat_test::test_import_backslash
    assert one(r"::double backslash:: A \\ B \\\\ C{}").text == "A \\ B \\\\ C"
    # an escaped backslash does not escape what follows it: the brace is the answer block's
    assert one(r"::b::path C:\\{T}").text == "path C:\\"


def test_escaped_braces_in_html_pre_content_moodle_unit_case():
    # giftformat_test::test_import_pre_content (as an import reads it: lines trimmed)
    spec = one("::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n"
               "    public void test() \\{\n        method1();\n    \\}\n</pre>\n{}")
    assert spec.qtype == "essay" and spec.text_format == "html"
    assert spec.text == "<p>What would running the test method print?</p>\n<pre>\npublic void test() {\nmethod1();\n}\n</pre>"


# --- the answer block --------------------------------------------------------------------------


def test_text_after_the_block_makes_a_missing_word_question():
    spec = one("::MW::Attention weights come from a {=softmax ~sigmoid} over the scores.")
    assert spec.text == "Attention weights come from a _____ over the scores."


def test_no_blank_when_the_text_ends_with_a_brace_and_braces_after_the_block_are_text():
    assert one("::B::Score {=a ~b} with $\\sqrt{d_k}$ and {x}").text == "Score  with $\\sqrt{d_k}$ and {x}"
    assert one("::B::Score {=a ~b} scaled by $\\sqrt{d_k}$.").text == "Score _____ scaled by $\\sqrt{d_k}$."


def test_the_block_ends_at_the_first_closing_brace():
    spec = one("::S::Name it {=a {b}")
    assert spec.qtype == "short_answer" and spec.answers[0].text == "a {b"


@pytest.mark.parametrize("text, line, reason", [
    ("::a::ok{T}\n\n::b::Which\n{=x\n~y\n", 4, "unclosed '{'"),
    ("::a::x\n=y}\n", 2, "a '}' without an opening '{'"),
    ("::a::x}\n{=y ~z}", 1, "a '}' before the answer block's '{'"),
    ("::a::Just a description.\n", 1, "Moodle would import this as a description"),
])
def test_brace_errors_name_the_line(text, line, reason):
    error = refused(text)
    assert error.line == line and reason in error.message


def test_general_feedback_follows_the_last_four_hashes():
    spec = one("::G::q{=a#fb ~b####first####second}")
    assert spec.general_feedback == "second"
    # the earlier "####" belongs to the choice: its text ends at the first '#', its feedback is the rest
    assert (spec.choices[1].text, spec.choices[1].feedback) == ("b", "###first")


# --- type detection, in Moodle's order ------------------------------------------------------------


@pytest.mark.parametrize("answers, qtype", [
    ("", "essay"),
    ("####Look for permutation invariance.", "essay"),
    ("#3:0.5", "numeric"),
    ("=a -> b ~c", "single_choice"),  # '~' wins over '->'
    ("~%50%a ~%50%b", "multiple_response"),
    ("=a -> 1 =b -> 2", "matching"),
    ("T", "true_false"), ("TRUE", "true_false"), ("F#wrong#right", "true_false"), ("FALSE", "true_false"),
    ("true", "short_answer"),  # case matters: Moodle reads {true} as a short answer "true"
    ("=Paris =paris", "short_answer"),
])
def test_type_detection_order(answers, qtype):
    spec = one(f"::Q::Question text{{{answers}}}")
    assert spec.qtype == qtype
    if answers == "true":
        assert [a.text for a in spec.answers] == ["true"]


def test_true_false_costs_the_whole_mark_per_wrong_try_as_moodle_imports_it():
    # giftformat_test::test_import_truefalse*: penalty 1, where other types keep Moodle's 1/3
    assert one("::Q1:: 42 is the Absolute Answer to everything.{\nFALSE#42 is the Ultimate Answer.#You gave "
               "the right answer.}").penalty == 1.0
    assert [one(f"::T::TSL is blablabla.{{{answer}}}").penalty for answer in ("T", "TRUE")] == [1.0, 1.0]
    assert one("::S::Which is the best animal?{=Frog}").penalty == 0.3333333


def test_true_false_penalty_round_trips_whichever_it_is():
    for penalty in (1.0, 0.3333333, 0.5):
        spec = one("::T::x{T}")
        spec.penalty = penalty
        assert parse_gift(write_gift([spec]))[0].spec.penalty == penalty


def test_true_false_feedback_is_wrong_then_right_and_the_right_one_keeps_further_hashes():
    spec = one("::TF::Rows sum to one.{TRUE#No, they do.#Yes #1 of 2.}")
    assert spec.correct is True
    assert (spec.feedback_false, spec.feedback_true) == ("No, they do.", "Yes #1 of 2.")
    assert one("::t::x{F#You said true.#Right.}").feedback_true == "You said true."


# --- multiple choice ------------------------------------------------------------------------------


def test_any_equals_sign_makes_single_choice_even_with_several_full_credit_answers():
    spec = one("::S::Which are names for the normalising function? {=softmax =soft-max ~relu}")
    assert spec.qtype == "single_choice"
    assert [(c.text, c.fraction) for c in spec.choices] == [("softmax", 1.0), ("soft-max", 1.0), ("relu", 0.0)]
    both = one("::S::Pick {~%100%a =b ~%50%c ~%-50%d}")
    assert both.qtype == "single_choice" and [c.fraction for c in both.choices] == [1.0, 1.0, 0.5, -0.5]


def test_what_follows_an_equals_sign_in_a_choice_is_text_at_full_credit():
    spec = one("::S::Pick {=%50%half ~other}")
    assert (spec.choices[0].text, spec.choices[0].fraction) == ("%50%half", 1.0)


def test_without_an_equals_sign_it_is_multiple_response_moodle_tricky_case():
    # giftformat_test::test_import_multichoice_multi_tricky
    spec = one("::colours:: What's between orange and green in the spectrum?\n{\n"
               "~%100%yellow # right; good!\n~%-50%red # wrong\n~%-50%blue # wrong\n}")
    assert spec.qtype == "multiple_response"
    assert [(c.text, c.fraction, c.feedback) for c in spec.choices] == [
        ("yellow", 1.0, "right; good!"), ("red", -0.5, "wrong"), ("blue", -0.5, "wrong")]


def test_text_before_the_first_marker_is_a_choice_too():
    spec = one("::S::Pick {zero ~%100%full}")
    assert [(c.text, c.fraction) for c in spec.choices] == [("zero", 0.0), ("full", 1.0)]


def test_multiple_response_weights_must_add_up_to_100_percent():
    error = refused("::M::Which?\n{\n~%50%a\n~%25%b\n~c\n}")
    assert error.line == 1 and "add up to 100%" in error.message


# --- weights -------------------------------------------------------------------------------------


@pytest.mark.parametrize("weight, fraction", [
    ("100", 1.0), ("50", 0.5), ("33.33333", 0.3333333), ("33.333", 0.3333333), ("14.28571", 0.1428571),
    ("-100", -1.0), ("-25", -0.25), ("0", 0.0), ("5", 0.05),
])
def test_weights_are_moodles_grades(weight, fraction):
    spec = one(f"::W::q{{=a ~%{weight}%b}}")
    assert spec.choices[1].fraction == fraction and spec.choices[1].text == "b"


@pytest.mark.parametrize("weight", ["35", "150", "33.3", "-110"])
def test_a_weight_moodle_does_not_list_is_refused_on_its_line(weight):
    error = refused(f"::W::q{{\n=a\n~%{weight}%b\n}}")
    assert error.line == 3 and f"%{weight}%" in error.message and "grades Moodle accepts" in error.message


def test_percent_signs_that_are_no_weight_are_answer_text():
    spec = one("::W::q{=a ~%about%b}")
    assert (spec.choices[1].text, spec.choices[1].fraction) == ("%about%b", 0.0)


def test_the_grade_list_is_moodles_fraction_options_full():
    assert len(GRADES) == 41 and GRADES[0] == 1.0 and GRADES[-1] == -1.0 and 0.0 in GRADES
    assert {0.8333333, 0.1428571, 0.1111111, 0.05, -0.6666667} <= set(GRADES)


def test_every_answer_may_have_feedback_after_its_first_hash():
    spec = one("::F::q{=a#good #1 ~b#bad}")
    assert [(c.text, c.feedback) for c in spec.choices] == [("a", "good #1"), ("b", "bad")]


def test_an_answer_without_text_is_refused_on_its_line():
    # Moodle drops it without a word, which changes the question; we say so instead.
    for text in ("::E::q{\n=a\n~\n~c\n}", "::E::q{\n=a\n~#only feedback\n}", "::E::q{\n=a\n=%50%\n}"):
        error = refused(text)
        assert error.line == 3 and "has no text" in error.message


# --- matching -------------------------------------------------------------------------------------


def test_matching_pairs_a_distractor_and_a_right_side_that_keeps_hashes():
    spec = one("::M::Match {\n=Q -> looks #1\n=K -> offers\n= -> position\n}")
    assert [(p.left, p.right) for p in spec.pairs] == [("Q", "looks #1"), ("K", "offers")]
    assert spec.distractors == ["position"]


@pytest.mark.parametrize("text, line, reason", [
    ("::M::Match {\n=a -> 1\n=b 2\n=c -> 3\n}", 3, "has no '->'"),
    ("::M::Match {\n=a -> 1\n=b ->\n}", 3, "nothing after '->'"),
    ("::M::Match {=a -> 1 = -> 2}", 1, "at least two pairs"),
])
def test_matching_errors(text, line, reason):
    error = refused(text)
    assert error.line == line and reason in error.message


# --- short answer ---------------------------------------------------------------------------------


def test_short_answers_default_to_full_credit_with_weights_and_a_wildcard():
    spec = one("::S::Best animal?{\n=Frog#Good!\n=%50%Cat#Cats.\n=%0%*#Completely wrong\n}")
    assert [(a.text, a.fraction, a.feedback) for a in spec.answers] == [
        ("Frog", 1.0, "Good!"), ("Cat", 0.5, "Cats."), ("*", 0.0, "Completely wrong")]


def test_a_short_answer_may_be_written_without_an_equals_sign():
    assert [a.text for a in one("::S::Capital of France?{Paris}").answers] == ["Paris"]


def test_a_short_answer_question_needs_a_full_credit_answer():
    error = refused("::S::q{=%50%half}")
    assert "worth 100%" in error.message


# --- numeric ---------------------------------------------------------------------------------------


def test_numeric_value_with_tolerance_and_a_catch_all_moodle_unit_case():
    # giftformat_test::test_import_numerical
    spec = one("::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")
    assert [a.to_json() for a in spec.answers] == [
        {"kind": "tolerance", "value": 3.0, "tolerance": 2.0, "fraction": 1.0, "feedback": ""},
        {"kind": "any", "fraction": 0.0, "feedback": "Completely wrong"}]


def test_numeric_ranges_in_either_order_and_a_negative_tolerance_as_moodle_stores_them():
    assert one("::N::x{#1..5}").answers[0].to_json() == {"kind": "range", "min": 1.0, "max": 5.0,
                                                        "fraction": 1.0, "feedback": ""}
    assert one("::N::x{#5..1}").answers[0].to_json()["min"] == 1.0  # Moodle: middle 3 ± |−2|
    assert one("::N::x{#-5..-1}").answers[0].to_json()["max"] == -1.0
    assert one("::N::x{#3:-1}").answers[0].tolerance == 1.0


def test_several_numeric_answers_with_weights_and_feedback():
    spec = one("::N::sqrt 64? {#\n=8:0#Exact\n=%50%6..10#Close\n~ignored text#Think again\n}")
    assert [(a.kind, a.fraction, a.feedback) for a in spec.answers] == [
        ("tolerance", 1.0, "Exact"), ("range", 0.5, "Close"), ("any", 0.0, "Think again")]


@pytest.mark.parametrize("text, line, reason", [
    ("::N::x{#}", 1, "no answers found for this numeric question"),
    ("::N::x{#\n=abc\n}", 2, "a numeric answer needs a number; got 'abc'"),  # Moodle would accept any number
    ("::N::x{#\n=3:wide\n}", 2, "got 'wide'"),
    ("::N::x{#\n=%50%3\n}", 1, "one numeric answer must be worth 100%"),
])
def test_numeric_errors(text, line, reason):
    error = refused(text)
    assert error.line == line and reason in error.message


# --- whole files -----------------------------------------------------------------------------------


def test_an_error_points_at_the_offending_line_inside_a_long_question():
    text = "::ok::fine{T}\n\n::Q::Pick one\nof these{\n=a\n~b\n~%33%c#feedback\n}"
    error = refused(text)
    assert error.line == 7 and "%33%" in error.message


def test_control_characters_are_removed_and_tab_and_new_lines_kept():
    assert text_without_control_characters("a\x00b\x07c\x1bd\x7fe\x85f\tg\nh\ri") == "abcdef\tg\nh\ri"
    spec = one("::N\x00UL::Rows\x00 sum\x0b to one.{TR\x00UE#no\x01pe}")
    assert (spec.title, spec.text, spec.correct, spec.feedback_false) == ("NUL", "Rows sum to one.", True, "nope")
