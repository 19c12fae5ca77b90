//! What a command prints: the same result as text for people and as one JSON object.

use crate::args::Output;
use serde_json::Value;

/// A command's result. No Debug: it may hold a token.
pub struct Report {
    /// Lines for `--output text`, each ending in a newline.
    pub text: String,
    /// The object for `--output json`.
    pub json: Value,
}

impl Report {
    /// A report whose text is `label: value` lines, aligned.
    pub fn lines(lines: &[(&str, String)], json: Value) -> Self {
        let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 2;
        let text = lines
            .iter()
            .map(|(label, value)| format!("{:<width$}{value}\n", format!("{label}:")))
            .collect();
        Self { text, json }
    }

    /// Writes the report to stdout in the chosen format.
    pub fn print(&self, output: Output) {
        match output {
            Output::Text => print!("{}", self.text),
            Output::Json => println!("{}", self.json),
        }
    }
}
