//! Probes against a real local HTTP server, real TCP ports and real commands.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use warroom::domain::event::ProbeHealth;
use warroom::domain::loader::load_bytes;
use warroom::domain::probe_history::ProbeHistory;
use warroom::domain::runbook::Runbook;
use warroom::domain::sanitize::is_clean;
use warroom::sources::probes::{probe_all_once, probe_once, sample_of, start, ProbeEnv};
use warroom::sources::{ProbeResult, SourceEvent};

use super::server;

/// A guard against a hang, not a timing assertion.
const HANG: Duration = Duration::from_secs(60);

fn runbook(dir: &Path, probes: &str) -> Runbook {
    let text = format!("[runbook]\nid = \"t\"\ntitle = \"t\"\n\n{probes}");
    let path = dir.join("rb.toml");
    match load_bytes(&path, text.as_bytes()) {
        Ok(l) => l.runbook,
        Err(d) => panic!("bad test runbook: {d:?}\n{text}"),
    }
}

fn http_probe(id: &str, url: &str, extra: &str) -> String {
    format!("[[probe]]\nid = \"{id}\"\nurl = \"{url}\"\nevery = \"10s\"\ntimeout = \"2s\"\n{extra}\n")
}

/// Live (non-zombie) processes whose working folder is `dir`, from /proc.
fn live_in(dir: &Path) -> Vec<i32> {
    let dir = std::fs::canonicalize(dir).unwrap();
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else { continue };
        let Ok(cwd) = std::fs::read_link(format!("/proc/{pid}/cwd")) else { continue };
        let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| s.rsplit_once(')').is_some_and(|(_, r)| r.trim_start().starts_with('Z')))
            .unwrap_or(true);
        if cwd == dir && !zombie {
            out.push(pid);
        }
    }
    out
}

async fn once(rb: &Runbook, id: &str) -> ProbeResult {
    let env = ProbeEnv::for_runbook(rb);
    probe_once(rb.probe(id).unwrap(), &env).await
}

#[tokio::test]
async fn http_conditions_pass_and_fail_with_what_was_seen() {
    let srv = server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let rb = runbook(
        dir.path(),
        &[
            http_probe(
                "ok",
                &srv.url("/ok"),
                r#"conditions = ["[STATUS] == 200", "[BODY] contains \"Welcome\"", "[RESPONSE_TIME] < 2000"]"#,
            ),
            http_probe(
                "json",
                &srv.url("/json"),
                r#"conditions = ["[BODY].status == \"UP\"", "[BODY].db.latency_ms < 10"]"#,
            ),
            http_probe("err", &srv.url("/500"), r#"conditions = ["[STATUS] == 200"]"#),
            http_probe("plain500", &srv.url("/500"), ""),
            http_probe("slow", &srv.url("/slow"), r#"conditions = ["[STATUS] == 200"]"#),
        ]
        .concat(),
    );
    let env = Arc::new(ProbeEnv::for_runbook(&rb));
    let results = probe_all_once(&rb.probes, env).await;
    let by = |id: &str| results.iter().find(|r| r.probe == id).unwrap().clone();
    let ok = by("ok");
    assert!(ok.success, "{ok:?}");
    assert_eq!(ok.status, Some(200));
    assert_eq!(ok.detail.as_deref(), Some("HTTP 200 · <h1>Welcome</h1>"));
    assert!(by("json").success, "{:?}", by("json"));
    let err = by("err");
    assert!(!err.success);
    assert_eq!(err.failed_condition.as_deref(), Some("[STATUS] == 200: got 500"));
    assert_eq!(err.error, None);
    // No conditions: the loader defaults to "answers without an error status".
    assert_eq!(by("plain500").failed_condition.as_deref(), Some("[STATUS] < 400: got 500"));
    assert!(by("slow").success);
    assert!(by("slow").latency >= Duration::from_millis(300));
}

#[tokio::test]
async fn transport_errors_in_words() {
    let srv = server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let rb = runbook(
        dir.path(),
        &[
            http_probe("hang", &srv.url("/hang"), "timeout = \"300ms\"").replace("timeout = \"2s\"\n", ""),
            http_probe("refused", &format!("http://{closed}/"), ""),
            http_probe("reset", &format!("http://{}/", srv.reset_addr), ""),
            http_probe("dns", "http://no-such-host.invalid/", ""),
            http_probe("loop", &srv.url("/loop"), ""),
            http_probe("huge", &srv.url("/huge"), r#"conditions = ["[BODY] contains \"y\""]"#),
            http_probe("huge-status-only", &srv.url("/huge"), r#"conditions = ["[STATUS] == 200"]"#),
        ]
        .concat(),
    );
    let env = Arc::new(ProbeEnv::for_runbook(&rb));
    let results = probe_all_once(&rb.probes, env).await;
    let err = |id: &str| {
        let r = results.iter().find(|r| r.probe == id).unwrap();
        assert!(!r.success || id == "huge-status-only", "{r:?}");
        r.error.clone().unwrap_or_default()
    };
    assert_eq!(err("hang"), "timeout: no answer within 300ms");
    assert!(err("refused").starts_with("connection refused"), "{}", err("refused"));
    let reset = err("reset");
    assert!(reset.contains("reset") || reset.contains("closed"), "{reset}");
    assert!(err("dns").starts_with("DNS: cannot resolve no-such-host.invalid"), "{}", err("dns"));
    assert!(err("loop").contains("too many redirects"), "{}", err("loop"));
    assert!(err("huge").starts_with("body too big"), "{}", err("huge"));
    let r = results.iter().find(|r| r.probe == "huge-status-only").unwrap();
    assert!(r.success, "a body nobody asked about is not read: {r:?}");
    for r in &results {
        for text in [&r.error, &r.failed_condition, &r.detail].into_iter().flatten() {
            assert!(is_clean(text), "{text:?}");
        }
    }
}

#[tokio::test]
async fn hostile_body_is_neutralised() {
    let srv = server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let rb = runbook(
        dir.path(),
        &[
            http_probe("hostile", &srv.url("/hostile"), r#"conditions = ["[BODY] contains \"Welcome\""]"#),
            http_probe("hostile-fail", &srv.url("/hostile"), r#"conditions = ["[BODY] == \"x\""]"#),
        ]
        .concat(),
    );
    let ok = once(&rb, "hostile").await;
    assert!(ok.success, "{ok:?}");
    let detail = ok.detail.unwrap();
    assert!(is_clean(&detail) && detail.contains("Welcome") && detail.contains("<U+202E>"), "{detail:?}");
    let bad = once(&rb, "hostile-fail").await;
    let fc = bad.failed_condition.unwrap();
    assert!(is_clean(&fc), "{fc:?}");
}

#[tokio::test]
async fn env_headers_are_sent_and_never_shown() {
    let srv = server::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("WARROOM_TEST_PROBE_TOKEN", "Bearer s3cret-token");
    let rb = runbook(
        dir.path(),
        &[
            http_probe(
                "auth",
                &srv.url("/auth"),
                "headers = { Authorization = \"env:WARROOM_TEST_PROBE_TOKEN\" }\nconditions = [\"[STATUS] == 200\"]",
            ),
            http_probe(
                "noenv",
                &srv.url("/auth"),
                "headers = { Authorization = \"env:WARROOM_TEST_UNSET_VAR\" }\nconditions = [\"[STATUS] == 200\"]",
            ),
        ]
        .concat(),
    );
    let ok = once(&rb, "auth").await;
    assert!(ok.success, "{ok:?}");
    let missing = once(&rb, "noenv").await;
    assert!(!missing.success);
    assert!(missing.error.as_deref().unwrap().contains("WARROOM_TEST_UNSET_VAR is not set"));
    for r in [&ok, &missing] {
        assert!(!format!("{r:?}").contains("s3cret"), "secret leaked: {r:?}");
    }
}

#[tokio::test]
async fn tcp_and_command_probes() {
    let srv = server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let probes = format!(
        "[[probe]]\nid = \"tcp\"\ntcp = \"{}\"\ntimeout = \"2s\"\n\n\
         [[probe]]\nid = \"tcp-closed\"\ntcp = \"{closed}\"\ntimeout = \"2s\"\n\n\
         [[probe]]\nid = \"cmd\"\ncommand = \"echo first; printf 'last \\\\033[31mline\\\\n'\"\ntimeout = \"5s\"\n\n\
         [[probe]]\nid = \"cmd-fail\"\ncommand = \"echo why >&2; exit 2\"\ntimeout = \"5s\"\n\n\
         [[probe]]\nid = \"cmd-slow\"\ncommand = \"trap '' TERM; sleep 999 & sleep 999\"\ntimeout = \"300ms\"\n",
        srv.addr
    );
    let rb = runbook(dir.path(), &probes);
    let tcp = once(&rb, "tcp").await;
    assert!(tcp.success, "{tcp:?}");
    assert!(once(&rb, "tcp-closed").await.error.unwrap().starts_with("connection refused"));
    let cmd = once(&rb, "cmd").await;
    assert!(cmd.success, "{cmd:?}");
    assert_eq!(cmd.detail.as_deref(), Some("last line"));
    let fail = once(&rb, "cmd-fail").await;
    assert_eq!(fail.error.as_deref(), Some("exited with code 2"));
    assert_eq!(fail.detail.as_deref(), Some("why"));
    let slow = once(&rb, "cmd-slow").await;
    assert_eq!(slow.error.as_deref(), Some("timeout: the command ran longer than 300ms"));
    // Nothing of it is left running once the attempt has answered (S7).
    assert_eq!(live_in(dir.path()), Vec::<i32>::new(), "a probe command was left behind");
}

#[tokio::test]
async fn a_hanging_probe_never_delays_another() {
    let srv = server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut rb = runbook(
        dir.path(),
        &[
            http_probe("hang", &srv.url("/hang"), "")
                .replace("every = \"10s\"\ntimeout = \"2s\"", "every = \"1s\"\ntimeout = \"30s\""),
            http_probe("fast", &srv.url("/ok"), "").replace("every = \"10s\"", "every = \"100ms\""),
        ]
        .concat(),
    );
    rb.probes.iter_mut().for_each(|p| p.failure_threshold = 2);
    let (tx, mut rx) = warroom::sources::event_channel();
    let handle = start(&rb.probes, Arc::new(ProbeEnv::for_runbook(&rb)), tx);
    assert_eq!(handle.len(), 2);
    let mut fast = 0;
    let mut hang = 0;
    let mut history = ProbeHistory::for_probe(rb.probe("fast").unwrap());
    tokio::time::timeout(HANG, async {
        while fast < 5 {
            match rx.recv().await.unwrap() {
                SourceEvent::Probe(r) if r.probe == "fast" => {
                    assert!(r.success, "{r:?}");
                    history.record(sample_of(&r));
                    fast += 1;
                }
                SourceEvent::Probe(_) => hang += 1,
                other => panic!("{other:?}"),
            }
        }
    })
    .await
    .expect("the fast probe was held up");
    assert_eq!(hang, 0, "the hanging probe cannot have answered yet");
    assert_eq!(history.health(), Some(ProbeHealth::Up));
    drop(handle);
}

#[tokio::test]
async fn certificate_expiry_is_read_from_the_handshake() {
    use warroom::sources::probes::cert::{hours_left, not_after_hours};
    let srv = server::start().await;
    let now = chrono::Utc::now();
    let hours = hours_left("localhost", srv.tls_addr.port(), Duration::from_secs(5), now).await.unwrap();
    let expected = not_after_hours(server::CERT_DER, now).unwrap();
    assert!((hours - expected).abs() < 1.0 && hours > 24.0 * 365.0, "{hours} vs {expected}");
    // Read later than its notAfter, the same certificate has negative hours left.
    let later = now + chrono::Duration::days(365 * 12);
    assert!(not_after_hours(server::CERT_DER, later).unwrap() < 0.0);
    assert!(not_after_hours(b"not a certificate", now).unwrap_err().starts_with("TLS: cannot read"));

    // The probe's own request verifies the chain: a self-signed certificate is a TLS error in words.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("https://localhost:{}/", srv.tls_addr.port());
    let rb = runbook(dir.path(), &http_probe("tls", &url, r#"conditions = ["[CERTIFICATE_EXPIRATION] > 720h"]"#));
    let r = once(&rb, "tls").await;
    let err = r.error.clone().unwrap();
    assert!(!r.success, "{r:?}");
    assert_eq!(err, "TLS: the certificate of localhost is self-signed (not trusted)");
}
