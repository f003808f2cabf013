"""The ```attention block in lesson Markdown: what it renders, what the sanitiser lets through, and
that a lesson page carries a working widget under the CSP (no inline script)."""
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from courses.markdown import render_markdown
from tests.conftest import client_for
from tests.factories import LessonFactory

pytestmark = pytest.mark.django_db


class Widgets(HTMLParser):
    """The widget divs of a page: their settings, and every <script> and on* attribute seen."""

    def __init__(self) -> None:
        super().__init__()
        self.widgets: list[dict[str, list[str]]] = []
        self.links: list[str] = []
        self.inline_scripts = 0
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "div" and "data-attention-widget" in values:
            self.widgets.append(parse_qs(values["data-attention-widget"]))
        if tag == "a" and values.get("href", "").startswith("/lab/"):
            self.links.append(values["href"])
        if tag == "script" and not values.get("src"):
            self.inline_scripts += 1


def parse(html: str) -> Widgets:
    parser = Widgets()
    parser.feed(html)
    return parser


def test_a_fence_becomes_a_widget_with_its_sentence_layer_and_head():
    html = render_markdown("Try it:\n\n```attention\ntext: The keys to the cabinet are here.\nlayer: 2\nhead: 9\ncaption: A next-token head.\n```\n")
    page = parse(html)
    assert page.widgets == [{"text": ["The keys to the cabinet are here."], "layer": ["2"], "head": ["9"]}]
    assert "A next-token head." in html
    # without JavaScript the reader still gets the sentence and a link that opens it in the lab
    link = parse_qs(urlsplit(page.links[0]).query)
    assert link == {"text": ["The keys to the cabinet are here."], "layer": ["2"], "head": ["9"]}


def test_layer_and_head_are_clamped_to_the_model_and_text_defaults_to_the_example():
    page = parse(render_markdown("```attention\nlayer: 99\nhead: zero\n```\n"))
    settings = page.widgets[0]
    assert settings["layer"] == ["6"] and settings["head"] == ["1"]
    assert settings["text"][0].startswith("The cat sat on the mat")


def test_pair_and_hide_options_reach_the_widget():
    page = parse(render_markdown("```attention\ntext: The cat sat.\npair: It was tired.\nhide: yes\n```\n"))
    assert page.widgets[0]["pair"] == ["It was tired."]
    assert page.widgets[0]["hide"] == ["1"]
    assert parse_qs(urlsplit(page.links[0]).query)["text_pair"] == ["It was tired."]


def test_hostile_text_in_a_fence_stays_text():
    html = render_markdown(
        '```attention\ntext: <script>alert(1)</script>" onmouseover="alert(2)\ncaption: <img src=x onerror=alert(3)>\n```\n'
    )
    page = parse(html)
    assert page.inline_scripts == 0
    assert page.handlers == []
    assert "<img" not in html and "<script" not in html
    assert page.widgets[0]["text"] == ['<script>alert(1)</script>" onmouseover="alert(2)']


def test_authors_cannot_smuggle_other_data_attributes_or_htmx_through_raw_html():
    html = render_markdown('<div data-attention-widget="text=hi" data-hx-get="/x" hx-post="/y" data-evil="1">x</div>\n')
    assert 'data-attention-widget="text=hi"' in html
    assert "hx-" not in html and "data-evil" not in html


def test_a_lesson_page_carries_the_widget_and_the_lab_scripts_without_inline_script(cast):
    # given
    cast.lesson.body_markdown = "## Heads\n\n```attention\ntext: Attention is all you need.\nlayer: 1\nhead: 3\n```\n"
    cast.lesson.body_html = render_markdown(cast.lesson.body_markdown)
    cast.lesson.save()
    # when
    response = client_for(cast.student).get(cast.lesson.get_absolute_url())
    # then
    html = response.content.decode()
    page = parse(html)
    assert response.status_code == 200
    assert page.widgets == [{"text": ["Attention is all you need."], "layer": ["1"], "head": ["3"]}]
    assert page.inline_scripts == 0
    for script in ("lab/heatmap.js", "lab/transport.js", "lab/panels.js", "lab/lab.js"):
        assert script in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_lesson_without_a_fence_has_no_widget():
    lesson = LessonFactory(body_markdown="```python\nprint('attention')\n```\n")
    assert "data-attention-widget" not in render_markdown(lesson.body_markdown)
