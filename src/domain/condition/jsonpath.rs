//! `[BODY].a.b[0].c`: the JSON path walk Gatus does, with its answers (a
//! list prints as Go prints it, an object ends as minified JSON, `null` and
//! missing fields are "invalid", a path that runs past a number or a list
//! stops there). Matching Gatus here is the point, so its rules are followed
//! as they are rather than those of a JSONPath crate.

use serde_json::Value;

use super::golang;

/// What a path found: the text conditions compare, and what `len()` counts
/// (elements of a list, bytes of anything else).
#[derive(Debug, PartialEq)]
pub struct Found {
    pub text: String,
    pub len: usize,
}

/// Walks `path` (without the leading `.`) through `body`. An empty path on a
/// body that is not a JSON list is the body itself.
pub fn eval(path: &str, body: &str) -> Result<Found, String> {
    let b = body.as_bytes();
    let is_list = !b.is_empty() && b[0] == b'[' && b[b.len() - 1] == b']';
    if path.is_empty() && !is_list {
        return Ok(Found { text: body.to_string(), len: body.len() });
    }
    let json: Value = serde_json::from_str(body).map_err(|_| "the body is not JSON".to_string())?;
    walk(path, &json)
}

fn found(text: String) -> Found {
    let len = text.len();
    Found { text, len }
}

fn walk(path: &str, object: &Value) -> Result<Found, String> {
    let mut keys = Vec::new();
    let (mut start, mut depth) = (0usize, 0i32);
    for (i, c) in path.bytes().enumerate() {
        match c {
            b'[' => depth += 1,
            b']' => depth -= 1,
            b'.' if depth == 0 => {
                keys.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    keys.push(&path[start..]);
    let key = keys[0];
    match extract(key, object) {
        Some(v @ Value::Object(_)) => {
            let next = path.replacen(&format!("{key}."), "", 1);
            if next == path {
                Ok(found(golang::marshal(v)))
            } else {
                walk(&next, v)
            }
        }
        Some(Value::String(s)) => {
            if keys.len() > 1 {
                Err(format!("\"{key}\" is text, so it has no field \"{}\"", keys[1]))
            } else {
                Ok(found(s.clone()))
            }
        }
        Some(v @ Value::Array(a)) => Ok(Found { text: golang::sprint(v), len: a.len() }),
        Some(Value::Null) => Err(format!("{key} is null in the JSON body")),
        None => Err(format!("no field {key} in the JSON body")),
        Some(v) => Ok(found(golang::sprint(v))),
    }
}

/// One step: `name`, `name[2]`, `[2]`, `name[0][1]`.
fn extract<'v>(key: &str, value: &'v Value) -> Option<&'v Value> {
    if key.ends_with(']') && key.contains('[') {
        let (mut open, mut close, mut depth) = (0usize, 0usize, 0i32);
        let mut index = "";
        let mut nested = false;
        for (i, c) in key.bytes().enumerate() {
            if c == b'[' {
                open = i;
                depth += 1;
            } else if c == b']' && depth == 1 {
                close = i;
                index = &key[open + 1..i];
                nested = key.as_bytes().get(i + 1) == Some(&b'[');
                break;
            }
        }
        let idx: usize = index.parse().ok()?;
        let name = &key[..open];
        let list = if name.is_empty() { value.as_array()? } else { value.as_object()?.get(name)?.as_array()? };
        let item = list.get(idx)?;
        return if nested { extract(&key[close + 1..], item) } else { Some(item) };
    }
    match value {
        Value::Array(_) => Some(value),
        Value::Object(m) => m.get(key),
        Value::Null => None,
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(path: &str, body: &str) -> Result<String, String> {
        eval(path, body).map(|f| f.text)
    }

    #[test]
    fn walks_like_gatus() {
        assert_eq!(text("status", r#"{"status":"UP"}"#).unwrap(), "UP");
        assert_eq!(text("data.name", r#"{"data": {"id": 1, "name": "john"}}"#).unwrap(), "john");
        assert!(text("data.name", r#"{"data": {"id": 1}}"#).is_err());
        assert_eq!(text("[0].id", r#"[{"id": 1}, {"id": 2}]"#).unwrap(), "1");
        assert_eq!(text("data[1].id", r#"{"data": [{"id": 1}, {"id": 2}, {"id": 3}]}"#).unwrap(), "2");
        assert!(text("data", r#"{"data": null}"#).is_err());
        assert!(text("items[0]", r#"{"items": [null, null]}"#).is_err());
        assert!(text("data", "null").is_err());
        assert!(text("[0].name", r#"{"statusCode": 500}"#).is_err());
        assert_eq!(text("data", r#"{"data": ["hello", "world", "Whatever"]}"#).unwrap(), "[hello world Whatever]");
        assert_eq!(eval("data", r#"{"data": [{"id": 1}, {"id": 2}, {"id": 3}]}"#).unwrap().len, 3);
        assert_eq!(eval("", r#"[{"id": 1}, {"id": 2}, {"id": 3}]"#).unwrap().len, 3);
        assert_eq!(eval("[0]", r#"[{"age":18,"adult":true}]"#).unwrap().len, 23);
        assert_eq!(eval("", r#"{"name": "john.doe"}"#).unwrap().len, 20);
        assert_eq!(text("m[0][1]", r#"{"m": [[1, 2], [3]]}"#).unwrap(), "2");
        assert!(text("a", "not json").is_err());
    }
}
