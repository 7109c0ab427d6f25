"""The one error base class of ecociv.

Every error a user can see says, in Chinese and in English, what went wrong, where, and what
to do next.  Command-line entry points catch :class:`EcocivError` and print one line; nothing
else should reach a user as a traceback.
"""

from __future__ import annotations


class EcocivError(Exception):
    """Base error: a bilingual message plus an optional location (file, table, row, column)."""

    def __init__(self, zh: str, en: str, *, where: str | None = None) -> None:
        self.zh = zh
        self.en = en
        self.where = where
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        text = self.zh if lang == "zh" else self.en
        return f"{self.where}: {text}" if self.where else text


class InputError(EcocivError):
    """The input (a file, a cell, a form field) cannot be used as given."""


class ConfigError(EcocivError):
    """A setting or environment variable is missing or malformed."""
