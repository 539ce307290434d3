//! An HTTP simulator of the provider APIs, with state and fault injection.
//!
//! It serves `--demo`, the tests and the benchmarks, in-process or standalone
//! (`saldo simulate --port N`). It binds to 127.0.0.1 only, records every request it receives,
//! and shows that record and its state as JSON at `GET /__sim/requests` and `GET /__sim/state`;
//! faults are armed with `POST /__sim/faults`.
//!
//! Like a real server, it keeps working on a request after the client hangs up: every
//! provider request runs in a task of its own, so whatever the request commits is committed
//! even when the client has given up, timed out or reset the connection.

pub mod faults;
pub mod marketext;
pub mod qvatel;
pub mod rechargekit;
pub mod sabapayamak;
pub mod smspartner;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde::Serialize;

pub use faults::{Fault, FaultRule, RandomFaults};
pub use marketext::MarketextState;
pub use qvatel::QvaTelState;
pub use rechargekit::RechargeKitState;
pub use sabapayamak::SabaPayamakState;
pub use smspartner::SmsPartnerState;

/// A request as the simulator received it.
#[derive(Clone, Debug, Serialize)]
pub struct RecordedRequest {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub body: String,
    pub content_type: Option<String>,
    /// The Authorization header as received.
    pub authorization: Option<String>,
    /// The Accept header as received.
    pub accept: Option<String>,
    /// The fault injected into this request's reply, if any.
    pub fault: Option<Fault>,
}

impl RecordedRequest {
    /// A form or query parameter of the request.
    pub fn param(&self, name: &str) -> Option<String> {
        let from = |text: &str| {
            url::form_urlencoded::parse(text.as_bytes())
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        from(&self.body).or_else(|| from(&self.query))
    }
}

/// Everything the simulator holds.
#[derive(Debug, Serialize)]
pub struct SimState {
    pub requests: Vec<RecordedRequest>,
    pub faults: Vec<FaultRule>,
    pub qvatel: QvaTelState,
    pub smspartner: SmsPartnerState,
    pub marketext: MarketextState,
    pub rechargekit: RechargeKitState,
    pub sabapayamak: SabaPayamakState,
}

/// The state shared by the simulator's handlers.
pub struct SimShared {
    pub state: Mutex<SimState>,
    started: Instant,
    hang: Duration,
    random: Mutex<RandomFaults>,
    rng: Mutex<fastrand::Rng>,
    /// Requests still being worked on (the client may have given up on them long ago).
    working: AtomicUsize,
}

impl SimShared {
    fn elapsed_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }
}

type Shared = Arc<SimShared>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How a simulator starts.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// How long "timeout" faults hold a reply: longer than any client waits.
    pub hang: Duration,
    /// Faults drawn at random for every provider request (none by default).
    pub random: RandomFaults,
    /// The simulated QvaTel's opening state.
    pub qvatel: QvaTelState,
    /// The simulated SMS Partner's opening state.
    pub smspartner: SmsPartnerState,
    /// The simulated Marketext's opening state.
    pub marketext: MarketextState,
    /// The simulated RechargeKit's opening state.
    pub rechargekit: RechargeKitState,
    /// The simulated Saba Payamak's opening state.
    pub sabapayamak: SabaPayamakState,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            hang: Duration::from_secs(120),
            random: RandomFaults::default(),
            qvatel: QvaTelState::demo(),
            smspartner: SmsPartnerState::demo(),
            marketext: MarketextState::demo(),
            rechargekit: RechargeKitState::demo(),
            sabapayamak: SabaPayamakState::demo(),
        }
    }
}

impl SimConfig {
    /// The same accounts with balances so large that no operation is refused for lack of
    /// money (for load and fault tests).
    pub fn with_large_balances(mut self) -> SimConfig {
        let plenty = i64::MAX / 4;
        self.qvatel
            .accounts
            .values_mut()
            .for_each(|a| a.balance_cents = plenty);
        self.rechargekit.wallet_paise = plenty;
        for account in self.smspartner.accounts.values_mut() {
            account.main_milli = plenty;
            account
                .subaccounts
                .iter_mut()
                .for_each(|s| s.balance_milli = 1 << 40);
        }
        self.marketext
            .main_accounts
            .values_mut()
            .for_each(|m| m.points = plenty);
        self
    }
}

/// A running simulator; it stops when dropped.
pub struct Simulator {
    addr: SocketAddr,
    shared: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Simulator {
    /// Starts a simulator on 127.0.0.1 (`port` 0 picks a free port). Call inside a tokio runtime.
    pub async fn start(port: u16, config: SimConfig) -> std::io::Result<Simulator> {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(SimShared {
            state: Mutex::new(SimState {
                requests: Vec::new(),
                faults: Vec::new(),
                qvatel: config.qvatel,
                smspartner: config.smspartner,
                marketext: config.marketext,
                rechargekit: config.rechargekit,
                sabapayamak: config.sabapayamak,
            }),
            started: Instant::now(),
            hang: config.hang,
            rng: Mutex::new(fastrand::Rng::with_seed(config.random.seed)),
            random: Mutex::new(config.random),
            working: AtomicUsize::new(0),
        });
        let app = Router::new()
            .merge(qvatel::routes())
            .merge(smspartner::routes())
            .merge(marketext::routes())
            .merge(rechargekit::routes())
            .merge(sabapayamak::routes())
            .route("/__sim/requests", get(admin_requests))
            .route("/__sim/state", get(admin_state))
            .route("/__sim/faults", axum::routing::post(admin_add_fault))
            .layer(middleware::from_fn_with_state(
                shared.clone(),
                record_and_fault,
            ))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("saldo simulator stopped: {error}");
            }
        });
        Ok(Simulator { addr, shared, task })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The base URL a QvaTel profile uses against this simulator.
    pub fn qvatel_base_url(&self) -> String {
        format!("{}{}", self.base_url(), qvatel::BASE_PATH)
    }

    /// The base URL an SMS Partner profile uses against this simulator.
    pub fn smspartner_base_url(&self) -> String {
        format!("{}{}", self.base_url(), smspartner::BASE_PATH)
    }

    /// The base URL a Marketext profile uses against this simulator.
    pub fn marketext_base_url(&self) -> String {
        format!("{}{}", self.base_url(), marketext::BASE_PATH)
    }

    /// The base URL a RechargeKit profile uses against this simulator.
    pub fn rechargekit_base_url(&self) -> String {
        format!("{}{}", self.base_url(), rechargekit::BASE_PATH)
    }

    /// The base URL a Saba Payamak profile uses against this simulator.
    pub fn sabapayamak_base_url(&self) -> String {
        format!("{}{}", self.base_url(), sabapayamak::BASE_PATH)
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.state).requests.clone()
    }

    /// The requests received on paths ending with `suffix`.
    pub fn requests_to(&self, suffix: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.path.ends_with(suffix))
            .collect()
    }

    /// Arms a fault.
    pub fn inject(&self, rule: FaultRule) {
        lock(&self.shared.state).faults.push(rule);
    }

    /// Replaces the random faults drawn for every request (e.g. none, once the network
    /// "recovers"); the random sequence carries on from where it was.
    pub fn set_random_faults(&self, random: RandomFaults) {
        *lock(&self.shared.random) = random;
    }

    /// How many requests the simulator is still working on, whether or not their client is
    /// still waiting.
    pub fn working(&self) -> usize {
        self.shared.working.load(Ordering::SeqCst)
    }

    /// Waits until the simulator has finished every request it received (a late commit
    /// included), or `limit` has passed; returns whether it is idle.
    pub async fn wait_idle(&self, limit: Duration) -> bool {
        let give_up = tokio::time::Instant::now() + limit;
        while self.working() > 0 {
            if tokio::time::Instant::now() >= give_up {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        true
    }

    /// Reads or changes the simulated state.
    pub fn with_state<T>(&self, f: impl FnOnce(&mut SimState) -> T) -> T {
        f(&mut lock(&self.shared.state))
    }
}

/// Records every provider request and applies an armed fault, if any.
async fn record_and_fault(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with("/__sim/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let fault = {
        let mut state = lock(&shared.state);
        let fault = faults::take_fault(&mut state.faults, &path)
            .or_else(|| lock(&shared.random).draw(&mut lock(&shared.rng)));
        let seq = state.requests.len() as u64 + 1;
        state.requests.push(RecordedRequest {
            seq,
            method: parts.method.to_string(),
            path: path.clone(),
            query: parts.uri.query().unwrap_or_default().to_string(),
            body: String::from_utf8_lossy(&bytes).into_owned(),
            content_type: parts
                .headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            authorization: header_text(&parts.headers, axum::http::header::AUTHORIZATION),
            accept: header_text(&parts.headers, axum::http::header::ACCEPT),
            fault: fault.clone(),
        });
        fault
    };
    let request = Request::from_parts(parts, Body::from(bytes));
    let latency_ms = lock(&shared.random).latency_ms;
    // The work runs detached, as on a real server: a client that hangs up does not undo it.
    shared.working.fetch_add(1, Ordering::SeqCst);
    let worker = shared.clone();
    let work = tokio::spawn(async move {
        let response = serve(&worker, request, next, fault, latency_ms).await;
        worker.working.fetch_sub(1, Ordering::SeqCst);
        response
    });
    work.await
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Answers one provider request under its fault, if any.
async fn serve(
    shared: &SimShared,
    request: Request,
    next: Next,
    fault: Option<Fault>,
    latency_ms: u64,
) -> Response {
    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    match fault {
        Fault::Latency { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        Fault::LateCommit => {
            // Slower than any client waits, and executed all the same.
            tokio::time::sleep(shared.hang).await;
            next.run(request).await
        }
        Fault::Status { code } => (
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "simulated server error",
        )
            .into_response(),
        Fault::TimeoutBeforeCommit => {
            tokio::time::sleep(shared.hang).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Fault::TimeoutAfterCommit => {
            let response = next.run(request).await;
            tokio::time::sleep(shared.hang).await;
            response
        }
        Fault::ResetBeforeCommit => reset(),
        Fault::ResetAfterCommit => {
            drop(next.run(request).await);
            reset()
        }
        Fault::Malformed => {
            drop(next.run(request).await);
            json_body("{'result': 1, 'id_recarga': ")
        }
        Fault::Body { body } => json_body(&body),
        Fault::Reply { status, body } => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body,
        )
            .into_response(),
    }
}

fn header_text(headers: &axum::http::HeaderMap, name: axum::http::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn json_body(body: &str) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// A reply whose body fails mid-way: the connection is cut before any answer arrives.
fn reset() -> Response {
    let broken = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated connection reset",
        ))
    });
    Response::new(Body::from_stream(broken))
}

async fn admin_requests(State(shared): State<Shared>) -> Json<Vec<RecordedRequest>> {
    Json(lock(&shared.state).requests.clone())
}

async fn admin_state(State(shared): State<Shared>) -> Response {
    let state = lock(&shared.state);
    Json(serde_json::json!({
        "qvatel": &state.qvatel,
        "smspartner": &state.smspartner,
        "marketext": &state.marketext,
        "rechargekit": &state.rechargekit,
        "sabapayamak": &state.sabapayamak,
        "faults": &state.faults,
        "requests_received": state.requests.len(),
    }))
    .into_response()
}

async fn admin_add_fault(State(shared): State<Shared>, Json(rule): Json<FaultRule>) -> StatusCode {
    lock(&shared.state).faults.push(rule);
    StatusCode::NO_CONTENT
}
