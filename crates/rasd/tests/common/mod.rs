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

/// `rasd watch --sources NAME.toml --db DB -v -j 1` in `dir`, with `sources` written
/// to NAME.toml and the log going to NAME.log.
#[allow(dead_code)]
pub fn spawn_watch(dir: &Path, name: &str, db: &str, sources: &str) -> std::process::Child {
    let file = format!("{name}.toml");
    std::fs::write(dir.join(&file), sources).unwrap();
    rasd()
        .args(["watch", "--sources", &file, "--db", db, "-v", "-j", "1"])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.join(format!("{name}.log"))).unwrap())
        .spawn()
        .expect("rasd watch starts")
}

/// Sends SIGTERM and waits (up to `secs`) for the process to stop.
#[allow(dead_code)]
pub fn terminate(child: &mut std::process::Child, secs: u64) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    let ok = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(ok.success());
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(secs),
            "rasd watch did not stop within {secs} s of SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
