"""User Markdown is rendered to HTML that can never run script or restyle the
page, whatever a user types (core.markdown.render_markdown)."""

import pytest

from core.markdown import render_markdown

HOSTILE_INPUTS = [
    "<script>alert('x')</script>",
    "Hello <script src=https://evil.example/x.js></script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript&#58;alert(1)">click</a>',
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<iframe src=https://evil.example></iframe>",
    "<svg><script>alert(1)</script></svg>",
    '<form action="https://evil.example"><input name=x></form>',
    '<div onmouseover="alert(1)">hover</div>',
    "<style>body{display:none}</style>",
    '<object data="x.swf"></object>',
]


@pytest.mark.parametrize("text", HOSTILE_INPUTS)
def test_hostile_markdown_is_neutralised(text):
    html = str(render_markdown(text)).lower()
    for forbidden in (
        "<script",
        "javascript:",
        "onerror",
        "onclick",
        "onmouseover",
        "style=",
        "<style",
        "<iframe",
        "<form",
        "<input",
        "<object",
        "<svg",
        "data:text",
    ):
        assert forbidden not in html, f"{forbidden!r} survived in {html!r}"


def test_ordinary_markdown_keeps_its_meaning():
    html = str(
        render_markdown(
            "## Plan\n\nWe **share** the *cost*.\n\n- one\n- two\n\n"
            "[Our notes](https://example.org/notes)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
        )
    )
    assert "<h2>Plan</h2>" in html
    assert "<strong>share</strong>" in html
    assert "<em>cost</em>" in html
    assert "<li>one</li>" in html
    assert "<table>" in html
    assert 'href="https://example.org/notes"' in html
    # Links to elsewhere do not pass on our page's authority or window.
    assert 'rel="nofollow noopener noreferrer"' in html


def test_plain_text_is_escaped_not_interpreted():
    html = str(render_markdown("5 < 6 & 7 > 3"))
    assert "5 &lt; 6 &amp; 7 &gt; 3" in html


@pytest.mark.parametrize("empty", ["", None])
def test_empty_text_renders_nothing(empty):
    assert str(render_markdown(empty)) == ""
