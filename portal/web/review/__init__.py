from portal.web.review.views import bp

__all__ = ["bp"]
