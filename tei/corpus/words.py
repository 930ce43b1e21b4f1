"""The words of the corpus pages (their headings, columns and links), in each language the
corpus may be in, beside those of the document pages (:mod:`tei.render.words`)."""

from __future__ import annotations

from tei.render.words import Words

CORPUS_WORDS: dict[str, dict[str, str]] = {
    "ru": {
        "corpus": "Корпус", "documents": "Документы", "document": "Документ", "title": "Название",
        "speakers": "Говорящие", "corpus_persons": "Участники корпуса",
        "corpus_places": "Места корпуса", "mentions": "Упоминания (абзацы)", "setting": "место события",
        "sort_hint": "Щёлкните заголовок столбца, чтобы упорядочить таблицу.",
        "downloads": "Данные", "turns_tsv": "Реплики (TSV)", "corpus_xml": "Корпус (TEI)",
        "in_documents": "Документов", "documents_tsv": "Документы (TSV)",
        "turns_by_paragraph": "Реплики (абзацы)", "offices": "Должности",
        "location": "Расположение", "identifier": "Идентификатор", "from_to": "по",
        "said_txt": "Всё сказанное (текст)", "said_tsv": "Всё сказанное (TSV)",
        "by_letter": "По алфавиту", "other_letters": "Прочие", "page": "Страница",
        "role": "роль", "undated": "без даты",
    },
    "en": {
        "corpus": "Corpus", "documents": "Documents", "document": "Document", "title": "Title",
        "speakers": "Speakers", "corpus_persons": "Persons of the corpus",
        "corpus_places": "Places of the corpus", "mentions": "Mentioned (paragraphs)", "setting": "setting",
        "sort_hint": "Click a column heading to sort the table.",
        "downloads": "Data", "turns_tsv": "Turns (TSV)", "corpus_xml": "Corpus (TEI)",
        "in_documents": "Documents", "documents_tsv": "Documents (TSV)",
        "turns_by_paragraph": "Turns (paragraphs)", "offices": "Offices",
        "location": "Location", "identifier": "Identifier", "from_to": "to",
        "said_txt": "Everything said (text)", "said_tsv": "Everything said (TSV)",
        "by_letter": "A to Z", "other_letters": "Other", "page": "Page",
        "role": "role", "undated": "undated",
    },
}
"""Words of the corpus pages, besides those the document pages use (``tei.render.words``)."""


class CorpusWords(Words):
    """The words of the document pages and of the corpus pages, in one language."""

    __slots__ = ()

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self._words = {**self._words, **CORPUS_WORDS.get(self.lang, CORPUS_WORDS["en"])}
