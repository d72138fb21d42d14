"""Make Pagefind's filter index repeatable: same site in, same bytes out.

Pagefind 1.5 writes each filter's values, and the list of filters in its metadata, in hash-map
order, which Rust randomises per process (Pagefind issue #638: "other files will still change, such
as the filter/metadata indexes"). Everything else it writes is already stable. This rewrites the
filter files with their values sorted, names each by the hash of its new content, then rewrites
the metadata file (filters sorted by name) and the entry file that names it.

The files are gzip'd CBOR after a `pagefind_dcd` signature. Only the small CBOR subset Pagefind
uses (unsigned ints, text, arrays) is handled, and re-encoding must give back the bytes Pagefind
wrote, which `_decode_file` checks, so a future Pagefind format change fails the build loudly
instead of writing a broken index.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
META_FILTERS = 3  # MetaIndex: version, pages, index chunks, filters, sorts, ...


class PagefindFormatError(Exception):
    """The index is not in the format this module knows; nothing has been rewritten."""


def _decode(data: bytes, i: int) -> tuple[Any, int]:
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        value = info
    elif 24 <= info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[i : i + size], "big")
        i += size
    else:
        raise PagefindFormatError(f"unsupported CBOR item {data[i - 1]:#x}")
    if major == 0:
        return value, i
    if major == 3:
        return data[i : i + value].decode("utf-8"), i + value
    if major == 4:
        items = []
        for _ in range(value):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    raise PagefindFormatError(f"unsupported CBOR major type {major}")


def _encode(value: Any) -> bytes:
    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
            if n < 1 << (8 * struct.calcsize(fmt)):
                return bytes([major << 5 | info]) + struct.pack(fmt, n)
        raise PagefindFormatError(f"integer too large: {n}")

    if isinstance(value, int) and value >= 0:
        return head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(_encode(v) for v in value)
    raise PagefindFormatError(f"cannot encode {type(value).__name__}")


def _decode_file(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise PagefindFormatError(f"{path.name}: no Pagefind signature")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data) or _encode(value) != data[len(SIGNATURE) :]:
        raise PagefindFormatError(f"{path.name}: does not re-encode to the same bytes")
    return value


def _write(folder: Path, language: str, digits: int, suffix: str, value: Any) -> str:
    """Write `value` as a Pagefind file named by its content hash; returns the hash name."""
    data = SIGNATURE + _encode(value)
    name = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return name


def stabilise(bundle: Path) -> None:
    """Rewrite the filter and metadata files of the Pagefind bundle in `bundle` in sorted order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = entry_path.read_text(encoding="utf-8")
    for meta_path in sorted(bundle.glob("pagefind.*.pf_meta")):
        old_meta = meta_path.name.removeprefix("pagefind.").removesuffix(".pf_meta")
        language = old_meta.rsplit("_", 1)[0]
        meta = _decode_file(meta_path)
        filters = []
        for name, old in meta[META_FILTERS]:
            path = bundle / "filter" / f"{old}.pf_filter"
            filter_name, values = _decode_file(path)
            if filter_name != name:
                raise PagefindFormatError(f"{path.name} holds filter {filter_name!r}, not {name!r}")
            values = sorted(values, key=lambda v: v[0])
            path.unlink()
            filters.append(
                [name, _write(bundle / "filter", language, 7, ".pf_filter", [name, values])]
            )
        meta[META_FILTERS] = sorted(filters)
        meta_path.unlink()
        new_meta = _write(bundle, f"pagefind.{language}", 13, ".pf_meta", meta).removeprefix(
            "pagefind."
        )
        entry = entry.replace(f'"{old_meta}"', f'"{new_meta}"')
    entry_path.write_text(entry, encoding="utf-8")
