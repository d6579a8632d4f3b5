//! The journal on a real PostgreSQL (a throwaway cluster, `support/pg.rs`):
//! the commands (`mark`, `verify`, `export`, `import`, `db init`) as a user
//! runs them, and the `Journal` API as the console uses it. Each test has a
//! session of its own in the shared cluster.

#[path = "support/pg.rs"]
mod pg;

#[path = "support/agent.rs"]
mod agent;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use warroom::domain::event::EventKind;
use warroom::domain::record::Record;
use warroom::sources::journal::{Journal, JournalError};

fn runbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg-drill.toml")
}

fn warroom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(args)
        .env_remove("WARROOM_JOURNAL")
        .env("WARROOM_DATA_DIR", std::env::temp_dir().join("wr-pg-test-data"))
        .output()
        .expect("warroom runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

fn session(tag: &str) -> String {
    format!("{tag}-{}-{:x}", std::process::id(), rand_u32())
}

fn rand_u32() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
}

fn mark(url: &str, criterion: &str, verdict: &str, op: &str) -> Output {
    let rb = runbook();
    warroom(&["mark", rb.to_str().unwrap(), criterion, verdict, "--journal", url, "--operator", op])
}

fn note(text: &str) -> EventKind {
    EventKind::NoteAdded { text: text.into() }
}

#[test]
fn four_processes_marking_at_once_keep_one_intact_chain() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("marks"));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let url = url.clone();
            std::thread::spawn(move || {
                for i in 0..100 {
                    let (crit, verdict) = if i % 2 == 0 { ("smoke", "pass") } else { ("search", "fail") };
                    let out = mark(&url, crit, verdict, &format!("writer{w}"));
                    assert_eq!(out.status.code(), Some(0), "writer {w} mark {i}: {}", text(&out.stderr));
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("a writer failed");
    }
    let out = warroom(&["verify", &url]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("intact — 400 records"), "{}", text(&out.stdout));
    assert_eq!(
        pg.psql(&format!("SELECT count(DISTINCT seq) FROM warroom_records WHERE session = '{}'", sess(&url))),
        "400"
    );
}

/// The session id of a test URL.
fn sess(url: &str) -> String {
    url.split("session=").nth(1).unwrap().split('&').next().unwrap().to_string()
}

#[test]
fn export_is_a_file_journal_that_verifies_and_imports_back_byte_for_byte() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("export"));
    for (c, v) in [("smoke", "pass"), ("search", "fail"), ("search", "pass")] {
        assert_eq!(mark(&url, c, v, "ana").status.code(), Some(0));
    }
    let dir = tempfile::tempdir().unwrap();
    let out = warroom(&["export", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let file = dir.path().join("journal.jsonl");
    std::fs::write(&file, &out.stdout).unwrap();
    let v = warroom(&["verify", file.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}{}", text(&v.stdout), text(&v.stderr));
    assert!(text(&v.stdout).contains("intact — 3 records"), "{}", text(&v.stdout));

    // The file is what the file journal would hold: a file journal reads it and writes on after it.
    let mut j = Journal::open(&file).unwrap();
    assert_eq!(j.records.len(), 3);
    j.journal.append("bob", chrono::Utc::now(), &note("after the export")).unwrap();

    // Into a new session and out again: the same bytes.
    let copy = pg.url(&session("import"));
    let imp = warroom(&["import", file.to_str().unwrap(), &copy]);
    assert_eq!(imp.status.code(), Some(0), "{}", text(&imp.stderr));
    let again = warroom(&["export", &copy]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(text(&again.stdout), std::fs::read_to_string(&file).unwrap());

    // Never into a session that has records.
    let twice = warroom(&["import", file.to_str().unwrap(), &copy]);
    assert_eq!(twice.status.code(), Some(1), "{}", text(&twice.stderr));
    assert!(text(&twice.stderr).contains("already has 4 records"), "{}", text(&twice.stderr));
}

/// A database of its own holding schema version 1 exactly as the first
/// release created it, with one record (which has no `user`: v1 had no column).
fn version_1_database(pg: &pg::Cluster, name: &str) -> String {
    pg.psql(&format!("DROP DATABASE IF EXISTS {name}"));
    pg.psql(&format!("CREATE DATABASE {name}"));
    let ts = chrono::Utc::now();
    let rec = Record::new(warroom::domain::record::GENESIS, 1, ts, "ana", &note("before the upgrade"));
    let mut data = Vec::new();
    warroom::domain::record::write_canonical_json(&rec.data, &mut data);
    let url = pg.url("old").replace("/warroom?", &format!("/{name}?"));
    let sql = format!(
        "CREATE TABLE warroom_schema (version integer NOT NULL); INSERT INTO warroom_schema VALUES (1); \
         CREATE TABLE warroom_records (session text NOT NULL, seq bigint NOT NULL CHECK (seq >= 1), \
         ts text NOT NULL, operator text NOT NULL, kind text NOT NULL, data text NOT NULL, prev text NOT NULL, \
         hash text NOT NULL, record_id text NOT NULL, written_at timestamptz NOT NULL DEFAULT now(), \
         PRIMARY KEY (session, seq), UNIQUE (session, record_id)); \
         INSERT INTO warroom_records (session, seq, ts, operator, kind, data, prev, hash, record_id) VALUES \
         ('old', 1, '{}', 'ana', '{}', $d${}$d$, '{}', '{}', 'r1')",
        warroom::domain::record::format_ts(&rec.ts),
        rec.kind,
        String::from_utf8(data).unwrap(),
        rec.prev,
        rec.hash
    );
    let o = Command::new(pg.bin().join("psql"))
        .args(["-h", "127.0.0.1", "-p", &pg.port.to_string(), "-U", "postgres", "-d", name])
        .args(["-v", "ON_ERROR_STOP=1", "-c", &sql])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    url
}

#[test]
fn schema_version_1_is_upgraded_by_db_init_or_on_first_use_and_old_records_still_verify() {
    let Some(pg) = pg::cluster() else { return };
    // By `warroom db init`; until then a reader is told what to run.
    let url = version_1_database(pg, "v1_init");
    let out = warroom(&["verify", &url]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("schema version 1") && text(&out.stderr).contains("warroom db init"));
    let out = warroom(&["db", "init", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("upgraded from schema version 1 (schema version 2)"), "{}", text(&out.stdout));
    assert!(text(&warroom(&["db", "init", &url]).stdout).contains("already there (schema version 2)"));

    // On first use by a writer, which says so.
    let url = version_1_database(pg, "v1_use");
    let m = mark(&url, "smoke", "pass", "bob");
    assert_eq!(m.status.code(), Some(0), "{}", text(&m.stderr));
    assert!(text(&m.stderr).contains("upgraded the warroom tables"), "{}", text(&m.stderr));
    let v = warroom(&["verify", &url]);
    assert_eq!(v.status.code(), Some(0), "{}{}", text(&v.stdout), text(&v.stderr));
    assert!(text(&v.stdout).contains("intact — 2 records"), "{}", text(&v.stdout));
    // The old record has no user; the new one names the Unix account that wrote it.
    let out = warroom(&["export", &url]);
    let lines: Vec<Record> =
        text(&out.stdout).lines().map(|l| warroom::domain::record::parse_line(l).unwrap()).collect();
    assert_eq!(lines[0].user, None);
    assert_eq!(lines[1].user.as_deref(), Some(warroom::sources::journal::unix_user().as_str()));
}

const APPROVALS: &str = r#"
[runbook]
id = "pg-approvals"
title = "Approvals on a shared journal"
SIGN

[[rollback]]
id = "full"
title = "Back to the previous release"
run = "true"
approvals = 2
distinct = "DISTINCT"
"#;

/// `warroom approve RUNBOOK full` on `url` as `operator`, optionally as another
/// Unix user (`runuser -u USER`) and through an SSH agent.
fn approve(rb: &Path, url: &str, operator: &str, as_user: Option<&str>, agent: Option<&Path>) -> Output {
    let mut cmd = match as_user {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.args(["-u", u, "--", env!("CARGO_BIN_EXE_warroom")]);
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_warroom")),
    };
    cmd.env_remove("WARROOM_JOURNAL").env_remove("WARROOM_OPERATOR").env_remove("WARROOM_SIGNING_KEY");
    cmd.env("WARROOM_DATA_DIR", rb.parent().unwrap().join("data"));
    match agent {
        Some(sock) => cmd.env("SSH_AUTH_SOCK", sock),
        None => cmd.env_remove("SSH_AUTH_SOCK"),
    };
    cmd.arg("approve").arg(rb).args(["full", "--operator", operator, "--journal", url]).output().unwrap()
}

/// A runbook whose rollback needs two approvals counted by `distinct`, in a
/// folder another Unix user may write to (their data dir lives there).
fn approvals_runbook(distinct: &str, sign: bool) -> (tempfile::TempDir, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let rb = dir.path().join("runbook.toml");
    let body = APPROVALS.replace("SIGN", if sign { "sign = true" } else { "" }).replace("DISTINCT", distinct);
    std::fs::write(&rb, body).unwrap();
    std::fs::set_permissions(&rb, std::fs::Permissions::from_mode(0o644)).unwrap();
    (dir, rb)
}

#[test]
fn approvals_from_two_unix_users_count_on_a_database_session_and_one_user_twice_does_not() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("approve-user"));
    let (_dir, rb) = approvals_runbook("user", false);
    let first = approve(&rb, &url, "ana@bastion", None, None);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("approved (1/2)"), "{}", text(&first.stdout));
    // Another name from the same login is not another person.
    let same = approve(&rb, &url, "bob@bastion", None, None);
    assert_eq!(same.status.code(), Some(1), "{}", text(&same.stdout));
    let me = warroom::sources::journal::unix_user();
    assert!(text(&same.stderr).contains(&format!("already approved as Unix user {me}")), "{}", text(&same.stderr));
    // Another login, on "another host" (its own data dir, the same database).
    let second = approve(&rb, &url, "bob@other", Some("nobody"), None);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert!(text(&second.stdout).contains("approved (2/2)"), "{}", text(&second.stdout));
    let users = pg.psql(&format!(
        "SELECT string_agg(unix_user, ',' ORDER BY seq) FROM warroom_records WHERE session = '{}'",
        sess(&url)
    ));
    assert_eq!(users, format!("{me},nobody"));
}

#[test]
fn signed_records_on_a_database_verify_against_allowed_signers_and_a_swapped_signature_is_named() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("signed"));
    let (dir, rb) = approvals_runbook("key", true);
    let (ana, bob) = (agent::Agent::start("ana"), agent::Agent::start("bob"));
    for (op, a) in [("ana", &ana), ("bob", &bob)] {
        let out = approve(&rb, &url, op, None, Some(a.env()[0].1));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    let signers = dir.path().join("allowed_signers");
    std::fs::write(&signers, format!("ana {}\nbob {}\n", ana.key(), bob.key())).unwrap();
    let verify = |journal: &str| warroom(&["verify", journal, "--allowed-signers", signers.to_str().unwrap()]);
    let out = verify(&url);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("intact, every record signed by an allowed key — 2 records"));

    // Exported, the signatures come along: the file verifies against the same signers.
    let file = dir.path().join("journal.jsonl");
    std::fs::write(&file, warroom(&["export", &url]).stdout).unwrap();
    let out = verify(file.to_str().unwrap());
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));

    // ana's signature put on bob's record with psql: the chain still holds, the signature does not.
    let s = sess(&url);
    pg.psql(&format!(
        "UPDATE warroom_records SET sig = (SELECT sig FROM warroom_records WHERE session = '{s}' AND seq = 1) \
         WHERE session = '{s}' AND seq = 2"
    ));
    assert_eq!(warroom(&["verify", &url]).status.code(), Some(0));
    let out = verify(&url);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains(&format!("session={s}&sslmode=disable:2: ")), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("record seq 2 is the first record whose signature"), "{}", text(&out.stderr));
}

#[test]
fn a_damaged_file_is_not_imported() {
    let Some(pg) = pg::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("journal.jsonl");
    let mut j = Journal::open(&file).unwrap().journal;
    for t in ["one", "two", "three"] {
        j.append("ana", chrono::Utc::now(), &note(t)).unwrap();
    }
    let edited = std::fs::read_to_string(&file).unwrap().replace("\"two\"", "\"TWO\"");
    std::fs::write(&file, edited).unwrap();
    let url = pg.url(&session("damaged"));
    // The tables, so the count below can be asked even when this test runs first.
    assert_eq!(warroom(&["db", "init", &url]).status.code(), Some(0));
    let out = warroom(&["import", file.to_str().unwrap(), &url]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(":2:"), "names the line: {}", text(&out.stderr));
    assert_eq!(pg.psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{}'", sess(&url))), "0");
}

#[test]
fn a_row_edited_with_psql_fails_verify_naming_the_record() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("tamper"));
    for (c, v) in [("smoke", "pass"), ("search", "fail"), ("smoke", "fail"), ("search", "pass")] {
        assert_eq!(mark(&url, c, v, "ana").status.code(), Some(0));
    }
    let s = sess(&url);
    pg.psql(&format!(
        "UPDATE warroom_records SET data = replace(data, 'fail', 'pass') WHERE session = '{s}' AND seq = 2"
    ));
    let out = warroom(&["verify", &url]);
    assert_eq!(out.status.code(), Some(1), "{}{}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(&format!("session={s}&sslmode=disable:2: hash mismatch: record seq 2")), "{stdout}");
    assert!(text(&out.stderr).contains("record seq 2 is the first bad one"), "{}", text(&out.stderr));
    // Export refuses too, and a writer refuses to chain after it.
    assert_eq!(warroom(&["export", &url]).status.code(), Some(1));
    let m = mark(&url, "smoke", "pass", "ana");
    assert_eq!(m.status.code(), Some(1), "{}", text(&m.stderr));
    assert!(text(&m.stderr).contains("seq 2"), "{}", text(&m.stderr));
}

#[test]
fn the_guard_sees_what_another_host_wrote_under_the_lock() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("guard"));
    let mut ana = Journal::open(Path::new(&url)).unwrap().journal;
    let mut bob = Journal::open(Path::new(&url)).unwrap().journal;
    let start = note("rollback full started");
    let refuse = |others: &[Record]| {
        others.iter().any(|r| r.data["text"] == "rollback full started").then(|| "already started".to_string())
    };
    let (_, refused) = ana.append_unless("ana", chrono::Utc::now(), &start, refuse).unwrap();
    assert_eq!(refused, None);
    // Bob has not read anything since he opened: the guard is shown ana's record under the lock.
    let (seen, refused) = bob.append_unless("bob", chrono::Utc::now(), &start, refuse).unwrap();
    assert_eq!(refused.as_deref(), Some("already started"));
    assert_eq!(seen.len(), 1);
    assert_eq!(bob.last_seq(), 1);
    assert_eq!(pg.psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{}'", sess(&url))), "1");
}

#[test]
fn notify_wakes_a_watching_console_which_reads_the_new_record() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("notify"));
    let mut watcher = Journal::open(Path::new(&url)).unwrap().journal;
    let (tx, mut rx) = warroom::sources::event_channel();
    let _h = watcher.watch(tx);
    let woken = |rx: &mut warroom::sources::EventReceiver, what: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while rx.try_recv().is_err() {
            assert!(Instant::now() < deadline, "no wake-up: {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    // A first wake-up comes by itself (nothing between open and watch is missed).
    woken(&mut rx, "the first one");
    let mut writer = Journal::open(Path::new(&url)).unwrap().journal;
    writer.append("ci@runner", chrono::Utc::now(), &note("from another host")).unwrap();
    woken(&mut rx, "NOTIFY");
    let got = watcher.poll().unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].operator, "ci@runner");
    assert!(watcher.poll().unwrap().is_empty());
}

#[test]
fn a_read_only_role_watches_but_cannot_write() {
    let Some(pg) = pg::cluster() else { return };
    let s = session("observer");
    let url = pg.url(&s);
    assert_eq!(mark(&url, "smoke", "pass", "ana").status.code(), Some(0));
    // The grants docs/journal.md lists for an observer.
    pg.psql(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'observer') THEN \
         CREATE ROLE observer LOGIN; END IF; END $$; \
         GRANT CONNECT ON DATABASE warroom TO observer; GRANT USAGE ON SCHEMA public TO observer; \
         GRANT SELECT ON warroom_schema, warroom_records TO observer;",
    );
    let obs = url.replace("postgres://postgres@", "postgres://observer@");
    let opened = Journal::open(Path::new(&obs)).unwrap();
    assert_eq!(opened.records.len(), 1);
    let why = opened.read_only_reason.expect("read-only");
    assert!(why.contains("may only read"), "{why}");
    let m = mark(&obs, "smoke", "fail", "eve");
    assert_eq!(m.status.code(), Some(1), "{}", text(&m.stderr));
    assert!(text(&m.stderr).contains("read-only"), "{}", text(&m.stderr));
    assert_eq!(warroom(&["verify", &obs]).status.code(), Some(0));
    assert_eq!(warroom(&["export", &obs]).status.code(), Some(0));
}

#[test]
fn db_init_creates_the_tables_once_and_bad_urls_say_what_to_write() {
    let Some(pg) = pg::cluster() else { return };
    pg.psql("DROP DATABASE IF EXISTS fresh");
    pg.psql("CREATE DATABASE fresh");
    let base = pg.url("x").replace("/warroom?session=x&", "/fresh?");
    let out = warroom(&["db", "init", &base]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created (schema version 2)"), "{}", text(&out.stdout));
    let out = warroom(&["db", "init", &base]);
    assert!(text(&out.stdout).contains("already there"), "{}", text(&out.stdout));

    let no_session = warroom(&["verify", &base]);
    assert_eq!(no_session.status.code(), Some(2));
    assert!(text(&no_session.stderr).contains("?session=ID"), "{}", text(&no_session.stderr));
    let secret = format!("postgres://postgres:hunter2@127.0.0.1:{}/nowhere?session=a&sslmode=disable", pg.port);
    let out = warroom(&["verify", &secret]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("nowhere") && !err.contains("hunter2"), "{err}");
}

#[test]
fn an_unreachable_database_is_refused_with_a_clear_message() {
    let Some(_pg) = pg::cluster() else { return };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/warroom?session=x&sslmode=disable");
    let out = mark(&url, "smoke", "pass", "ana");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("cannot connect"), "{}", text(&out.stderr));
    // Nothing answers: "unavailable" (a console waits for it); a server that answers "no" is not.
    match Journal::open(Path::new(&url)) {
        Err(JournalError::Unavailable { reason, .. }) => assert!(reason.contains("server is up"), "{reason}"),
        other => panic!("expected an unavailable database, got {:?}", other.err()),
    }
    let wrong_db = _pg.url("x").replace("/warroom?", "/no_such_db?");
    match Journal::open(Path::new(&wrong_db)) {
        Err(JournalError::Database { reason, .. }) => assert!(reason.contains("no_such_db"), "{reason}"),
        other => panic!("expected a database error, got {:?}", other.err()),
    }
}

#[test]
fn tls_require_encrypts_and_verify_full_checks_the_certificate() {
    let Some(pg) = pg::cluster() else { return };
    let s = session("tls");
    let plain = pg.url(&s);
    let require = plain.replace("sslmode=disable", "sslmode=require");
    let j = Journal::open(Path::new(&require)).unwrap();
    let encrypted = pg.psql(
        "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) \
         WHERE ssl AND application_name = 'warroom'",
    );
    assert_ne!(encrypted, "0", "no TLS connection from warroom");
    drop(j);

    // verify-full: trusted with the server's certificate as root, refused without it.
    let root = pg.root_cert();
    let full = plain.replace("sslmode=disable", "sslmode=verify-full");
    let trusted = format!("{full}&sslrootcert={}", root.display());
    let out = mark(&trusted, "smoke", "pass", "ana");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = mark(&full, "smoke", "pass", "ana");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).to_lowercase().contains("certificate"), "{}", text(&out.stderr));
}

#[test]
fn the_runbook_can_name_the_shared_journal_through_an_environment_variable() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("runbook-env"));
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("runbook.toml");
    let toml = std::fs::read_to_string(runbook()).unwrap() + "\n[session]\njournal = \"env:TEAM_JOURNAL\"\n";
    std::fs::write(&rb, toml).unwrap();
    let run = |env: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_warroom"));
        c.args(["note", rb.to_str().unwrap(), "from the runbook's setting"])
            .env_remove("WARROOM_JOURNAL")
            .env("WARROOM_DATA_DIR", dir.path().join("data"));
        match env {
            Some(v) => c.env("TEAM_JOURNAL", v),
            None => c.env_remove("TEAM_JOURNAL"),
        };
        c.output().unwrap()
    };
    let out = run(Some(&url));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("postgres://"), "{}", text(&out.stdout));
    assert_eq!(pg.psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{}'", sess(&url))), "1");
    // Unset: refused with what to do, never a silent local file.
    let out = run(None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("$TEAM_JOURNAL is not set"), "{}", text(&out.stderr));
    assert!(!dir.path().join("data/sessions").exists());
}

/// A TCP proxy in front of the cluster that can break the connection at the
/// worst moment of an append: just before the `COMMIT` reaches the server,
/// or just after the server committed but before its answer reaches warroom.
mod cutter {
    use std::io::{Read, Write};
    use std::net::{Shutdown, TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Copy, PartialEq, Debug)]
    pub enum Cut {
        Never,
        BeforeCommit,
        AfterCommit,
        /// The network goes silent at COMMIT: nothing more is forwarded, nothing is closed.
        Stall,
    }

    pub struct Proxy {
        pub port: u16,
        pub cut: Arc<Mutex<Cut>>,
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    impl Proxy {
        pub fn start(upstream: u16) -> Proxy {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = l.local_addr().unwrap().port();
            let cut = Arc::new(Mutex::new(Cut::Never));
            let shared = cut.clone();
            std::thread::spawn(move || {
                for client in l.incoming().flatten() {
                    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else { continue };
                    let cut = shared.clone();
                    let swallow = Arc::new(Mutex::new(false));
                    let (c2, s2, sw2) = (client.try_clone().unwrap(), server.try_clone().unwrap(), swallow.clone());
                    // warroom → server: the simple-query COMMIT is where it cuts.
                    std::thread::spawn(move || pump_up(client, server, cut, swallow));
                    // server → warroom: after a forwarded COMMIT, its answer is dropped and the link cut.
                    std::thread::spawn(move || pump_down(s2, c2, sw2));
                }
            });
            Proxy { port, cut }
        }
    }

    fn kill(a: &TcpStream, b: &TcpStream) {
        let _ = a.shutdown(Shutdown::Both);
        let _ = b.shutdown(Shutdown::Both);
    }

    fn pump_up(mut from: TcpStream, mut to: TcpStream, cut: Arc<Mutex<Cut>>, swallow: Arc<Mutex<bool>>) {
        let mut buf = [0u8; 65536];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => return kill(&from, &to),
                Ok(n) => n,
            };
            let commit = contains(&buf[..n], b"COMMIT\0");
            let mode = *cut.lock().unwrap();
            if commit && mode == Cut::BeforeCommit {
                *cut.lock().unwrap() = Cut::Never;
                return kill(&from, &to);
            }
            if commit && mode == Cut::Stall {
                *cut.lock().unwrap() = Cut::Never;
                // Hold both sockets open and silent until the test ends.
                loop {
                    if from.read(&mut buf).map(|n| n == 0).unwrap_or(true) {
                        return;
                    }
                }
            }
            if commit && mode == Cut::AfterCommit {
                *cut.lock().unwrap() = Cut::Never;
                *swallow.lock().unwrap() = true;
            }
            if to.write_all(&buf[..n]).is_err() {
                return kill(&from, &to);
            }
        }
    }

    fn pump_down(mut from: TcpStream, mut to: TcpStream, swallow: Arc<Mutex<bool>>) {
        let mut buf = [0u8; 65536];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => return kill(&from, &to),
                Ok(n) => n,
            };
            // The server's "COMMIT" command-complete: it has committed; warroom never hears so.
            if *swallow.lock().unwrap() && contains(&buf[..n], b"COMMIT\0") {
                return kill(&from, &to);
            }
            if to.write_all(&buf[..n]).is_err() {
                return kill(&from, &to);
            }
        }
    }
}

/// Appends `ev` until it is acknowledged, as a retrying writer would (the
/// connection comes back through the proxy after the cut).
fn append_until_acknowledged(j: &mut Journal, ev: &EventKind) -> Vec<Record> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut failures = 0;
    loop {
        match j.append("ana", chrono::Utc::now(), ev) {
            Ok(recs) => {
                assert!(failures > 0, "the proxy never cut the connection");
                return recs;
            }
            Err(JournalError::Unavailable { .. }) if Instant::now() < deadline => {
                failures += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("append failed: {e}"),
        }
    }
}

#[test]
fn an_append_retried_after_a_connection_lost_or_silent_at_commit_is_written_once() {
    let Some(pg) = pg::cluster() else { return };
    assert_eq!(warroom(&["db", "init", &pg.url("x")]).status.code(), Some(0));
    let proxy = cutter::Proxy::start(pg.port);
    let cuts =
        [(cutter::Cut::AfterCommit, "after"), (cutter::Cut::BeforeCommit, "before"), (cutter::Cut::Stall, "stall")];
    for (cut, tag) in cuts {
        let s = session(&format!("retry-{tag}"));
        let url = pg.url(&s).replace(&format!(":{}/", pg.port), &format!(":{}/", proxy.port));
        let mut j = Journal::open(Path::new(&url)).unwrap().journal;
        j.append("ana", chrono::Utc::now(), &note("first")).unwrap();
        *proxy.cut.lock().unwrap() = cut;
        let ev = note(&format!("cut {tag} commit"));
        let recs = append_until_acknowledged(&mut j, &ev);
        assert!(recs.iter().any(|r| r.data["text"] == format!("cut {tag} commit")), "{recs:?}");
        let rows = pg.psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{s}'"));
        assert_eq!(rows, "2", "cut {tag} COMMIT: the act must be in the session exactly once");
        assert_eq!(warroom(&["verify", &pg.url(&s)]).status.code(), Some(0));
    }
}

#[test]
fn report_reads_a_database_session() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("report"));
    assert_eq!(mark(&url, "smoke", "fail", "ana").status.code(), Some(0));
    let rb = runbook();
    let out = warroom(&["report", &url, "--runbook", rb.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Smoke test passes"), "{}", text(&out.stdout));
}

#[test]
fn a_read_only_open_watches_without_writing_and_never_creates_tables() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("ro"));
    assert_eq!(mark(&url, "smoke", "pass", "ana").status.code(), Some(0));
    let mut ro = Journal::open_read_only(Path::new(&url)).unwrap();
    assert_eq!(ro.records.len(), 1);
    assert!(ro.read_only_reason.is_some());
    match ro.journal.append("eve", chrono::Utc::now(), &note("sneaky")) {
        Err(JournalError::ReadOnly(_)) => {}
        other => panic!("expected a read-only refusal, got {:?}", other.map(|r| r.len())),
    }
    // On a database without the tables a watcher says how to get them, and creates nothing.
    pg.psql("DROP DATABASE IF EXISTS empty_ro");
    pg.psql("CREATE DATABASE empty_ro");
    let empty = pg.url("x").replace("/warroom?", "/empty_ro?");
    match Journal::open_read_only(Path::new(&empty)) {
        Err(JournalError::Database { reason, .. }) => assert!(reason.contains("warroom db init"), "{reason}"),
        other => panic!("expected a database error, got {:?}", other.err()),
    }
    let tables = Command::new(pg.bin().join("psql"))
        .args(["-h", "127.0.0.1", "-p", &pg.port.to_string(), "-U", "postgres", "-d", "empty_ro", "-At", "-c"])
        .arg("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'warroom%'")
        .output()
        .unwrap();
    assert_eq!(text(&tables.stdout).trim(), "0");
}

#[test]
fn the_time_machine_reads_a_postgres_session() {
    let Some(pg) = pg::cluster() else { return };
    let url = pg.url(&session("replay"));
    let out = mark(&url, "smoke", "pass", "ana");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = warroom(&["replay", &url, "--diff", "start", "end"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("criterion smoke: PENDING → PASS"), "{shown}");
    assert!(shown.contains("by ana"), "{shown}");
}
