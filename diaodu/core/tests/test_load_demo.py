"""The log-in table ``./dev run`` prints lines up in a terminal, role names in Chinese."""

from diaodu.core.management.commands.load_demo import login_table
from diaodu.lib.chinese import display_width

ROWS = [
    ("管理员", "admin", "pw1"),
    ("项目协调办", "zhou", "pw2"),
    ("project owner", "lvyuan", "pw3"),
]


def test_the_login_table_lines_up_with_chinese_role_names():
    lines = login_table(ROWS).splitlines()

    pairs = list(zip(lines, ROWS, strict=True))
    username_at = {display_width(line[: line.index(row[1])]) for line, row in pairs}
    password_at = {display_width(line[: line.index(row[2])]) for line, row in pairs}
    assert username_at == {len("  project owner  ")}
    assert password_at == {len("  project owner  lvyuan  ")}
