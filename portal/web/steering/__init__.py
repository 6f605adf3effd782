from portal.web.steering.views import bp

__all__ = ["bp"]
