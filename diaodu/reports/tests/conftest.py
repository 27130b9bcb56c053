import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded ledgers wait in the file store between preview and commit: keep them out
    of the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
