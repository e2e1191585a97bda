//! What the two browser tests share (rasd-server's `tests/e2e.rs`, the dashboard over
//! a seeded store, and rasd's `tests/live_dashboard.rs`, the dashboard following
//! `rasd watch`): finding the tools, skipping without them (failing under CI), one
//! browser at a time, and starting a script of this directory under node.
//! Included by both with `#[path]`, so it is written once.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

/// This directory: the scripts and their `node_modules`. Both crates sit side by side
/// under `crates/`, so the same relative path works from either.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rasd-server/tests/e2e")
}

/// Why the browser test cannot run here, if it cannot.
fn missing_tool() -> Option<String> {
    let chromium = std::env::var("RASD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!("{chromium} not found (apt-get install chromium)"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node not found".into());
    }
    if !dir().join("node_modules/playwright-core").exists() {
        return Some(format!(
            "playwright-core not installed (bash {}/install.sh)",
            dir().display()
        ));
    }
    None
}

/// True when test `name` must skip (it said why on stderr). Under CI (`CI=true`, as
/// `.ci/run` sets it after installing the tools) a missing tool fails the test instead.
pub fn skip(name: &str) -> bool {
    let Some(why) = missing_tool() else {
        return false;
    };
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI must run the browser test {name}, but {why}"
    );
    eprintln!("SKIP {name}: {why}");
    true
}

/// Held while a browser runs: two Chromiums at once on a small machine starve each
/// other into timeouts (the tests of one binary run in parallel).
pub fn one_browser() -> MutexGuard<'static, ()> {
    static ONE: Mutex<()> = Mutex::new(());
    ONE.lock().unwrap_or_else(|e| e.into_inner())
}

/// `node SCRIPT` (a file of this directory) run from here, given the server's address,
/// an analyst's token and where to save screenshots.
pub fn node(script: &str, url: &str, token: &str, screenshot: &Path) -> Command {
    let mut c = Command::new("node");
    c.arg(dir().join(script))
        .current_dir(dir())
        .env("RASD_URL", url)
        .env("RASD_TOKEN", token)
        .env("RASD_SCREENSHOT", screenshot);
    c
}
