"""Placeholder replaced by the translation completeness check."""
