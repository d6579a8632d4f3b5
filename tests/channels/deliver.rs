//! `sources::channels::deliver` against real receivers: the body per kind,
//! env: URLs and headers, retries with back-off, and how each failure reads.

use std::time::Duration;

use warroom::domain::channel::{Channel, ChannelKind};
use warroom::domain::runbook::HeaderValue;
use warroom::sources::channels::{body, client, deliver, Delivery, DeliveryState, RetryPolicy};

use super::receiver::{down_url, start, Answer};

fn delivery(kind: ChannelKind, url: HeaderValue) -> Delivery {
    // Every test sets the same value, so running them in parallel is fine.
    std::env::set_var("WR_DELIVER_TEST_TOKEN", "Bearer t0ken");
    Delivery {
        channel: Channel {
            id: "golive".into(),
            title: "golive".into(),
            kind,
            url,
            headers: vec![("Authorization".into(), HeaderValue::Env("WR_DELIVER_TEST_TOKEN".into()))],
        },
        template: "decision".into(),
        template_title: "Decision taken".into(),
        runbook: "rb".into(),
        on: Some("decision.recorded".into()),
        text: "[GO-LIVE] GO by ana".into(),
    }
}

/// Fast retries, so a test of four attempts takes well under a second of back-off.
fn quick(timeout_ms: u64) -> RetryPolicy {
    RetryPolicy { attempts: 3, first_backoff: Duration::from_millis(20), timeout: Duration::from_millis(timeout_ms) }
}

async fn run(d: &Delivery, policy: RetryPolicy) -> (DeliveryState, Vec<DeliveryState>) {
    let mut retries = Vec::new();
    let end = deliver(&client(), d, policy, |s| retries.push(s)).await;
    (end, retries)
}

#[tokio::test]
async fn slack_and_webhook_bodies_reach_the_receiver_with_env_headers() {
    let r = start(Answer::Ok).await;
    let d = delivery(ChannelKind::Webhook, HeaderValue::Literal(r.url()));
    let (end, retries) = run(&d, quick(2000)).await;
    assert_eq!(end, DeliveryState::Sent { attempts: 1, status: 200 });
    assert!(retries.is_empty());
    let slack = delivery(ChannelKind::Slack, HeaderValue::Literal(r.url()));
    assert_eq!(run(&slack, quick(2000)).await.0, DeliveryState::Sent { attempts: 1, status: 200 });
    let got = r.got();
    assert_eq!(got[0].body, body(&d));
    assert_eq!(got[0].body["event"], "decision.recorded");
    assert_eq!(got[0].body["template"], "decision");
    assert_eq!(got[1].body, serde_json::json!({ "text": "[GO-LIVE] GO by ana" }));
    assert_eq!(got[0].authorization.as_deref(), Some("Bearer t0ken"));
}

#[tokio::test]
async fn a_receiver_that_is_down_is_retried_then_given_up_without_naming_the_url() {
    let url = down_url();
    let d = delivery(ChannelKind::Slack, HeaderValue::Literal(url.clone()));
    let (end, retries) = run(&d, quick(2000)).await;
    let DeliveryState::Failed { attempts, status, error } = end else { panic!("not failed: {end:?}") };
    assert_eq!((attempts, status), (3, None));
    assert!(error.contains("connection refused") && error.contains("channel golive"), "{error}");
    assert!(!error.contains("nobody-home") && !error.contains(&url), "the URL leaked: {error}");
    // Two retries announced, with doubling back-off.
    let waits: Vec<Duration> = retries
        .iter()
        .map(|s| match s {
            DeliveryState::Retrying { next_in, .. } => *next_in,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(waits, vec![Duration::from_millis(20), Duration::from_millis(40)]);
}

#[tokio::test]
async fn http_500_is_retried_and_reported_with_its_status() {
    let r = start(Answer::Always500).await;
    let d = delivery(ChannelKind::Webhook, HeaderValue::Literal(r.url()));
    let (end, _) = run(&d, quick(2000)).await;
    let DeliveryState::Failed { attempts, status, error } = end else { panic!("not failed: {end:?}") };
    assert_eq!((attempts, status), (3, Some(500)));
    assert!(error.contains("HTTP 500"), "{error}");
    assert_eq!(r.got().len(), 3);
}

#[tokio::test]
async fn a_receiver_that_recovers_gets_the_message_on_a_later_attempt() {
    let r = start(Answer::FailFirst(2)).await;
    let d = delivery(ChannelKind::Webhook, HeaderValue::Literal(r.url()));
    assert_eq!(run(&d, quick(2000)).await.0, DeliveryState::Sent { attempts: 3, status: 200 });
}

#[tokio::test]
async fn a_slow_receiver_times_out_each_attempt() {
    let r = start(Answer::Slow(Duration::from_secs(5))).await;
    let d = delivery(ChannelKind::Webhook, HeaderValue::Literal(r.url()));
    let (end, retries) = run(&d, quick(150)).await;
    let DeliveryState::Failed { attempts, error, .. } = end else { panic!("not failed: {end:?}") };
    assert_eq!(attempts, 3);
    assert!(error.contains("timeout"), "{error}");
    assert_eq!(retries.len(), 2);
}

#[tokio::test]
async fn a_missing_environment_variable_fails_at_once_naming_it() {
    let d = delivery(ChannelKind::Slack, HeaderValue::Env("WR_DELIVER_TEST_UNSET_URL".into()));
    let (end, retries) = run(&d, quick(2000)).await;
    let DeliveryState::Failed { attempts, error, .. } = end else { panic!("not failed: {end:?}") };
    assert_eq!(attempts, 0);
    assert!(error.contains("WR_DELIVER_TEST_UNSET_URL") && error.contains("not set"), "{error}");
    assert!(retries.is_empty());
}

#[tokio::test]
async fn a_client_error_is_final() {
    // 404: the receiver does not route this path; asking again will not help.
    let r = start(Answer::Ok).await;
    let url = format!("http://{}/elsewhere", r.addr);
    let d = delivery(ChannelKind::Slack, HeaderValue::Literal(url));
    let (end, retries) = run(&d, quick(2000)).await;
    assert!(matches!(end, DeliveryState::Failed { attempts: 1, status: Some(404), .. }), "{end:?}");
    assert!(retries.is_empty());
}
