"""The encoding of a text file or web page: detect it and decode the bytes (`decode_text`)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

# Control characters that real text files do contain (tab, newlines, form feed, DOS EOF, ANSI escape).
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1a\x1b")
_MAX_BAD_SHARE = 0.05
# Share of non-ASCII characters a GB18030 decoding must draw from GB2312 (the common 6,763 hanzi and
# symbols); garbage that happens to decode lands mostly in the rare GBK and four-byte ranges.
_MIN_GB2312_SHARE = 0.8

_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _bad_char_share(text: str) -> float:
    """Share of characters that do not occur in text: controls, private-use, unassigned, U+FFFD."""
    if not text:
        return 0.0
    bad = 0
    for char, count in Counter(text).items():
        if char in _ALLOWED_CONTROLS:
            continue
        if char == "\ufffd" or unicodedata.category(char) in {"Cc", "Co", "Cn", "Cs"}:
            bad += count
    return bad / len(text)


def _looks_like_text(text: str) -> bool:
    return _bad_char_share(text) <= _MAX_BAD_SHARE


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _looks_like_chinese_text(text: str) -> bool:
    """Whether a GB18030 decoding reads as Chinese rather than as mojibake."""
    if not _looks_like_text(text):
        return False
    counts = Counter(c for c in text if ord(c) > 0x7F)
    total = sum(counts.values())
    rare = sum(n for c, n in counts.items() if not _in_gb2312(c))
    # A short text may hold a name in a GBK-only character (堃, 喆); allow a couple outright.
    return rare <= max(2, (1 - _MIN_GB2312_SHARE) * total)


def _decode_utf8_lenient(data: bytes) -> str | None:
    """UTF-8 when the bytes are UTF-8 apart from a cut-off last character or a few stray bytes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            # A file cut off mid-character (a head of a larger file): drop the partial character.
            return data[: exc.start].decode("utf-8")
    text = data.decode("utf-8", errors="replace")
    n_replaced = text.count("\ufffd")
    has_real_utf8 = not text.replace("\ufffd", "").isascii()
    return text if has_real_utf8 and n_replaced <= max(1, len(data) // 1000) else None


def _decode_guess(data: bytes) -> str | None:
    """charset-normalizer's best guess, or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def decode_text(data: bytes) -> str:
    """Decode the bytes of a text file, detecting the encoding.

    Tried in order: a BOM (UTF-8, UTF-16, UTF-32), strict UTF-8, strict GB18030 (a superset of GBK
    and GB2312) when the result reads as Chinese, UTF-8 with a few stray bytes, then
    charset-normalizer's best guess. Newlines become "\\n" and a leading BOM is dropped.

    Args:
        data: The raw bytes.

    Returns:
        The decoded text.

    Raises:
        ValueError: The bytes are binary (NUL bytes, many control characters) or nothing decodes them.

    Example:
        >>> decode_text("防溺水\\r\\n".encode("gb18030"))
        '防溺水\\n'
    """
    text = _decode_with_bom(data)
    if text is None:
        if b"\x00" in data:
            raise ValueError("binary data: contains NUL bytes")
        text = _decode_without_bom(data.removeprefix(_UTF8_BOM))
    if text is None or not _looks_like_text(text):
        raise ValueError("binary data: no encoding decodes it as text")
    return _normalise_newlines(text.removeprefix("\ufeff"))


def _decode_with_bom(data: bytes) -> str | None:
    """The text when the bytes start with a BOM that decodes them strictly, else None."""
    for boms, codec in ((_UTF32_BOMS, "utf-32"), (_UTF16_BOMS, "utf-16"), ((_UTF8_BOM,), "utf-8-sig")):
        if data.startswith(boms):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _decode_without_bom(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_chinese_text(text):
            return text
    return _decode_utf8_lenient(data) or _decode_guess(data)


# --------------------------------------------------------------------------- web pages

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels that browsers read as a wider encoding than their name says (WHATWG Encoding Standard).
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}


def _declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first few kilobytes, as a Python codec name."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 without a BOM; browsers then read it as UTF-8.
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def _decode_html(data: bytes) -> str:
    """Decode a page: BOM, then UTF-8 if valid, then its declared charset, then `decode_text`."""
    if data.startswith((_UTF8_BOM, *_UTF16_BOMS)) or b"\x00" in data:
        return decode_text(data)
    # Valid UTF-8 is UTF-8 whatever the page declares: Chinese sites often keep a stale gb2312 meta.
    for codec in ("utf-8", _declared_charset(data)):
        if codec is None:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return _normalise_newlines(text)
    return decode_text(data)
