//! The tables, created on first use (or by `warroom db init URL`) and
//! versioned. docs/journal.md ("On PostgreSQL") shows the same DDL and the
//! grants an observer needs.
//!
//! `data` is `text`, not `jsonb`: jsonb reorders keys, drops duplicates and
//! rewrites numbers, and the hash covers the exact canonical bytes. `ts` is
//! text for the same reason (the hash covers its written form).

use tokio_postgres::Client;

/// The schema version this build writes and reads. Version 1 had no
/// columns for a record's `user`, `key` and `sig`; `ensure` upgrades it.
pub const VERSION: i32 = 2;

/// NOTIFY channel: the payload is `{"session":…,"seq":…}`.
pub const CHANNEL: &str = "warroom_journal";

/// Key of the advisory lock that serialises schema creation (any constant
/// no other lock in the database uses: "warroom" in ASCII).
const SCHEMA_LOCK: i64 = 0x0077_6172_726f_6f6d;

const DDL: &str = "
CREATE TABLE IF NOT EXISTS warroom_schema (
    version integer NOT NULL
);
CREATE TABLE IF NOT EXISTS warroom_records (
    session    text        NOT NULL,
    seq        bigint      NOT NULL CHECK (seq >= 1),
    ts         text        NOT NULL,
    operator   text        NOT NULL,
    unix_user  text,
    key        text,
    kind       text        NOT NULL,
    data       text        NOT NULL,
    prev       text        NOT NULL,
    hash       text        NOT NULL,
    sig        text,
    record_id  text        NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session, seq),
    UNIQUE (session, record_id)
);
CREATE TABLE IF NOT EXISTS warroom_presence (
    session   text        NOT NULL,
    console   text        NOT NULL,
    entry     text        NOT NULL,
    heartbeat timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session, console)
);
";

/// From version 1 to 2: the identity fields a record may carry, and the
/// consoles present (`presence`). Adding nullable columns rewrites no row;
/// old rows read back as the lines they were.
const TO_V2: &str = "
ALTER TABLE warroom_records
    ADD COLUMN IF NOT EXISTS unix_user text,
    ADD COLUMN IF NOT EXISTS key text,
    ADD COLUMN IF NOT EXISTS sig text;
CREATE TABLE IF NOT EXISTS warroom_presence (
    session   text        NOT NULL,
    console   text        NOT NULL,
    entry     text        NOT NULL,
    heartbeat timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session, console)
);
";

/// What `ensure` found.
pub struct SchemaState {
    pub version: i32,
    /// May this role insert records? A read-only observer may not.
    pub can_insert: bool,
    /// True when this call created the tables.
    pub created: bool,
    /// The version this call upgraded the tables from, if it did.
    pub upgraded_from: Option<i32>,
}

/// Makes sure the tables exist at a version this build understands. With
/// `create` false (a read-only console) missing tables are an error instead.
pub async fn ensure(client: &Client, create: bool) -> Result<SchemaState, String> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('warroom_records') IS NOT NULL AND to_regclass('warroom_schema') IS NOT NULL",
            &[],
        )
        .await
        .map_err(|e| super::error_text(&e))?
        .get(0);
    let mut created = false;
    if !exists {
        if !create {
            return Err("the database has no warroom tables yet; run `warroom db init URL` (as a role that may \
                        create tables), or open the session once without --read-only"
                .into());
        }
        create_tables(client).await.map_err(|e| {
            format!(
                "cannot create the warroom tables ({}); run `warroom db init URL` as the database owner, or grant \
                 this role CREATE on the schema",
                super::error_text(&e)
            )
        })?;
        created = true;
    }
    let mut version = current_version(client).await?;
    if version > VERSION {
        return Err(format!(
            "the warroom tables are at schema version {version}, newer than this warroom understands ({VERSION}); \
             upgrade warroom"
        ));
    }
    if version < 1 {
        return Err("the table warroom_schema is empty; run `warroom db init URL` to repair it".into());
    }
    let mut upgraded_from = None;
    if version < VERSION {
        if !create {
            return Err(format!(
                "the warroom tables are at schema version {version}, older than this warroom writes ({VERSION}); \
                 run `warroom db init URL` once (as the tables' owner) to upgrade them"
            ));
        }
        let was = version;
        let did;
        (version, did) = upgrade(client).await.map_err(|e| {
            format!(
                "the warroom tables are at schema version {was} and could not be upgraded to {VERSION} ({}); run \
                 `warroom db init URL` as the tables' owner",
                super::error_text(&e)
            )
        })?;
        upgraded_from = Some(was).filter(|_| did);
    }
    let can_insert: bool = client
        .query_one("SELECT has_table_privilege('warroom_records', 'INSERT')", &[])
        .await
        .map_err(|e| super::error_text(&e))?
        .get(0);
    Ok(SchemaState { version, can_insert, created, upgraded_from })
}

/// Creates the tables in one transaction under an advisory lock, so two
/// consoles starting at once on a fresh database do not trip over each other.
async fn create_tables(client: &Client) -> Result<(), tokio_postgres::Error> {
    client.batch_execute("BEGIN").await?;
    let r = async {
        client.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK]).await?;
        client.batch_execute(DDL).await?;
        client
            .execute(
                "INSERT INTO warroom_schema (version) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM warroom_schema)",
                &[&VERSION],
            )
            .await?;
        client.batch_execute("COMMIT").await
    }
    .await;
    if r.is_err() {
        let _ = client.batch_execute("ROLLBACK").await;
    }
    r
}

async fn current_version(client: &Client) -> Result<i32, String> {
    let version: Option<i32> = client
        .query_one("SELECT max(version) FROM warroom_schema", &[])
        .await
        .map_err(|e| super::error_text(&e))?
        .get(0);
    Ok(version.unwrap_or(0))
}

/// Brings the tables to `VERSION` in one transaction under the schema lock;
/// a console that waited for another's upgrade finds it done. Returns the
/// version now there, and whether this call upgraded.
async fn upgrade(client: &Client) -> Result<(i32, bool), tokio_postgres::Error> {
    client.batch_execute("BEGIN").await?;
    let r = async {
        client.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK]).await?;
        let row = client.query_one("SELECT max(version) FROM warroom_schema", &[]).await?;
        let version: i32 = row.get::<_, Option<i32>>(0).unwrap_or(0);
        if version == 1 {
            client.batch_execute(TO_V2).await?;
            client.execute("UPDATE warroom_schema SET version = $1", &[&VERSION]).await?;
        }
        client.batch_execute("COMMIT").await?;
        Ok((VERSION.max(version), version == 1))
    }
    .await;
    if r.is_err() {
        let _ = client.batch_execute("ROLLBACK").await;
    }
    r
}
