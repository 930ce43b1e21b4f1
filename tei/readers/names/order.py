"""Name order: Chinese and Korean names put the surname first (``Xi Jinping``, ``Мун Чжэ Ин``).

Identifiers and registers sort by surname (``putin-vladimir``), so a name printed
surname first must be read that way: ``Xi Jinping`` is ``xi-jinping``, not
``jinping-xi``. A name is read surname first when its first word is one of the
common Chinese or Korean surnames below and the rest reads as a Chinese or
Korean given name: Hanyu Pinyin syllables (``Jinping``, ``Keqiang``) or a
hyphenated Korean name (``Jae-in``) in Latin script; in Cyrillic, words the
Russian dictionary does not know as forenames (``Цзиньпин``; not ``Ли Владимир``).
Japanese names are printed forename first on both sites (``Shinzo Abe``) and
are left alone.

The surnames, and their sources:

- Chinese: the hundred most common surnames of the PRC's 2019 household
  registration ranking (Ministry of Public Security, published January 2020), in
  Hanyu Pinyin as en.kremlin.ru prints them and in the Palladius transcription
  kremlin.ru uses (``Си``, ``Ли``, ``Ван``);
- Korean: the twenty most common surnames of the 2015 census (Statistics Korea),
  in the spellings usual in English (``Moon``, ``Park``, ``Lee``) and in the
  Kontsevich transcription used in Russian (``Мун``, ``Пак``, ``Ли``).

The list was written down from those rankings by hand: a missing surname leaves
that name in the forename-first order, which an authority file can correct.
"""

from __future__ import annotations

import re
from functools import cache

from tei.readers.names.analyses import analyses
from tei.readers.names.words import is_cyrillic

CHINESE = frozenset("""
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang
xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei
su lu ding ren shen yao jin fu zhong xue lü lv cui tan liao fan wan qian dai mo kong bai qin
shi xi xiong meng qiu qin hou jia yin duan lei long tao hao gu mao hao kang yan qiao niu
""".split())
"""Common Chinese surnames in Hanyu Pinyin (lower case, tone marks dropped)."""

KOREAN = frozenset("""
kim lee yi rhee park pak bak choi choe jung chung jeong kang cho jo yoon yun jang chang lim im
han oh shin sin seo suh kwon gwon hwang ahn an song jeon chun hong moon mun
""".split())
"""Common Korean surnames in their usual English spellings (lower case)."""

CYRILLIC = frozenset("""
ван ли чжан лю чэнь ян хуан чжао чжоу сюй сунь ма чжу ху го хэ линь гао ло чжэн лян се сун
тан хань фэн дэн цао пэн цзэн сяо тянь дун пань юань цай цзян юй ду чэн вэй су лу дин жэнь
шэнь яо цзинь фу чжун сюэ люй цуй тань ляо фань вань цянь дай мо кун бай цинь ши си сюн мэн
цю хоу цзя инь дуань лэй лун тао хао гу мао кан янь цяо ню
ким пак чхве чон кан чо юн чан лим им хан син со квон хван ан сон хон мун
""".split())
"""The same surnames as Russian texts transcribe them (Palladius; Kontsevich for Korean)."""

@cache
def _pinyin() -> re.Pattern[str]:
    """A word made of Hanyu Pinyin syllables: ``Jinping``, ``Keqiang``, ``Yi`` (compiled at
    the first Chinese surname: some 3 ms, which most transcripts never need)."""
    return re.compile(
        r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
        r"(?:iang|iong|uang|ueng|iao|ian|ing|uai|uan|ang|eng|ong|ai|ei|ao|ou|an|en|er|ia|ie|iu"
        r"|in|ua|uo|ui|un|ue|ü|v|a|o|e|i|u))+", re.IGNORECASE)

_KOREAN_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+")
"""A hyphenated Korean given name: ``Jae-in``, ``Jong-un``."""


def surname_first(surname: str | None, given: str | None) -> bool:
    """True when ``surname given`` is a Chinese or Korean name, printed surname first."""
    if not surname or not given:
        return False
    key = surname.casefold()
    words = given.split()
    if is_cyrillic(surname):
        return key in CYRILLIC and not any(_is_forename(word) for word in words)
    if key in CHINESE and all(_pinyin().fullmatch(word) for word in words):
        return True
    return key in KOREAN and len(words) == 1 and bool(_KOREAN_GIVEN.fullmatch(words[0]))


def _is_forename(word: str) -> bool:
    """A word the Russian dictionary knows as a forename (``Владимир``)."""
    return any("Name" in parse.grammemes and parse.known for parse in analyses(word))


def printed(forename: str | None, surname: str | None, patronymic: str | None = None) -> str:
    """A full name in the order it is printed: ``Владимир Владимирович Путин``, ``Xi Jinping``."""
    if surname_first(surname, forename):
        return f"{surname} {forename}"
    return " ".join(word for word in (forename, patronymic, surname) if word)
