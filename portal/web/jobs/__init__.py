from portal.web.jobs.views import bp

__all__ = ["bp"]
