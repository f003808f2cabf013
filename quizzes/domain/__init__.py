"""The quiz engine's pure-Python core: question specs, grading, GIFT and Markdown quiz formats, statistics.

Nothing here imports Django: the models store `QuestionSpec.to_json()` in a JSONField and each
question type (quizzes.qtypes) grades and writes through it, so every rule can be tested without a database.
"""
from .gift import GiftError, parse_gift, write_gift
from .grading import Feedback, GradeResult, ResponseError
from .markdown_format import QuizFormatError, parse_markdown_quiz, write_markdown_quiz
from .spec import (
    BLANK,
    AttentionTokenSpec,
    Choice,
    EssaySpec,
    MatchingSpec,
    MatchPair,
    MultipleResponseSpec,
    NumericAnswer,
    NumericSpec,
    ParsedQuestion,
    QuestionSpec,
    QuizTextError,
    ShortAnswerSpec,
    SingleChoiceSpec,
    SpecError,
    TextAnswer,
    TrueFalseSpec,
    spec_from_json,
)
from .statistics import ChoiceCounts, ItemAnalysis, QuestionStatistics, item_analysis, option_frequencies

__all__ = [
    "AttentionTokenSpec",
    "BLANK",
    "Choice",
    "ChoiceCounts",
    "EssaySpec",
    "Feedback",
    "GiftError",
    "GradeResult",
    "ItemAnalysis",
    "MatchPair",
    "MatchingSpec",
    "MultipleResponseSpec",
    "NumericAnswer",
    "NumericSpec",
    "ParsedQuestion",
    "QuestionSpec",
    "QuestionStatistics",
    "QuizFormatError",
    "QuizTextError",
    "ResponseError",
    "ShortAnswerSpec",
    "SingleChoiceSpec",
    "SpecError",
    "TextAnswer",
    "TrueFalseSpec",
    "item_analysis",
    "option_frequencies",
    "parse_gift",
    "parse_markdown_quiz",
    "spec_from_json",
    "write_gift",
    "write_markdown_quiz",
]
