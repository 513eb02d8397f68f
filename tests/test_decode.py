"""decode_bytes: every text encoding we meet, and a clear InputError for everything else."""

from __future__ import annotations

import codecs

import pytest

from summarizer.errors import InputError
from summarizer.read.decode import decode_bytes

TEXT = "Café owners in Zürich said the “new rules” cost them €2,000 — a fifth of their profit."


def test_utf8() -> None:
    assert decode_bytes(TEXT.encode("utf-8")) == TEXT


def test_utf8_with_bom() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8")) == TEXT


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(codec: str) -> None:
    data = TEXT.encode(codec)
    if codec == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode_bytes(data) == TEXT


def test_utf16_without_bom() -> None:
    plain = "Officials said the bridge would reopen in September."
    assert decode_bytes(plain.encode("utf-16-le")) == plain


def test_cp1252() -> None:
    data = TEXT.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_bytes(data) == TEXT


def test_latin1() -> None:
    text = "Der Bürgermeister sagte, die Brücke sei ab Montag gesperrt. Straße à côté."
    assert decode_bytes(text.encode("latin-1")) == text


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_is_an_input_error(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        decode_bytes(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"PK\x03\x04" + bytes(200),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        b"GIF89a" + bytes(100),
        b"some text\x00\x00\x01\x02 with NUL bytes \x00\xff\xfe\x00",
        bytes(range(1, 32)) * 20,
    ],
)
def test_binary_is_an_input_error(data: bytes) -> None:
    with pytest.raises(InputError):
        decode_bytes(data)


def test_error_message_is_one_line() -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(b"\x89PNG\r\n\x1a\n")
    assert "\n" not in str(info.value) and str(info.value)
