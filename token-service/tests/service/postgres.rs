//! Two service instances sharing a real PostgreSQL (`ACS_TOKEN_SERVICE_TEST_DATABASE_URL`,
//! set by CI; unset: skipped with a printed reason, set and unreachable: failed).
