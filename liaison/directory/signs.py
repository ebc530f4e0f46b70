"""Printable public signs (公示牌) as A4 PDF."""


def deputy_sign_pdf(deputy) -> bytes:
    raise NotImplementedError


def station_signs_pdf(station, deputies) -> bytes:
    raise NotImplementedError
