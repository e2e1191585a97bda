//! How the binary's tests run `rasd`: the built binary, with the user's RUST_LOG
//! removed so that log lines never mix into what a test reads.

use std::path::Path;
use std::process::{Command, Output};

pub fn rasd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rasd"));
    c.env_remove("RUST_LOG");
    c
}

/// `rasd ARGS` in `cwd`, to completion.
pub fn run(args: &[&str], cwd: &Path) -> Output {
    rasd()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("rasd runs")
}
