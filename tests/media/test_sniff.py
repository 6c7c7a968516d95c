"""File types are told from content."""

from __future__ import annotations

import pytest

from media.sniff import sniff

from .images import photo


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (photo("JPEG"), "JPEG"),
        (photo("PNG"), "PNG"),
        (photo("WEBP"), "WebP"),
        (photo("HEIF"), "HEIC"),
        (photo("GIF"), "GIF"),
        (photo("BMP"), "BMP"),
        (photo("TIFF"), "TIFF"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "AVIF"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", "AVIF"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "HEIC"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", "video (MP4/MOV)"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "video (AVI)"),
        (b"\x1aE\xdf\xa3\x9fB\x86\x81\x01", "video (WebM/MKV)"),
        (b"%PDF-1.4", "PDF"),
        (b"\xef\xbb\xbf  %PDF-1.4", "PDF"),
        (b"PK\x03\x04", "ZIP-archief of Office-document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office-document"),
        (b"MZ\x90\x00", "programma (Windows)"),
        (b"<html><head>", "HTML"),
        (b"\n\n  <!doctype html>", "HTML"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'>", "SVG"),
        (b"<?xml version='1.0'?><root/>", "XML"),
        ("Kraan lekt, €25 eigen bijdrage".encode(), "tekst"),
        ("é".encode()[:1], ""),
        (b"\x00\x01\x02\x03", ""),
        (b"", ""),
    ],
)
def test_sniff(head: bytes, name: str) -> None:
    assert sniff(head) == name
