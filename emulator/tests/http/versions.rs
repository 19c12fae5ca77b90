//! The `api-supported-versions` values the emulator answers with.

/// `api-supported-versions` of the operations every version has.
pub const ALL_VERSIONS: &str =
    "2021-03-07, 2022-06-01, 2022-10-01, 2023-10-01, 2025-03-02-preview, 2025-06-30, 2026-09-23";

/// `api-supported-versions` of the Teams user exchange.
pub const TEAMS_USER_VERSIONS: &str =
    "2022-06-01, 2022-10-01, 2023-10-01, 2025-03-02-preview, 2025-06-30, 2026-09-23";

/// `api-supported-versions` of `GET /identities/{id}`.
pub const GET_IDENTITY_VERSIONS: &str = "2025-03-02-preview";

/// `api-supported-versions` of the Teams Extension assignments.
pub const ASSIGNMENT_VERSIONS: &str = "2025-03-02-preview, 2025-06-30, 2026-09-23";

/// `api-supported-versions` of the Teams Extension token exchange.
pub const TEAMS_EXTENSION_EXCHANGE_VERSIONS: &str = "2025-03-02-preview, 2025-06-30, 2026-09-23";

/// `api-supported-versions` of the Entra exchange and the Entra assignments.
pub const ENTRA_VERSIONS: &str = "2025-03-02-preview";
