//! The stand-in's state: every stored snapshot, in SQLite.
//!
//! One connection, owned by one thread that runs what is waiting in one transaction (see
//! [`Store`]): SQLite serialises writers anyway, so writers share commits instead of a lock. The database runs in WAL mode with `synchronous = NORMAL`: a transaction is in the log when
//! `COMMIT` returns, so a process killed with SIGKILL afterwards loses nothing that was
//! acknowledged (only a power cut could lose the last commits, which a stand-in need not survive).
//! Checkpoints (copying the log into the database, with an fsync) run on a thread of their own,
//! not inside whichever request happens to fill the log, so no request waits for a disk flush.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

/// Which service a snapshot belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// The transaction holding the command could not begin or commit.
    #[error("the stand-in's database could not commit: {0}")]
    Commit(String),
    /// The database thread stopped (it panicked, or the store is closing).
    #[error("the stand-in's database thread stopped")]
    Gone,
}

/// What the database thread is asked to do.
enum Command {
    Insert(Stored, Reply<()>),
    Update(Service, String, Value, Reply<bool>),
    Get(Service, String, String, Reply<Option<Stored>>),
    All(Reply<Vec<Stored>>),
    Reset(Reply<()>),
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
                service TEXT NOT NULL,
                id TEXT NOT NULL,
                project_id TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (service, id)
            );",
        )?;
        let closed = Arc::new(AtomicBool::new(false));
        if !in_memory {
            connection.pragma_update(None, "wal_autocheckpoint", 0)?;
            checkpoint_in_background(path, Arc::clone(&closed))?;
        }
        let (commands, received) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("sqlite".to_owned())
            .spawn(move || serve(connection, received))
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
        self.ask(|reply| Command::Insert(stored, reply)).await
    }

    /// Replaces a stored snapshot's document, committed when this returns; false if there is none.
    pub async fn update(&self, service: Service, id: &str, snapshot: Value) -> Result<bool, StoreError> {
        let id = id.to_owned();
        self.ask(|reply| Command::Update(service, id, snapshot, reply)).await
    }

    /// The snapshot `id` of `service` in `project_id`, if there is one.
    pub async fn get(&self, service: Service, project_id: &str, id: &str) -> Result<Option<Stored>, StoreError> {
        let (project_id, id) = (project_id.to_owned(), id.to_owned());
        self.ask(|reply| Command::Get(service, project_id, id, reply)).await
    }

    /// Every stored snapshot, oldest first.
    pub async fn all(&self) -> Result<Vec<Stored>, StoreError> {
        self.ask(Command::All).await
    }

    /// Forgets every snapshot.
    pub async fn reset(&self) -> Result<(), StoreError> {
        self.ask(Command::Reset).await
    }
}

/// The database thread: batches of commands, one transaction each, answered after the commit.
fn serve(mut connection: Connection, received: std::sync::mpsc::Receiver<Command>) {
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
        for command in batch {
            answers.push(run(&transaction, command));
        }
        let committed = transaction.commit().map_err(|e| e.to_string());
        let failure = committed.as_ref().err().map(String::as_str);
        for answer in answers {
            answer(failure);
        }
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
fn run(transaction: &rusqlite::Transaction<'_>, command: Command) -> Answer {
    fn after<T: 'static>(reply: Reply<T>, result: Result<T, rusqlite::Error>) -> Answer {
        Box::new(move |failed: Option<&str>| {
            let result = match failed {
                Some(reason) => Err(StoreError::Commit(reason.to_owned())),
                None => result.map_err(StoreError::from),
            };
            let _ = reply.send(result);
        })
    }
    match command {
        Command::Insert(stored, reply) => {
            let result = transaction
                .prepare_cached("INSERT INTO snapshots (service, id, project_id, document) VALUES (?1, ?2, ?3, ?4)")
                .and_then(|mut insert| {
                    insert.execute(params![
                        stored.service.as_str(),
                        stored.id,
                        stored.project_id,
                        stored.snapshot.to_string()
                    ])
                })
                .map(|_| ());
            after(reply, result)
        }
        Command::Update(service, id, snapshot, reply) => {
            let result = transaction
                .prepare_cached("UPDATE snapshots SET document = ?3 WHERE service = ?1 AND id = ?2")
                .and_then(|mut update| update.execute(params![service.as_str(), id, snapshot.to_string()]))
                .map(|changed| changed > 0);
            after(reply, result)
        }
        Command::Get(service, project_id, id, reply) => {
            let result = transaction
                .prepare_cached("SELECT project_id, document FROM snapshots WHERE service = ?1 AND id = ?2")
                .and_then(|mut select| {
                    select
                        .query_row(params![service.as_str(), id], |row| {
                            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                        })
                        .optional()
                })
                .map(|found| {
                    found
                        .filter(|(project, _)| *project == project_id)
                        .map(|(project, document)| Stored {
                            service,
                            id: id.clone(),
                            project_id: project,
                            snapshot: serde_json::from_str(&document).unwrap_or(Value::Null),
                        })
                });
            after(reply, result)
        }
        Command::All(reply) => after(reply, all(transaction)),
        Command::Reset(reply) => {
            let result = transaction.execute("DELETE FROM snapshots", []).map(|_| ());
            after(reply, result)
        }
    }
}

fn all(transaction: &rusqlite::Transaction<'_>) -> Result<Vec<Stored>, rusqlite::Error> {
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
        out.push(Stored {
            service,
            id,
            project_id,
            snapshot: serde_json::from_str(&document).unwrap_or(Value::Null),
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
