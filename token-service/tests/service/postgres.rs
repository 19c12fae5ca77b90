//! Two service instances sharing a real PostgreSQL (`ACS_TOKEN_SERVICE_TEST_DATABASE_URL`,
//! set by CI): 50 concurrent first requests per user for several users make one identity
//! each, none orphaned. Unset: skipped with a printed reason; set and unreachable: fails.

use crate::{
    common::{client, service},
    concurrency::two_instances_race,
};
use acs_identity_emulator::Emulator;
use acs_token_service::ServiceConfig;

const DATABASE_URL: &str = "ACS_TOKEN_SERVICE_TEST_DATABASE_URL";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_sharing_postgresql_make_one_identity_per_user() {
    let Ok(url) = std::env::var(DATABASE_URL) else {
        eprintln!("skipped: {DATABASE_URL} is not set (CI sets it to its own PostgreSQL server)");
        return;
    };
    // Each instance opens its own pool, as two processes would.
    let store_a = acs_token_service::store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("{DATABASE_URL} is set but PostgreSQL cannot be used: {e}"));
    let store_b = acs_token_service::store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("{DATABASE_URL} is set but PostgreSQL cannot be used: {e}"));
    let emulator = Emulator::builder().start().await.unwrap();
    let a = service(client(&emulator), store_a.clone(), ServiceConfig::default());
    let b = service(client(&emulator), store_b, ServiceConfig::default());
    // App users unique to this run: the database may hold earlier runs' mappings.
    let run = format!(
        "{:x}",
        time::OffsetDateTime::now_utc().unix_timestamp_nanos()
    );
    two_instances_race(&a, &b, &run, 6, 50).await;
    // two_instances_race checked: every identity created is mapped or deleted in ACS.
}
