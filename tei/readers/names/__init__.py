"""Names of persons in transcripts: their words (``words``), Russian morphology
(``morphology``), the people a lead names (``lead``) and the speakers of a document
(``speakers``)."""
