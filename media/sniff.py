"""What a file really is, from its first bytes: the filename and declared type are not asked.

Only the four accepted formats must be recognised exactly (Pillow confirms them after this);
the rest is recognised well enough to tell a person what they sent instead of a photo.
"""

from __future__ import annotations

import codecs

# Pillow's format id for each accepted kind; the key is the name shown to people.
ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "WebP": "WEBP", "HEIC": "HEIF"}

# Image formats that are recognised but not accepted: the message says "not supported"
# rather than "not a photo".
OTHER_IMAGES = frozenset(
    {"GIF", "TIFF", "BMP", "AVIF", "SVG", "JPEG 2000", "JPEG XL", "Photoshop", "ICO"}
)

# (offset, magic bytes, name), first match wins.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "JPEG"),
    (0, b"\x89PNG\r\n\x1a\n", "PNG"),
    (0, b"GIF87a", "GIF"),
    (0, b"GIF89a", "GIF"),
    (0, b"II*\x00", "TIFF"),
    (0, b"MM\x00*", "TIFF"),
    (0, b"8BPS", "Photoshop"),
    (0, b"\x00\x00\x01\x00", "ICO"),
    (0, b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (0, b"\xff\x4f\xff\x51", "JPEG 2000"),
    (0, b"\x00\x00\x00\x0cJXL \r\n\x87\n", "JPEG XL"),
    (0, b"\xff\x0a", "JPEG XL"),
    (0, b"PK\x03\x04", "ZIP-archief of Office-document"),
    (0, b"PK\x05\x06", "ZIP-archief of Office-document"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office-document"),
    (0, b"\x1f\x8b", "gzip-archief"),
    (0, b"7z\xbc\xaf\x27\x1c", "7-Zip-archief"),
    (0, b"Rar!\x1a\x07", "RAR-archief"),
    (0, b"\x1aE\xdf\xa3", "video (WebM/MKV)"),
    (0, b"OggS", "audio of video (Ogg)"),
    (0, b"ID3", "audio (MP3)"),
    (0, b"fLaC", "audio (FLAC)"),
    (0, b"\x7fELF", "programma"),
    (0, b"MZ", "programma (Windows)"),
    (0, b"{\\rtf", "RTF-document"),
)

_RIFF = {b"WEBP": "WebP", b"AVI ": "video (AVI)", b"WAVE": "audio (WAV)"}

_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_HEIF_GENERIC_BRANDS = frozenset({b"mif1", b"msf1", b"mif2"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})


def sniff(head: bytes) -> str:
    """The name of the file type of `head` (the first few KB), or "" when unknown."""
    for offset, magic, name in _MAGIC:
        if head.startswith(magic, offset):
            return name
    if head.startswith(b"RIFF") and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return _iso_media(head)
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00":
        return "BMP"
    if b"%PDF-" in head[:1024]:
        return "PDF"
    return _text_kind(head)


def _iso_media(head: bytes) -> str:
    """HEIC, AVIF and MP4/MOV share one container; its brands tell them apart."""
    size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    brands = {major} | compatible
    if major in _HEIC_BRANDS:
        return "HEIC"
    if brands & _AVIF_BRANDS:
        return "AVIF"
    if major in _HEIF_GENERIC_BRANDS or brands & _HEIC_BRANDS:
        return "HEIC"
    return "video (MP4/MOV)"


def _text_kind(head: bytes) -> str:
    # An incremental decoder tolerates a character cut in half at the end of `head`.
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head[:4096], final=False)
    except UnicodeDecodeError:
        return ""
    if not text or any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return ""
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("<"):
        if "<svg" in start[:2048]:
            return "SVG"
        if any(tag in start[:2048] for tag in ("<!doctype html", "<html", "<head", "<body")):
            return "HTML"
        if start.startswith("<?xml"):
            return "XML"
    return "tekst"
