"""Deciding whether the documents answer a question at all (abstention).

Two signals, both pure functions of the question, the vocabulary and the retrieved passages:

* coverage: the idf-weighted share of the question's terms found in its best passages
  (computed by the engine);
* unexplained words: content words of the question that occur nowhere in the corpus and that
  the colloquial vocabulary does not map to anything (保育费, 所得税, 天气 …). A question
  whose key word is unexplained and whose coverage is low is about something the documents
  do not contain.
"""

from __future__ import annotations

import logging
import re
import threading

_STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "是",
        "对",
        "为",
        "以",
        "把",
        "被",
        "将",
        "从",
        "于",
        "之",
        "其",
        "而",
        "并",
        "也",
        "就",
        "都",
        "要",
        "有",
        "啥",
        "咋",
        "能",
        "会",
        "让",
        "给",
        "去",
        "来",
        "到",
        "说",
        "做",
        "搞",
        "管",
        "呢",
        "吗",
        "吧",
        "啊",
        "我",
        "你",
        "他",
        "她",
        "它",
        "们",
        "我们",
        "咱",
        "咱们",
        "这",
        "那",
        "这个",
        "那个",
        "这些",
        "那些",
        "里",
        "上",
        "下",
        "中",
        "后",
        "前",
        "不",
        "没",
        "没有",
        "还",
        "又",
        "再",
        "很",
        "太",
        "最",
        "多",
        "少",
        "一些",
        "一下",
        "怎么",
        "怎么样",
        "怎么办",
        "如何",
        "哪些",
        "什么",
        "多少",
        "几",
        "个",
        "啥样",
        "有没有",
        "可以",
        "能不能",
        "是不是",
        "现在",
        "今年",
        "明年",
        "去年",
        "具体",
        "一般",
        "需要",
        "应该",
        "目前",
        "情况",
        "问题",
        "方面",
        "相关",
        "有关",
        "规定",
        "政策",
        "文件",
        "要求",
        "措施",
        "办法",
        "工作",
        "内容",
        "提到",
        "提出",
        "一个月",
        "原文",
        "出处",
        "哪个",
        "哪里",
        "地方",
        "各地",
    ]
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


class WordCutter:
    """jieba word segmentation, loaded once in the background (its dictionary takes ~0.5 s)."""

    def __init__(self) -> None:
        self._tk = None
        self._lock = threading.Lock()

    def warm(self) -> None:
        threading.Thread(target=self._get, daemon=True).start()

    def _get(self):
        with self._lock:
            if self._tk is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                self._tk = tk
        return self._tk

    def __call__(self, text: str) -> list[str]:
        return [w for w in self._get().cut(text) if w.strip()]


def content_words(words: list[str]) -> list[str]:
    """Words of 2+ characters with Chinese in them, minus question words and fillers."""
    return [w for w in words if len(w) >= 2 and w not in _STOP_WORDS and _CJK.search(w)]


_QUESTION_WORD = re.compile(r"^(几|哪|多少|什么|怎)|[几哪]$")
_PARTICLES = re.compile(r"[了着过啥咋]")


def splits_into_known(word: str, in_corpus, min_part: int = 2) -> bool:
    """Whether `word` is a compound of known parts (学校成绩 = 学校 + 成绩), each ≥ min_part chars."""
    n = len(word)
    known = [False] * (n + 1)
    known[0] = True
    for i in range(n):
        if not known[i]:
            continue
        for j in range(i + min_part, n + 1):
            if not known[j] and in_corpus(word[i:j]):
                known[j] = True
    return known[n]


def unexplained_words(words: list[str], in_corpus, explained_by_vocab) -> list[str]:
    """Content words neither found in the corpus nor accounted for by the vocabulary.

    Args:
        words: the question's words (already segmented).
        in_corpus: predicate: does a string occur in the corpus text?
        explained_by_vocab: predicate: does a vocabulary rule for this word lead to an official
            term that the retrieved passages contain?

    Example:
        >>> unexplained_words(["幼儿园", "保育费"], lambda w: w == "幼儿园", lambda w: False)
        ['保育费']
    """
    out = []
    for w in content_words(words):
        if _QUESTION_WORD.search(w):
            continue
        w = _PARTICLES.sub("", w)
        if len(w) < 2 or in_corpus(w) or splits_into_known(w, in_corpus):
            continue
        if explained_by_vocab(w):
            continue
        out.append(w)
    return out


def should_abstain(coverage: float, unexplained: list[str], *, hard: float, soft: float) -> bool:
    """Abstain when little of the question is matched, or when a key word is unknown and coverage is low."""
    return coverage < hard or (bool(unexplained) and coverage < soft)
