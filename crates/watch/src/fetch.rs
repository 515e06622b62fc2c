//! Polite, bounded HTTP fetching.
//!
//! * **robots.txt** per host (RFC 9309 through `texting_robots`): fetched once per host and
//!   kept for a day; a 4xx answer allows everything, an unreachable or 5xx one disallows
//!   everything for now (the RFC's rule; asked again after ten minutes), and a
//!   `Crawl-delay` lengthens the host's delay.
//! * **Per host**: at most [`FetchConfig::per_host`] requests at a time and request starts at
//!   least [`FetchConfig::min_delay`] apart; after a 429/503 with `Retry-After` the whole host
//!   waits.
//! * **Bounded**: connect and read timeouts and a total deadline per request; the body is
//!   read chunk by chunk after decompression (gzip, brotli) and refused past
//!   [`FetchConfig::max_body`], so neither an endless body nor a gzip bomb grows memory.
//! * **Redirects** are followed by hand, each hop checked against robots.txt, a loop
//!   (an address seen before) is `redirect_loop`, more than [`FetchConfig::max_redirects`]
//!   hops `too_many_redirects`.
//! * **Retries** with exponential backoff on timeouts, connection errors, 5xx and 429,
//!   honouring `Retry-After` up to [`FetchConfig::backoff_max`].
//!
//! Every failure is a [`FetchError`] with a stable [`Reason`] code for the store's failures.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rased_store::HttpValidators;
use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;
use url::Url;

/// How to fetch. The defaults suit real sites; tests shorten the timeouts.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Sent as `User-Agent`; its first word (before `/`) is the robots.txt agent token.
    pub user_agent: String,
    pub connect_timeout: Duration,
    /// The longest wait for the next bytes of an answer.
    pub read_timeout: Duration,
    /// The longest a whole request may take, body included.
    pub deadline: Duration,
    /// Bodies larger than this (after decompression) are refused.
    pub max_body: u64,
    pub max_redirects: usize,
    /// Requests in flight per host (1 or 2 is polite).
    pub per_host: usize,
    /// The least time between two request starts on one host.
    pub min_delay: Duration,
    /// Retries of a request after a passing error (timeout, connection, 5xx, 429).
    pub retries: u32,
    /// The first backoff; each retry doubles it.
    pub backoff_base: Duration,
    /// The longest backoff or `Retry-After` waited for; a longer `Retry-After` gives up.
    pub backoff_max: Duration,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: format!(
                "rased/{} (+https://example.invalid/rased)",
                env!("CARGO_PKG_VERSION")
            ),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(20),
            deadline: Duration::from_secs(60),
            max_body: 16 * 1024 * 1024,
            max_redirects: 5,
            per_host: 2,
            min_delay: Duration::from_secs(1),
            retries: 2,
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(60),
        }
    }
}

/// Why a fetch failed; `code()` is what `rased failures` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    Timeout,
    TooLarge,
    RedirectLoop,
    TooManyRedirects,
    Http5xx,
    Http4xx,
    Http429,
    RobotsDisallowed,
    Connect,
    Decode,
    BadUrl,
    Network,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::Timeout => "timeout",
            Reason::TooLarge => "too_large",
            Reason::RedirectLoop => "redirect_loop",
            Reason::TooManyRedirects => "too_many_redirects",
            Reason::Http5xx => "http_5xx",
            Reason::Http4xx => "http_4xx",
            Reason::Http429 => "http_429",
            Reason::RobotsDisallowed => "robots_disallowed",
            Reason::Connect => "connect",
            Reason::Decode => "decode",
            Reason::BadUrl => "bad_url",
            Reason::Network => "network",
        }
    }

    /// A passing error, worth another try later.
    pub fn passing(self) -> bool {
        matches!(
            self,
            Reason::Timeout | Reason::Http5xx | Reason::Http429 | Reason::Connect | Reason::Network
        )
    }
}

/// A failed fetch: the address, the reason and a one-line detail.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{url}: {} ({detail})", reason.code())]
pub struct FetchError {
    pub url: String,
    pub reason: Reason,
    pub detail: String,
    /// From a 429/503 answer's `Retry-After`.
    pub retry_after: Option<Duration>,
}

impl FetchError {
    fn new(url: &Url, reason: Reason, detail: impl Into<String>) -> Self {
        FetchError {
            url: url.to_string(),
            reason,
            detail: detail.into(),
            retry_after: None,
        }
    }
}

/// A successful answer (2xx, or 304 to a conditional request).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Where the answer came from, after redirects.
    pub url: String,
    pub status: u16,
    /// True for a 304: the body is empty and nothing changed.
    pub not_modified: bool,
    pub content_type: Option<String>,
    pub validators: HttpValidators,
    pub body: Vec<u8>,
}

/// What a host's robots.txt says.
enum Robots {
    AllowAll,
    DisallowAll(String),
    Rules(Box<texting_robots::Robot>),
}

struct Host {
    permits: Semaphore,
    /// When the next request may start.
    next_start: tokio::sync::Mutex<Instant>,
    delay: Mutex<Duration>,
    robots: tokio::sync::Mutex<Option<(Instant, Arc<Robots>)>>,
}

/// Counts of what a fetcher did, for tests and summaries.
#[derive(Debug, Default)]
pub struct FetchStats {
    pub requests: AtomicU64,
    pub not_modified: AtomicU64,
    pub errors: AtomicU64,
}

/// A polite HTTP client shared by every source of a watch.
pub struct Fetcher {
    client: reqwest::Client,
    cfg: FetchConfig,
    agent: String,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    pub stats: FetchStats,
}

const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);
const ROBOTS_RETRY: Duration = Duration::from_secs(10 * 60);
/// RFC 9309: crawlers must read at least 500 KiB of robots.txt; more is ignored.
const ROBOTS_MAX: u64 = 512 * 1024;
/// A `Crawl-delay` beyond this is taken as this.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

impl Fetcher {
    pub fn new(cfg: FetchConfig) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .connect_timeout(cfg.connect_timeout)
            .read_timeout(cfg.read_timeout)
            .timeout(cfg.deadline)
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .brotli(true)
            .no_proxy()
            .pool_max_idle_per_host(cfg.per_host.max(1))
            .build()
            .map_err(|e| format!("building the HTTP client: {e}"))?;
        let agent = cfg
            .user_agent
            .split(['/', ' '])
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or("rased")
            .to_string();
        Ok(Fetcher {
            client,
            cfg,
            agent,
            hosts: Mutex::new(HashMap::new()),
            stats: FetchStats::default(),
        })
    }

    pub fn config(&self) -> &FetchConfig {
        &self.cfg
    }

    /// The underlying client (webhooks use it: same timeouts, no robots).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    fn host(&self, url: &Url) -> Arc<Host> {
        let key = host_key(url);
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Host {
                    permits: Semaphore::new(self.cfg.per_host.clamp(1, 8)),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                    delay: Mutex::new(self.cfg.min_delay),
                    robots: tokio::sync::Mutex::new(None),
                })
            })
            .clone()
    }

    /// Fetches `url`, following redirects, with `If-None-Match` / `If-Modified-Since` from
    /// `validators` when given.
    pub async fn fetch(
        &self,
        url: &str,
        validators: Option<&HttpValidators>,
    ) -> Result<Fetched, FetchError> {
        let result = self.fetch_inner(url, validators).await;
        match &result {
            Ok(f) if f.not_modified => {
                self.stats.not_modified.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {
                self.stats.errors.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
        result
    }

    async fn fetch_inner(
        &self,
        url: &str,
        validators: Option<&HttpValidators>,
    ) -> Result<Fetched, FetchError> {
        let mut current = parse_http_url(url)?;
        let mut visited = HashSet::from([current.to_string()]);
        let mut hops = 0;
        loop {
            self.check_robots(&current).await?;
            let conditional = if hops == 0 { validators } else { None };
            let answer = self.with_retries(&current, conditional).await?;
            let Answer::Redirect(location) = answer else {
                let Answer::Done(mut f) = answer else {
                    unreachable!()
                };
                f.url = current.to_string();
                return Ok(f);
            };
            let next = current.join(&location).map_err(|e| {
                FetchError::new(
                    &current,
                    Reason::BadUrl,
                    format!("bad Location {location}: {e}"),
                )
            })?;
            if !matches!(next.scheme(), "http" | "https") {
                return Err(FetchError::new(
                    &current,
                    Reason::BadUrl,
                    format!("redirect to a non-HTTP address {next}"),
                ));
            }
            if !visited.insert(next.to_string()) {
                return Err(FetchError::new(
                    &current,
                    Reason::RedirectLoop,
                    format!("redirects back to {next}"),
                )
                .with_url(url));
            }
            hops += 1;
            if hops > self.cfg.max_redirects {
                return Err(FetchError::new(
                    &current,
                    Reason::TooManyRedirects,
                    format!("more than {} redirects", self.cfg.max_redirects),
                )
                .with_url(url));
            }
            current = next;
        }
    }

    /// One request with retries on passing errors.
    async fn with_retries(
        &self,
        url: &Url,
        validators: Option<&HttpValidators>,
    ) -> Result<Answer, FetchError> {
        let mut attempt = 0;
        loop {
            match self.request(url, validators, self.cfg.max_body).await {
                Ok(a) => return Ok(a),
                Err(e) if e.reason.passing() && attempt < self.cfg.retries => {
                    let backoff = self.cfg.backoff_base.saturating_mul(1 << attempt.min(16));
                    let wait = match e.retry_after {
                        Some(ra) if ra > self.cfg.backoff_max => return Err(e),
                        Some(ra) => ra.max(backoff).min(self.cfg.backoff_max),
                        None => backoff.min(self.cfg.backoff_max),
                    };
                    if let Some(ra) = e.retry_after {
                        self.hold_host(url, ra.min(self.cfg.backoff_max)).await;
                    }
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Makes every request to the host of `url` wait at least `d` from now.
    async fn hold_host(&self, url: &Url, d: Duration) {
        let host = self.host(url);
        let mut next = host.next_start.lock().await;
        *next = (*next).max(Instant::now() + d);
    }

    /// Waits for a permit and the host's delay, then sends one request and reads its body.
    async fn request(
        &self,
        url: &Url,
        validators: Option<&HttpValidators>,
        max_body: u64,
    ) -> Result<Answer, FetchError> {
        let host = self.host(url);
        let _permit = host
            .permits
            .acquire()
            .await
            .map_err(|_| FetchError::new(url, Reason::Network, "fetcher closed"))?;
        {
            let delay = *host.delay.lock().unwrap_or_else(|p| p.into_inner());
            let mut next = host.next_start.lock().await;
            let now = Instant::now();
            let start = (*next).max(now);
            *next = start + delay;
            drop(next);
            tokio::time::sleep_until(start.into()).await;
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        // The client's timeout covers the whole exchange; this outer one is a safety net
        // against anything that would slip past it.
        let guard = self.cfg.deadline + Duration::from_secs(1);
        match tokio::time::timeout(guard, self.exchange(url, validators, max_body)).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::new(
                url,
                Reason::Timeout,
                format!("no complete answer within {:?}", self.cfg.deadline),
            )),
        }
    }

    async fn exchange(
        &self,
        url: &Url,
        validators: Option<&HttpValidators>,
        max_body: u64,
    ) -> Result<Answer, FetchError> {
        let mut req = self.client.get(url.clone());
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                req = req.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                req = req.header(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let mut resp = req.send().await.map_err(|e| classify(url, &e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        if status.is_redirection() && status != reqwest::StatusCode::NOT_MODIFIED {
            let location = headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| {
                    FetchError::new(url, Reason::BadUrl, format!("{status} without a Location"))
                })?;
            return Ok(Answer::Redirect(location.to_string()));
        }
        let validators = HttpValidators {
            etag: header_str(&headers, header::ETAG),
            last_modified: header_str(&headers, header::LAST_MODIFIED),
        };
        let content_type = header_str(&headers, header::CONTENT_TYPE);
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Answer::Done(Fetched {
                url: url.to_string(),
                status: 304,
                not_modified: true,
                content_type,
                validators,
                body: Vec::new(),
            }));
        }
        if !status.is_success() {
            let code = status.as_u16();
            let reason = match code {
                429 => Reason::Http429,
                500..=599 => Reason::Http5xx,
                _ => Reason::Http4xx,
            };
            let mut e = FetchError::new(url, reason, format!("HTTP {status}"));
            if matches!(code, 429 | 503) {
                e.retry_after = retry_after(&headers);
            }
            return Err(e);
        }
        // Refuse early what announces itself too large (the length of the encoded body: a
        // lower bound of the decoded size).
        if let Some(len) = resp.content_length() {
            if len > max_body {
                return Err(FetchError::new(
                    url,
                    Reason::TooLarge,
                    format!("Content-Length {len} exceeds the limit of {max_body} bytes"),
                ));
            }
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify(url, &e))? {
            if (body.len() + chunk.len()) as u64 > max_body {
                return Err(FetchError::new(
                    url,
                    Reason::TooLarge,
                    format!("body exceeds the limit of {max_body} bytes (decoded)"),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer::Done(Fetched {
            url: url.to_string(),
            status: status.as_u16(),
            not_modified: false,
            content_type,
            validators,
            body,
        }))
    }

    /// Refuses `url` when its host's robots.txt disallows it for our agent.
    async fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        let robots = self.robots(url).await;
        let allowed = match &*robots {
            Robots::AllowAll => return Ok(()),
            Robots::DisallowAll(why) => {
                return Err(FetchError::new(url, Reason::RobotsDisallowed, why.clone()))
            }
            Robots::Rules(r) => r.allowed(url.as_str()),
        };
        if allowed {
            Ok(())
        } else {
            Err(FetchError::new(
                url,
                Reason::RobotsDisallowed,
                format!("robots.txt disallows it for {}", self.agent),
            ))
        }
    }

    async fn robots(&self, url: &Url) -> Arc<Robots> {
        let host = self.host(url);
        let mut cached = host.robots.lock().await;
        if let Some((at, r)) = &*cached {
            // An unreachable robots.txt is asked again sooner than a readable one.
            let ttl = match &**r {
                Robots::DisallowAll(_) => ROBOTS_RETRY,
                _ => ROBOTS_TTL,
            };
            if at.elapsed() < ttl {
                return r.clone();
            }
        }
        let robots = Arc::new(self.load_robots(url).await);
        if let Robots::Rules(r) = &*robots {
            if let Some(secs) = r.delay.filter(|d| d.is_finite() && *d > 0.0) {
                let crawl = Duration::from_secs_f32(secs).min(MAX_CRAWL_DELAY);
                let mut d = host.delay.lock().unwrap_or_else(|p| p.into_inner());
                *d = (*d).max(crawl);
            }
        }
        *cached = Some((Instant::now(), robots.clone()));
        robots
    }

    async fn load_robots(&self, url: &Url) -> Robots {
        let Ok(mut robots_url) = url.join("/robots.txt") else {
            return Robots::AllowAll;
        };
        for _ in 0..5 {
            match self.request(&robots_url, None, ROBOTS_MAX).await {
                Ok(Answer::Done(f)) => {
                    return match texting_robots::Robot::new(&self.agent, &f.body) {
                        Ok(r) => Robots::Rules(Box::new(r)),
                        // An unparseable file states no rule.
                        Err(_) => Robots::AllowAll,
                    };
                }
                Ok(Answer::Redirect(loc)) => match robots_url.join(&loc) {
                    Ok(next) => robots_url = next,
                    Err(_) => return Robots::AllowAll,
                },
                Err(e) => {
                    return match e.reason {
                        Reason::Http4xx | Reason::TooLarge => Robots::AllowAll,
                        _ => Robots::DisallowAll(format!(
                            "robots.txt unreachable ({}), so the host is off limits for now",
                            e.reason.code()
                        )),
                    }
                }
            }
        }
        Robots::AllowAll
    }
}

impl FetchError {
    /// Names the failure by the address asked for rather than the hop where it happened.
    fn with_url(mut self, url: &str) -> Self {
        self.url = url.to_string();
        self
    }
}

enum Answer {
    Done(Fetched),
    Redirect(String),
}

/// `host:port`: politeness is per server.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// An `http(s)` URL, or a `bad_url` error.
pub fn parse_http_url(url: &str) -> Result<Url, FetchError> {
    let bad = |detail: String| FetchError {
        url: url.to_string(),
        reason: Reason::BadUrl,
        detail,
        retry_after: None,
    };
    let u = Url::parse(url.trim()).map_err(|e| bad(e.to_string()))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return Err(bad("not an http(s) address".into()));
    }
    Ok(u)
}

fn header_str(h: &HeaderMap, name: header::HeaderName) -> Option<String> {
    h.get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .map(str::to_string)
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(h: &HeaderMap) -> Option<Duration> {
    let v = h.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

fn classify(url: &Url, e: &reqwest::Error) -> FetchError {
    let reason = if e.is_timeout() {
        Reason::Timeout
    } else if e.is_connect() {
        Reason::Connect
    } else if e.is_decode() || (e.is_body() && source_mentions(e, "decod")) {
        Reason::Decode
    } else {
        Reason::Network
    };
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        source = s.source();
    }
    FetchError::new(
        url,
        reason,
        detail.replace(url.as_str(), "").trim().to_string(),
    )
}

fn source_mentions(e: &reqwest::Error, word: &str) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.to_string().to_ascii_lowercase().contains(word) {
            return true;
        }
        source = s.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_have_stable_codes() {
        assert_eq!(Reason::RedirectLoop.code(), "redirect_loop");
        assert!(Reason::Http5xx.passing());
        assert!(!Reason::RobotsDisallowed.passing());
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO), "a past date: now");
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn only_http_urls() {
        assert!(parse_http_url("https://example.com/a").is_ok());
        assert_eq!(
            parse_http_url("file:///etc/passwd").unwrap_err().reason,
            Reason::BadUrl
        );
        assert_eq!(
            parse_http_url("nonsense").unwrap_err().reason,
            Reason::BadUrl
        );
    }
}
