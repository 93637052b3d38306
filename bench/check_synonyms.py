"""Validate qa/data/synonyms.tsv and report how much of it the corpus attests.

    python bench/check_synonyms.py [--file PATH] [--corpus DIR] [-v]

Fails (exit 1) on: undecodable or BOM/CRLF files, a missing '#' header, malformed
lines (not exactly `left<TAB>term|term`, empty or whitespace-padded terms), left
sides shorter than 2 characters, duplicate left sides, repeated terms inside one
rule, identity rules (a right-side term equal to its left side), and a rule count
outside 250-900. Prints the rule count and how many distinct right-side terms
occur (as substrings) in corpus/*.txt. -v also lists terms and rules the corpus
does not attest.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "qa" / "data" / "synonyms.tsv"
DEFAULT_CORPUS = ROOT / "corpus"
MIN_RULES, MAX_RULES = 250, 900
MIN_LEFT_CHARS = 2


def parse(text: str) -> tuple[list[tuple[int, str, list[str]]], list[str]]:
    """Return (rules as (line_no, left, rights), errors)."""
    rules: list[tuple[int, str, list[str]]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for no, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"line {no}: {line!r}"
        if line.count("\t") != 1:
            errors.append(f"{where}: expected exactly one TAB, found {line.count(chr(9))}")
            continue
        left, right = line.split("\t")
        if left != left.strip() or not left or any(c.isspace() for c in left):
            errors.append(f"{where}: left side empty or contains whitespace")
            continue
        if len(left) < MIN_LEFT_CHARS:
            errors.append(f"{where}: left side shorter than {MIN_LEFT_CHARS} characters")
        terms = right.split("|")
        if any(not t or any(c.isspace() for c in t) for t in terms):
            errors.append(f"{where}: empty right-side term or term containing whitespace")
            continue
        if len(set(terms)) != len(terms):
            errors.append(f"{where}: a right-side term is repeated")
        if left in terms:
            errors.append(f"{where}: identity rule ({left} -> {left})")
        if left in seen:
            errors.append(f"{where}: duplicate left side {left!r} (first on line {seen[left]})")
        else:
            seen[left] = no
        rules.append((no, left, terms))
    return rules, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)

    raw = args.file.read_bytes()
    errors: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        errors.append("file starts with a UTF-8 BOM")
    if b"\r" in raw:
        errors.append("file contains CR characters (use LF line endings)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"FAIL: {args.file} is not valid UTF-8: {e}")
        return 1
    text = text.lstrip("\ufeff").replace("\r", "")
    if not text.startswith("#"):
        errors.append("file must start with a '#' comment header documenting the format")

    rules, parse_errors = parse(text)
    errors.extend(parse_errors)
    if not MIN_RULES <= len(rules) <= MAX_RULES:
        errors.append(f"{len(rules)} rules; expected {MIN_RULES}-{MAX_RULES}")

    # Informational: a right-side term containing the left side, or contained in it,
    # adds little under substring matching, but may still help a word tokenizer.
    overlaps = [(n, left, t) for n, left, terms in rules for t in terms if t in left]

    corpus_files = sorted(args.corpus.glob("*.txt"))
    corpus = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in corpus_files)
    terms = sorted({t for _, _, ts in rules for t in ts})
    found = {t for t in terms if t in corpus}
    rules_hit = [r for r in rules if any(t in found for t in r[2])]
    slots = sum(len(ts) for _, _, ts in rules)
    slots_hit = sum(t in found for _, _, ts in rules for t in ts)
    lefts_in_corpus = sum(left in corpus for _, left, _ in rules)

    print(f"file: {args.file}")
    print(f"rules: {len(rules)}")
    print(f"right-side terms: {slots} total, {len(terms)} distinct")
    if corpus_files:
        pct = 100 * len(found) / max(len(terms), 1)
        print(f"corpus: {len(corpus_files)} files, {len(corpus)} chars")
        print(f"distinct right-side terms found in corpus: {len(found)}/{len(terms)} ({pct:.1f}%)")
        slot_pct = 100 * slots_hit / max(slots, 1)
        print(f"right-side term slots found in corpus: {slots_hit}/{slots} ({slot_pct:.1f}%)")
        print(
            f"rules with >=1 right-side term in corpus: {len(rules_hit)}/{len(rules)} "
            f"({100 * len(rules_hit) / max(len(rules), 1):.1f}%)"
        )
        print(f"left sides that themselves occur in corpus: {lefts_in_corpus}/{len(rules)}")
    else:
        print(f"corpus: no *.txt files under {args.corpus}")
    if args.verbose:
        missing = [t for t in terms if t not in found]
        print(f"\nright-side terms not in corpus ({len(missing)}): {' '.join(missing)}")
        dead = [f"{left}({n})" for n, left, ts in rules if not any(t in found for t in ts)]
        print(f"\nrules with no corpus-attested term ({len(dead)}): {' '.join(dead)}")
        print(
            f"\nright-side terms contained in their left side ({len(overlaps)}): "
            + " ".join(f"{left}>{t}" for _, left, t in overlaps)
        )

    if errors:
        print(f"\nFAIL: {len(errors)} problem(s)")
        for e in errors:
            print(f"  {e}")
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
