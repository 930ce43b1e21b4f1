"""Make a corpus of N kremlin.ru-style transcripts from the samples, for benchmarks and tests.

Each transcript is one of the real samples (the CSTO session of 64534.txt, and
the Carlson interview in Russian and in English, given a header), with its own
number (so its own document ID), its own date and its own speakers: every
speaker but Putin gets a surname made for that transcript, consistently in
labels and lead (``Пашинян`` -> ``Дукопашинян``, declined as before). Sizes
are the samples' own (66, 165 and 98 KB), cycled.

    python bench/make_corpus.py 2000 /tmp/corpus-2000
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"

RU_SYLLABLES = ["ду", "ко", "ма", "ре", "са", "ти", "лу", "ве", "но", "пи", "за", "хо", "бе", "го",
                "жу", "ли", "мо", "ны", "ра", "су", "та", "фе", "ци", "ша", "бо", "ви", "да", "ке",
                "ля", "му"]
EN_SYLLABLES = ["du", "ko", "ma", "re", "sa", "ti", "lu", "ve", "no", "pi", "za", "ho", "be", "go",
                "ju", "li", "mo", "ny", "ra", "su", "ta", "fe", "ci", "sha", "bo", "vi", "da", "ke",
                "la", "mu"]

RU_LABEL = re.compile(r"^[А-ЯЁ]\.(?:-[А-ЯЁ]\.)?([А-ЯЁ][а-яё]+)(?: \([^)]*\))?:", re.MULTILINE)
EN_LABEL = re.compile(r"^[A-Z][a-z]+ ([A-Z][a-z]+):", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Sample:
    """A real transcript to copy, and how to give it a header if it has none."""

    file: str
    label: re.Pattern[str]
    syllables: list[str]
    header: str | None = None
    """Title, date, place and lead for a headerless sample (``{date}`` filled in)."""
    url: str = "http://kremlin.ru/events/president/news/copy/{number}"


SAMPLES = [
    Sample("kremlin-ru/64534.txt", RU_LABEL, RU_SYLLABLES),
    Sample("kremlin-ru/carlson-interview-ru.txt", RU_LABEL, RU_SYLLABLES,
           "Интервью Такеру Карлсону\n\n{date}\n\nМосква, Кремль\n\n"
           "Владимир Путин ответил на вопросы американского журналиста Такера Карлсона.\n* * *\n"),
    Sample("kremlin-en/carlson-interview-en.txt", EN_LABEL, EN_SYLLABLES,
           "Interview to Tucker Carlson\n\n{date}\n\nMoscow, The Kremlin\n\n"
           "Vladimir Putin answered questions from American journalist Tucker Carlson.\n* * *\n",
           "http://en.kremlin.ru/events/president/news/copy/{number}"),
]

FIRST_NUMBER = 100_000
FIRST_DATE = datetime(2015, 1, 5, 11, 0)


def syllables(index: int, alphabet: list[str]) -> str:
    """A prefix unique to ``index`` (three syllables: 27,000 transcripts)."""
    base = len(alphabet)
    return "".join(alphabet[(index // base ** k) % base] for k in (2, 1, 0))


def rename_speakers(text: str, sample: Sample, index: int) -> str:
    """Every speaker but Putin gets a surname of this transcript's own, everywhere it occurs."""
    prefix = syllables(index, sample.syllables)
    surnames = {name for name in sample.label.findall(text)} - {"Путин", "Putin"}
    for surname in sorted(surnames, key=len, reverse=True):
        new = prefix.capitalize() + surname.lower()
        text = re.sub(rf"(?<![\w]){surname}", new, text)
    return text


def transcript(index: int, samples: list[Sample] = SAMPLES) -> str:
    """The ``index``-th transcript of a corpus cycling through ``samples``."""
    sample = samples[index % len(samples)]
    text = (DATA / sample.file).read_text(encoding="utf-8").strip("\n")
    when = FIRST_DATE + timedelta(days=index, minutes=7 * (index % 60))
    number = FIRST_NUMBER + index
    if sample.header is None:
        text = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", when.strftime("%Y-%m-%d %H:%M:%S"),
                      text, count=1, flags=re.MULTILINE)
        text = re.sub(r"/news/(copy/)?\d+\s*$", f"/news/copy/{number}", text)
    else:
        text = (sample.header.format(date=when.strftime("%Y-%m-%d %H:%M:%S")) + text
                + "\n\n" + sample.url.format(number=number))
    return rename_speakers(text, sample, index) + "\n"


def chosen(sample: str) -> list[Sample]:
    """``all`` (the three samples, cycled) or the one whose file name contains ``sample``."""
    found = [s for s in SAMPLES if sample == "all" or sample in s.file]
    if not found:
        raise SystemExit(f"no sample matches {sample!r}: use all, 64534, carlson-interview-ru, "
                         "carlson-interview-en")
    return found


def make_corpus(n: int, out: Path, sample: str = "all") -> list[Path]:
    """Write ``n`` transcripts into ``out`` (``t000001.txt``...); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    samples = chosen(sample)
    paths = []
    for index in range(n):
        path = out / f"t{index:06d}.txt"
        path.write_text(transcript(index, samples), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of transcripts")
    parser.add_argument("out", type=Path, help="folder to write them into")
    parser.add_argument("--sample", default="all",
                        help="all (default: the three samples cycled) or one, e.g. 64534")
    args = parser.parse_args()
    paths = make_corpus(args.n, args.out, args.sample)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} transcripts, {size / 1e6:.1f} MB, in {args.out}")


if __name__ == "__main__":
    main()
