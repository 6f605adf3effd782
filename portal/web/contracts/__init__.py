from portal.web.contracts.views import bp

__all__ = ["bp"]
