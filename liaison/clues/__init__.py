"""线索移送 — a case or a suggestion forwarded to the procuratorate's public-interest litigation
office as a clue, with consent, and the procuratorate's feedback (docs/clues.md)."""
