"""Limits on what an uploaded Office file (.xlsx, .docx: zip archives) expands to, checked
from the archive's directory before anything is decompressed. No Django here.

A few kilobytes of zip can declare gigabytes of XML; a parser handed it spends that much
memory and time. Python's zipfile never inflates a member past the size its directory
declares, so checking the declared sizes is enough.
"""

import io
import zipfile

#: Office files hold a few dozen members (parts, images); thousands mean a crafted file.
MAX_MEMBERS = 1000


class ArchiveTooLarge(ValueError):
    """``what``: ``members`` (more than ``limit`` members), ``member`` (a member over
    ``limit`` bytes) or ``total`` (all members together over ``limit`` bytes)."""

    def __init__(self, what: str, limit: int):
        super().__init__(what, limit)
        self.what, self.limit = what, limit


def check_expansion(data: bytes, *, max_member: int, max_total: int) -> None:
    """Raise :class:`ArchiveTooLarge` if the zip ``data`` expands past the limits (bytes).
    A file that is not a readable zip passes: the parser says what is wrong with it."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(members) > MAX_MEMBERS:
        raise ArchiveTooLarge("members", MAX_MEMBERS)
    if any(member.file_size > max_member for member in members):
        raise ArchiveTooLarge("member", max_member)
    if sum(member.file_size for member in members) > max_total:
        raise ArchiveTooLarge("total", max_total)
