from portal.web.dashboard import drill  # noqa: F401  (its routes join the blueprint)
from portal.web.dashboard.views import bp

__all__ = ["bp"]
