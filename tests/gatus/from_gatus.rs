//! `warroom from-gatus` as a team would use it: a Gatus config with three
//! endpoints becomes a runbook fragment that `check` accepts and whose probes
//! pass against a real local server; bad configs say FILE:LINE:COL.

use std::path::Path;

use super::server;

fn warroom(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = assert_cmd::Command::cargo_bin("warroom").unwrap();
    cmd.args(args).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_endpoints_become_probes_that_check_and_pass() {
    let srv = server::start(vec![(200, r#"{"status":"UP","items":[{"id":1},{"id":2}]}"#.into())]).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gatus.yaml");
    let yaml = format!(
        r#"# A Gatus config as a team has it.
storage:
  type: sqlite
endpoints:
  - name: API Health
    group: backend
    url: "{base}/case/0"
    interval: 10s
    conditions:
      - "[STATUS] == 200"
      - "[BODY].status == UP"
      - "len([BODY].items) == 2"
      - "[BODY].items[1].id == 2"
      - "[RESPONSE_TIME] < 2s"
    alerts:
      - type: slack
        failure-threshold: 4
        success-threshold: 3
  - name: echo
    url: "{base}/echo"
    method: post
    body: '{{"hello": "world"}}'
    headers:
      X-Token: ${{ECHO_TOKEN}}
    client:
      timeout: 2s
    conditions:
      - "[STATUS] == any(200, 201)"
      - '[BODY] == pat(POST s3cret {{"hello": *}})'
      - "[CONNECTED] == true"
  - name: database
    url: "tcp://{addr}"
    interval: 30s
    conditions:
      - "[CONNECTED] == true"
      - "[IP] == 127.0.0.1"
"#,
        base = srv.url(""),
        addr = srv.addr
    );
    std::fs::write(&config, yaml).unwrap();
    let (code, fragment, stderr) = warroom(&["from-gatus", p(&config)], &[]);
    assert_eq!(code, 0, "{stderr}");
    for want in [
        "# not carried over (Gatus settings, not endpoints): storage",
        "[[probe]]\nid = \"backend-api-health\"\ntitle = \"backend/API Health\"\n",
        "every = \"10s\"\n",
        "    '[BODY].status == UP',\n",
        "failure_threshold = 4\nsuccess_threshold = 3\n",
        "# not carried over: alerts (slack)",
        "method = \"POST\"\n",
        "headers = { X-Token = \"env:ECHO_TOKEN\" }\n",
        "body = \"{{\\\"hello\\\": \\\"world\\\"}\"\n",
        "timeout = \"2s\"\n",
        "[[probe]]\nid = \"database\"\ntcp = ",
        "every = \"30s\"\nconditions = [\n    '[CONNECTED] == true',\n    '[IP] == 127.0.0.1',\n]\n",
    ] {
        assert!(fragment.contains(want), "missing {want:?} in:\n{fragment}");
    }

    let runbook = dir.path().join("rb.toml");
    std::fs::write(&runbook, format!("[runbook]\nid = \"from-gatus\"\n\n{fragment}")).unwrap();
    let (code, stdout, stderr) = warroom(&["check", p(&runbook)], &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}\n{fragment}");
    assert!(stdout.contains("3 probes"), "{stdout}");

    let rb = runbook.clone();
    let (code, stdout, stderr) =
        tokio::task::spawn_blocking(move || warroom(&["probe", p(&rb)], &[("ECHO_TOKEN", "s3cret")])).await.unwrap();
    assert_eq!(code, 0, "{stdout}\n{stderr}\n{fragment}");
    assert!(stdout.contains("3 probes, 3 passed, 0 failed"), "{stdout}");

    // Without the token the echo probe fails on its pattern: the header really is sent from env:.
    let rb = runbook.clone();
    let (code, stdout, _) =
        tokio::task::spawn_blocking(move || warroom(&["probe", p(&rb)], &[("ECHO_TOKEN", "other")])).await.unwrap();
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("[BODY] == pat(POST s3cret"), "{stdout}");
}

#[test]
fn what_cannot_be_carried_over_is_listed_and_still_checks() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gatus.yaml");
    std::fs::write(
        &config,
        "endpoints:\n\
         \x20 - name: site\n\
         \x20   url: https://example.com/\n\
         \x20   conditions: [\"[STATUS] == 200\", \"[DOMAIN_EXPIRATION] > 720h\", \"[CERTIFICATE_EXPIRATION] > 48h\"]\n\
         \x20   client: {insecure: true}\n\
         \x20   ui: {hide-url: true}\n\
         \x20 - name: ping\n\
         \x20   url: icmp://1.1.1.1\n\
         \x20   conditions: [\"[CONNECTED] == true\"]\n\
         \x20 - name: site\n\
         \x20   url: tcp://example.com:443\n\
         \x20   conditions: [\"[CONNECTED] == true\", \"[STATUS] == 200\"]\n",
    )
    .unwrap();
    let (code, fragment, stderr) = warroom(&["from-gatus", p(&config)], &[]);
    assert_eq!(code, 0, "{stderr}");
    for want in [
        "# not carried over: condition '[DOMAIN_EXPIRATION] > 720h': [DOMAIN_EXPIRATION] is not supported",
        "# not carried over: client.insecure: no warroom counterpart",
        "# not carried over: ui: no warroom counterpart",
        "# Gatus endpoint \"ping\" (icmp://1.1.1.1) not carried over: icmp:// endpoints have no warroom probe kind",
        "id = \"site-2\"\ntitle = \"site\"\ntcp = \"example.com:443\"",
        "# not carried over: condition '[STATUS] == 200': tcp probes take [CONNECTED], [IP] and [RESPONSE_TIME]",
    ] {
        assert!(fragment.contains(want), "missing {want:?} in:\n{fragment}");
    }
    let runbook = dir.path().join("rb.toml");
    std::fs::write(&runbook, format!("[runbook]\nid = \"x\"\n\n{fragment}")).unwrap();
    let (code, stdout, stderr) = warroom(&["check", p(&runbook)], &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}\n{fragment}");
}

#[test]
fn bad_configs_say_file_line_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    for (name, yaml, want) in [
        (
            "interval.yaml",
            "endpoints:\n  - name: x\n    url: http://a/\n    interval: 5x\n",
            ":4:15: error: endpoints[0]: \"5x\" is not a duration: write it like 30s, 1m or 1h30m",
        ),
        (
            "nourl.yaml",
            "endpoints:\n  - name: x\n    conditions: []\n",
            ":2:5: error: endpoints[0]: missing field `url`",
        ),
        ("broken.yaml", "endpoints: [\n", ":2:1: error: did not find expected node content"),
        ("empty.yaml", "ui:\n  title: x\n", ":1:1: error: no endpoints: from-gatus reads the `endpoints:` list"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, yaml).unwrap();
        let (code, stdout, stderr) = warroom(&["from-gatus", p(&path)], &[]);
        assert_eq!(code, 2, "{name}: {stdout}{stderr}");
        assert!(stderr.starts_with(&format!("{}{want}", path.display())), "{name}: {stderr}");
        assert!(stdout.is_empty(), "{name}: {stdout}");
    }
    let (code, _, stderr) = warroom(&["from-gatus", "/nonexistent/gatus.yaml"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/gatus.yaml: error: cannot read the Gatus config"), "{stderr}");
}
