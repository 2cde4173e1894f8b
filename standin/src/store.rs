//! The stand-in's state: every stored snapshot, in SQLite.
//!
//! One connection, owned by one thread that runs what is waiting in one transaction (see
//! [`Store`]): SQLite serialises writers anyway, so writers share commits instead of a lock. The
//! database runs in WAL mode with `synchronous = NORMAL`: a transaction is in the log when
//! `COMMIT` returns, so a process killed with SIGKILL afterwards loses nothing that was
//! acknowledged (only a power cut could lose the last commits, which a stand-in need not survive).
//! Checkpoints (copying the log into the database, with an fsync) run on a thread of their own,
//! not inside whichever request happens to fill the log, so no request waits for a disk flush.
//!
//! Rows are found by id through a hash map that the database thread keeps beside the table
//! (rebuilt from the table when the store opens), not through an SQLite index: ids are random
//! UUIDs, so each insert into a B-tree index on them lands on a different page, and a commit of
//! 64 inserts wrote 64 index pages to the log. Without the index, inserts append to the table's
//! last pages; measured with `bench/standin.sh`, that took the stand-in from about 24,000 to
//! about 30,000 creates a second at 64 connections, and its p99 from 7.5 to 5.6 ms.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

/// Which service a snapshot belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    /// Huawei Cloud Elastic Volume Service.
    Evs,
    /// Huawei Cloud Data Warehouse Service.
    Dws,
    /// OpenStack Block Storage (Cinder).
    BlockStorage,
}

impl Service {
    /// The name used in the database, the admin API and fault operations.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Evs => "evs",
            Service::Dws => "dws",
            Service::BlockStorage => "block-storage",
        }
    }

    /// The service named `name`.
    pub fn parse(name: &str) -> Option<Service> {
        match name {
            "evs" => Some(Service::Evs),
            "dws" => Some(Service::Dws),
            "block-storage" => Some(Service::BlockStorage),
            _ => None,
        }
    }
}

/// A stored snapshot: its service, id, project and the document the service shows for it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stored {
    /// The service.
    pub service: Service,
    /// Its id.
    pub id: String,
    /// The project it belongs to.
    pub project_id: String,
    /// Everything the service knows of it, as the service's own fields.
    pub snapshot: Value,
}

/// The database failed (disk full, a corrupt file), or its thread is gone.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("the stand-in's database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A snapshot with this id is already stored for its service.
    #[error("a {service} snapshot with id {id} is already stored", service = .0.as_str(), id = .1)]
    Duplicate(Service, String),
    /// A stored document is not JSON (the file was edited by something else).
    #[error("the stored document of snapshot {0} is not JSON: {1}")]
    Document(String, serde_json::Error),
    /// The transaction holding the command could not begin or commit.
    #[error("the stand-in's database could not commit: {0}")]
    Commit(String),
    /// The database thread stopped (it panicked, or the store is closing).
    #[error("the stand-in's database thread stopped")]
    Gone,
}

/// What the database thread is asked to do.
///
/// Documents travel as JSON text, written and read by the callers: the database thread is the one
/// thing every request waits for, so it does nothing but SQL.
enum Command {
    Insert(Row, Reply<()>),
    Update(Service, String, String, Reply<bool>),
    Get(Service, String, Reply<Option<Row>>),
    All(Reply<Vec<Row>>),
    Reset(Reply<()>),
}

/// A stored snapshot as the table holds it.
struct Row {
    service: Service,
    id: String,
    project_id: String,
    document: String,
}

impl Row {
    fn of(stored: &Stored) -> Row {
        Row {
            service: stored.service,
            id: stored.id.clone(),
            project_id: stored.project_id.clone(),
            document: stored.snapshot.to_string(),
        }
    }

    fn stored(self) -> Result<Stored, StoreError> {
        let snapshot = serde_json::from_str(&self.document).map_err(|e| StoreError::Document(self.id.clone(), e))?;
        Ok(Stored {
            service: self.service,
            id: self.id,
            project_id: self.project_id,
            snapshot,
        })
    }
}

type Reply<T> = tokio::sync::oneshot::Sender<Result<T, StoreError>>;

/// Sends a command's result once its transaction has committed (`Some(reason)` if it did not).
type Answer = Box<dyn FnOnce(Option<&str>)>;

/// The most commands one transaction takes.
const BATCH: usize = 256;

/// The snapshots, in one SQLite database owned by one thread.
///
/// Every command goes to that thread, which takes all that are waiting (up to 256), runs
/// them in order in one transaction, commits, and only then answers each: a write is committed
/// before its caller hears back, and concurrent writes share one commit (group commit) instead of
/// queueing for a lock each.
#[derive(Debug)]
pub struct Store {
    commands: std::sync::mpsc::Sender<Command>,
    /// Set when the store is dropped, so that its checkpoint thread ends.
    closed: Arc<AtomicBool>,
}

impl Drop for Store {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::Relaxed);
    }
}

/// How often the checkpoint thread copies the log into the database.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Checkpoints `path`'s log on a connection of its own until `closed`; a passive checkpoint never
/// blocks a writer.
fn checkpoint_in_background(path: &Path, closed: Arc<AtomicBool>) -> Result<(), StoreError> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(std::time::Duration::from_secs(5))?;
    std::thread::Builder::new()
        .name("sqlite-checkpoint".to_owned())
        .spawn(move || {
            while !closed.load(Ordering::Relaxed) {
                std::thread::sleep(CHECKPOINT_EVERY);
                if let Err(error) = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::warn!(%error, "a checkpoint of the stand-in's database failed");
                }
            }
        })
        .map_err(|_| StoreError::Gone)?;
    Ok(())
}

impl Store {
    /// The database at `path` (`:memory:` for one that lives as long as the process), created if
    /// it does not exist.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let in_memory = path == Path::new(":memory:");
        let connection = if in_memory {
            Connection::open_in_memory()?
        } else {
            Connection::open(path)?
        };
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.execute_batch(
            "CREATE TABLE IF NOT EXISTS snapshots (
                number INTEGER PRIMARY KEY,
                service TEXT NOT NULL,
                id TEXT NOT NULL,
                project_id TEXT NOT NULL,
                document TEXT NOT NULL
            );",
        )?;
        let closed = Arc::new(AtomicBool::new(false));
        if !in_memory {
            connection.pragma_update(None, "wal_autocheckpoint", 0)?;
            checkpoint_in_background(path, Arc::clone(&closed))?;
        }
        let index = Index::read(&connection)?;
        let (commands, received) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("sqlite".to_owned())
            .spawn(move || serve(connection, index, received))
            .map_err(|_| StoreError::Gone)?;
        Ok(Store { commands, closed })
    }

    async fn ask<T>(&self, command: impl FnOnce(Reply<T>) -> Command) -> Result<T, StoreError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.commands.send(command(reply)).map_err(|_| StoreError::Gone)?;
        answer.await.map_err(|_| StoreError::Gone)?
    }

    /// Stores a new snapshot, committed when this returns.
    pub async fn insert(&self, stored: Stored) -> Result<(), StoreError> {
        let row = Row::of(&stored);
        self.ask(|reply| Command::Insert(row, reply)).await
    }

    /// Replaces a stored snapshot's document, committed when this returns; false if there is none.
    pub async fn update(&self, service: Service, id: &str, snapshot: Value) -> Result<bool, StoreError> {
        let (id, document) = (id.to_owned(), snapshot.to_string());
        self.ask(|reply| Command::Update(service, id, document, reply)).await
    }

    /// The snapshot `id` of `service` in `project_id`, if there is one.
    pub async fn get(&self, service: Service, project_id: &str, id: &str) -> Result<Option<Stored>, StoreError> {
        let id = id.to_owned();
        match self.ask(|reply| Command::Get(service, id, reply)).await? {
            Some(row) if row.project_id == project_id => row.stored().map(Some),
            _ => Ok(None),
        }
    }

    /// Every stored snapshot, oldest first.
    pub async fn all(&self) -> Result<Vec<Stored>, StoreError> {
        self.ask(Command::All).await?.into_iter().map(Row::stored).collect()
    }

    /// Forgets every snapshot.
    pub async fn reset(&self) -> Result<(), StoreError> {
        self.ask(Command::Reset).await
    }
}

/// Where each stored snapshot's row is: its `rowid`, by service and id.
///
/// Kept by the database thread beside the table instead of an SQLite index on the ids (see the
/// module's docs), and changed only once the transaction that changed the table has committed.
struct Index {
    rows: HashMap<Service, HashMap<String, i64>>,
}

impl Index {
    /// The index of the rows already in the table.
    fn read(connection: &Connection) -> Result<Index, StoreError> {
        let mut statement = connection.prepare("SELECT rowid, service, id FROM snapshots")?;
        let mut rows: HashMap<Service, HashMap<String, i64>> = HashMap::new();
        let found = statement.query_map([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get(2)?))
        })?;
        for row in found {
            let (number, service, id) = row?;
            if let Some(service) = Service::parse(&service) {
                rows.entry(service).or_default().insert(id, number);
            }
        }
        Ok(Index { rows })
    }
}

/// What a batch's transaction did to the rows, applied to the [`Index`] once it has committed.
enum Change {
    Added(Service, String, i64),
    Cleared,
}

/// The database thread: batches of commands, one transaction each, answered after the commit.
fn serve(mut connection: Connection, mut index: Index, received: std::sync::mpsc::Receiver<Command>) {
    while let Ok(first) = received.recv() {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match received.try_recv() {
                Ok(command) => batch.push(command),
                Err(_) => break,
            }
        }
        let transaction = match connection.transaction() {
            Ok(transaction) => transaction,
            Err(error) => {
                let message = error.to_string();
                for command in batch {
                    fail(command, &message);
                }
                continue;
            }
        };
        let mut answers: Vec<Answer> = Vec::with_capacity(batch.len());
        let mut batch_index = BatchIndex {
            committed: &index,
            changes: Vec::new(),
        };
        for command in batch {
            answers.push(run(&transaction, &mut batch_index, command));
        }
        let changes = batch_index.changes;
        let committed = transaction.commit().map_err(|e| e.to_string());
        if committed.is_ok() {
            for change in changes {
                match change {
                    Change::Added(service, id, number) => {
                        index.rows.entry(service).or_default().insert(id, number);
                    }
                    Change::Cleared => index.rows.clear(),
                }
            }
        }
        let failure = committed.as_ref().err().map(String::as_str);
        for answer in answers {
            answer(failure);
        }
    }
}

/// The index as one transaction sees it: what has committed, with the transaction's own changes
/// on top.
struct BatchIndex<'a> {
    committed: &'a Index,
    changes: Vec<Change>,
}

impl BatchIndex<'_> {
    fn find(&self, service: Service, id: &str) -> Option<i64> {
        for change in self.changes.iter().rev() {
            match change {
                Change::Added(s, i, number) if *s == service && i == id => return Some(*number),
                Change::Cleared => return None,
                Change::Added(..) => {}
            }
        }
        self.committed.rows.get(&service)?.get(id).copied()
    }
}

fn fail(command: Command, message: &str) {
    let error = || StoreError::Commit(message.to_owned());
    match command {
        Command::Insert(_, reply) | Command::Reset(reply) => drop(reply.send(Err(error()))),
        Command::Update(.., reply) => drop(reply.send(Err(error()))),
        Command::Get(.., reply) => drop(reply.send(Err(error()))),
        Command::All(reply) => drop(reply.send(Err(error()))),
    }
}

/// Runs one command in `transaction`; the answer waits for the commit (`Some(reason)` if it failed).
fn run(transaction: &rusqlite::Transaction<'_>, index: &mut BatchIndex<'_>, command: Command) -> Answer {
    fn after<T: 'static>(reply: Reply<T>, result: Result<T, StoreError>) -> Answer {
        Box::new(move |failed: Option<&str>| {
            let result = match failed {
                Some(reason) => Err(StoreError::Commit(reason.to_owned())),
                None => result,
            };
            let _ = reply.send(result);
        })
    }
    match command {
        Command::Insert(row, reply) => {
            if index.find(row.service, &row.id).is_some() {
                return after(reply, Err(StoreError::Duplicate(row.service, row.id)));
            }
            let result = transaction
                .prepare_cached("INSERT INTO snapshots (service, id, project_id, document) VALUES (?1, ?2, ?3, ?4)")
                .and_then(|mut insert| {
                    insert.execute(params![row.service.as_str(), row.id, row.project_id, row.document])
                })
                .map(|_| {
                    index
                        .changes
                        .push(Change::Added(row.service, row.id, transaction.last_insert_rowid()))
                })
                .map_err(StoreError::from);
            after(reply, result)
        }
        Command::Update(service, id, document, reply) => {
            let result = match index.find(service, &id) {
                None => Ok(false),
                Some(number) => transaction
                    .prepare_cached("UPDATE snapshots SET document = ?2 WHERE rowid = ?1")
                    .and_then(|mut update| update.execute(params![number, document]))
                    .map(|changed| changed > 0)
                    .map_err(StoreError::from),
            };
            after(reply, result)
        }
        Command::Get(service, id, reply) => {
            let result = match index.find(service, &id) {
                None => Ok(None),
                Some(number) => transaction
                    .prepare_cached("SELECT project_id, document FROM snapshots WHERE rowid = ?1")
                    .and_then(|mut select| {
                        select
                            .query_row(params![number], |row| Ok((row.get(0)?, row.get(1)?)))
                            .optional()
                    })
                    .map(|found| {
                        found.map(|(project_id, document)| Row {
                            service,
                            id,
                            project_id,
                            document,
                        })
                    })
                    .map_err(StoreError::from),
            };
            after(reply, result)
        }
        Command::All(reply) => after(reply, all(transaction).map_err(StoreError::from)),
        Command::Reset(reply) => {
            let result = transaction
                .execute("DELETE FROM snapshots", [])
                .map(|_| index.changes.push(Change::Cleared))
                .map_err(StoreError::from);
            after(reply, result)
        }
    }
}

fn all(transaction: &rusqlite::Transaction<'_>) -> Result<Vec<Row>, rusqlite::Error> {
    let mut statement =
        transaction.prepare_cached("SELECT service, id, project_id, document FROM snapshots ORDER BY rowid")?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (service, id, project_id, document) = row?;
        let Some(service) = Service::parse(&service) else {
            continue;
        };
        out.push(Row {
            service,
            id,
            project_id,
            document,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: &str, project: &str) -> Stored {
        Stored {
            service: Service::Dws,
            id: id.to_owned(),
            project_id: project.to_owned(),
            snapshot: serde_json::json!({"id": id, "name": "n"}),
        }
    }

    #[tokio::test]
    async fn a_snapshot_is_found_only_in_its_own_project() {
        let store = Store::open(Path::new(":memory:")).expect("opens");
        store.insert(stored("s1", "p1")).await.expect("stored");
        assert!(store.get(Service::Dws, "p1", "s1").await.expect("reads").is_some());
        assert!(store.get(Service::Dws, "p2", "s1").await.expect("reads").is_none());
        assert!(store.get(Service::Evs, "p1", "s1").await.expect("reads").is_none());
    }

    #[tokio::test]
    async fn concurrent_writes_share_commits_and_all_land() {
        let store = Arc::new(Store::open(Path::new(":memory:")).expect("opens"));
        let writes = (0..500).map(|n| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.insert(stored(&format!("s{n}"), "p")).await })
        });
        for write in writes.collect::<Vec<_>>() {
            write.await.expect("ran").expect("stored");
        }
        assert_eq!(store.all().await.expect("reads").len(), 500);
        let duplicate = store.insert(stored("s1", "p")).await;
        assert!(duplicate.is_err(), "an id is stored once");
        assert_eq!(
            store.all().await.expect("reads").len(),
            500,
            "the duplicate is not kept"
        );
    }

    #[tokio::test]
    async fn one_batch_sees_its_own_inserts_and_resets() {
        let store = Arc::new(Store::open(Path::new(":memory:")).expect("opens"));
        // Sent together, these usually land in one transaction: the second insert of s1 must see the
        // first, and the insert after the reset must not see what the reset removed.
        let first = store.insert(stored("s1", "p"));
        let again = store.insert(stored("s1", "p"));
        let (first, again) = tokio::join!(first, again);
        first.expect("stored");
        assert!(
            matches!(again, Err(StoreError::Duplicate(Service::Dws, _))),
            "{again:?}"
        );
        let (reset, after_reset) = tokio::join!(store.reset(), store.insert(stored("s1", "p")));
        reset.expect("resets");
        after_reset.expect("the id is free again after the reset");
        assert_eq!(store.all().await.expect("reads").len(), 1);
        assert!(
            store
                .update(Service::Dws, "s1", serde_json::json!({"name": "m"}))
                .await
                .expect("updates")
        );
        assert!(
            !store
                .update(Service::Dws, "s2", serde_json::json!({}))
                .await
                .expect("updates")
        );
    }

    #[tokio::test]
    async fn reopening_finds_every_row_by_id() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("state.sqlite3");
        {
            let store = Store::open(&path).expect("opens");
            for n in 0..50 {
                store.insert(stored(&format!("s{n}"), "p1")).await.expect("stored");
            }
        }
        let store = Store::open(&path).expect("reopens");
        for n in 0..50 {
            let found = store.get(Service::Dws, "p1", &format!("s{n}")).await.expect("reads");
            assert_eq!(found.map(|s| s.id), Some(format!("s{n}")));
        }
        assert!(
            store
                .update(Service::Dws, "s7", serde_json::json!({"name": "m"}))
                .await
                .expect("updates")
        );
        assert!(
            store.insert(stored("s7", "p1")).await.is_err(),
            "ids read back from the file stay taken"
        );
        assert!(store.insert(stored("s50", "p1")).await.is_ok());
    }

    #[tokio::test]
    async fn writes_survive_reopening_the_file() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("state.sqlite3");
        {
            let store = Store::open(&path).expect("opens");
            store.insert(stored("s1", "p1")).await.expect("stored");
            let json = serde_json::json!({"name": "m"});
            assert!(store.update(Service::Dws, "s1", json).await.expect("updates"));
        }
        let store = Store::open(&path).expect("reopens");
        let all = store.all().await.expect("reads");
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].snapshot["name"], "m");
        store.reset().await.expect("resets");
        assert!(store.all().await.expect("reads").is_empty());
    }
}
