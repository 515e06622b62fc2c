//! placeholder
use std::process::ExitCode;
pub fn publish(_args: &crate::store_cmd::IngestArgs, _queue: &str) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
