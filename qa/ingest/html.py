"""A web page as text: its main content, its title, and the page lines around them.

Pages of bureaus and schools wrap a document in site chrome — menus, breadcrumbs, sidebars,
footers. The main content is found by text density, not by site: starting at <body>, descend
into the child that holds nearly all of the node's text that is not link text, and stop where
the text spreads over several children (the paragraphs of the document). Menus are mostly
link text and weigh nothing; a sidebar or footer with its own text keeps the descent above it.
Lines outside the main content are returned too, so cleaning can harvest their labels
(发布时间, 来源) and report them as removed.

Example:
    >>> page = extract_html("<title>通知-某网</title><body><ul><li><a>首页</a></li></ul>"
    ...                     "<div><p>一、总体要求。</p><p>二、主要任务。</p></div></body>")
    >>> page.lines, page.outside
    (['通知-某网', '一、总体要求。', '二、主要任务。'], ['首页'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.ingest.lines import is_title_like

if TYPE_CHECKING:
    from bs4 import Tag

__all__ = ["HtmlText", "extract_html"]

# <form> is not dropped: ASP.NET pages wrap the whole page in one; its controls are.
DROP_TAGS = (
    "script", "style", "noscript", "nav", "aside", "header", "footer", "iframe", "template", "svg",
    "button", "select", "textarea",
)  # fmt: skip
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main",
        "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
# Descend while the text outside the heaviest child is at most this share of the node's text
# (and at most _MAX_OUTSIDE characters): chrome with its own text is short; a document's
# sibling parts (an attached table, a 落款) are not dropped when they are long.
_OUTSIDE_SHARE = 0.25
_MAX_OUTSIDE = 400
# ... and never when prose (sentences) would be left outside: a notice above its attached text.
_MAX_PROSE_OUTSIDE = 4
# Elements that hold a content area; the descent never goes into a paragraph or an inline run.
_CONTAINERS = frozenset(
    {"article", "body", "center", "div", "form", "main", "section", "table", "tbody", "td", "th", "tr"}
)
_SENTENCE_END = re.compile(r"[。；！？]")
# A table row is a row of data unless a cell holds a nested table or a long text (a layout table).
_LAYOUT_CELL_CHARS = 400


@dataclass(frozen=True)
class HtmlText:
    """The text of a page: `lines` (title first, then the main content) and `outside` (the rest)."""

    title: str
    lines: list[str]
    outside: list[str]


def _weights(node: Tag, memo: dict[int, tuple[int, int, int]]) -> tuple[int, int, int]:
    """(text, link text, sentence text) characters under `node`, whitespace not counted.

    Sentence text is text outside links in strings that hold a sentence end (。；！？):
    a document's prose, which chrome (menus, breadcrumbs, counters, footers) seldom has.
    """
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    total = link = sentence = 0
    for child in node.children:
        if isinstance(child, PreformattedString):
            continue
        if isinstance(child, NavigableString):
            n = len(_SPACES.sub("", child))
            total += n
            sentence += n if _SENTENCE_END.search(child) else 0
        elif isinstance(child, Tag):
            t, lk, se = _weights(child, memo)
            total += t
            link += t if child.name == "a" else lk
            sentence += 0 if child.name == "a" else se
    memo[id(node)] = (total, link, sentence)
    return total, link, sentence


def main_content(body: Tag) -> Tag:
    """The element that holds the document: the deepest one with nearly all of the page's own text."""
    from bs4 import Tag

    memo: dict[int, tuple[int, int, int]] = {}
    _weights(body, memo)

    def own(node: Tag) -> int:
        total, link, _ = memo.get(id(node), (0, 0, 0))
        return total - link

    def prose(node: Tag) -> int:
        return memo.get(id(node), (0, 0, 0))[2]

    node = body
    while True:
        kids = [c for c in node.children if isinstance(c, Tag)]
        if not kids:
            return node
        best = max(kids, key=own)
        if best.name not in _CONTAINERS:
            return node  # a paragraph or inline run holding the whole page is the content itself
        rest = own(node) - own(best)
        rest_prose = prose(node) - prose(best)
        if (
            own(best) == 0
            or rest > _OUTSIDE_SHARE * own(node)
            or rest > _MAX_OUTSIDE
            or rest_prose > _MAX_PROSE_OUTSIDE
        ):
            return node
        node = best


def _is_layout_row(row: Tag) -> bool:
    cells = row.find_all(["td", "th"], recursive=False)
    if len(cells) <= 1:
        return True
    for cell in cells:
        if cell.find("table") is not None or len(_SPACES.sub("", cell.get_text())) > _LAYOUT_CELL_CHARS:
            return True
    return False


class _Skipped(str):
    """Where `_pieces` met the element it leaves out: a line break, told apart by its type."""


_SKIPPED = _Skipped("\n")


def _pieces(node: Tag, out: list[str], *, pre: bool = False, skip: Tag | None = None) -> None:
    """Append the text under a node, with "\\n" around block elements; `skip` is left out."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    for child in node.children:
        if child is skip:
            out.append(_SKIPPED)
            continue
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA
            continue
        if isinstance(child, NavigableString):
            out.append(str(child) if pre else _SPACES.sub(" ", child))
        elif isinstance(child, Tag):
            name = child.name
            if name == "br":
                out.append("\n")
            elif (
                name == "tr" and not _is_layout_row(child) and (skip is None or skip not in child.descendants)
            ):
                cells = [inline_text(c) for c in child.find_all(["td", "th"], recursive=False)]
                out.extend(("\n", " | ".join(c for c in cells if c) if any(cells) else "", "\n"))
            elif name in _BLOCKS:
                out.append("\n")
                _pieces(child, out, pre=pre or name == "pre", skip=skip)
                out.append("\n")
            else:
                _pieces(child, out, pre=pre, skip=skip)


def inline_text(node: Tag) -> str:
    pieces: list[str] = []
    _pieces(node, pieces)
    return _SPACES.sub(" ", "".join(pieces)).strip()


def _lines(pieces: list[str]) -> list[str]:
    lines = [re.sub(r"[ \t\xa0]{2,}", " ", line).strip() for line in "".join(pieces).split("\n")]
    return [line for line in lines if line]


def _key(text: str) -> str:
    return re.sub(r"\W", "", text)


def _title_heading(body: Tag, page_title: str) -> Tag | None:
    """The heading (h1–h3) that is the document's title: the first <h1> when the page has no
    <title>, else the longest heading the <title> contains (a breadcrumb in an <h1> is not one),
    else the first <h1>."""
    heads = body.find_all(["h1", "h2", "h3"])
    first_h1 = next((h for h in heads if h.name == "h1"), None)
    if not page_title:
        return first_h1
    key = _key(page_title)
    best, best_len = None, 0
    for h in heads:
        k = _key(inline_text(h))
        # the longest heading the <title> holds, and most of it: a column name (校园安全) is not the title
        if len(k) > best_len and k in key and len(k) >= len(key) // 3:
            best, best_len = h, len(k)
    return best or first_h1


def extract_html(markup: str) -> HtmlText:
    """Split a decoded page into its title, its main content and the lines outside it.

    The title is the heading the page's <title> names (its <h1> when there is no <title>), else
    the <title>; it leads `lines` unless the content holds it.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    title_tag = soup.find("title")
    page_title = _SPACES.sub(" ", title_tag.get_text()).strip() if title_tag else ""
    for tag in soup.find_all(DROP_TAGS):
        if not tag.decomposed:
            tag.decompose()
    body = soup.body or soup
    h1 = _title_heading(body, page_title)
    h1_text = inline_text(h1) if h1 is not None else ""
    main = main_content(body)
    pieces: list[str] = []
    _pieces(main, pieces)
    lines = _lines(pieces)
    outside: list[str] = []
    above = ""
    if main is not body:
        around: list[str] = []
        _pieces(body, around, skip=main)
        outside = _lines(around)
        at = next(n for n, piece in enumerate(around) if isinstance(piece, _Skipped))
        above = next(iter(reversed(_lines(around[:at]))), "")
    title = h1_text or page_title
    if (
        not h1_text
        and is_title_like(above)
        and not re.search("[：:]", above)  # 福州市教育局关于…的意见 发布时间：2016/5/9: a label follows
        and not (lines and is_title_like(lines[0]))
    ):
        # 复兴高级中学党总支发展党员工作总结报告 stands in its own cell over the text, and the <title>
        # names the site's column (保持共产党员先进性教育专题): the line over the text is the title
        title = above
        outside.remove(above)
    if title and (not lines or lines[0] != title):
        if h1_text and h1 is not None and main in h1.parents:
            pass  # the <h1> is inside the content, where it stands
        else:
            lines.insert(0, title)
    if h1_text and outside and title in outside:
        outside.remove(title)
    return HtmlText(title, lines, outside)
