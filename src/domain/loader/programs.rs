//! The program a runbook command starts, read from the command text the way a
//! shell would read its first word, so `check` can say "not on PATH" before
//! the go-live instead of exit 127 during it. Only plain cases are named:
//! a command that starts with a variable, a substitution or quotes is left
//! alone (it cannot be known without running it).

/// Words a shell runs itself: never looked up on PATH.
const SHELL_OWN: &[&str] = &[
    ".", ":", "[", "[[", "!", "{", "(", "alias", "bg", "break", "builtin", "case", "cd", "command", "continue",
    "declare", "echo", "eval", "exec", "exit", "export", "false", "fg", "for", "function", "getopts", "hash", "if",
    "jobs", "kill", "let", "local", "printf", "pwd", "read", "readonly", "return", "set", "shift", "shopt", "source",
    "test", "times", "trap", "true", "type", "typeset", "ulimit", "umask", "unalias", "unset", "until", "wait",
    "while",
];

/// Wrappers whose first argument (after options and `NAME=value`) is the program.
const WRAPPERS: &[&str] = &["exec", "nohup", "sudo", "env", "time", "nice", "ionice", "setsid", "stdbuf"];

/// The program `command` starts, when it can be told from the text alone.
pub fn first_program(command: &str) -> Option<String> {
    // The first line that is not blank or a comment holds the first command.
    let line = command.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let mut words = line.split_whitespace().peekable();
    let mut wrapped = false;
    while let Some(&w) = words.peek() {
        let assignment = w
            .split_once('=')
            .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if assignment && w.contains(['$', '`', '"', '\'', '(']) {
            // `ts=$(date -u …) cmd`: the value spans words; the program cannot be told apart.
            return None;
        }
        if assignment || (wrapped && w.starts_with('-')) {
            words.next();
            continue;
        }
        if WRAPPERS.contains(&w) {
            wrapped = true;
            words.next();
            continue;
        }
        break;
    }
    let word = words.next()?;
    let word = word.trim_end_matches(';');
    let unknowable =
        word.is_empty() || word.contains(['$', '{', '}', '(', ')', '`', '"', '\'', '\\', '*', '?', '<', '>', '|', '&']);
    if unknowable || (!wrapped && SHELL_OWN.contains(&word)) || (wrapped && word == "command") {
        return None;
    }
    Some(word.to_string())
}

#[cfg(test)]
mod tests {
    use super::first_program;

    #[test]
    fn names_the_program_a_shell_would_start() {
        for (cmd, want) in [
            ("helm upgrade --install app ./chart", Some("helm")),
            ("  kubectl rollout status deploy/app", Some("kubectl")),
            ("LANG=C FOO=bar ./scripts/deploy.sh {release}", Some("./scripts/deploy.sh")),
            ("sudo -n systemctl restart app", Some("systemctl")),
            ("exec env A=1 psql -c 'select 1'", Some("psql")),
            ("cd /srv && make", None),
            ("echo hi", None),
            ("{deploy_cmd} now", None),
            ("$HOME/bin/x", None),
            ("'quoted thing'", None),
            ("ts=$(date -u +%s) && backup.sh $ts", None),
            ("A=\"x y\" run-it", None),
            ("# say what it does\n\n  deploy-tool --now\n", Some("deploy-tool")),
            ("   ", None),
            ("if true; then x; fi", None),
        ] {
            assert_eq!(first_program(cmd).as_deref(), want, "{cmd}");
        }
    }
}
