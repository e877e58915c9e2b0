//! Citations (stub).
