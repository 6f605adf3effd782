from portal.web.auth.views import bp

__all__ = ["bp"]
