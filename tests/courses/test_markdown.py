"""Lesson Markdown renders math, code, tables and callouts, and never lets script through."""
import pytest

from courses.markdown import render_markdown


def test_math_is_kept_for_katex_inline_and_display():
    html = render_markdown("Inline $x^2$ and\n\n$$\n\\frac{QK^\\top}{\\sqrt{d_k}}\n$$\n")
    assert '<span class="arithmatex">\\(x^2\\)</span>' in html
    assert '<div class="arithmatex">\\[' in html and "\\sqrt{d_k}" in html


def test_code_is_highlighted_by_pygments():
    html = render_markdown("```python\nimport torch\n```\n")
    assert 'class="language-python highlight"' in html
    assert '<span class="kn">import</span>' in html


def test_tables_admonitions_and_images():
    html = render_markdown(
        '| a | b |\n|---|---|\n| 1 | 2 |\n\n!!! why "Why it matters"\n    Because.\n\n![A diagram](/static/x.svg)\n'
    )
    assert "<table>" in html and "<td>1</td>" in html
    assert '<div class="admonition why">' in html and "Why it matters" in html
    assert '<img alt="A diagram" src="/static/x.svg">' in html


def test_headings_get_anchors():
    assert '<h2 id="scaled-scores">Scaled scores</h2>' in render_markdown("## Scaled scores\n")


@pytest.mark.parametrize(
    "payload, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<div hx-get="/admin/" hx-trigger="load">x</div>', "hx-get"),
        ('<div data-hx-post="/x">x</div>', "data-hx-post"),
        ('<svg onload="alert(1)"><circle/></svg>', "onload"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
        ('<form action="/x"><input name="a"></form>', "<form"),
    ],
)
def test_dangerous_html_is_removed(payload, forbidden):
    html = render_markdown(f"Before\n\n{payload}\n\nAfter")
    assert forbidden.lower() not in html.lower()
    assert "After" in html
