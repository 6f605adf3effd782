from portal.web.subcontractors.views import bp

__all__ = ["bp"]
