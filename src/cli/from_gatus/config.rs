//! The parts of a Gatus configuration file `from-gatus` reads: the
//! `endpoints` list with the keys that have a warroom counterpart; every
//! other key is kept by name so it can be listed as not carried over.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use crate::domain::condition::golang;

pub type Other = BTreeMap<String, serde_yaml_ng::Value>;

#[derive(Deserialize, Debug)]
pub struct Config {
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
    #[serde(flatten)]
    pub other: Other,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "kebab-case")]
pub struct Endpoint {
    pub name: String,
    #[serde(default)]
    pub group: Option<String>,
    pub url: String,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub graphql: bool,
    #[serde(default, deserialize_with = "go_duration")]
    pub interval: Option<i64>,
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub alerts: Vec<Alert>,
    #[serde(default)]
    pub client: Option<Client>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(flatten)]
    pub other: Other,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "kebab-case")]
pub struct Alert {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub failure_threshold: Option<u32>,
    #[serde(default)]
    pub success_threshold: Option<u32>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "kebab-case")]
pub struct Client {
    #[serde(default, deserialize_with = "go_duration")]
    pub timeout: Option<i64>,
    #[serde(flatten)]
    pub other: Other,
}

/// A Go duration (`30s`, `1m30s`, `500ms`) in milliseconds.
fn go_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let text = String::deserialize(d)?;
    match golang::parse_duration_ms(text.trim()) {
        Some(ms) if ms > 0 => Ok(Some(ms)),
        _ => Err(serde::de::Error::custom(format!("\"{text}\" is not a duration: write it like 30s, 1m or 1h30m"))),
    }
}
