"""Label lines: metadata (来源:, 发布日期:, 索引号 …) harvested into fields; banners, footers and
site-column labels dropped. Each step reports what it removed."""

from __future__ import annotations

import re

from qa.ingest.lines import is_title_like
from qa.ingest.metadata import is_org_name
from qa.types import Removal

# Labels of the metadata blocks government sites print above an article.
_META_LABELS = (
    "信息名称",
    "索引号",
    "主题分类",
    "体裁分类",
    "组配分类",
    "文件编号",
    "发布机构",
    "生成日期",
    "公开日期",
    "废止日期",
    "内容概述",
    "发文机关",
    "发文字号",
    "成文日期",
    "发布日期",
    "发布时间",
    "文章来源",
    "来源",
    "作者",
    "浏览次数",
    "点击数",
    "浏览量",
    "阅读次数",
    "访问次数",
    "时效",
    "发表时间",
    "发文日期",
    "名称",
    "文号",
    "分类",
    "公报期号",
    "信息索取号",
    "类目名称",
    "责任部门",
    "公开方式",
)
# Labels read only from the page lines outside a web page's main content (a bare 时间 inside a
# document is a schedule, not the publication date).
_PAGE_LABELS = ("时间",)
# A label followed by a colon or by spacing, never a sentence that merely starts with the word (来源于群众…).
_META_LINE = re.compile(r"^(?:{})(?:\s*[:：]|\s+\S|\s*$)".format("|".join(_META_LABELS)))
_META_PAIR = re.compile(
    r"({})\s*[:：]?\s*(.*?)\s*(?=(?:\|\s*)?(?:{})\s*[:：]?|$)".format(
        "|".join(_META_LABELS), "|".join(_META_LABELS)
    )
)
_BOILERPLATE = [
    (re.compile(r"当前位置"), "导航路径"),
    # a breadcrumb on a line of its own: 首页 > 政务公开 > …, 首页政务公开规划信息
    (re.compile(r"^首页(?!.*[。；;，,])(?=.{0,60}$)"), "导航路径"),
    (re.compile(r"欢迎访问|欢迎您|欢迎光临"), "网站欢迎语"),
    (re.compile(r"范文网"), "转载网站标记"),
    (re.compile(r"^TAG标签|^标签[:：]"), "网站标签"),
    (
        re.compile(
            r"扫一扫|在手机打开|打印本页|关闭窗口|分享到|【字体|字号[:：]|上一篇|下一篇"
            r"|^(?:附件下载|下载附件|点击(?:此处|这里)?(?:查看|下载|打开)(?:此|该|本)?(?:原文|全文|文件|附件|原件)?)$"
            # the same link followed by what it opens: 下载原文：四川省教育厅…的通知
            r"|^(?:点击(?:此处|这里)?)?(?:查看|下载|打开)(?:原文|全文|附件|原件)[:：]\S"
        ),
        "页面功能链接",
    ),
    (re.compile(r"责任编辑|版权所有|网站地图|ICP备|网站标识码|联系我们"), "页脚"),
    # a posting timestamp (时间：2021-09-24 09:49) and the share bar after it (微信 微博 QQ空间)
    (re.compile(r"^(?:发布)?时间[:：]\s*\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}"), "发布时间"),
    (
        re.compile(
            r"^(?:(?:微信|微博|QQ空间|QQ好友|QQ|朋友圈|腾讯微博|新浪微博|豆瓣|人人网|分享到?)[\s|、/：:]*){1,8}$"
        ),
        "分享按钮",
    ),
    (re.compile(r"^文章来源?[:：]?$|^源[^\u3002\uff0c,]{0,10}网"), "“文章来源”残片"),
]
_PAGE_PAIR = re.compile(
    r"({})\s*[:：]\s*(.*?)\s*(?=(?:\|\s*)?(?:{})\s*[:：]|$)".format(
        "|".join((*_META_LABELS, *_PAGE_LABELS)), "|".join((*_META_LABELS, *_PAGE_LABELS))
    )
)
# the kind of value a label's second word names (来源 URL：, 来源 网址：): not part of the value
_VALUE_KIND = re.compile(r"^(?:URL|url|网址|链接|地址)\s*[:：]\s*")
# A spaced-out label (索 引 号:, 名　　称:) read as its label (索引号:, 名称:).
_SPACED_LABEL = re.compile(r"^((?:[\u4e00-\u9fff][ \u3000\t]+){1,3}[\u4e00-\u9fff])(?=\s*[:：])")


def _unspace_label(line: str) -> str:
    return _SPACED_LABEL.sub(lambda m: re.sub(r"\s", "", m.group(1)), line)


def harvest_metadata(lines: list[str]) -> tuple[list[str], dict[str, str], list[Removal]]:
    """Pull label/value metadata lines (来源:, 发布日期:, 索引号 …) out of the text into fields."""
    kept, fields, removed = [], {}, []
    for line in lines:
        line = _unspace_label(line)
        if _META_LINE.match(line) and len(line) < 160:
            for label, value in _META_PAIR.findall(line):
                # 来源 URL：https://… names the address, not a source called “URL：https://…”
                value = _VALUE_KIND.sub("", value.strip(" |"))
                if value and label not in fields:
                    fields[label] = value
            removed.append(Removal("元数据行（已提取）", line))
            continue
        kept.append(line)
    return kept, fields, removed


# A separator line a text export draws between its header and the body (===== 正文 =====, -----).
_SEPARATOR = re.compile(r"^[=\-*~#_]{3,}\s*[\u4e00-\u9fff]{0,6}\s*[=\-*~#_]{3,}$|^[=\-*~#_]{5,}$")
# A header line: a short label, a colon, its value (栏目: 教育事业, 原文链接: https://…).
_HEADER_LINE = re.compile(r"^([\u4e00-\u9fff]{1,6})\s*[:：]\s*(.*)$")


# A Markdown file's YAML front matter: a line of three dashes, key: value lines, three dashes again.
_YAML_FENCE = re.compile(r"^-{3,}$")
_YAML_LINE = re.compile(r"^([A-Za-z_][\w-]{0,30}|[\u4e00-\u9fff]{1,8})\s*[:：]\s*(.*)$")
# the front matter's keys the metadata reads, in its own labels (the others are kept as they are)
_YAML_KEYS = {
    "title": "标题",
    "doc": "标题",
    "name": "标题",
    "filename": "标题",
    "date": "发布日期",
    "published": "发布日期",
    "updated": "发布日期",
    "version": "发布日期",
    "source": "来源",
    "publisher": "来源",
    "issuer": "发文机关",
    "author": "来源",
}
_FILE_EXTENSION = re.compile(r"\.(?:md|markdown|txt|docx?|html?|pdf)$", re.IGNORECASE)


def drop_yaml_front_matter(
    lines: list[str], max_lines: int = 30
) -> tuple[list[str], dict[str, str], list[Removal]]:
    """Harvest and remove a Markdown file's YAML front matter (``---`` / ``title: …`` / ``---``).

    Static-site and note-taking exports put one above the body; its ``title`` (or ``doc``, a file
    name without its extension) gives the title, ``date`` or ``version`` the date, ``source`` where
    it came from. Keys in Chinese are kept as labels of their own (标题: …).

    Example:
        >>> lines, fields, _ = drop_yaml_front_matter(["---", "doc: 学生奖励管理办法.md", "version: 2025-11-06", "---", "## 第一条"])
        >>> lines, fields["标题"], fields["发布日期"]
        (['## 第一条'], '学生奖励管理办法', '2025-11-06')
    """
    if not lines or not _YAML_FENCE.match(lines[0]):
        return lines, {}, []
    end = next((i for i in range(1, min(len(lines), max_lines + 2)) if _YAML_FENCE.match(lines[i])), None)
    if end is None or end < 2:
        return lines, {}, []
    block = lines[1:end]
    pairs = [m for m in (_YAML_LINE.match(x) for x in block) if m]
    if len(pairs) < max(1, len(block) // 2):
        return lines, {}, []
    fields: dict[str, str] = {}
    for m in pairs:
        value = m.group(2).strip().strip("\"'")
        if not value:
            continue
        label = _YAML_KEYS.get(m.group(1).lower(), m.group(1))
        if label == "标题":
            value = _FILE_EXTENSION.sub("", value)
        fields.setdefault(label, value)
    return lines[end + 1 :], fields, [Removal(f"文件头（{end + 1} 行，已提取）", "\n".join(lines[: end + 1]))]


def drop_front_matter(
    lines: list[str], max_lines: int = 15
) -> tuple[list[str], dict[str, str], list[Removal]]:
    """Harvest and remove the header block a text export puts above the body.

    A crawler or a records system writes ``标题: …``, ``发布机构: …``, ``栏目: …`` lines, then a
    separator (``===== 正文 =====``) or the body. The block is at most `max_lines` lines and
    mostly ``label: value`` lines; every label is kept as a field (标题 gives the title,
    发布机构 the issuer), whatever the export calls its other labels.

    Example:
        >>> lines, fields, _ = drop_front_matter(["标题: 关于做好防溺水工作的通知", "栏目: 教育", "=== 正文 ===", "各校："])
        >>> lines, fields["标题"]
        (['各校：'], '关于做好防溺水工作的通知')
    """
    head = lines[:max_lines]
    end = next((i for i, x in enumerate(head) if _SEPARATOR.match(x)), None)
    if end is None:
        end = next((i for i, x in enumerate(head) if not _HEADER_LINE.match(x) or len(x) >= 160), len(head))
        if end < 3:
            return lines, {}, []
        block = head[:end]
    else:
        block = head[:end]
        labelled = sum(1 for x in block if _HEADER_LINE.match(x) and len(x) < 160)
        if labelled < 2 or labelled < len(block) / 2:
            return lines, {}, []
        end += 1
    fields: dict[str, str] = {}
    for x in block:
        m = _HEADER_LINE.match(_unspace_label(x))
        if m and m.group(2).strip() and m.group(1) not in fields:
            fields[m.group(1)] = m.group(2).strip()
    return lines[end:], fields, [Removal(f"文件头（{len(lines[:end])} 行，已提取）", "\n".join(lines[:end]))]


# A sentence of clauses (…ICP备案，…依法注册。): the document's own text, whatever word of a footer it
# holds — site chrome is labels, links and names, never a sentence that ends in 。 or ；
_CLAUSES = re.compile(r"[，,、][^。；]*[。；]\s*$")


def drop_boilerplate(
    lines: list[str], max_chars: int = 200
) -> tuple[list[str], dict[str, str], list[Removal]]:
    """Remove site navigation, banners and footers; remember the site name a banner names.

    A line of `max_chars` or more, or a sentence of clauses ending in 。 or ；, is body text that
    mentions such a word, never chrome: it stays.
    """
    kept, fields, removed = [], {}, []
    for line in lines:
        if len(line) >= max_chars or _CLAUSES.search(line):
            kept.append(line)
            continue
        for rx, reason in _BOILERPLATE:
            if rx.search(line):
                m = re.search(r"欢迎访问(.+?(?:网站|网))", line)
                if m:
                    fields.setdefault("网站", m.group(1))
                removed.append(Removal(reason, line))
                break
        else:
            kept.append(line)
    return kept, fields, removed


def drop_leading_labels(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Drop short site-column labels (历史规划, 规划计划) standing before the title."""
    for i, line in enumerate(lines[:4]):
        if is_title_like(line):
            # (a school's or bureau's name above a report's title is its issuer: 重庆邮电大学)
            labels = [
                x
                for x in lines[:i]
                if len(x) <= 8 and not re.search(r"\d|[。，,:：]", x) and not is_org_name(x)
            ]
            if labels:
                rest = [x for x in lines[:i] if x not in labels]
                return rest + lines[i:], [Removal("栏目名", x) for x in labels]
            break
    return lines, []


# the site's owner, as its footer names it: 绍兴市第一中学 版权所有, 版权所有：XX教育局, 主办：XX人民政府
_SITE_OWNER = re.compile(
    r"^\s*([\u4e00-\u9fff（）()]{4,30}?)\s*版权所有|版权所有\s*[:：]?\s*([\u4e00-\u9fff（）()]{4,30})"
    r"|主办(?:单位)?\s*[:：]\s*([\u4e00-\u9fff（）()]{4,30})"
)


def harvest_page_lines(outside: list[str]) -> dict[str, str]:
    """Label fields (发布时间, 来源, 发文日期 …) printed on a web page outside its main content, and
    the site's owner its footer names (field 网站主办)."""
    fields: dict[str, str] = {}
    above = ""
    for line in outside:
        line = _unspace_label(line)
        if "网站主办" not in fields and (owner := _SITE_OWNER.search(line)):
            fields["网站主办"] = next(g for g in owner.groups() if g)
        if len(line) >= 160:
            above = ""
            continue
        pairs = _PAGE_PAIR.findall(line)
        for label, value in pairs:
            value = value.strip(" |")
            if value and label not in fields:
                fields[label] = value
        if pairs and above and "页面标题" not in fields and is_title_like(above):
            # the line right over a page's 来源 / 发布时间 line is its title (关于举办…的通知), when the
            # page keeps it outside the article
            fields["页面标题"] = above
        above = "" if pairs else line
    return fields
