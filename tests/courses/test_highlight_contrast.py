"""Highlighted code meets WCAG AA: every token colour of the served stylesheet reaches 4.5:1 on the
backgrounds code sits on (axe checks the rendered lesson pages too, in tests/e2e)."""
import re

from django.test import Client

from courses.highlight import AA_NORMAL_TEXT, CODE_BACKGROUNDS, contrast_ratio, darkened_for


def test_the_contrast_formula_matches_wcag_reference_values():
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54  # the lightest grey that passes on white
    assert contrast_ratio("#888888", "#f0f0f0") < AA_NORMAL_TEXT  # friendly's output colour fails


def test_darkening_keeps_a_passing_colour_and_fixes_a_failing_one():
    assert darkened_for("#06287e", CODE_BACKGROUNDS) == "#06287e"
    fixed = darkened_for("#60a0b0", CODE_BACKGROUNDS)
    assert fixed != "#60a0b0" and all(contrast_ratio(fixed, bg) >= AA_NORMAL_TEXT for bg in CODE_BACKGROUNDS)


def test_every_colour_in_the_served_stylesheet_passes_aa(db):
    response = Client().get("/highlight.css")
    assert response.status_code == 200
    rules = re.findall(r"^(.*?)\{(.*?)\}", response.content.decode(), flags=re.M)
    checked = 0
    for selector, body in rules:
        colour = re.search(r"(?<!-)color:\s*(#[0-9a-fA-F]{3,6})", body)
        if colour is None or selector.strip().endswith(".w"):  # whitespace is never seen
            continue
        local = re.search(r"background-color:\s*(#[0-9a-fA-F]{3,6})", body)
        for background in CODE_BACKGROUNDS + ((local.group(1),) if local else ()):
            assert contrast_ratio(colour.group(1), background) >= AA_NORMAL_TEXT, (selector, colour.group(1), background)
        checked += 1
    assert checked >= 30
