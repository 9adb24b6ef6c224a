"""vnlint: bilingual consistency and translation-QA linter for NATO vacancy notices."""

__version__ = "0.1.0"
