"""The demo region: H10 Haaglanden with fictional providers, children and trajectories."""
