from portal.web.requests.views import bp

__all__ = ["bp"]
