"""Words the renderers add to a page, in the document's language, and dates for people.

Russian and English are provided; any other language gets the English words
(templates mark them with ``lang="en"`` so screen readers pronounce them right).
"""

from __future__ import annotations

import re

from markupsafe import Markup

WORDS: dict[str, dict[str, str]] = {
    "ru": {
        "home": "Все документы издания",
        "date": "Дата",
        "place": "Место",
        "source": "Источник",
        "licence": "Лицензия",
        "how_to_cite": "Как цитировать",
        "document_id": "Идентификатор документа",
        "paragraph_ref": "Ссылка на абзац",
        "paragraph_ref_help": "щелчок по номеру абзаца слева от текста копирует ссылку на него",
        "citation": "Библиографическая ссылка",
        "dts_resource": "Для программ (DTS API)",
        "dts_navigation": "абзацы и реплики",
        "page_address": "Адрес документа",
        "page_address_unknown": "неизвестен: издание собрано без --base-url, поэтому ссылка "
                                "ниже ведёт на источник",
        "accessed": "дата обращения: {date}",
        "date_locale": "ru-RU",
        "copy": "Копировать",
        "copied": "Скопировано",
        "link_copied": "Ссылка на абзац скопирована",
        "paragraph": "Абзац",
        "paragraph_short": "абз.",
        "line": "Строка",
        "line_short": "строка",
        "line_ref": "Ссылка на строку",
        "line_ref_help": "щелчок по номеру строки слева от текста копирует ссылку на неё",
        "other_languages": "На других языках",
        "author": "Автор",
        "authors": "Авторы",
        "contents": "Содержание",
        "summary": "Вступление",
        "transcript": "Стенограмма",
        "front": "Вступительная часть",
        "back": "Приложения",
        "persons": "Участники",
        "places": "Места",
        "turns": "Реплики",
        "turn": "Реплика",
        "words": "Слов",
        "not_listed": "нет в описании документа",
        "supplied": "Добавлено редакцией",
        "omitted": "Пропуск в источнике",
        "note": "Прим.",
        "skip": "Перейти к тексту",
        "made_with": "Издание подготовлено tei-edition из TEI-документа",
        "at": "в",
        "search": "Поиск",
        "search_label": "Поиск по изданию",
        "search_button": "Найти",
        "search_offline": "Поиск работает, когда издание открыто с веб-сервера, а не как файл: "
                          "запустите tei-edition serve build (или python3 -m http.server -d "
                          "build; build — папка издания) и откройте "
                          "http://localhost:8000/search.html",
        "search_filters": "Уточнить",
        "search_sort": "Порядок",
        "search_relevance": "по значимости",
        "search_newest": "сначала новые",
        "search_oldest": "сначала старые",
        "search_found": "Найдено документов: {n}",
        "search_nothing": "По запросу «{q}» ничего не найдено.",
        "search_empty": "Введите слово или фразу в кавычках.",
        "search_loading": "Идёт поиск…",
        "search_failed": "Поиск не удался: {error}",
        "search_more": "Показать ещё",
        "search_all_values": "Показать все ({n})",
        "search_more_hits": "и ещё абзацев: {n}",
        "year": "Год",
        "language": "Язык",
    },
    "en": {
        "home": "All documents of the edition",
        "date": "Date",
        "place": "Place",
        "source": "Source",
        "licence": "Licence",
        "how_to_cite": "How to cite",
        "document_id": "Document identifier",
        "paragraph_ref": "Paragraph reference",
        "paragraph_ref_help": "click a paragraph’s number, left of the text, to copy its link",
        "citation": "Citation",
        "dts_resource": "For machines (DTS API)",
        "dts_navigation": "paragraphs and turns",
        "page_address": "Address of the document",
        "page_address_unknown": "not known: the edition was built without --base-url, so the "
                                "citation below gives the source’s address",
        "accessed": "accessed {date}",
        "date_locale": "en-GB",
        "copy": "Copy",
        "copied": "Copied",
        "link_copied": "Link to the paragraph copied",
        "paragraph": "Paragraph",
        "paragraph_short": "para.",
        "line": "Line",
        "line_short": "line",
        "line_ref": "Line reference",
        "line_ref_help": "click a line’s number, left of the text, to copy its link",
        "other_languages": "In other languages",
        "author": "Author",
        "authors": "Authors",
        "contents": "Contents",
        "summary": "Summary",
        "transcript": "Transcript",
        "front": "Front matter",
        "back": "Back matter",
        "persons": "Persons",
        "places": "Places",
        "turns": "Turns",
        "turn": "Turn",
        "words": "Words",
        "not_listed": "not described in this document",
        "supplied": "Supplied by the editors",
        "omitted": "Passage omitted in the source",
        "note": "Note",
        "skip": "Skip to the text",
        "made_with": "Edition made by tei-edition from the TEI document",
        "at": "at",
        "search": "Search",
        "search_label": "Search the edition",
        "search_button": "Search",
        "search_offline": "Search works when the edition is served, not opened as a file: run "
                          "tei-edition serve build (or python3 -m http.server -d build; build "
                          "is the edition’s folder) and open http://localhost:8000/search.html",
        "search_filters": "Narrow down",
        "search_sort": "Order",
        "search_relevance": "by relevance",
        "search_newest": "newest first",
        "search_oldest": "oldest first",
        "search_found": "Documents found: {n}",
        "search_nothing": "Nothing found for “{q}”.",
        "search_empty": "Type a word, or a phrase in quotes.",
        "search_loading": "Searching…",
        "search_failed": "The search failed: {error}",
        "search_more": "Show more",
        "search_all_values": "Show all ({n})",
        "search_more_hits": "and {n} more paragraphs",
        "year": "Year",
        "language": "Language",
    },
}

LANGUAGE_NAMES = {"ru": "Русский", "en": "English", "uk": "Українська", "de": "Deutsch",
                  "fr": "Français", "es": "Español", "zh": "中文", "be": "Беларуская",
                  "kk": "Қазақ тілі"}
"""Languages by their own names, as a link to a version in that language and the search
page's language filter show them."""


def language_name(lang: str) -> str:
    """A language by its own name (``English``); the tag itself for one not in the table."""
    return LANGUAGE_NAMES.get(lang.split("-")[0].lower(), lang)


_MONTHS = {
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
_MONTHS_NOMINATIVE_RU = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль",
                         "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]

_WHEN = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$")


def ui_lang(lang: str) -> str:
    """The language of the added words: the document's if provided, else English."""
    base = lang.split("-")[0].lower()
    return base if base in WORDS else "en"


def ui_attr(lang: str) -> Markup:
    """`` lang="en"`` for the added words when they are not in the document's language, else
    nothing (screen readers then pronounce each in its own language)."""
    ui = ui_lang(lang)
    return Markup("") if lang.split("-")[0].lower() == ui else Markup(f' lang="{ui}"')


class Words:
    """The added words of one language, read as ``L.persons`` or ``L["persons"]`` in templates.

    Not a dict, so that a word named like a dict method (``copy``) is still a word.
    """

    __slots__ = ("lang", "_words")

    def __init__(self, lang: str) -> None:
        self.lang = ui_lang(lang)
        self._words = WORDS[self.lang]

    def __getattr__(self, name: str) -> str:
        try:
            return self._words[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> str:
        return self._words[name]


def words_for(lang: str) -> Words:
    """The added words for a document language."""
    return Words(lang)


def when_parts(value: str) -> dict[str, str | None] | None:
    """The parts of an ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD[Thh:mm[:ss][zone]]``)."""
    match = _WHEN.match(value.strip())
    if match is None:
        return None
    parts = match.groupdict()
    month, day = parts["month"], parts["day"]
    if month is not None and not 1 <= int(month) <= 12:
        return None
    if day is not None and not 1 <= int(day) <= 31:
        return None
    if parts["hour"] is not None and (int(parts["hour"]) > 23 or int(parts["minute"] or 0) > 59):
        return None
    return parts


def format_when(value: str, lang: str) -> str | None:
    """An ISO date for people: ``2 декабря 2020 г., 13:15 (UTC+3)``; None if not ISO."""
    parts = when_parts(value)
    if parts is None:
        return None
    lang = ui_lang(lang)
    year, month, day = parts["year"], parts["month"], parts["day"]
    if month is None:
        return f"{year} г." if lang == "ru" else str(year)
    m = int(month) - 1
    if day is None:
        return (f"{_MONTHS_NOMINATIVE_RU[m]} {year} г." if lang == "ru"
                else f"{_MONTHS['en'][m]} {year}")
    text = (f"{int(day)} {_MONTHS['ru'][m]} {year} г." if lang == "ru"
            else f"{int(day)} {_MONTHS['en'][m]} {year}")
    if parts["hour"] is not None:
        text += f", {parts['hour']}:{parts['minute']}"
        zone = parts["zone"]
        if zone:
            text += f" ({_zone(zone)})"
    return text


def _zone(zone: str) -> str:
    """``+03:00`` as ``UTC+3``, ``+05:30`` as ``UTC+5:30``, ``Z`` as ``UTC``."""
    if zone == "Z":
        return "UTC"
    hours, minutes = zone[1:].split(":")
    text = f"UTC{zone[0]}{int(hours)}"
    return text if minutes == "00" else f"{text}:{minutes}"
