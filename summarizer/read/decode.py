"""Bytes -> text: UTF-8 (with or without BOM), UTF-16/32 with BOM, legacy 8-bit encodings.

Binary data (images, archives, PDFs, anything with NUL bytes or many control characters) and
empty input raise :class:`InputError` with one clear line.
"""

from __future__ import annotations

import codecs
import re

from summarizer.errors import InputError

__all__ = ["decode_bytes"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "an executable"),
    (b"RIFF", "a media file"),
    (b"OggS", "a media file"),
    (b"ID3", "an audio file"),
    (b"\x00\x00\x00", "a binary file"),
    (b"\xd0\xcf\x11\xe0", "an old office document"),
    (b"SQLite format 3", "an SQLite database"),
)
# C0 controls except tab/newline/carriage return/form feed, plus DEL and C1 controls.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_WESTERN = frozenset(
    "cp1252 windows-1252 latin_1 iso8859_1 iso-8859-1 iso8859_15 cp1250 iso8859_2 mac_roman "
    "cp850 cp437 ascii".split()
)


def _check_text(text: str) -> str:
    sample = text[:20000]
    if sample and len(_CONTROL_RE.findall(sample)) > max(2, len(sample) // 100):
        raise InputError("the input looks like binary data, not text")
    if not text.strip():
        raise InputError("the input is empty")
    return text


def decode_bytes(data: bytes) -> str:
    """Decode raw bytes to text, or raise :class:`InputError` (empty, binary, undecodable)."""
    if not data or not data.strip():
        raise InputError("the input is empty")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom) :].decode(codec))
            except UnicodeDecodeError as exc:
                raise InputError(f"the input is not valid {codec.upper()} text") from exc
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"the input is {what}, not text")
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte of ASCII text is NUL.
        even, odd = head[0::2], head[1::2]
        for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
            if zeros.count(0) >= 0.9 * len(zeros) and len(head) >= 4:
                try:
                    return _check_text(data.decode(codec))
                except UnicodeDecodeError:
                    break
        raise InputError("the input looks like binary data (NUL bytes), not text")
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return _check_text(_legacy(data))


def _legacy(data: bytes) -> str:
    from charset_normalizer import from_bytes  # only for non-UTF-8 input

    best = from_bytes(data).best()
    guess = (best.encoding or "").lower() if best is not None else ""
    # Short Western texts are often mis-guessed (mac_roman, cp1250...): cp1252 is the usual truth.
    if not guess or guess in _WESTERN:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    if best is None:
        raise InputError("the input is not text in any known encoding")
    return str(best)
