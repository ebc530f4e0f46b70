"""Liaison — a platform for People's Congress deputy liaison stations (人大代表联络站)."""
