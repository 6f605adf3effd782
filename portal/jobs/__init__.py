"""Background jobs (docs/jobs.md): statements, large imports and payment exports run in a
Huey worker beside the web server, with a `job` row the user follows."""
