"""GET /lab/: open to every visitor, the text from a shared link shown, no inline script."""
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from attention_lab.forms import EXAMPLE_TEXT
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.textareas: dict[str, str] = {}
        self.scripts: list[str | None] = []
        self.handlers: list[str] = []
        self.tabs: list[str] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "textarea":
            self._textarea = values["id"]
            self.textareas[self._textarea] = ""
        if tag == "script":
            self.scripts.append(values.get("src"))
        if values.get("role") == "tab":
            self.tabs.append(values["id"])

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.textareas[self._textarea] += data


def get(client: Client, **params) -> tuple[int, Page]:
    response = client.get(reverse("attention_lab:lab"), params)
    page = Page()
    page.feed(response.content.decode())
    return response.status_code, page


def test_anyone_may_open_the_lab_and_sees_the_example_sentence(cast):
    for client in (Client(), client_for(cast.student), client_for(cast.instructor)):
        status, page = get(client)
        assert status == 200
        assert page.textareas["lab-text"] == EXAMPLE_TEXT


def test_a_shared_link_brings_its_text_and_sentence_pair():
    status, page = get(Client(), text="Ein Satz mit Ümlauten 🙂", pair="1", text_pair="<b>B</b>")
    assert status == 200
    assert page.textareas["lab-text"] == "Ein Satz mit Ümlauten 🙂"
    assert page.textareas["lab-text-pair"] == "<b>B</b>"  # escaped by the template, read back as text


def test_the_page_has_the_three_views_and_only_script_files():
    status, page = get(Client())
    assert page.tabs == ["tab-head", "tab-model", "tab-step"]
    assert None not in page.scripts  # every <script> has a src: the CSP allows no inline script
    assert any(src.endswith("lab/lab.js") for src in page.scripts)
    assert page.handlers == []


def test_lab_scripts_are_es_modules_loaded_only_where_the_lab_is():
    lab_page = Client().get(reverse("attention_lab:lab")).content.decode()
    other_page = Client().get(reverse("courses:catalogue")).content.decode()
    assert '<script type="module" src="/static/lab/lab.js">' in lab_page
    assert "lab/lab.js" not in other_page and "lab/lab.css" not in other_page


def test_the_navigation_links_to_the_lab():
    response = Client().get(reverse("courses:catalogue"))
    assert f'href="{reverse("attention_lab:lab")}"' in response.content.decode()


def test_posting_to_the_page_is_not_allowed():
    assert Client().post(reverse("attention_lab:lab")).status_code == 405
