//! The table: each row is a condition from Gatus's README ("Conditions") or
//! from its condition tests (config/endpoint/condition_test.go), what the
//! server answers, and Gatus's verdict. Every row becomes a probe in one
//! runbook; all are run once by `probe_all_once` against the local server.

use std::path::Path;
use std::sync::Arc;

use warroom::domain::loader::load_bytes;
use warroom::sources::probes::{probe_all_once, ProbeEnv};

use super::server;

/// What the probe talks to.
enum Target {
    /// The server answers with this status and body.
    Answer(u16, &'static str),
    /// The server answers 200 after this many milliseconds.
    Slow(u64),
    /// A TCP probe to the server's port.
    TcpOpen,
    /// A TCP probe to a port where nothing listens.
    TcpClosed,
    /// An HTTP probe to a port where nothing listens.
    HttpClosed,
}
use Target::*;

/// (condition, target, Gatus's verdict)
const CASES: &[(&str, Target, bool)] = &[
    // Gatus README, "Conditions": passing and failing values from its table.
    ("[STATUS] == 200", Answer(200, ""), true),
    ("[STATUS] == 200", Answer(201, ""), false),
    ("[STATUS] < 300", Answer(299, ""), true),
    ("[STATUS] < 300", Answer(301, ""), false),
    ("[STATUS] <= 299", Answer(299, ""), true),
    ("[STATUS] <= 299", Answer(302, ""), false),
    ("[STATUS] > 400", Answer(404, ""), true),
    ("[STATUS] > 400", Answer(400, ""), false),
    ("[STATUS] == any(200, 429)", Answer(429, ""), true),
    ("[STATUS] == any(200, 429)", Answer(201, ""), false),
    ("[CONNECTED] == true", Answer(200, ""), true),
    ("[RESPONSE_TIME] < 500", Answer(200, ""), true),
    ("[RESPONSE_TIME] < 500", Slow(650), false),
    ("[IP] == 127.0.0.1", Answer(200, ""), true),
    ("[BODY] == 1", Answer(200, "1"), true),
    ("[BODY] == 1", Answer(200, "{}"), false),
    ("[BODY] == 1", Answer(200, "2"), false),
    ("[BODY].user.name == john", Answer(200, r#"{"user":{"name":"john"}}"#), true),
    ("[BODY].data[0].id == 1", Answer(200, r#"{"data":[{"id":1}]}"#), true),
    ("[BODY].age == [BODY].id", Answer(200, r#"{"age":1,"id":1}"#), true),
    ("len([BODY].data) < 5", Answer(200, r#"{"data":[{"id":1}]}"#), true),
    ("len([BODY].name) == 8", Answer(200, r#"{"name":"john.doe"}"#), true),
    ("len([BODY].name) == 8", Answer(200, r#"{"name":"bob"}"#), false),
    ("has([BODY].errors) == false", Answer(200, r#"{"name":"john.doe"}"#), true),
    ("has([BODY].errors) == false", Answer(200, r#"{"errors":[]}"#), false),
    ("has([BODY].users) == true", Answer(200, r#"{"users":[]}"#), true),
    ("has([BODY].users) == true", Answer(200, "{}"), false),
    ("[BODY].name == pat(john*)", Answer(200, r#"{"name":"john.doe"}"#), true),
    ("[BODY].name == pat(john*)", Answer(200, r#"{"name":"bob"}"#), false),
    ("[BODY].id == any(1, 2)", Answer(200, r#"{"id":2}"#), true),
    ("[BODY].id == any(1, 2)", Answer(200, r#"{"id":3}"#), false),
    // Gatus's condition tests (TestCondition_evaluate), same inputs and verdicts.
    ("[STATUS] < 300", Answer(201, ""), true),
    ("[STATUS] < 300", Answer(404, ""), false),
    ("[STATUS] == 200", Answer(500, ""), false),
    ("[RESPONSE_TIME] < 1s", Answer(200, ""), true),
    ("[RESPONSE_TIME] < potato", Answer(200, ""), false),
    ("[RESPONSE_TIME] > 500", Slow(650), true),
    ("[RESPONSE_TIME] > 1s", Answer(200, ""), false),
    ("[RESPONSE_TIME] >= 500", Slow(650), true),
    ("[RESPONSE_TIME] <= 500", Answer(200, ""), true),
    ("[BODY] == test", Answer(200, "test"), true),
    ("[BODY].status == UP", Answer(200, r#"{"status":"UP"}"#), true),
    ("[BODY] == 123", Answer(200, "123"), true),
    ("[BODY] < 124", Answer(200, "123"), true),
    ("[BODY] > 122", Answer(200, "123"), true),
    ("[BODY] > 123", Answer(200, "100"), false),
    ("[BODY].data.name == john", Answer(200, r#"{"data": {"id": 1, "name": "john"}}"#), true),
    ("[BODY].data.name == john", Answer(200, r#"{"data": {"id": 1}}"#), false),
    ("len([BODY].data.name) == john", Answer(200, r#"{"data": {"id": 1}}"#), false),
    (
        "[BODY].user.firstName != [BODY].user.lastName",
        Answer(200, r#"{"user": {"firstName": "john", "lastName": "doe"}}"#),
        true,
    ),
    (
        "[BODY].user.firstName == [BODY].user.lastName",
        Answer(200, r#"{"user": {"firstName": "john", "lastName": "doe"}}"#),
        false,
    ),
    ("[BODY][0].id == 1", Answer(200, r#"[{"id": 1}, {"id": 2}]"#), true),
    ("[BODY].data == OK", Answer(200, r#"{"data": null}""#), false),
    ("[BODY].items[0] == OK", Answer(200, r#"{"items": [null, null]}""#), false),
    ("[BODY].data == OK", Answer(200, "null"), false),
    ("[BODY][0].name == test", Answer(200, r#"{"statusCode": 500, "message": "Internal Server Error"}"#), false),
    ("[BODY].data.id == 1", Answer(200, r#"{"data": {"id": 1}}"#), true),
    ("[BODY].data[1].id == 2", Answer(200, r#"{"data": [{"id": 1}, {"id": 2}, {"id": 3}]}"#), true),
    ("[BODY].data.id > 0", Answer(200, r#"{"data": {"id": 1}}"#), true),
    ("[BODY].data > 0", Answer(200, r#"{"data": "0x1"}"#), true),
    ("[BODY].data == 1", Answer(200, r#"{"data": "0x1"}"#), true),
    ("[BODY].data == 0x1", Answer(200, r#"{"data": "0x1"}"#), true),
    ("[BODY].data == 15", Answer(200, r#"{"data": "0xF"}"#), true),
    ("[BODY].data == 12648243", Answer(200, r#"{"data": "0xC0ff33"}"#), true),
    ("len([BODY].data) == 3", Answer(200, r#"{"data": "0x1"}"#), true),
    ("[BODY].data >= 1", Answer(200, r#"{"data": "0x01"}"#), true),
    ("len([BODY].data) == 4", Answer(200, r#"{"data": "0x01"}"#), true),
    ("[BODY].data > 0", Answer(200, r#"{"data": "0o1"}"#), true),
    ("[BODY].data == 2", Answer(200, r#"{"data": "0o2"}"#), true),
    ("[BODY].data == 0o2", Answer(200, r#"{"data": "0o2"}"#), true),
    ("[BODY].data > 0", Answer(200, r#"{"data": "0b1"}"#), true),
    ("[BODY].data == 2", Answer(200, r#"{"data": "0b0010"}"#), true),
    ("[BODY].data == 0b10", Answer(200, r#"{"data": "0b0010"}"#), true),
    ("[BODY].data.id > 5", Answer(200, r#"{"data": {"id": 1}}"#), false),
    ("[BODY].balance > 100", Answer(200, r#"{"balance": "123.40000000000005"}"#), true),
    ("[BODY].data.id < 5", Answer(200, r#"{"data": {"id": 2}}"#), true),
    ("[BODY].data.id < 5", Answer(200, r#"{"data": {"id": 10}}"#), false),
    ("[CONNECTED] == true", TcpOpen, true),
    ("[CONNECTED] == true", TcpClosed, false),
    ("[CONNECTED] == false", TcpClosed, true), // Gatus's tcp endpoints: the conditions decide, not the error
    ("[CONNECTED] == false", HttpClosed, true), // the same for http: no answer, Connected is false
    ("[CONNECTED] == true", HttpClosed, false),
    ("1 == 2", Answer(200, ""), false),
    ("len([BODY].data.name) == 4", Answer(200, r#"{"data": {"name": "john"}}"#), true),
    ("len([BODY]) == 3", Answer(200, r#"[{"id": 1}, {"id": 2}, {"id": 3}]"#), true),
    ("len([BODY].data) == 3", Answer(200, r#"{"data": [{"id": 1}, {"id": 2}, {"id": 3}]}"#), true),
    ("len([BODY].data) == 8", Answer(200, r#"{"name": "john.doe"}"#), false),
    ("len([BODY]) == 8", Answer(200, "john.doe"), true),
    ("len([BODY].name) == 8", Answer(200, r#"{"name": "john.doe"}"#), true),
    ("len([BODY].age) == 2", Answer(200, r#"{"age":18}"#), true),
    ("len([BODY].adult) == 4", Answer(200, r#"{"adult":true}"#), true),
    ("len([BODY][0]) == 23", Answer(200, r#"[{"age":18,"adult":true}]"#), true),
    ("len([BODY][0].age) == 2", Answer(200, r#"[{"age":18,"adult":true}]"#), true),
    ("len([BODY][0].adult) == 4", Answer(200, r#"[{"age":18,"adult":true}]"#), true),
    ("len([BODY]) == 20", Answer(200, r#"{"name": "john.doe"}"#), true),
    ("[BODY] == pat(*john*)", Answer(200, r#"{"name": "john.doe"}"#), true),
    ("[BODY].name == pat(bob*)", Answer(200, r#"{"name": "john.doe"}"#), false),
    ("[BODY] == pat(*<div id=\"user\">john.doe</div>*)", Answer(200, HTML_JOHN), true),
    ("[BODY] == pat(*<div id=\"user\">john.doe</div>*)", Answer(200, HTML_JANE), false),
    ("pat(*<div id=\"user\">john.doe</div>*) == [BODY]", Answer(200, HTML_JANE), false),
    ("[BODY].data == pat(*Whatever*)", Answer(200, r#"{"data": ["hello", "world", "Whatever"]}"#), true),
    ("[IP] == pat(10.*)", Answer(200, ""), false),
    ("[IP] == pat(127.*)", Answer(200, ""), true),
    ("[STATUS] == pat(4*)", Answer(404, ""), true),
    ("[STATUS] == pat(4*)", Answer(200, ""), false),
    ("[BODY].name == any(john.doe, jane.doe)", Answer(200, r#"{"name": "john.doe"}"#), true),
    ("[BODY].name == any(john.doe, jane.doe)", Answer(200, r#"{"name": "jane.doe"}"#), true),
    ("[BODY].name == any(john.doe, jane.doe)", Answer(200, r#"{"name": "bob"}"#), false),
    ("any(200, 429) == [STATUS]", Answer(429, ""), true),
    ("[STATUS] == any(200, 429)", Answer(404, ""), false),
    ("has([BODY].errors) == false", Answer(200, "{}"), true),
    (
        "has([BODY].article) == true",
        Answer(200, "{\n  \"article\": {\n    \"id\": 123,\n    \"tags\": [\"hello\"]\n  }\n}"),
        true,
    ),
    ("has([BODY].errors) == false", Answer(200, r#"{"errors": ["1"]}"#), false),
    // Gatus's rules at their edges, worked out from its code (jsonpath, isEqual, numeric reading).
    ("[BODY].missing < 5", Answer(200, "{}"), true), // a missing path reads as 0 for < and >
    ("[BODY].missing != john", Answer(200, "{}"), true), // "… (INVALID)" differs from any text
    ("[BODY].count == 1000000", Answer(200, r#"{"count":1000000}"#), false), // Go prints the float64 as 1e+06
    ("[BODY].count > 999999", Answer(200, r#"{"count":1000000}"#), true),
    ("[BODY].price == 24.99", Answer(200, r#"{"price":24.99}"#), true),
    ("[BODY].price == 24.990", Answer(200, r#"{"price":24.99}"#), false), // text, not numbers
    ("[BODY].ok == true", Answer(200, r#"{"ok":true}"#), true),
    ("[BODY].data == [1 2]", Answer(200, r#"{"data":[1,2]}"#), true), // a list prints as Go prints it
    ("[BODY].mode == 010", Answer(200, r#"{"mode":"8"}"#), true),     // a leading 0 is octal
    ("[body].status == UP", Answer(200, r#"{"status":"UP"}"#), true), // placeholder names in any case
    ("[BODY] == pat(*<h1>Example Domain</h1>*)", Answer(200, "<html><h1>Example Domain</h1></html>"), true),
    ("[BODY] == ok", Answer(200, "  ok\n"), true), // the body is trimmed
    ("len([BODY].name) == 6", Answer(200, r#"{"name":"josé"}"#), false), // Go counts bytes: 5
];

const HTML_JOHN: &str = r#"<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /></head><body><div id="user">john.doe</div></body></html>"#;
const HTML_JANE: &str = r#"<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /></head><body><div id="user">jane.doe</div></body></html>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gatus_conditions_get_gatus_answers_from_real_probes() {
    assert!(CASES.len() >= 40);
    let answers: Vec<(u16, String)> = CASES
        .iter()
        .map(|(_, t, _)| match t {
            Answer(s, b) => (*s, b.to_string()),
            _ => (200, String::new()),
        })
        .collect();
    let srv = server::start(answers).await;
    let closed = server::closed_port();
    let mut text = String::from("[runbook]\nid = \"gatus\"\ntitle = \"Gatus conditions\"\n\n");
    for (i, (cond, target, _)) in CASES.iter().enumerate() {
        assert!(!cond.contains('\''), "{cond}: written as a TOML literal string");
        let kind = match target {
            Answer(..) => format!("url = \"{}\"", srv.url(&format!("/case/{i}"))),
            Slow(ms) => format!("url = \"{}\"", srv.url(&format!("/slow/{ms}"))),
            TcpOpen => format!("tcp = \"{}\"", srv.addr),
            TcpClosed => format!("tcp = \"127.0.0.1:{closed}\""),
            HttpClosed => format!("url = \"http://127.0.0.1:{closed}/\""),
        };
        text.push_str(&format!("[[probe]]\nid = \"c{i}\"\n{kind}\ntimeout = \"5s\"\nconditions = ['{cond}']\n\n"));
    }
    let rb = match load_bytes(Path::new("gatus.toml"), text.as_bytes()) {
        Ok(l) => l.runbook,
        Err(d) => panic!("the table does not load: {d:#?}"),
    };
    let results = probe_all_once(&rb.probes, Arc::new(ProbeEnv::for_runbook(&rb))).await;
    let wrong: Vec<String> = CASES
        .iter()
        .zip(&results)
        .filter(|((_, _, want), r)| r.success != *want)
        .map(|((cond, _, want), r)| {
            format!("{cond}: Gatus says {want}, warroom {} ({:?} {:?})", r.success, r.failed_condition, r.error)
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} differ from Gatus:\n{}", wrong.len(), CASES.len(), wrong.join("\n"));
}
