"""Wildcard matching for IAM patterns: `*` (any run, also empty) and `?` (exactly one character).

The matcher never backtracks: a pattern is split at its stars into literal segments; the first
segment must sit at the start, the last at the end, and every middle segment is found left to
right at its earliest position (`str.find`, or a fixed-length regex when the segment holds `?`).
Earliest placement is always safe for globs, so the work is linear in the value for each segment:
no pattern can make it blow up, unlike a naive backtracking regex.

>>> Glob.compile("kms:Generate*").matches("kms:GenerateDataKey")
True
>>> Glob.compile("a?c").matches("abbc")
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Stands for `?` inside compiled segments; never appears in policy or request text.
ANY_CHAR = "\x00"
#: Stands for a literal `*` (the `${*}` escape) inside compiled segments.
LITERAL_STAR = "\x01"
#: Stands for a literal `?` (the `${?}` escape).
LITERAL_QMARK = "\x02"

_UNESCAPE = str.maketrans({LITERAL_STAR: "*", LITERAL_QMARK: "?"})


def _segment_regex(segment: str) -> re.Pattern[str]:
    parts = [re.escape(ch.translate(_UNESCAPE)) if ch != ANY_CHAR else "." for ch in segment]
    return re.compile("".join(parts), re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Segment:
    text: str  # literal text, with ANY_CHAR for `?`
    regex: re.Pattern[str] | None  # set only when the segment contains ANY_CHAR

    @classmethod
    def of(cls, text: str) -> _Segment:
        if ANY_CHAR in text:
            return cls(text, _segment_regex(text))
        return cls(text.translate(_UNESCAPE), None)

    def match_at(self, value: str, pos: int) -> bool:
        if self.regex is None:
            return value.startswith(self.text, pos)
        return self.regex.match(value, pos) is not None and pos + len(self.text) <= len(value)

    def find_from(self, value: str, pos: int, end: int) -> int:
        """Earliest index >= pos where the segment fits entirely before `end`, or -1."""
        if self.regex is None:
            return value.find(self.text, pos, end)
        m = self.regex.search(value, pos, end)
        return m.start() if m else -1


@dataclass(frozen=True, slots=True)
class Glob:
    """A compiled wildcard pattern. Build it with `Glob.compile` (or `Glob.from_marked`)."""

    source: str
    segments: tuple[_Segment, ...]  # split at stars; len 1 means "no star"
    ignore_case: bool
    match_all: bool

    @classmethod
    def compile(cls, pattern: str, *, ignore_case: bool = False) -> Glob:
        """Compile a plain pattern where `*` and `?` are wildcards."""
        marked = pattern.replace("?", ANY_CHAR)
        return cls.from_marked(marked, source=pattern, ignore_case=ignore_case)

    @classmethod
    def literal(cls, text: str, *, ignore_case: bool = False) -> Glob:
        """A pattern that matches exactly `text` (its `*` and `?` are plain characters)."""
        marked = text.replace("*", LITERAL_STAR).replace("?", LITERAL_QMARK)
        return cls.from_marked(marked, source=text, ignore_case=ignore_case)

    @classmethod
    def from_marked(cls, marked: str, *, source: str, ignore_case: bool = False) -> Glob:
        """Compile text where `*` is a wildcard, ANY_CHAR is `?`, LITERAL_* are escaped characters."""
        if ignore_case:
            marked = marked.lower()
        pieces = marked.split("*")
        segments = tuple(_Segment.of(p) for p in pieces)
        match_all = len(pieces) > 1 and all(p == "" for p in pieces)
        return cls(source, segments, ignore_case, match_all)

    def matches(self, value: str) -> bool:
        """True when the whole of `value` matches the pattern."""
        if self.match_all:
            return True
        if self.ignore_case:
            value = value.lower()
        segs = self.segments
        if len(segs) == 1:
            seg = segs[0]
            if seg.regex is None:
                return value == seg.text
            return len(value) == len(seg.text) and seg.match_at(value, 0)
        first, last = segs[0], segs[-1]
        start = len(first.text)
        end = len(value) - len(last.text)
        if end < start:
            return False
        if first.text and not first.match_at(value, 0):
            return False
        if last.text and not last.match_at(value, end):
            return False
        pos = start
        for seg in segs[1:-1]:
            if not seg.text:
                continue
            found = seg.find_from(value, pos, end)
            if found < 0:
                return False
            pos = found + len(seg.text)
        return True


def glob_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """One-off convenience: does `value` match the wildcard `pattern`?"""
    return Glob.compile(pattern, ignore_case=ignore_case).matches(value)
