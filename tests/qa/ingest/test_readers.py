"""Tests for qa.ingest.readers: every fixture file is built here, at test time."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from qa.ingest import readers
from qa.ingest.readers import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    UnreadableFile,
    decode_text,
    read_text,
)

CHINESE = (
    "融安县教育工作要点：防溺水、防欺凌。\n"
    "一、加强校园安全管理，落实“双减”政策，提升课后服务质量。\n"
    "二、推进义务教育优质均衡发展，改善农村学校办学条件（2024年）。\n"
    "三、严格落实学生资助政策，确保应助尽助；开展暑期防溺水专项教育。\n"
)
# Fonts that fpdf2 may embed to write Chinese; the first one that works is used.
CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path, **kwargs: int) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as info:
        read_text(path, **kwargs)
    return info.value


# --------------------------------------------------------------------------- decode_text


def test_gb18030_text_reads_back_equal(tmp_path: Path) -> None:
    path = write(tmp_path, "要点.txt", (CHINESE * 3).encode("gb18030"))
    assert read_text(path) == CHINESE * 3


def test_gbk_only_characters_decode_as_gb18030() -> None:
    text = "张堃同志、李喆同志：请于周五前报送材料。"  # 堃 and 喆 are outside GB2312
    assert decode_text(text.encode("gbk")) == text


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.md", b"\xef\xbb\xbf" + CHINESE.encode("utf-8"))
    assert read_text(path) == CHINESE


def test_utf16_with_bom_reads_back_equal(tmp_path: Path) -> None:
    data = CHINESE.encode("utf-16")
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert read_text(write(tmp_path, "u16.txt", data)) == CHINESE


def test_utf16_big_endian_with_bom() -> None:
    assert decode_text(b"\xfe\xff" + CHINESE.encode("utf-16-be")) == CHINESE


def test_utf8_that_also_decodes_as_gb18030_stays_utf8() -> None:
    # The UTF-8 bytes of 工件 also decode strictly as GB18030, into the plausible mojibake 宸ヤ欢.
    data = "工件".encode()
    assert data.decode("gb18030") == "宸ヤ欢"
    assert decode_text(data) == "工件"


def test_utf8_chinese_text_is_not_mistaken_for_gb18030(tmp_path: Path) -> None:
    path = write(tmp_path, "utf8.txt", CHINESE.encode("utf-8"))
    assert read_text(path) == CHINESE


def test_utf8_cut_mid_character_keeps_the_rest() -> None:
    data = CHINESE.encode("utf-8")[:-2]  # the final "\n" and half of "。"
    assert decode_text(data) == CHINESE[:-2]


def test_newlines_are_normalised() -> None:
    assert decode_text("一\r\n二\r三\n".encode("gb18030")) == "一\n二\n三\n"


def test_big5_text_falls_through_to_the_guess() -> None:
    # Big5 bytes often decode as GB18030 too, but into rare characters: not taken for GB18030.
    text = "融安縣教育工作要點：防溺水、防欺凌。加強校園安全管理，落實雙減政策，提升課後服務質量。"
    assert decode_text(text.encode("big5")) == text


def test_empty_bytes_decode_to_empty_text() -> None:
    assert decode_text(b"") == ""


def test_nul_bytes_are_binary() -> None:
    with pytest.raises(ValueError, match="NUL"):
        decode_text(b"PK\x03\x04\x00\x00abc")


def test_control_heavy_bytes_are_binary() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(1, 256) for _ in range(4096))  # no NUL byte
    with pytest.raises(ValueError, match="binary"):
        decode_text(data)


# --------------------------------------------------------------------------- plain files


def test_random_bytes_named_txt_are_refused_as_binary(tmp_path: Path) -> None:
    data = random.Random(1).randbytes(4096)
    error = refusal(write(tmp_path, "data.txt", data))
    assert error.reason == "二进制文件，不是文本"


def test_empty_file_is_refused(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "empty.txt", b"")).reason == "文件为空"


def test_whitespace_only_file_is_refused(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "blank.md", " \r\n\t\n\u3000  ".encode())).reason == "文件为空"


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert read_text(write(tmp_path, "NOTE.TXT", "防溺水".encode())) == "防溺水"


def test_unknown_suffix_lists_supported_types(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "表格.xls", b"\xd0\xcf\x11\xe0"))
    assert error.reason.startswith("不支持的文件类型 .xls")
    assert all(suffix in error.reason for suffix in SUPPORTED_SUFFIXES)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert refusal(tmp_path / "nope.txt").reason == "文件不存在"


def test_max_bytes_exceeded(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"x" * 101)
    assert refusal(path, max_bytes=100).reason == "文件过大 (101 B > 100 B)"
    assert read_text(path, max_bytes=101) == "x" * 101


def test_default_limit_refuses_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:  # sparse: nothing to read even if we tried
        handle.truncate(int(25.3 * 1024 * 1024))
    assert MAX_FILE_BYTES == 20 * 1024 * 1024
    assert refusal(path).reason == "文件过大 (25.3 MB > 20 MB)"


def test_unexpected_errors_are_wrapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(data: bytes) -> str:
        raise RuntimeError("boom")

    monkeypatch.setitem(readers._READERS, ".txt", explode)
    error = refusal(write(tmp_path, "a.txt", b"abc"))
    assert "RuntimeError" in error.reason
    assert "boom" in error.reason


def test_unreadable_file_str_and_attributes(tmp_path: Path) -> None:
    error = UnreadableFile(str(tmp_path / "通知.pdf"), "PDF 已加密")
    assert error.path == str(tmp_path / "通知.pdf")
    assert error.reason == "PDF 已加密"
    assert str(error) == "通知.pdf: PDF 已加密"


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".markdown", ".doc", ".docx", ".html", ".htm", ".pdf"} == SUPPORTED_SUFFIXES
    assert set(readers._READERS) == SUPPORTED_SUFFIXES


# --------------------------------------------------------------------------- docx


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("融安县防溺水工作方案")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "项目", (0, 1): "责任单位", (1, 0): "防溺水", (1, 1): "教育局"}.items():
        table.cell(row, col).text = text
    document.add_paragraph("")
    document.add_paragraph("各校要加强巡查。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_table_in_order(tmp_path: Path) -> None:
    text = read_text(write(tmp_path, "方案.docx", make_docx()))
    assert text == "融安县防溺水工作方案\n\n项目 | 责任单位\n防溺水 | 教育局\n\n各校要加强巡查。"


def test_docx_merged_cells_appear_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并标题"
    table.cell(1, 0).text = "甲"
    table.cell(1, 1).text = "乙"
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_text(write(tmp_path, "m.docx", buffer.getvalue())) == "合并标题\n甲 | 乙"


def test_truncated_docx_is_refused(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "坏.docx", make_docx()[:200]))
    assert error.reason.startswith("Word 文件已损坏，无法读取（技术信息：")


def test_docx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "notes.docx", "纯文本，不是 Word".encode()))
    assert error.reason == "Word 文件已损坏，无法读取（技术信息：BadZipFile: File is not a zip file）"


def test_broken_old_word_file_renamed_docx_is_refused_as_a_doc(tmp_path: Path) -> None:
    # an OLE file named .docx is read as the old Word format it is (qa.ingest.doc); this one is broken
    error = refusal(write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600))
    assert error.reason.startswith("Word (.doc) 文件已损坏，无法读取")


# --------------------------------------------------------------------------- html

HTML = """<!DOCTYPE html>
<html><head>{meta}<title>融安县教育局</title>
<style>body {{ color: red; }}</style>
<script>var x = "广告";</script></head>
<body>
<header>网站首页 | 登录</header>
<nav><ul><li>首页</li><li>政务公开</li></ul></nav>
<div class="content">
  <h2>防溺水工作通知</h2>
  <p>各学校：   请加强
     暑期安全教育。</p>
  <p>联系人：张老师<br>电话：0772-1234567</p>
  <table><tr><th>时间</th><th>内容</th></tr><tr><td>7月</td><td>家访</td></tr></table>
  <noscript>请启用脚本</noscript>
  <form><input name="q"><button>搜索</button></form>
  <iframe src="x.html">框架</iframe>
</div>
<footer>版权所有 © 融安县</footer>
<script>document.write("跟踪");</script>
</body></html>
"""
HTML_TEXT = (
    "融安县教育局\n防溺水工作通知\n各学校： 请加强 暑期安全教育。\n联系人：张老师\n电话：0772-1234567\n"
    "时间 | 内容\n7月 | 家访"
)


def test_html_drops_junk_and_keeps_content(tmp_path: Path) -> None:
    path = write(tmp_path, "page.html", HTML.format(meta='<meta charset="utf-8">').encode("utf-8"))
    assert read_text(path) == HTML_TEXT


def test_html_with_meta_charset_gb2312(tmp_path: Path) -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    path = write(tmp_path, "page.htm", HTML.format(meta=meta).encode("gb18030"))
    assert read_text(path) == HTML_TEXT


def test_html_gb2312_without_meta_is_detected(tmp_path: Path) -> None:
    path = write(tmp_path, "page.HTML", HTML.format(meta="").encode("gb2312", errors="replace"))
    assert read_text(path) == HTML_TEXT


def test_html_title_is_not_repeated_when_body_has_h1(tmp_path: Path) -> None:
    page = "<html><head><title>站点名</title></head><body><h1>通知</h1><div>正文</div></body></html>"
    assert read_text(write(tmp_path, "h1.html", page.encode())) == "通知\n正文"


def test_html_title_in_its_own_cell_over_the_text_is_the_title(tmp_path: Path) -> None:
    # realdocs34 #05, realdocs31 #01: the <title> names the site's column, the document's title
    # stands in a cell of its own above the cell holding the text
    prose = "党总支在教育局党工委的领导下，认真履行职责，积极稳妥地做好发展党员工作。" * 4
    page = (
        "<html><head><title>保持共产党员先进性教育专题</title></head><body><table>"
        "<tr><td><a href='/'>复兴主页</a> <a href='/d'>党建首页</a></td></tr>"
        "<tr><td>复兴高级中学党总支发展党员工作总结报告</td></tr>"
        f"<tr><td><p>{prose}</p><p>{prose}</p></td></tr></table></body></html>"
    )
    lines = read_text(write(tmp_path, "p.html", page.encode())).split("\n")
    assert lines[0] == "复兴高级中学党总支发展党员工作总结报告"
    assert "保持共产党员先进性教育专题" not in lines


def test_markdown_comments_are_not_text(tmp_path: Path) -> None:
    md = "# 青岛市实施办法\n2009年5月1日 施行\n<!-- INFO END -->\n第一条 为实施……<!-- 注\n释 -->制定本办法。"
    text = read_text(write(tmp_path, "law.md", md.encode()))
    assert "<!--" not in text and "INFO" not in text and "第一条 为实施……制定本办法。" in text


def test_a_markdown_container_shows_its_title_not_its_markup(tmp_path: Path) -> None:
    # realdocs77: VuePress pages end with “::: warning 提请注意 … :::”
    md = "5. 禁止吸烟。\n\n::: warning 提请注意\n本文件来自新生导航手册。\n:::\n"
    lines = [line for line in read_text(write(tmp_path, "rule.md", md.encode())).split("\n") if line]
    assert lines == ["5. 禁止吸烟。", "提请注意", "本文件来自新生导航手册。"]


def test_binary_named_html_is_refused(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "x.html", b"\x00\x01\x02<p>" * 100))
    assert error.reason == "二进制文件，不是网页"


def test_html_with_only_junk_is_empty(tmp_path: Path) -> None:
    page = "<html><body><nav>首页</nav><script>x()</script></body></html>"
    assert refusal(write(tmp_path, "junk.html", page.encode())).reason == "文件为空"


# --------------------------------------------------------------------------- pdf


def make_text_pdf(text: str) -> tuple[bytes, str]:
    """A one-page PDF; Chinese when a CJK font works here, else ASCII. Returns (bytes, text written)."""
    from fpdf import FPDF

    for font in CJK_FONT_CANDIDATES:
        if not Path(font).exists():
            continue
        try:
            pdf = FPDF()
            pdf.add_page()
            pdf.add_font("cjk", fname=font)
            pdf.set_font("cjk", size=12)
            pdf.cell(text=text)
            return bytes(pdf.output()), text
        except Exception:
            continue
    ascii_text = "Rongan county education plan: drowning prevention."
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=ascii_text)
    return bytes(pdf.output()), ascii_text


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    data, _ = make_text_pdf("融安县防溺水")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner")  # RC4: needs no crypto library
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    data, written = make_text_pdf("融安县教育工作要点：防溺水、防欺凌。")
    assert read_text(write(tmp_path, "要点.pdf", data)) == written


def test_a_pdfs_running_header_is_read_once(tmp_path: Path) -> None:
    # realdocs81: a 176-page 学生手册 printed its name over every page; the name stood between
    # sentences 99 times and headed every passage
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    rules = [
        "Keep the dormitory quiet.",
        "Lights out at ten.",
        "No cooking in rooms.",
        "Sign out at the gate.",
    ]
    for n, rule in enumerate(rules, start=1):
        pdf.add_page()
        pdf.cell(text="Student Handbook 2025", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(text=rule, new_x="LMARGIN", new_y="NEXT")
        pdf.cell(text=f"- {n} -", new_x="LMARGIN", new_y="NEXT")
    text = read_text(write(tmp_path, "handbook.pdf", bytes(pdf.output())))
    lines = [x.strip() for x in text.split("\n") if x.strip()]
    assert lines == ["Student Handbook 2025", *rules]


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "secret.pdf", encrypted_pdf("secret")))
    assert error.reason == "PDF 已加密"
    assert "加密" in str(error)


def test_pdf_encrypted_with_empty_password_is_read(tmp_path: Path) -> None:
    _, written = make_text_pdf("融安县防溺水")
    assert read_text(write(tmp_path, "perm.pdf", encrypted_pdf(""))) == written


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "scan.pdf", blank_pdf()))
    assert error.reason == "PDF 没有文字层（可能是扫描件）"


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    data, _ = make_text_pdf("融安县教育工作要点")
    error = refusal(write(tmp_path, "cut.pdf", data[: len(data) // 3]))
    assert error.reason.startswith("PDF 已损坏")


def test_garbage_named_pdf_is_refused(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "fake.pdf", "这不是PDF文件".encode()))
    assert error.reason == "PDF 已损坏: 不是 PDF 文件（没有 %PDF 文件头）"


# --------------------------------------------------------------------------- issue 11: main content

from qa.ingest.readers import read_source  # noqa: E402

PAGE = """<html><head><title>关于印发招生工作意见的通知-教育局网站</title></head><body>
<table><tr><td><a href="/">首页</a> | <a href="/a">政务公开</a> | <a href="/b">通知公告</a></td></tr>
<tr><td>当前位置：首页 > 通知公告</td></tr></table>
<table><tr><td><div><h1>关于印发招生工作意见的通知</h1><p>发布时间：2016-4-15</p></div>
<div><p>各学校：</p><p>现将招生工作意见印发给你们，请认真贯彻执行。</p>
<p>一、总体要求。坚持免试就近入学原则，严禁以考试形式招生。</p>
<p>二、招生对象。凡年满六周岁的儿童应当入学接受义务教育。</p></div></td>
<td><a href="/x">推荐阅读</a><a href="/y">另一篇通知</a></td></tr></table>
<div>地址：某路1号 电话：123 版权所有</div></body></html>"""


def test_html_main_content_and_the_lines_around_it(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "page.html", PAGE.encode("utf-8")))
    lines = source.text.split("\n")
    assert lines[0] == "关于印发招生工作意见的通知"
    assert "现将招生工作意见印发给你们，请认真贯彻执行。" in lines
    assert "二、招生对象。凡年满六周岁的儿童应当入学接受义务教育。" in lines
    assert not any("首页" in x or "版权所有" in x or "推荐阅读" in x for x in lines)
    assert any("版权所有" in x for x in source.outside)


def test_layout_table_is_not_flattened_into_one_row(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "page.html", PAGE.encode("utf-8")))
    assert all(" | " not in x for x in source.text.split("\n"))


def test_pdf_lines_wrapped_at_the_page_width_are_joined_and_page_numbers_dropped() -> None:
    # the 天津 PDF of R4: "1．符合…可以申请报名参" / "加普通高校招生全国统一考试。" is one sentence, and a
    # page break ("…并对" / "- 3 -" / "其真实性负责。") cuts another
    from qa.ingest.pdf import reflow

    body = ["为做好普通高校招生工作，依据教育部《关于做好普通高校招生工"] * 20
    text = "\n".join(
        [
            *body,
            "1．符合教育部及本市规定的报名条件者可以申请报名参",
            "加普通高校招生全国统一考试（以下简称高考）。",
            "考生所在中学或单位应对考生的政治态度做出全面鉴定，并对",
            "- 3 -",
            "",
            "其真实性负责。",
            "二、思想政治品德考核",
        ]
    )
    lines = reflow(text).split("\n")
    assert (
        "1．符合教育部及本市规定的报名条件者可以申请报名参加普通高校招生全国统一考试（以下简称高考）。"
        in lines
    )
    assert "考生所在中学或单位应对考生的政治态度做出全面鉴定，并对其真实性负责。" in lines
    assert "二、思想政治品德考核" in lines and not any("- 3 -" in x for x in lines)
    # too few full lines to tell the page width: left as it is
    assert reflow("一行\n二行") == "一行\n二行"


def test_a_short_pdf_line_ends_its_paragraph_though_what_it_joined_is_long() -> None:
    # realdocs88: "…建议制作出的规格为" (full) / "100*100cm." (short) ended item 5; the issuer, the date
    # and the next page's title had run on into it, so the 开幕式议程 stood under the logo rules
    from qa.ingest.pdf import reflow

    body = ["运动会期间全校师生均应积极参加大会安排的活动，全体人员必须讲文明、"] * 20
    text = "\n".join(
        [
            *body,
            "5.各班班标设计可以参考以上会标的“内容与要求”，建议制作出的规格为",
            "100*100cm.",
            "福州八中第五十六届运动会组委会",
            "2025 年 9 月 23 日",
            "",
            "田径运动会开幕式议程",
        ]
    )
    lines = reflow(text).split("\n")
    assert "5.各班班标设计可以参考以上会标的“内容与要求”，建议制作出的规格为100*100cm." in lines
    assert "2025 年 9 月 23 日" in lines and "田径运动会开幕式议程" in lines


def test_markdown_front_matter_is_kept_for_its_fields_not_read_as_two_rules(tmp_path: Path) -> None:
    # realdocs51: a retrieval project's Markdown files open with YAML front matter (doc: …md,
    # version: …); the reader keeps the block whole, where a --- elsewhere is a rule
    md = "---\ndoc: 学生奖励管理办法.md\nversion: 2025-11-06\n---\n\n## 第一条\n为营造优良学风。\n\n---\n第二条 本办法适用于在校学生。"
    text = read_text(write(tmp_path, "rules.md", md.encode()))
    assert text.startswith("---\ndoc: 学生奖励管理办法.md\nversion: 2025-11-06\n---")
    assert text.count("---") == 2
