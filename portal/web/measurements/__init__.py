from portal.web.measurements import review  # noqa: F401 - registers the review routes
from portal.web.measurements.views import bp

__all__ = ["bp"]
