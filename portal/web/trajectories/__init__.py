from portal.web.trajectories.views import bp

__all__ = ["bp"]
