"""Moodle XML in: `parse_moodle_xml` reads a Moodle question export (`<quiz><question type="…">…`) into
specs, all or nothing, and names the element and line of the first problem.

The file is parsed by defusedxml's SAX reader with DTDs, entity declarations and external references
refused, so no "billion laughs" or file-reading entity can run; size, nesting depth and element count
are capped while reading, before any tree grows large. Control characters are removed first, as for
GIFT. The frame (categories, name, text, feedback, mark, penalty, hints, tags) is read here; each
question type reads its own elements (`moodle_read` in quizzes.qtypes), chosen by `moodle_name`.
"""
from __future__ import annotations

import io
import re
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_external_pes

from defusedxml.common import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.expatreader import DefusedExpatParser

from .control_characters import text_without_control_characters
from .moodle_xml_parts import FORMATS_IN, Node, text_of
from .gift_text import GRADES, default_name, question_name
from .spec_base import DEFAULT_PENALTY
from .spec import ParsedQuestion, QuizTextError, SpecError, format_percent, parse_number

MAX_BYTES = 5_000_000
MAX_DEPTH = 32  # a Moodle export nests 6 deep; 10,000 nested elements would only cost memory and time
MAX_ELEMENTS = 200_000  # ~30 per question: thousands of questions
_GRADE_MATCH = 0.00001  # as the GIFT reader matches %n% weights to Moodle's grades
_DECLARED_ENCODING = re.compile(r"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']""")
# Types Moodle writes that have no home here, with what to say about them.
_NOT_QUESTIONS = {"description": "a description (text without a question) is not a question here; remove it or "
                                 "make it part of the next question's text"}


class MoodleXmlError(QuizTextError):
    """The Moodle XML file cannot be imported. `line` is 1-based; the message names the element."""


class _TreeBuilder(ContentHandler):
    """Builds Nodes with their line numbers, refusing a file too deep or too big as soon as it shows."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.count = 0

    def line(self) -> int:
        return self._locator.getLineNumber() if self._locator is not None else 0

    def startElement(self, name: str, attrs) -> None:  # noqa: N802 (SAX's name)
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise MoodleXmlError(self.line(), f"<{name}>: the file has more than {MAX_ELEMENTS:,} elements; "
                                 "split it into several files")
        if len(self.stack) >= MAX_DEPTH:
            raise MoodleXmlError(self.line(), f"<{name}> is nested more than {MAX_DEPTH} elements deep; a Moodle "
                                 "export is never that deep")
        node = Node(name, dict(attrs) if attrs.getLength() else {}, self.line())
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name: str) -> None:  # noqa: N802
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(content)


def read_tree(text: str) -> Node:
    """The file's root element (`<quiz>`), or MoodleXmlError for anything unsafe or malformed."""
    text = text_without_control_characters(text).lstrip("\ufeff")
    raw = text.encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise MoodleXmlError(1, f"the file is larger than {MAX_BYTES // 1_000_000} MB; split it into several files")
    declared = _DECLARED_ENCODING.match(text)
    if declared and declared[1].lower().replace("-", "") != "utf8":
        raise MoodleXmlError(1, f"<?xml?> declares the encoding {declared[1]!r}; save the file as UTF-8 (Moodle "
                             "always writes UTF-8)")
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    builder = _TreeBuilder()
    parser.setContentHandler(builder)
    try:
        parser.parse(io.BytesIO(raw))
    except SAXParseException as error:
        raise MoodleXmlError(error.getLineNumber(), f"this is not well-formed XML ({error.getMessage()})") from None
    except DTDForbidden:
        raise MoodleXmlError(builder.line() or 1, "<!DOCTYPE>: a document type (DTD) is not allowed; Moodle "
                             "never writes one") from None
    except EntitiesForbidden as error:
        raise MoodleXmlError(builder.line() or 1, f"<!ENTITY {error.name}>: entity declarations are not "
                             "allowed") from None
    except DefusedXmlException:
        raise MoodleXmlError(builder.line() or 1, "external references are not allowed") from None
    root = builder.root
    if root is None or root.tag != "quiz":
        found = f"<{root.tag}>" if root is not None else "nothing"
        raise MoodleXmlError(root.line if root else 1, f"a Moodle XML file starts with <quiz>; found {found}")
    return root


class MoodleQuestion:
    """One `<question>` element, with the readers every question type uses for its own elements."""

    def __init__(self, node: Node) -> None:
        self.node, self.line = node, node.line
        self.moodle_type = node.attrs.get("type", "")
        self.text_format = self.format_of(node.first("questiontext"), "html")

    def fail(self, node: Node | None, message: str) -> MoodleXmlError:
        where = node or self.node
        return MoodleXmlError(where.line, f"<{where.tag}>: {message}")

    def text(self, tag: str, parent: Node | None = None) -> str:
        """The trimmed text of `<tag><text>…</text></tag>` under `parent` (the question); "" when absent."""
        node = (parent or self.node).first(tag)
        return text_of(node)

    def format_of(self, node: Node | None, default: str | None = None) -> str | None:
        if node is None or "format" not in node.attrs:
            return default
        try:
            return FORMATS_IN[node.attrs["format"]]
        except KeyError:
            raise self.fail(node, f"unknown text format {node.attrs['format']!r}; Moodle writes one of "
                            f"{', '.join(FORMATS_IN)}") from None

    def part_format(self, node: Node) -> str | None:
        """An answer's own format, or None when it is the question's (or Moodle's default for answers)."""
        text_format = self.format_of(node)
        return None if text_format in (None, self.text_format, "moodle") else text_format

    def value_in(self, parent: Node, tag: str) -> str:
        """The trimmed text of a simple element such as `<unit_name>km</unit_name>` under `parent`."""
        node = parent.first(tag)
        return "" if node is None else node.text.strip()

    def choice(self, tag: str, options: tuple[str, ...]) -> str:
        """One of `options` from Moodle's number for it (`<showunits>3</showunits>` is options[3])."""
        node = self.node.first(tag)
        if node is None or not node.text.strip():
            return options[0]
        raw = node.text.strip()
        if not raw.isdigit() or int(raw) >= len(options):
            raise self.fail(node, f"expected a number from 0 to {len(options) - 1}; got {raw!r}")
        return options[int(raw)]

    def number(self, tag: str, default: float, parent: Node | None = None) -> float:
        node = (parent or self.node).first(tag)
        if node is None or not node.text.strip():
            return default
        try:
            return parse_number(node.text.strip())
        except ValueError:
            raise self.fail(node, f"{node.text.strip()!r} is not a number") from None

    def flag(self, tag: str, default: bool) -> bool:
        node = self.node.first(tag)
        if node is None:
            return default
        value = node.text.strip().lower()
        if value not in ("true", "false", "1", "0", ""):
            raise self.fail(node, f"expected true or false, got {node.text.strip()!r}")
        return default if value == "" else value in ("true", "1")

    def answers(self, minimum: int = 1) -> list[Node]:
        answers = self.node.all("answer")
        if len(answers) < minimum:
            raise self.fail(None, f"a {self.moodle_type} question needs at least {minimum} <answer> element(s); "
                            f"found {len(answers)}")
        return answers

    def fraction(self, answer: Node, *, negative: bool = True) -> float:
        """An answer's `fraction` attribute (a percentage), which must be one of Moodle's grades."""
        raw = answer.attrs.get("fraction", "0").strip()
        try:
            fraction = parse_number(raw) / 100
        except ValueError:
            raise self.fail(answer, f"fraction={raw!r} is not a number") from None
        for grade in GRADES:
            if abs(fraction - grade) < _GRADE_MATCH and (negative or grade >= 0):
                return grade
        allowed = "Moodle's grades (100, 90, 83.33333, 80, 75, … 5, 0" + (", or one negated)" if negative else ")")
        raise self.fail(answer, f"fraction=\"{raw}\" ({format_percent(fraction)}%) is not one of {allowed}")

    def feedback(self, answer: Node) -> str:
        return self.text("feedback", answer)


def parse_moodle_xml(text: str) -> list[ParsedQuestion]:
    """Every question of a Moodle XML export, validated; MoodleXmlError for the first problem."""
    root = read_tree(text)
    parsed: list[ParsedQuestion] = []
    category: str | None = None
    for node in root.children:
        if node.tag != "question":
            raise MoodleXmlError(node.line, f"<{node.tag}>: only <question> elements belong in <quiz>")
        if node.attrs.get("type") == "category":
            category = text_of(node.first("category")) or None
            continue
        parsed.append(ParsedQuestion(_question(MoodleQuestion(node), category), node.line))
    return parsed


def _question(question: MoodleQuestion, category: str | None):
    qtype = _qtype(question)
    text = question.text("questiontext")
    common = {
        "title": question_name(question.text("name")) or default_name(text) or "Untitled question",
        "text": text, "text_format": question.text_format,
        "general_feedback": question.text("generalfeedback"),
        "default_mark": question.number("defaultgrade", 1.0), "penalty": question.number("penalty", DEFAULT_PENALTY),
        "category": category,
        "hints": [text_of(hint) for hint in question.node.all("hint") if text_of(hint)],
        "tags": [text_of(tag) for tags in question.node.all("tags") for tag in tags.all("tag") if text_of(tag)],
    }
    explanation = question.node.first("attentive_explanation")
    if explanation is not None:  # ours alone; Moodle ignores elements it does not know
        common["explanation"] = text_of(explanation)
    spec = qtype.moodle_read(question, common)
    try:
        spec.validate()
    except SpecError as error:
        raise question.fail(None, f"the question {common['title']!r} cannot be imported: {error}") from None
    return spec


def _qtype(question: MoodleQuestion):
    # Imported when reading, not with this module: the question types import the domain.
    from ..qtypes.registry import all_qtypes

    name = question.moodle_type
    if name in _NOT_QUESTIONS:
        raise question.fail(None, f'type="{name}": {_NOT_QUESTIONS[name]}')
    for qtype in all_qtypes():
        if qtype.moodle_name == name and qtype.moodle_accepts(question):
            return qtype
    known = sorted({q.moodle_name for q in all_qtypes() if q.moodle_name})
    raise question.fail(None, f'type="{name}" is not a question type that can be imported here; use one of '
                        f"{', '.join(known)}")
