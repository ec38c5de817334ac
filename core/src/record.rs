//! The recovery record: how well a company recovers, from its tickets' logs.
