from portal.web.admin.views import bp

__all__ = ["bp"]
