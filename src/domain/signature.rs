//! Signed records: checking a record's SSHSIG signature (the format
//! `ssh-keygen -Y sign` writes) and git's allowed-signers file. Pure
//! computation; the signing itself (an ssh-agent) lives in `sources`.
//!
//! What is signed is the record's `hash` text (64 hex digits, no newline),
//! namespace [`NAMESPACE`], SHA-512: so `ssh-keygen -Y verify -n warroom`
//! checks it too (see `docs/journal.md`, "Signed records").

use ssh_key::{HashAlg, LineEnding, PublicKey, SshSig};

use super::identity::same_name;
use super::record::Record;

/// The SSHSIG namespace of every warroom signature.
pub const NAMESPACE: &str = "warroom";

/// The hash algorithm warroom signs with (the one `ssh-keygen -Y sign` uses).
pub const HASH: HashAlg = HashAlg::Sha512;

/// The bytes an agent must sign for `message` (the SSHSIG "signed data").
pub fn blob_to_sign(message: &[u8]) -> Result<Vec<u8>, String> {
    SshSig::signed_data(NAMESPACE, HASH, message).map_err(|e| format!("cannot prepare the signature: {e}"))
}

/// The armored SSHSIG from an agent's signature over [`blob_to_sign`].
pub fn armor(key: &PublicKey, signature: ssh_key::Signature) -> Result<String, String> {
    let sig = SshSig::new(key.key_data().clone(), NAMESPACE, HASH, signature)
        .map_err(|e| format!("the agent's signature is unusable: {e}"))?;
    sig.to_pem(LineEnding::LF).map_err(|e| format!("cannot write the signature: {e}"))
}

/// `SHA256:…`, as `ssh-keygen -l` prints it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Checks that `r.sig` is a good signature over `r.hash` by the key named in
/// `r.key`. Returns the signing public key.
pub fn check_record(r: &Record) -> Result<PublicKey, String> {
    let Some(pem) = &r.sig else { return Err("the record is not signed".into()) };
    let sig = SshSig::from_pem(pem).map_err(|e| format!("the signature is not a readable SSHSIG ({e})"))?;
    let key = PublicKey::from(sig.public_key().clone());
    if sig.namespace() != NAMESPACE {
        return Err(format!("the signature is for namespace \"{}\", not \"{NAMESPACE}\"", sig.namespace()));
    }
    key.verify(NAMESPACE, r.hash.as_bytes(), &sig)
        .map_err(|_| "the signature does not match the record".to_string())?;
    let fp = fingerprint(&key);
    match &r.key {
        Some(k) if *k == fp => Ok(key),
        Some(k) => Err(format!("the record names key {k} but was signed by {fp}")),
        None => Err(format!("the record is signed by {fp} but does not name its key")),
    }
}

/// The signing key of `r` when its signature is good, else `None` (unsigned,
/// bad, or claiming another key's name). What `distinct = "key"` counts.
pub fn verified_key(r: &Record) -> Option<String> {
    check_record(r).ok().map(|k| fingerprint(&k))
}

/// `verify --allowed-signers`: `r` is signed, the signature is good, and
/// the allowed-signers file lists its key for `r`'s operator.
pub fn check_allowed(r: &Record, signers: &AllowedSigners) -> Result<(), String> {
    if r.sig.is_none() {
        return Err(format!("record seq {} is not signed (no `sig`), but every record must be", r.seq));
    }
    let key = check_record(r).map_err(|e| format!("record seq {}: bad signature: {e}", r.seq))?;
    if signers.allows(&r.operator, &key) {
        return Ok(());
    }
    let listed = signers.principals_of(&key);
    let fp = fingerprint(&key);
    Err(if listed.is_empty() {
        format!("record seq {} is signed by key {fp}, which the allowed-signers file does not list", r.seq)
    } else {
        format!(
            "record seq {} names operator \"{}\" but is signed by key {fp}, which is allowed only for {}",
            r.seq,
            r.operator,
            listed.join(", ")
        )
    })
}

/// One line of an allowed-signers file: who (principal patterns) may sign
/// with which key.
#[derive(Clone, Debug)]
pub struct AllowedSigner {
    pub line: usize,
    pub principals: Vec<String>,
    pub namespaces: Option<Vec<String>>,
    pub key: PublicKey,
}

/// git's allowed-signers format (`ssh-keygen(1)`, ALLOWED SIGNERS): one
/// entry per line, `PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT]`, `#`
/// comments. Read by hand: `ssh-key` reads keys but not this file's lines.
/// Certificate authorities (`cert-authority`) are refused rather than
/// half-supported.
#[derive(Clone, Debug, Default)]
pub struct AllowedSigners {
    pub entries: Vec<AllowedSigner>,
}

impl AllowedSigners {
    /// Every problem as (line, message).
    pub fn parse(text: &str) -> Result<AllowedSigners, Vec<(usize, String)>> {
        let mut entries = Vec::new();
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_entry(line) {
                Ok((principals, namespaces, key)) => {
                    entries.push(AllowedSigner { line: i + 1, principals, namespaces, key })
                }
                Err(e) => errors.push((i + 1, e)),
            }
        }
        if errors.is_empty() {
            Ok(AllowedSigners { entries })
        } else {
            Err(errors)
        }
    }

    /// Whether `key` may sign for `operator` (principals compared as names,
    /// see `identity::name_key`, with `*` and `?` wildcards).
    pub fn allows(&self, operator: &str, key: &PublicKey) -> bool {
        self.entries.iter().any(|e| {
            e.key.key_data() == key.key_data()
                && e.namespaces.as_ref().is_none_or(|ns| ns.iter().any(|n| glob(n, NAMESPACE)))
                && e.principals.iter().any(|p| principal_matches(p, operator))
        })
    }

    /// Principals the key is listed for (for messages).
    pub fn principals_of(&self, key: &PublicKey) -> Vec<String> {
        self.entries.iter().filter(|e| e.key.key_data() == key.key_data()).flat_map(|e| e.principals.clone()).collect()
    }
}

fn principal_matches(pattern: &str, operator: &str) -> bool {
    if pattern.contains(['*', '?']) {
        glob(&pattern.to_lowercase(), &operator.to_lowercase())
    } else {
        same_name(pattern, operator)
    }
}

/// `*` any run, `?` one character (the wildcards allowed-signers patterns use).
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

type Entry = (Vec<String>, Option<Vec<String>>, PublicKey);

fn parse_entry(line: &str) -> Result<Entry, String> {
    let (principals, rest) = split_field(line);
    if rest.is_empty() {
        return Err("expected PRINCIPALS KEYTYPE BASE64, like `ana@example.com ssh-ed25519 AAAA…`".into());
    }
    let principals: Vec<String> = principals.split(',').map(|p| p.trim_matches('"').to_string()).collect();
    let mut rest = rest;
    let mut namespaces = None;
    // Options come before the key type; key types start with ssh- / ecdsa- / sk-.
    if !looks_like_key_type(rest) {
        let (opts, after) = split_field(rest);
        for opt in split_options(opts) {
            let (name, value) = opt.split_once('=').unwrap_or((opt.as_str(), ""));
            match name.to_ascii_lowercase().as_str() {
                "namespaces" => {
                    namespaces = Some(value.trim_matches('"').split(',').map(str::to_string).collect());
                }
                "cert-authority" => return Err("cert-authority entries are not supported: list the keys".into()),
                // Validity windows are about when a signature was made; records carry that time, but
                // warroom does not enforce windows: refuse rather than silently accept.
                other => return Err(format!("option \"{other}\" is not supported (only namespaces=\"…\")")),
            }
        }
        rest = after;
    }
    let key = PublicKey::from_openssh(rest.trim())
        .map_err(|e| format!("the key is not an OpenSSH public key ({e}); copy it from the .pub file"))?;
    Ok((principals, namespaces, key))
}

fn looks_like_key_type(s: &str) -> bool {
    ["ssh-", "ecdsa-", "sk-"].iter().any(|p| s.starts_with(p))
}

/// The first whitespace-separated field (quotes keep spaces) and the rest.
fn split_field(s: &str) -> (&str, &str) {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return (&s[..i], s[i..].trim_start()),
            _ => {}
        }
    }
    (s, "")
}

/// `a="x,y",b` → [`a="x,y"`, `b`].
fn split_options(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE57QDq6y3Njrzm2cc+sNBbUwW2eWcm3DSX7hEx/frIq";

    #[test]
    fn allowed_signers_lines_are_read_like_git_does() {
        let text =
            format!("# team\nana@example.com,\"bob x\" {KEY} ana's laptop\n*@ops namespaces=\"warroom,git\" {KEY}\n");
        let s = AllowedSigners::parse(&text).unwrap();
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.entries[0].principals, vec!["ana@example.com", "bob x"]);
        let key = s.entries[0].key.clone();
        assert!(s.allows("Ana@example.com", &key));
        assert!(s.allows("carol@ops", &key));
        assert!(!s.allows("carol@elsewhere", &key));
    }

    #[test]
    fn bad_lines_are_named() {
        let errs = AllowedSigners::parse(&format!("ok {KEY}\nbroken\nx cert-authority {KEY}\n")).unwrap_err();
        assert_eq!(errs.iter().map(|e| e.0).collect::<Vec<_>>(), vec![2, 3]);
    }

    #[test]
    fn globs() {
        assert!(glob("*@ops", "ana@ops"));
        assert!(glob("a?a", "ana"));
        assert!(!glob("a?a", "anna"));
        assert!(glob("*", ""));
    }
}
