//! `rased serve`: the JSON API and web UI over a data directory.

use rased_engine::Location;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

#[derive(clap::Args, Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Allow the endpoints that change data (upload ingest), requiring this bearer token.
    /// Without it the server is read-only.
    #[arg(long, env = "RASED_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// An origin allowed to call the API from a browser (CORS is off by default).
    #[arg(long)]
    pub cors_origin: Option<String>,
    /// Seconds a request may take before it is answered with a `timeout` error.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The data directory.
    #[arg(long, env = "RASED_DATA", default_value = "rased-data")]
    pub data: std::path::PathBuf,
    /// The store: `postgres://…` (the server then keeps no state: run several behind a load
    /// balancer) or a data directory; takes precedence over `--data`.
    #[arg(long = "store", env = "RASED_STORE", value_name = "URL")]
    pub store: Option<String>,
    #[command(flatten)]
    pub options: ServeOptions,
}

pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    serve(
        &Location::resolve(args.store.as_deref(), &args.data),
        &args.options,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// For the demo: the address asked for, or a free port on the same host when it is taken
/// (a fresh user should not have to know which ports are free).
pub fn free_addr(addr: SocketAddr) -> SocketAddr {
    match std::net::TcpListener::bind(addr) {
        Ok(_) => addr,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!("rased: {addr} is in use; picking a free port");
            SocketAddr::new(addr.ip(), 0)
        }
        Err(_) => addr,
    }
}

/// Serves `data` until Ctrl-C, printing the URL once listening.
pub fn serve(location: &Location, options: &ServeOptions) -> anyhow::Result<()> {
    let mut config = match location {
        Location::Embedded(dir) => rased_server::Config::new(dir),
        Location::Postgres(url) => {
            let mut c = rased_server::Config::new(std::env::temp_dir());
            c.store = Some(url.clone());
            c
        }
    };
    config.admin_token = options.admin_token.clone().filter(|t| !t.is_empty());
    config.cors_origin = options.cors_origin.clone();
    config.request_timeout = Duration::from_secs(options.timeout.max(1));
    let admin = config.admin_token.is_some();
    rased_server::serve_blocking(config, options.addr, |addr| {
        eprintln!(
            "rased: serving {location} at http://{addr}/ ({}; Ctrl-C stops)",
            if admin {
                "admin endpoints on"
            } else {
                "read-only"
            }
        );
    })
    .with_context(|| format!("serving {location}"))
}
