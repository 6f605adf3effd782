from portal.web.catalogue.views import bp

__all__ = ["bp"]
