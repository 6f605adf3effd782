from portal.web.declarations.views import bp

__all__ = ["bp"]
