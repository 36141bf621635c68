"""Find encoding damage in article text, to flag it for annotators, never to repair it.

The text stays as it was imported: offsets of spans depend on it. Each flag marks a range of
code points (end-exclusive) and, where it can be computed, what the text probably said.

Repairing UTF-8 read as Latin-1 or cp1252 is ftfy's job: it knows the codec tables, the
bytes that went missing on the way and how bad a run of characters looks. ftfy works on
whole texts, though, and a whole-text fix cannot say where the damage is, so candidate runs
are found here with one regex and ftfy is asked about each run with a little context.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import ftfy

KIND_UTF8_AS_LATIN1 = "utf8_as_latin1"
# Any other repair ftfy is sure of: UTF-8 read as MacRoman, cp1252 read as Latin-1, ...
KIND_MISDECODED = "misdecoded"
KIND_GBK_AS_LATIN1 = "gbk_as_latin1"
KIND_STRAY_NBSP_ARTIFACT = "stray_nbsp_artifact"

# What each cp1252 byte from 0x80 to 0x9F shows as; with U+0080-U+00FF these are every
# character that a UTF-8 lead or continuation byte can turn into when read as Latin-1/cp1252.
CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
MOJIBAKE_CHARACTERS = "\u0080-\u00ff" + CP1252_SPECIALS
# A single accented letter or curly quote is ordinary text; damage shows as a run of two or
# more, except for a lone "Â" left over from a non-breaking space, checked separately. Written
# with one leading character class, which the regex engine scans for fast, not as an
# alternation, which costs it a step at every position of clean text.
CANDIDATE_RUN = re.compile(f"[{MOJIBAKE_CHARACTERS}](?:[{MOJIBAKE_CHARACTERS}]+|(?<=\u00c2))")
NOT_MOJIBAKE_CHARACTER = re.compile(f"[^{MOJIBAKE_CHARACTERS}]")
LATIN1_HIGH_RUN = re.compile("[\u00a0-\u00ff]{4,}")
# Enough context for ftfy to judge the run as it stands in the sentence.
CONTEXT_CHARACTERS = 8
# The codecs ftfy names when UTF-8 was read as Latin-1 or cp1252 ("sloppy" keeps the five
# bytes cp1252 leaves undefined). Its decode_inconsistent_utf8 step fixes only Latin-1/cp1252
# pieces, so a plan made of that step alone names no codec and counts as this family too.
LATIN1_FAMILY_CODECS = {"latin-1", "windows-1252", "sloppy-windows-1252"}
UTF8_CODECS = {"utf-8", "utf-8-variants"}
# A stray "Â" glued after these ends a word or number, so it cannot begin one ("L'Âge" can;
# "’" is left out because it is an apostrophe as often as a closing quote).
CLOSING_CHARACTERS = set(".,;:!?)]}”»%0123456789")


@dataclass(frozen=True)
class QualityFlag:
    """A range of a text that looks damaged by a wrong character encoding."""

    start: int
    end: int
    kind: str
    note: str
    suggestion: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Return the flag as a JSON-ready dict, as stored in `Document.quality_flags`."""
        return asdict(self)


@dataclass(frozen=True)
class Utf8Repair:
    start: int
    end: int
    suggestion: str
    plan: tuple[tuple[str, str], ...]


def detect_mojibake(text: str) -> list[QualityFlag]:
    """Return flags for the encoding damage in `text`, sorted by start offset."""
    flags: list[QualityFlag] = []
    for match in CANDIDATE_RUN.finditer(text):
        flags.extend(flags_for_run(text, match.start(), match.end()))
    return sorted(flags, key=lambda flag: (flag.start, flag.end))


def flags_for_run(text: str, start: int, end: int) -> list[QualityFlag]:
    """Return flags for the candidate run text[start:end], trusting ftfy on UTF-8 damage."""
    if end - start == 1:
        stray = stray_nbsp_flag(text, start)
        return [stray] if stray else []
    gbk_flags = gbk_flags_in_run(text, start, end)
    repair = repair_utf8_run(text, start, end)
    # Two GBK characters can also be valid UTF-8, and ftfy then "fixes" a piece of a GBK run;
    # only a plan that transcodes the whole run outweighs a clean GBK reading.
    if repair and (not gbk_flags or is_whole_transcoding(repair.plan)):
        return [repair_flag(text, repair)]
    if gbk_flags:
        return gbk_flags
    if text[end - 1] == "\u00c2":
        stray = stray_nbsp_flag(text, end - 1)
        return [stray] if stray else []
    return []


def repair_utf8_run(text: str, start: int, end: int) -> Utf8Repair | None:
    """Return ftfy's repair of text[start:end] read in context, or None if ftfy keeps it."""
    before = context_before(text, start)
    after = context_after(text, end)
    window = before + text[start:end] + after
    fixed = ftfy.fix_encoding_and_explain(window)
    if fixed.text == window:
        return None
    # Keep the flag on the run, widening it only over context that ftfy changed as well
    # (a space that was a non-breaking space, for instance).
    same_prefix = common_prefix_length(window, fixed.text)
    same_suffix = common_prefix_length(window[::-1], fixed.text[::-1])
    cut_before = min(same_prefix, len(before))
    cut_after = min(same_suffix, len(after))
    return Utf8Repair(
        start=start - len(before) + cut_before,
        end=end + len(after) - cut_after,
        suggestion=fixed.text[cut_before : len(fixed.text) - cut_after],
        plan=tuple((step.action, step.parameter) for step in fixed.explanation or []),
    )


def repair_flag(text: str, repair: Utf8Repair) -> QualityFlag:
    """Return the flag for a run that ftfy repairs, naming the codecs its plan went through."""
    damaged = text[repair.start : repair.end]
    encodes = [parameter for action, parameter in repair.plan if action == "encode"]
    decodes = [parameter for action, parameter in repair.plan if action == "decode"]
    if all(codec in LATIN1_FAMILY_CODECS for codec in encodes) and all(
        codec in UTF8_CODECS for codec in decodes
    ):
        return QualityFlag(
            start=repair.start,
            end=repair.end,
            kind=KIND_UTF8_AS_LATIN1,
            note=(
                f"{damaged!r} looks like UTF-8 bytes shown as Latin-1/cp1252; "
                f"ftfy reads them as {repair.suggestion!r}"
            ),
            suggestion=repair.suggestion,
        )
    steps = ", ".join(f"{action} {parameter}" for action, parameter in repair.plan)
    return QualityFlag(
        start=repair.start,
        end=repair.end,
        kind=KIND_MISDECODED,
        note=f"{damaged!r} looks mis-decoded; ftfy reads it as {repair.suggestion!r} ({steps})",
        suggestion=repair.suggestion,
    )


def is_whole_transcoding(plan: tuple[tuple[str, str], ...]) -> bool:
    """Return whether ftfy's plan re-reads the whole run rather than pieces of it."""
    return bool(plan) and plan[0][0] == "encode" and plan[-1] == ("decode", "utf-8")


def gbk_flags_in_run(text: str, start: int, end: int) -> list[QualityFlag]:
    """Return a flag for each stretch of the run that is GBK-encoded Chinese shown as Latin-1."""
    flags = []
    for match in LATIN1_HIGH_RUN.finditer(text, start, end):
        damaged = match.group()
        reading = read_as_gbk(damaged)
        if reading is None:
            continue
        hex_bytes = damaged.encode("latin-1").hex(" ").upper()
        flags.append(
            QualityFlag(
                start=match.start(),
                end=match.end(),
                kind=KIND_GBK_AS_LATIN1,
                note=(
                    f"{damaged!r} is the bytes {hex_bytes} shown as Latin-1; read as GBK they "
                    f"say {reading!r}. The word originally here is unknown: the Chinese text "
                    "replaced it, the bytes do not encode it."
                ),
                suggestion=reading,
            )
        )
    return flags


def read_as_gbk(damaged: str) -> str | None:
    """Return the GBK reading of Latin-1 text if it is all CJK ideographs, else None."""
    try:
        reading = damaged.encode("latin-1").decode("gbk")
    except UnicodeError:
        return None
    return reading if all(is_cjk_ideograph(character) for character in reading) else None


def is_cjk_ideograph(character: str) -> bool:
    code_point = ord(character)
    return (
        0x4E00 <= code_point <= 0x9FFF
        or 0x3400 <= code_point <= 0x4DBF
        or 0xF900 <= code_point <= 0xFAFF
    )


def stray_nbsp_flag(text: str, index: int) -> QualityFlag | None:
    """Return a flag if the "Â" at `index` is what is left of a broken non-breaking space.

    A UTF-8 non-breaking space is the bytes C2 A0; read as Latin-1 it shows as "Â" and a
    non-breaking space, and when that space is later dropped or turned into an ordinary one
    only the "Â" remains. French words do start with "Â" ("Âge", "L'Âme"), so a letter after
    it clears it unless it is glued to the end of a word or number.
    """
    following = text[index + 1] if index + 1 < len(text) else ""
    preceding = text[index - 1] if index > 0 else ""
    ends_nothing = not following.isalpha()
    glued_after_word = preceding in CLOSING_CHARACTERS
    if not (ends_nothing or glued_after_word):
        return None
    if following.isalnum():
        suggestion = "\u00a0"
        outcome = "it stands between two words, so a non-breaking space probably belongs here"
    else:
        suggestion = ""
        outcome = "the space itself is gone or already present, so deleting it restores the text"
    return QualityFlag(
        start=index,
        end=index + 1,
        kind=KIND_STRAY_NBSP_ARTIFACT,
        note=(
            "a lone 'Â' is the first byte (C2) of a UTF-8 non-breaking space read as Latin-1; "
            + outcome
        ),
        suggestion=suggestion,
    )


def context_before(text: str, start: int) -> str:
    """Return up to CONTEXT_CHARACTERS before `start`, stopping at any other candidate."""
    before = text[max(0, start - CONTEXT_CHARACTERS) : start]
    clean_from = len(before)
    while clean_from > 0 and NOT_MOJIBAKE_CHARACTER.match(before, clean_from - 1):
        clean_from -= 1
    return before[clean_from:]


def context_after(text: str, end: int) -> str:
    """Return up to CONTEXT_CHARACTERS after `end`, stopping at any other candidate."""
    after = text[end : end + CONTEXT_CHARACTERS]
    clean_to = 0
    while clean_to < len(after) and NOT_MOJIBAKE_CHARACTER.match(after, clean_to):
        clean_to += 1
    return after[:clean_to]


def common_prefix_length(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length


def describe_encoding_damage(flags: Iterable[QualityFlag]) -> str:
    """Return a one-line summary of the flags, e.g. for an admin list or an import report."""
    counts = Counter(flag.kind for flag in flags)
    if not counts:
        return "no encoding damage found"
    labels = {
        KIND_UTF8_AS_LATIN1: "UTF-8 shown as Latin-1",
        KIND_MISDECODED: "text decoded with the wrong codec",
        KIND_GBK_AS_LATIN1: "GBK Chinese shown as Latin-1",
        KIND_STRAY_NBSP_ARTIFACT: "stray 'Â' from a broken non-breaking space",
    }
    parts = [f"{count} × {labels.get(kind, kind)}" for kind, count in sorted(counts.items())]
    return f"{counts.total()} encoding problem(s): " + "; ".join(parts)
