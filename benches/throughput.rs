//! End-to-end throughput bench (work in progress; see the Performance issue).
fn main() {}
