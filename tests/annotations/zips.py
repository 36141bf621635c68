"""Zip archives for the upload and import tests: honest ones, large ones, and bombs."""

import io
import os
import struct
import zipfile

import orjson


def zipped(entries: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression, compresslevel=1) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def large_jsonl(size: int, *, document_chars: int = 500_000, prefix: str = "big") -> bytes:
    """Return Byline JSON Lines of at least `size` bytes: documents of random words, which
    deflate about 2 times (a real export deflates 3 to 10 times; a bomb, thousands)."""
    lines = []
    total = 0
    while total < size:
        letters = os.urandom(document_chars // 2).hex()
        text = " ".join(letters[i : i + 9] for i in range(0, len(letters), 9))
        line = orjson.dumps({"id": f"{prefix}-{len(lines)}", "text": text}) + b"\n"
        lines.append(line)
        total += len(line)
    return b"".join(lines)


def bomb(name: str = "bomb.txt", size: int = 50 * 10**6) -> bytes:
    """Return a .zip whose one entry, `size` zero bytes, deflates about a thousand times."""
    return zipped({name: b"0" * size})


def lying_bomb(name: str = "bomb.txt", size: int = 50 * 10**6, declared: int = 1000) -> bytes:
    """Return a bomb whose central directory declares its entry `declared` bytes long."""
    content = bytearray(bomb(name, size))
    record = content.rfind(zipfile.stringCentralDir)
    # The uncompressed size of a central directory record (APPNOTE.TXT 4.3.12), at offset 24.
    content[record + 24 : record + 28] = struct.pack("<L", declared)
    return bytes(content)
