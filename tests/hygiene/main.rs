//! Secret hygiene: the quickstart with every log captured. Its own test binary,
//! because it installs the process-wide tracing subscriber.

mod quickstart;
