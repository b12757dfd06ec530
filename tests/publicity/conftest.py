from tests.publishing.helpers import make_item, pub_clock  # noqa: F401
