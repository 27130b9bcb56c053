import io
import zipfile

import pytest

from diaodu.lib.archives import MAX_MEMBERS, ArchiveTooLarge, check_expansion


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_small_office_file_passes():
    check_expansion(_zip({"a.xml": b"<a/>", "b.xml": b"<b/>"}), max_member=10, max_total=20)


def test_a_file_that_is_not_a_zip_is_left_to_its_parser():
    check_expansion(b"PK\x03\x04 broken", max_member=1, max_total=1)


@pytest.mark.parametrize(
    ("members", "what", "limit"),
    [
        ({f"{n}.xml": b"" for n in range(MAX_MEMBERS + 1)}, "members", MAX_MEMBERS),
        ({"sheet.xml": b" " * 2000}, "member", 1000),
        ({"a.xml": b" " * 800, "b.xml": b" " * 800}, "total", 1500),
    ],
)
def test_an_archive_expanding_past_a_limit_is_refused_before_it_is_inflated(members, what, limit):
    data = _zip(members)
    assert len(data) < 1000 + 150 * len(members)

    with pytest.raises(ArchiveTooLarge) as refused:
        check_expansion(data, max_member=1000, max_total=1500)

    assert (refused.value.what, refused.value.limit) == (what, limit)
