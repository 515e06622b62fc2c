//! A data directory that cannot be written: a full disk (a file size limit, `ulimit -f`, which
//! binds root as well) and a read-only directory. Ingest stops with an error that names the
//! directory, never a panic, and the store keeps what was committed before: a rerun with room
//! completes it.

use std::path::Path;
use std::process::{Command, Stdio};

mod common;

use common::{corpus, rased, status, SAMPLE};

#[test]
fn a_full_disk_stops_ingest_naming_the_directory_and_the_store_survives() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let first = rased(&["ingest", "--quiet", "--data", d, SAMPLE]);
    assert!(first.status.success());
    assert_eq!(status(&data)["articles"], 200);
    let more = corpus(dir.path(), 3);
    // No file may grow past 256 KiB (in 512-byte blocks, the smaller unit shells use): the
    // write-ahead log of the first new batch runs into it. SIGXFSZ is ignored, so the write
    // fails with EFBIG instead of killing the process — what a full disk looks like.
    let script = format!(
        "trap '' XFSZ; ulimit -f 512; exec \"$0\" ingest --quiet --data '{d}' '{}'",
        more.display()
    );
    let out = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_rased")])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(d), "names the directory: {stderr}");
    assert!(
        stderr.contains("cannot write the data directory"),
        "{stderr}"
    );
    // The store is as the last committed batch left it, and usable.
    let after = status(&data);
    let stored = after["articles"].as_u64().unwrap();
    assert!((200..800).contains(&stored), "{after}");
    // With room again the same command completes the ingest.
    let rerun = rased(&["ingest", "--quiet", "--data", d, more.to_str().unwrap()]);
    assert!(
        rerun.status.success(),
        "{}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    let done = status(&data);
    assert_eq!(done["articles"], 800, "{done}");
    let found = rased(&["search", "--data", d, "--json", "حفتر"]);
    assert!(found.status.success());
}

#[test]
fn a_read_only_data_directory_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    assert!(rased(&["ingest", "--quiet", "--data", d, SAMPLE])
        .status
        .success());
    let before = status(&data);
    set_mode(&data, 0o555);
    for f in std::fs::read_dir(&data).unwrap() {
        let p = f.unwrap().path();
        if p.is_file() {
            set_mode(&p, 0o444);
        }
    }
    // Root writes through permission bits: there the file size limit above is the test.
    if std::fs::File::create(data.join("probe")).is_ok() {
        eprintln!("NOTE: running as root, permission bits do not stop writes; skipping");
        let _ = std::fs::remove_file(data.join("probe"));
        set_mode(&data, 0o755);
        return;
    }
    let more = corpus(dir.path(), 3);
    let out = rased(&["ingest", "--quiet", "--data", d, more.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(d), "names the directory: {stderr}");
    set_mode(&data, 0o755);
    for f in std::fs::read_dir(&data).unwrap() {
        set_mode(&f.unwrap().path(), 0o755);
    }
    assert_eq!(status(&data), before);
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}
