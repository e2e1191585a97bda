//! rasd-server: the HTTP API, the embedded map dashboard and the review workflow.
