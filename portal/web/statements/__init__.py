from portal.web.statements.views import bp

__all__ = ["bp"]
