from tests.laws.factories import library  # noqa: F401
from tests.publishing.helpers import make_item, pub_clock  # noqa: F401
