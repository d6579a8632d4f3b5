use super::*;
use proptest::prelude::*;

fn obs(status: u16, ms: u64, body: &str) -> Observation<'_> {
    Observation {
        status: Some(status),
        response_time_ms: ms,
        body: Some(body),
        cert_ms_left: Some(1000 * 3_600_000),
        ..Default::default()
    }
}

#[test]
fn parses_every_operand_and_operator() {
    use Placeholder as P;
    let v = |p| Operand::Value(None, p);
    let c = parse("[STATUS] == 200").unwrap();
    assert_eq!((c.left, c.op, c.right), (v(P::Status), Op::Eq, Operand::Text("200".into())));
    let c = parse("[RESPONSE_TIME] < 3s").unwrap();
    assert_eq!(c.right, Operand::Text("3s".into()));
    let c = parse("[CERTIFICATE_EXPIRATION] > 720h").unwrap();
    assert_eq!(c.left, v(P::CertificateExpiration));
    let c = parse("[BODY] not contains \"Fatal error\"").unwrap();
    assert_eq!((c.op, c.right), (Op::NotContains, Operand::Quoted("Fatal error".into())));
    let c = parse("[BODY].data.items[0].status == \"UP\"").unwrap();
    assert_eq!(c.left, v(P::BodyPath("data.items[0].status".into())));
    for (t, op) in [("!=", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), (">", Op::Gt), ("<", Op::Lt)] {
        assert_eq!(parse(&format!("[STATUS] {t} 300")).unwrap().op, op);
    }
    let c = parse("len([BODY].data) < 5").unwrap();
    assert_eq!(c.left, Operand::Value(Some(Func::Len), P::BodyPath("data".into())));
    let c = parse("any(200, 429) == [STATUS]").unwrap();
    assert_eq!((c.left, c.right), (Operand::Any(vec!["200".into(), "429".into()]), v(P::Status)));
    let c = parse("[body].Name == [BODY].id").unwrap();
    assert_eq!((c.left, c.right), (v(P::BodyPath("Name".into())), v(P::BodyPath("id".into()))));
    assert_eq!(parse("[STATUS]==200").unwrap().op, Op::Eq);
}

#[test]
fn rejects_bad_conditions_with_reasons() {
    for (bad, says) in [
        ("STATUS == 200", "must start with"),
        ("[STATUS] 200", "expected an operator"),
        ("[STATUS] ==", "missing the value"),
        ("[STATUS] contains \"2\"", "is a number"),
        ("[STATUS] == \"200\"", "not text"),
        ("[HEADERS] == 1", "unknown operand"),
        ("[BODY] contains Welcome", "double quotes"),
        ("[BODY] == \"open", "closing"),
        ("[BODY].a[x] == 1", "must be a number"),
        ("[STATUS] == 2s", "duration only"),
    ] {
        let e = parse(bad).unwrap_err();
        assert!(e.message.contains(says), "{bad}: {e}");
    }
}

#[test]
fn evaluates_and_says_what_was_seen() {
    let c = parse("[STATUS] == 200").unwrap();
    assert!(c.evaluate(&obs(200, 5, "")).is_ok());
    assert_eq!(c.evaluate(&obs(503, 5, "")).unwrap_err(), "[STATUS] == 200: got 503");
    let c = parse("[RESPONSE_TIME] < 3s").unwrap();
    assert!(c.evaluate(&obs(200, 2999, "")).is_ok());
    assert!(c.evaluate(&obs(200, 3000, "")).unwrap_err().contains("got 3000ms"));
    let c = parse("[BODY] contains \"Welcome\"").unwrap();
    assert!(c.evaluate(&obs(200, 1, "<h1>Welcome</h1>")).is_ok());
    assert!(c.evaluate(&obs(200, 1, "Maintenance")).is_err());
    let c = parse("[CERTIFICATE_EXPIRATION] > 720h").unwrap();
    assert!(c.evaluate(&obs(200, 1, "")).is_ok());
    let none = Observation { cert_ms_left: None, ..obs(200, 1, "") };
    assert!(c.evaluate(&none).unwrap_err().contains("no TLS certificate"));
}

#[test]
fn json_paths() {
    let body = r#"{"status":"UP","db":{"latency":12},"items":[{"ok":true}]}"#;
    assert!(parse("[BODY].status == \"UP\"").unwrap().evaluate(&obs(200, 1, body)).is_ok());
    assert!(parse("[BODY].db.latency < 50").unwrap().evaluate(&obs(200, 1, body)).is_ok());
    assert!(parse("[BODY].items[0].ok == true").unwrap().evaluate(&obs(200, 1, body)).is_ok());
    let e = parse("[BODY].status == \"UP\"").unwrap().evaluate(&obs(200, 1, "<html>")).unwrap_err();
    assert!(e.contains("body is not JSON"), "{e}");
    let e = parse("[BODY].nope not contains \"x\"").unwrap().evaluate(&obs(200, 1, body)).unwrap_err();
    assert!(e.contains("no field nope"), "{e}");
    let e = parse("[BODY].nope == 1").unwrap().evaluate(&obs(200, 1, body)).unwrap_err();
    assert!(e.contains("no field nope"), "{e}");
    let e = parse("[BODY].status == \"UP\"").unwrap().evaluate(&obs(200, 1, r#"{"status":"DOWN"}"#)).unwrap_err();
    assert_eq!(e, "[BODY].status == \"UP\": got \"DOWN\"");
}

#[test]
fn certificate_expiration_in_milliseconds_as_gatus() {
    // Gatus's condition tests: the placeholder is milliseconds; durations read as milliseconds too.
    let day = 24 * 3_600_000i64;
    let with = |ms: Option<i64>| Observation { cert_ms_left: ms, ..obs(200, 1, "") };
    let cases = [
        ("[CERTIFICATE_EXPIRATION] == 0", None, true),
        ("[CERTIFICATE_EXPIRATION] > 2419200000", Some(60 * day), true),
        ("[CERTIFICATE_EXPIRATION] > 2419200000", Some(14 * day), false),
        ("[CERTIFICATE_EXPIRATION] > 12h", Some(day), true),
        ("[CERTIFICATE_EXPIRATION] > 48h", Some(day), false),
        ("[CERTIFICATE_EXPIRATION] > 720h", Some(31 * day), true),
    ];
    for (cond, ms, want) in cases {
        assert_eq!(parse(cond).unwrap().evaluate(&with(ms)).is_ok(), want, "{cond} with {ms:?}");
    }
    let e = parse("[CERTIFICATE_EXPIRATION] > 48h").unwrap().evaluate(&with(Some(day))).unwrap_err();
    assert_eq!(e, "[CERTIFICATE_EXPIRATION] > 48h: got 24h left");
}

#[test]
fn refusals_say_why_and_what_to_write() {
    for (bad, at, says) in [
        ("[DOMAIN_EXPIRATION] > 720h", 0, "WHOIS"),
        ("[DNS_RCODE] == NOERROR", 0, "no DNS probe"),
        ("[STAUTS] == 200", 0, "did you mean \"STATUS\""),
        ("[STATUS] = 200", 9, "write [STATUS] == 200"),
        ("[BODY].status==\"UP\" x", 20, "unexpected"),
        ("len([BODY].data < 5", 0, "write it like len([BODY].data) < 5"),
        ("[BODY] > pat(1*)", 9, "only with == and !="),
        ("[STATUS] == [CONTEXT].x", 12, "suites"),
        ("  [BODY].a..b == 1", 10, "empty field name"),
        ("len(5) == 1", 0, "takes a placeholder"),
        ("[BODY] contains Welcome", 16, "[BODY] contains \"Welcome\""),
    ] {
        let e = parse(bad).unwrap_err();
        assert!(e.message.contains(says), "{bad}: {e}");
        assert_eq!(e.at, at, "{bad}: {e}");
    }
}

#[test]
fn warnings_for_what_gatus_reads_oddly() {
    let w = parse("[RESPONSE_TIME] < potato").unwrap().warnings();
    assert!(w[0].contains("counts as 0"), "{w:?}");
    assert!(parse("1 == 2").unwrap().warnings()[0].contains("never changes"));
    assert!(parse("[STATUS] < 300").unwrap().warnings().is_empty());
    assert!(parse("[RESPONSE_TIME] < 1.5s").unwrap().warnings().is_empty());
}

#[test]
fn failures_name_both_sides_and_invalid_paths() {
    let body = r#"{"user": {"firstName": "john", "lastName": "doe"}}"#;
    let c = parse("[BODY].user.firstName == [BODY].user.lastName").unwrap();
    assert_eq!(
        c.evaluate(&obs(200, 1, body)).unwrap_err(),
        "[BODY].user.firstName == [BODY].user.lastName: [BODY].user.firstName got \"john\", [BODY].user.lastName got \"doe\""
    );
    // As in Gatus, a missing path reads as 0 for < and > (so `len([BODY].data) < 5` would hold).
    let e = parse("len([BODY].data) > 5").unwrap().evaluate(&obs(200, 1, "{}")).unwrap_err();
    assert_eq!(e, "len([BODY].data) > 5: no field data in the JSON body");
    let e = parse("[STATUS] == any(200, 429)").unwrap().evaluate(&obs(404, 1, "")).unwrap_err();
    assert_eq!(e, "[STATUS] == any(200, 429): got 404");
    let ip = Observation { ip: Some("10.0.0.1".into()), ..obs(200, 1, "") };
    assert!(parse("[IP] == 10.0.0.1").unwrap().evaluate(&ip).is_ok());
}

proptest! {
    #[test]
    fn parse_never_panics(s in ".{0,60}") {
        let _ = parse(&s);
    }

    #[test]
    fn parse_structured_never_panics(
        left in prop::sample::select(vec![
            "[STATUS]", "[BODY]", "[BODY].a[0]", "[RESPONSE_TIME]", "[CERTIFICATE_EXPIRATION]", "[", "[BODY].",
            "len([BODY].a)", "has([BODY][0].b)", "[IP]", "[CONNECTED]", "pat(*a?[b-c]*)", "any(1, a)", "x", "[BODY][0][1]",
        ]),
        op in prop::sample::select(vec!["==", "!=", "<", "<=", ">", ">=", "contains", "not contains", "not", ""]),
        right in "[\"0-9a-z. ()\\[\\]*?^\\\\]{0,12}",
        body in prop::sample::select(vec!["", "null", "[1,[2,{\"a\":3}]]", "{\"a\":[{\"b\":null}]}", "1e400", "\"x\"", "{\"a\":1e21}"]),
        noise in ".{0,20}",
    ) {
        if let Ok(c) = parse(&format!("{left} {op} {right}")) {
            let body = format!("{body}{noise}");
            let _ = c.evaluate(&Observation { status: Some(200), response_time_ms: 1, body: Some(&body), cert_ms_left: None, ..Default::default() });
            let _ = c.evaluate(&Observation::default());
        }
    }
}
