"""Synthetic corpora ×N the size of the real one, for the speed and memory benchmarks.

Copy 0 is the real corpus unchanged. Every further copy of every document varies the text so that
BM25 postings and the vocabulary grow the way a larger collection of such documents would, instead
of repeating the same passages:

* places: 柳州市 (with 柳城县, 融安县), 常州市 (with 金坛区) and 泸州市 — full and short forms, and
  their provinces — become other real cities and counties from `qa.places.gazetteer()`
  (counties of one city stay in that city);
* years 2014–2024 shift by one offset per copy and document (1990–2029);
* percentages and counted quantities (115个项目, 726.5万元, 39个, 95%) are re-drawn around the
  original value;
* titles: the genre word (工作要点 / 工作计划 / 工作意见 …) is swapped, besides the place and year.

The transformation works on the spans between passage boundaries, so offsets are recomputed
and `document.text[p.start:p.end] == p.text` holds for every synthetic passage. It is
deterministic: copy c of document d is the same whatever the scale, so the first 10 copies of
the ×1000 corpus are the ×10 corpus (the speed benchmark relies on this to reuse vectors).

Usage:
    python bench/synth.py --scale 10        # prints sizes, vocabulary growth and a sample
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import re
import sys
import time
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from qa.ingest.corpus import Corpus, load_corpus  # noqa: E402
from qa.places import Place, gazetteer, short_name  # noqa: E402
from qa.types import DocMeta, Document, Passage, stable_id  # noqa: E402

# The real corpus's places: a city with two counties, a city with one district, a city alone.
_CITY_A, _COUNTIES_A, _PROV_A = "柳州市", ("柳城县", "融安县"), "广西壮族自治区"
_CITY_B, _COUNTY_B, _PROV_B = "常州市", "金坛区", "江苏省"
_CITY_C, _PROV_C = "泸州市", "四川省"

_YEAR = re.compile(r"(?<!\d)(20(?:1[4-9]|2[0-4]))(?!\d)")
_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)(?=\s*[%％])")
_UNITS = (
    "个|所|名|人|万|亿|元|项|间|平方米|台|套|次|场|户|家|班|张|册|支|篇|期|届|节|天|小时|公里|"
    "亩|座|栋|门|课时|学时|岁|周|位|本|件|批|处|条|类|种|组|队|校|园|余"
)
_COUNT = re.compile(rf"(?<![\d.])(\d{{1,7}}(?:\.\d+)?)(?=\s*(?:{_UNITS}))")
_GENRE = re.compile(r"(工作要点|工作计划|工作意见|工作安排)$")
_GENRES = ("工作要点", "工作计划", "工作意见", "工作安排", "重点工作", "工作思路", "工作方案", "重点任务")


@lru_cache(maxsize=1)
def _place_pools() -> tuple[list[tuple[Place, list[Place]]], list[Place]]:
    """(cities with their ≥2 counties, all cities) from the gazetteer."""
    places = gazetteer()
    if not places:
        raise RuntimeError("qa.places.gazetteer() is empty: is the cpca package installed?")
    cities = [p for p in places if p.level == "city"]
    by_city: dict[str, list[Place]] = {}
    for p in places:
        if p.level == "county" and p.city:
            by_city.setdefault(p.city, []).append(p)
    with_counties = [(c, by_city[c.name]) for c in cities if len(by_city.get(c.name, [])) >= 2]
    return with_counties, cities


def _mapping_for_copy(copy: int) -> dict[str, str]:
    """Source place name (full and short) → this copy's place name."""
    if copy == 0:
        return {}
    rng = random.Random(f"places-{copy}")
    with_counties, cities = _place_pools()
    city_a, counties_a = rng.choice(with_counties)
    ca1, ca2 = rng.sample(counties_a, 2)
    city_b, counties_b = rng.choice(with_counties)
    cb = rng.choice(counties_b)
    city_c = rng.choice([c for c in cities if c.name not in (city_a.name, city_b.name)])
    pairs = [
        (_CITY_A, city_a.name),
        (_COUNTIES_A[0], ca1.name),
        (_COUNTIES_A[1], ca2.name),
        (_PROV_A, city_a.province or _PROV_A),
        (_CITY_B, city_b.name),
        (_COUNTY_B, cb.name),
        (_PROV_B, city_b.province or _PROV_B),
        (_CITY_C, city_c.name),
        (_PROV_C, city_c.province or _PROV_C),
    ]
    out: dict[str, str] = {}
    for src, dst in pairs:
        out[src] = dst
        s_src, s_dst = short_name(src), short_name(dst)
        if s_src != src:
            out.setdefault(s_src, s_dst)
    return out


def _num_rng(seed: str, original: str) -> random.Random:
    h = hashlib.blake2b(f"{seed}\x1f{original}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(h, "big"))


def _fmt_like(value: float, original: str) -> str:
    decimals = len(original.split(".")[1]) if "." in original else 0
    return f"{value:.{decimals}f}" if decimals else str(round(value))


class _Rewriter:
    """One (copy, document)'s deterministic text rewrite."""

    def __init__(self, copy: int, doc_index: int):
        self.copy = copy
        self.seed = f"{copy}-{doc_index}"
        rng = random.Random(f"doc-{self.seed}")
        self.year_delta = rng.choice([d for d in range(-24, 6) if d != 0])
        self.genre = rng.choice(_GENRES)
        self.places = _mapping_for_copy(copy)
        names = sorted(self.places, key=len, reverse=True)
        self._place_rx = re.compile("|".join(map(re.escape, names))) if names else None
        self.title_map: tuple[str, str] | None = None

    def _year(self, m: re.Match) -> str:
        return str(int(m.group(1)) + self.year_delta)

    def _percent(self, m: re.Match) -> str:
        orig = m.group(1)
        v = float(orig) * _num_rng(self.seed + "%", orig).uniform(0.6, 1.4)
        return _fmt_like(min(v, 100.0), orig)

    def _count(self, m: re.Match) -> str:
        orig = m.group(1)
        v = float(orig) * _num_rng(self.seed + "#", orig).uniform(0.5, 1.8)
        v = max(v, 1.0) if "." not in orig else v
        return _fmt_like(v, orig)

    def text(self, s: str) -> str:
        if self.copy == 0 or not s:
            return s
        if self._place_rx is not None:
            s = self._place_rx.sub(lambda m: self.places[m.group()], s)
        s = _YEAR.sub(self._year, s)
        s = _PERCENT.sub(self._percent, s)
        s = _COUNT.sub(self._count, s)
        if self.title_map and self.title_map[0] in s:
            s = s.replace(*self.title_map)
        return s

    def title(self, t: str) -> str:
        if self.copy == 0:
            return t
        base = self.text(t)
        new = _GENRE.sub(self.genre, base) if _GENRE.search(base) else f"{base}（{self.genre}）"
        self.title_map = (base, new) if new != base else None
        return new


def _rewrite_meta(rw: _Rewriter, m: DocMeta) -> DocMeta:
    def f(x: str | None) -> str | None:
        return rw.text(x) if x else x

    year = (m.year + rw.year_delta) if (m.year and 2014 <= m.year <= 2024) else m.year
    return replace(
        m,
        title=rw.title(m.title),
        issuer=f(m.issuer),
        province=f(m.province),
        city=f(m.city),
        county=f(m.county),
        year=year,
        date=_YEAR.sub(rw._year, m.date) if m.date else m.date,
        source=f(m.source),
    )


def synth_copy(
    doc: Document, passages: list[Passage], copy: int, doc_index: int
) -> tuple[Document, list[Passage]]:
    """Copy `copy` of one document and its passages (copy 0: unchanged)."""
    if copy == 0:
        return doc, passages
    rw = _Rewriter(copy, doc_index)
    meta = _rewrite_meta(rw, doc.meta)
    bounds = sorted({0, len(doc.text), *(p.start for p in passages), *(p.end for p in passages)})
    new_pos = {0: 0}
    pieces = []
    for a, b in itertools.pairwise(bounds):
        piece = rw.text(doc.text[a:b])
        pieces.append(piece)
        new_pos[b] = new_pos[a] + len(piece)
    text = "".join(pieces)
    doc_id = f"{doc.doc_id}_x{copy:04d}"
    new_doc = Document(
        doc_id,
        f"synthetic/{doc_id}.txt",
        text,
        meta,
        (),
        hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    new_passages = []
    for p in passages:
        a, b = new_pos[p.start], new_pos[p.end]
        new_passages.append(
            Passage(
                stable_id(doc_id, p.pid),
                doc_id,
                a,
                b,
                text[a:b],
                tuple(rw.text(s) for s in p.section),
                p.kind,
            )
        )
    return new_doc, new_passages


def base_corpus(corpus_dir: str | Path = ROOT / "corpus", max_chars: int = 300) -> Corpus:
    return load_corpus(corpus_dir, max_chars=max_chars)


def synth_corpus(
    scale: int, base: Corpus | None = None, *, start: int = 0, corpus_dir: str | Path = ROOT / "corpus"
) -> tuple[list[Document], list[Passage]]:
    """Documents and passages of copies start..scale-1 of the real corpus (all of them by default)."""
    base = base or base_corpus(corpus_dir)
    by_doc: dict[str, list[Passage]] = {}
    for p in base.passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    docs: list[Document] = []
    passages: list[Passage] = []
    for copy in range(start, scale):
        for i, d in enumerate(base.documents):
            nd, nps = synth_copy(d, by_doc.get(d.doc_id, []), copy, i)
            docs.append(nd)
            passages.extend(nps)
    return docs, passages


def check(docs: list[Document], passages: list[Passage]) -> None:
    """The invariants the engine relies on: offsets index the text, ids are unique."""
    texts = {d.doc_id: d.text for d in docs}
    assert len(texts) == len(docs), "duplicate doc ids"
    assert len({p.pid for p in passages}) == len(passages), "duplicate passage ids"
    for p in passages:
        assert texts[p.doc_id][p.start : p.end] == p.text, p.pid


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=10)
    args = ap.parse_args(argv)
    from index.build import context_text
    from index.tokenize import make_tokenizer

    t0 = time.perf_counter()
    docs, passages = synth_corpus(args.scale)
    t1 = time.perf_counter()
    check(docs, passages)
    tok = make_tokenizer("char12")
    meta = {d.doc_id: d.meta for d in docs}
    vocab: set[str] = set()
    n_tokens = 0
    for p in passages:
        toks = tok(context_text(p, meta[p.doc_id]))
        n_tokens += len(toks)
        vocab.update(toks)
    places = {d.meta.place for d in docs if d.meta.place}
    print(
        f"×{args.scale}: {len(docs)} documents, {len(passages)} passages, "
        f"{sum(len(d.text) for d in docs)} chars, {n_tokens} tokens, vocabulary {len(vocab)}, "
        f"{len(places)} distinct places, {len({d.meta.title for d in docs})} distinct titles; "
        f"made in {t1 - t0:.2f} s"
    )
    if args.scale > 1:
        d = docs[len(docs) // 2]
        print(f"sample: {d.doc_id} 《{d.meta.title}》 {d.meta.place} {d.meta.year}")
        print("  " + next(p.text for p in passages if p.doc_id == d.doc_id and len(p.text) > 80)[:160])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
