"""How the readers treat a transcript's conventions, in words for its TEI header.

The shared rules of :mod:`tei.readers.assemble` and :mod:`tei.readers.rules`
(speaker labels, supplied words, omission marks, stage directions) are the
readers' own decisions; so the prose that declares them
(``encodingDesc/editorialDecl``) comes from here, through
:attr:`tei.model.Document.editorial`, and the encoder only writes it.
"""

from __future__ import annotations

from collections.abc import Iterable

from tei.model import Normalization

EDITORIAL: dict[str, dict[str, str]] = {
    "ru": {
        "correction": "Текст источника не исправлялся: опечатки и особенности оригинала сохранены.",
        "normalization": (
            "Сохранены неразрывные пробелы, тире, кавычки-ёлочки и буква ё. Удалены только метка "
            "порядка байтов, пробелы в начале и конце строки; концы строк приведены к LF."
        ),
        "segmentation": (
            "Каждый абзац источника — элемент p с постоянным идентификатором p№ и номером n; "
            "нумерация сквозная: сначала вводная часть (div type=\"summary\"), затем стенограмма."
        ),
        "interpretation": (
            "Реплика начинается с метки говорящего и двоеточия: метка сохранена в speaker, "
            "говорящий указан в sp/@who; пояснение в скобках перед двоеточием (например, "
            "«как переведено») — note type=\"speaker\". Текст в квадратных скобках, добавленный "
            "редакцией сайта, — supplied reason=\"editorial\", скобки опущены. Знак пропуска <…>, "
            "поставленный редакцией сайта, — ellipsis с самим знаком в metamark (а не gap, который "
            "означает пропуск, сделанный при кодировании); стоящий отдельным абзацем — в своём "
            "абзаце p. Ремарки в круглых скобках "
            "(«Смех.», «Аплодисменты.») — stage, скобки опущены. Время — московское, со смещением "
            "UTC, действовавшим в тот день."
        ),
    },
    "en": {
        "correction": "The source text was not corrected: typing errors and peculiarities are kept.",
        "normalization": (
            "No-break spaces, dashes and quotation marks are kept. Only a byte-order mark and "
            "spaces at the start and end of lines were removed; line ends became LF."
        ),
        "segmentation": (
            "Each paragraph of the source is a p with a stable identifier p<n> and number n, "
            "counted through the lead (div type=\"summary\") and then the transcript."
        ),
        "interpretation": (
            "A turn opens with a speaker label and a colon: the label is kept in speaker and the "
            "speaker identified in sp/@who; a parenthetical before the colon (such as "
            "\"retranslated\") is a note type=\"speaker\". Words the site's editors supplied in "
            "square brackets are supplied reason=\"editorial\", brackets left out. The site's own "
            "omission mark <…> is an ellipsis holding the mark in a metamark (not a gap, which is "
            "for what an encoder leaves out); a mark printed as a paragraph of its own is in its "
            "own p. Stage "
            "directions in parentheses ((Laughter.), (Applause.)) are stage, parentheses left out. "
            "Times are Moscow time with the UTC offset in force on the day."
        ),
    },
}
"""The editorial declaration by language, part by part, in the order TEI lists the parts."""

NOTES: dict[str, dict[str, str]] = {
    "ru": {
        "invalid-utf8": ("Строка {line}: недопустимая в UTF-8 последовательность байтов {detail} "
                         "заменена символом U+FFFD."),
        "charset": ("Строка {line}: страница объявляет кодировку «{detail}», не являющуюся "
                    "кодировкой веб-страниц; она прочитана как UTF-8."),
        "address-moved": ("Строка {line}: адрес источника {detail} стоит не последней строкой "
                          "файла; текст после него прочитан как часть стенограммы."),
        "address-joined": ("Строка {line}: к адресу источника {detail} без перевода строки "
                           "присоединён текст; он прочитан как часть стенограммы."),
    },
    "en": {
        "invalid-utf8": "Line {line}: the invalid UTF-8 sequence {detail} was replaced by U+FFFD.",
        "charset": ("Line {line}: the page declares the charset \"{detail}\", which is no "
                    "character encoding of web pages; it was read as UTF-8."),
        "address-moved": ("Line {line}: the source address {detail} is not the file's last "
                          "line; the text after it was read as part of the transcript."),
        "address-joined": ("Line {line}: text was joined onto the source address {detail} "
                           "without a line break; it was read as part of the transcript."),
    },
}
"""What a reader changed in one source (:class:`tei.model.Normalization`), one sentence each,
added to the ``normalization`` part."""


def editorial(language: str,
              normalizations: Iterable[Normalization] = ()) -> dict[str, list[str]]:
    """The editorial declaration in ``language`` (English for other languages), with a
    sentence for each change the reader made to this source."""
    parts = {part: [text] for part, text in EDITORIAL.get(language, EDITORIAL["en"]).items()}
    notes = NOTES.get(language, NOTES["en"])
    parts["normalization"] += [notes[n.kind].format(line=n.line, detail=n.detail)
                               for n in normalizations]
    return parts
