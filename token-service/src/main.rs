//! `acs-token-service`: the trusted token service as a binary.

fn main() {
    eprintln!("acs-token-service: not built yet");
    std::process::exit(2);
}
