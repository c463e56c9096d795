"""Zip files and folders holding ``original/NAME`` and ``corrupted/NAME`` (matching names, at
any depth, e.g. ``corpus/original/a.txt``), or ``NAME.orig.txt`` and ``NAME.corr.txt``.

Zip files are read in memory: member names are only ever strings (never joined to a directory,
nothing is extracted), and the declared sizes are checked before anything is decompressed
(``CorpusLimits``); ``zipfile`` itself stops at the declared size and fails the CRC check if a
member lies about it.
"""

from __future__ import annotations

import io
import os
import posixpath
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ...loading import InputError, os_reason, read_up_to, too_large
from ..schema import ALLOW_BIGGER_DOCUMENT, Corpus, CorpusLimits, PairInput

# Members that are operating-system debris, not data.
_DEBRIS_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
_ORIG_SUFFIX, _CORR_SUFFIX = ".orig.txt", ".corr.txt"


@dataclass
class _Slot:
    id: str
    original: str | None = None
    corrupted: str | None = None
    duplicates: list[str] = field(default_factory=list)


def _member_parts(name: str) -> list[str]:
    """A member name as path parts, only for matching: ``\\`` and ``/`` both separate, empty
    and ``.`` parts go. ``..`` stays a literal part; nothing here ever reaches the filesystem."""
    return [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]


def _side_of(parts: list[str]) -> tuple[str, str] | None:
    """``(side, key)`` for a member that is one side of a pair, else None:
    ``x/original/a.txt`` -> ``("original", "x/a.txt")``,
    ``x/a.orig.txt`` -> ``("original", "x/a")``."""
    for i, part in enumerate(parts[:-1]):
        if part.lower() in ("original", "corrupted"):
            return part.lower(), "/".join(parts[:i] + parts[i + 1 :])
    base = parts[-1].lower() if parts else ""
    for suffix, side in ((_ORIG_SUFFIX, "original"), (_CORR_SUFFIX, "corrupted")):
        if base.endswith(suffix) and len(base) > len(suffix):
            return side, "/".join(parts[:-1] + [parts[-1][: -len(suffix)]])
    return None


def _is_debris(parts: list[str]) -> bool:
    return (not parts or parts[0] == "__MACOSX" or parts[-1] in _DEBRIS_NAMES
            or parts[-1].startswith("._"))


def _pair_names(names: Iterable[str]) -> tuple[list[_Slot], tuple[str, ...]]:
    """Group member names into pairs, sorted by id; the names that are no side of a pair."""
    slots: dict[str, _Slot] = {}
    skipped = []
    for name in names:
        parts = _member_parts(name)
        found = None if _is_debris(parts) else _side_of(parts)
        if found is None:
            skipped.append(name)
            continue
        side, key = found
        slot = slots.setdefault(key, _Slot(key))
        if getattr(slot, side) is None:
            setattr(slot, side, name)
        else:
            slot.duplicates.append(name)
    ordered = [slots[k] for k in sorted(slots)]
    # a zipped folder ("corpus/original/a.txt"): ids without the folder every member shares
    firsts = {s.id.split("/", 1)[0] for s in ordered}
    if len(firsts) == 1 and all("/" in s.id for s in ordered):
        for s in ordered:
            s.id = s.id.split("/", 1)[1]
    return ordered, tuple(skipped)


def _slot_error(slot: _Slot) -> str | None:
    if slot.duplicates:
        return (f"pair {slot.id} is ambiguous: {', '.join(slot.duplicates)} gives a side that "
                "another file gives too.")
    if slot.original is None:
        return f"{slot.corrupted} has no original (original/NAME or NAME{_ORIG_SUFFIX})."
    if slot.corrupted is None:
        return f"{slot.original} has no corrupted version (corrupted/NAME or NAME{_CORR_SUFFIX})."
    return None


def _no_pairs(name: str) -> InputError:
    return InputError(
        f"{name} holds no pairs: expected original/NAME and corrupted/NAME, or NAME{_ORIG_SUFFIX}"
        f" and NAME{_CORR_SUFFIX}.")


def open_zip(data: bytes | None, path: str | None, name: str, limits: CorpusLimits) -> Corpus:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
        why = os_reason(err) if isinstance(err, OSError) else str(err)
        raise InputError(f"{name} is not a readable zip file ({why}).") from err
    try:
        # not ZipInfo.is_dir(): it fails on a member with an empty name (a damaged zip)
        infos = [info for info in archive.infolist() if not info.filename.endswith("/")]
        _check_zip_limits(infos, name, limits)
    except InputError:
        archive.close()
        raise
    by_name: dict[str, zipfile.ZipInfo] = {}
    duplicate_members = []
    for info in infos:
        if info.filename in by_name:  # a zip may hold one name twice: the pair is ambiguous
            duplicate_members.append(info.filename)
        by_name.setdefault(info.filename, info)
    slots, skipped = _pair_names([*by_name, *duplicate_members])
    if not slots:
        archive.close()
        raise _no_pairs(name)

    def read(member: str) -> bytes | str:
        """The member's bytes, or a str saying why it cannot be read."""
        info = by_name[member]
        limit = limits.document_bytes()
        kind = _special_kind(info.external_attr >> 16)
        if kind:  # a zip records links and devices too: their bytes are no document
            return f"{member} is {kind} in the zip, not a regular file."
        if info.file_size > limit:
            return str(too_large(member, info.file_size, limit, allow=ALLOW_BIGGER_DOCUMENT))
        try:
            with archive.open(info) as file:
                return file.read(limit + 1)
        except RuntimeError as err:  # encrypted
            return f"{member} cannot be read ({err})."
        except NotImplementedError as err:
            return f"{member} uses a compression method that cannot be read ({err})."
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as err:
            return f"{member} is damaged ({err})."

    def iterate() -> Iterator[PairInput]:
        for k, slot in enumerate(slots):
            yield _slot_pair(k, slot, read)

    return Corpus("zip", name, iterate, len(slots), skipped, close=archive.close)


def _check_zip_limits(infos: list[zipfile.ZipInfo], name: str, limits: CorpusLimits) -> None:
    """Refuse the archive on its declared sizes, before decompressing anything."""
    if len(infos) > limits.max_members:
        raise InputError(f"{name} holds {len(infos):,} files, over the limit of "
                         f"{limits.max_members:,}.")
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        raise InputError(f"{name} expands to {total:,} bytes, over the limit of "
                         f"{limits.max_total_bytes:,}.")
    for info in infos:
        if (info.file_size >= limits.ratio_min_bytes
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            ratio = info.file_size / max(info.compress_size, 1)
            raise InputError(f"{name} looks like a zip bomb: {info.filename!r} expands "
                             f"{ratio:,.0f} times (the limit is {limits.max_ratio:,.0f}).")


def _slot_pair(k: int, slot: _Slot, read: Callable[[str], bytes | str]) -> PairInput:
    error = _slot_error(slot)
    if error:
        return PairInput(k, slot.id, None, None, error=error)
    sides = []
    for member in (slot.original, slot.corrupted):
        content = read(member)
        if isinstance(content, str):
            return PairInput(k, slot.id, None, None, error=content)
        sides.append(content)
    return PairInput(k, slot.id, sides[0], sides[1], slot.original, slot.corrupted)


def open_folder(path: str, name: str, limits: CorpusLimits) -> Corpus:
    names = []
    for top, dirs, files in os.walk(path, onerror=None):
        dirs.sort()
        rel = os.path.relpath(top, path)
        for file in sorted(files):
            names.append(file if rel == "." else posixpath.join(*rel.split(os.sep), file))
            if len(names) > limits.max_members:
                raise InputError(f"{name} holds over {limits.max_members:,} files, the limit.")
    slots, skipped = _pair_names(names)
    if not slots:
        raise _no_pairs(name)

    root = os.path.realpath(path)

    def read(member: str) -> bytes | str:
        full = os.path.join(path, *member.split("/"))
        why = hostile_file(full, member, root)
        if why:
            return why
        try:
            return read_up_to(full, member, limits.document_bytes(), allow=ALLOW_BIGGER_DOCUMENT)
        except InputError as err:
            return str(err)

    def iterate() -> Iterator[PairInput]:
        for k, slot in enumerate(slots):
            yield _slot_pair(k, slot, read)

    return Corpus("folder", name, iterate, len(slots), skipped)


_SPECIAL_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
                  stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
                  stat.S_IFLNK: "a symbolic link", stat.S_IFDIR: "a folder"}


def _special_kind(mode: int) -> str | None:
    """What a file mode names when it is not a regular file (0, unknown: None)."""
    return _SPECIAL_KINDS.get(stat.S_IFMT(mode)) if mode else None


def hostile_file(full: str, member: str, root: str | None) -> str | None:
    """Why ``full`` must not be opened, or None: only a regular file is read (opening a FIFO
    waits forever for a writer, a device may never end), and a symbolic link must land inside
    ``root`` (a corpus folder must not hand out ``/etc/passwd``). Checked with ``stat`` before
    anything is opened."""
    if root is not None:
        real = os.path.realpath(full)
        if real != root and not real.startswith(os.path.join(root, "")):
            return f"{member} is a link to a file outside the corpus folder; it is not read."
    try:
        info = os.stat(full)
    except OSError as err:
        return f"cannot read {member}: {os_reason(err)}."
    if not stat.S_ISREG(info.st_mode):
        return f"{member} is {_special_kind(info.st_mode) or 'not a regular file'}, not a " \
               "regular file; it is not read."
    return None
