"""Markdown to safe HTML: what members write can format a post but never run in a page."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.text import plain_excerpt, render_markdown, sanitize_html

DANGEROUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.com/x.js></SCRIPT>",
    "<iframe src=https://evil.com></iframe>",
    "<img src=x onerror=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    '<div style="position:fixed;top:0">cover</div>',
    "<style>body{display:none}</style>",
    "<object data=x.swf></object>",
    "<embed src=x>",
    '<form action="https://evil.com"><input name=p></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.com">',
    "<!-- <script>alert(1)</script> -->",
]

BAD_LINKS = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '[x](https://ok.example "title" onmouseover=alert(1))',
]


def assert_inert(html: str) -> None:
    lowered = html.lower()
    for tag in ("<script", "<iframe", "<svg", "<style", "<object", "<embed", "<form", "<input", "<meta", "<body",
                "<div"):
        assert tag not in lowered, (tag, html)
    assert not re.search(r"<[^>]*\son\w+\s*=", lowered), html  # no event handler attribute
    assert not re.search(r"<[^>]*\sstyle\s*=", lowered), html
    assert not re.search(r'(href|src)\s*=\s*"\s*(javascript|vbscript|data):', lowered), html


@pytest.mark.parametrize("source", DANGEROUS)
def test_raw_html_is_shown_as_text(source):
    html = render_markdown(source)
    assert_inert(html)
    if not source.startswith("<!--"):
        assert "&lt;" in html  # what they typed is visible, as text


@pytest.mark.parametrize("source", DANGEROUS)
def test_sanitizer_alone_strips_dangerous_markup(source):
    assert_inert(sanitize_html(source))


@pytest.mark.parametrize("source", BAD_LINKS)
def test_script_links_never_become_links(source):
    assert_inert(render_markdown(source))


def test_sanitizer_drops_script_schemes_and_handlers_from_real_tags():
    html = sanitize_html('<a href="javascript:alert(1)" onclick="x()">a</a><img src="x" onerror="y()">')
    assert html == '<a rel="nofollow noopener ugc">a</a><img src="x">'


@pytest.mark.parametrize(
    "source, expected",
    [
        ("**bold** and *italic*", "<p><strong>bold</strong> and <em>italic</em></p>"),
        ("~~gone~~", "<p><s>gone</s></p>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
        ("`*#06#`", "<p><code>*#06#</code></p>"),
        ("```python\nprint('<b>')\n```", '<pre><code class="language-python">print(\'&lt;b&gt;\')\n</code></pre>'),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("## Steps", "<h2>Steps</h2>"),
    ],
)
def test_formatting_is_kept(source, expected):
    assert render_markdown(source).strip() == expected


def test_tables_are_kept():
    html = render_markdown("| plan | price |\n|:-----|------:|\n| Basic | 7 € |")
    assert "<table>" in html and "<th>plan</th>" in html
    assert '<td align="right">7 €</td>' in html or '<td>7 €</td>' in html
    assert_inert(html)


@pytest.mark.parametrize(
    "source, href",
    [
        ("[help](https://example.com/help?x=1&y=2)", "https://example.com/help?x=1&amp;y=2"),
        ("[write](mailto:aiuto@example.com)", "mailto:aiuto@example.com"),
        ("<https://example.com>", "https://example.com"),
    ],
)
def test_links_are_kept_with_a_safe_rel(source, href):
    html = render_markdown(source)
    assert f'<a href="{href}" rel="nofollow noopener ugc">' in html


def test_a_rel_or_target_from_the_author_is_replaced():
    html = sanitize_html('<a href="https://x.example" rel="opener" target="_blank">x</a>')
    assert html == '<a href="https://x.example" rel="nofollow noopener ugc">x</a>'


def test_images_keep_only_safe_attributes():
    html = render_markdown('![a phone](https://img.example/p.png "My phone")')
    assert html == '<p><img src="https://img.example/p.png" alt="a phone" title="My phone"></p>\n'


@pytest.mark.parametrize("source", ["", None, "   "])
def test_empty_text_renders_to_nothing(source):
    assert render_markdown(source).strip() == ""


def test_excerpt_is_one_short_line():
    assert plain_excerpt("a\n\nb   c") == "a b c"
    excerpt = plain_excerpt("word " * 100, 50)
    assert len(excerpt) <= 50 and excerpt.endswith("…")


PIECES = st.sampled_from(
    DANGEROUS + BAD_LINKS + ["<", ">", "&", '"', "'", "`", "[", "](", ")", "!", "*", "_", "\n", " ", "on", "=",
                             "javascript:", "href", "<a ", "<img ", "src=", "style=", "|", "---", "```", "~~"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=20).map("".join))
def test_any_mix_of_markdown_and_html_stays_inert(source):
    assert_inert(render_markdown(source))
