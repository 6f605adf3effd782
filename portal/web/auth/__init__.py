from portal.web.auth import account, two_factor  # noqa: F401 - registers their routes on bp
from portal.web.auth.views import bp

__all__ = ["bp"]
