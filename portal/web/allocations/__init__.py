from portal.web.allocations.views import bp

__all__ = ["bp"]
