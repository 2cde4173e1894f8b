//! The stand-in's state: every stored snapshot, in SQLite.
//!
//! One connection behind a mutex: SQLite serialises writers anyway, and a write here is one small
//! row. The database runs in WAL mode with `synchronous = NORMAL`: a transaction is in the log when
//! `COMMIT` returns, so a process killed with SIGKILL afterwards loses nothing that was
//! acknowledged (only a power cut could lose the last commits, which a stand-in need not survive).
//! Checkpoints (copying the log into the database, with an fsync) run on a thread of their own,
//! not inside whichever request happens to fill the log, so no request waits for a disk flush.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

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

/// The database failed (disk full, a corrupt file).
#[derive(Debug, thiserror::Error)]
#[error("the stand-in's database failed: {0}")]
pub struct StoreError(#[from] rusqlite::Error);

/// The snapshots, in one SQLite database.
#[derive(Debug)]
pub struct Store {
    connection: Mutex<Connection>,
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
        .map_err(|error| StoreError(rusqlite::Error::ToSqlConversionFailure(Box::new(error))))?;
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
        let closed = Arc::new(AtomicBool::new(false));
        if !in_memory {
            connection.pragma_update(None, "wal_autocheckpoint", 0)?;
        }
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
        if !in_memory {
            checkpoint_in_background(path, Arc::clone(&closed))?;
        }
        Ok(Store {
            connection: Mutex::new(connection),
            closed,
        })
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while the lock was held left no transaction open (each statement is its own),
        // so the connection is still good.
        self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stores a new snapshot, committed when this returns.
    pub fn insert(&self, stored: &Stored) -> Result<(), StoreError> {
        let connection = self.connection();
        let mut insert = connection
            .prepare_cached("INSERT INTO snapshots (service, id, project_id, document) VALUES (?1, ?2, ?3, ?4)")?;
        insert.execute(params![
            stored.service.as_str(),
            stored.id,
            stored.project_id,
            stored.snapshot.to_string()
        ])?;
        Ok(())
    }

    /// Replaces a stored snapshot's document, committed when this returns; false if there is none.
    pub fn update(&self, service: Service, id: &str, snapshot: &Value) -> Result<bool, StoreError> {
        let connection = self.connection();
        let mut update =
            connection.prepare_cached("UPDATE snapshots SET document = ?3 WHERE service = ?1 AND id = ?2")?;
        let changed = update.execute(params![service.as_str(), id, snapshot.to_string()])?;
        Ok(changed > 0)
    }

    /// The snapshot `id` of `service` in `project_id`, if there is one.
    pub fn get(&self, service: Service, project_id: &str, id: &str) -> Result<Option<Stored>, StoreError> {
        let connection = self.connection();
        let mut select =
            connection.prepare_cached("SELECT project_id, document FROM snapshots WHERE service = ?1 AND id = ?2")?;
        let found = select
            .query_row(params![service.as_str(), id], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .optional()?;
        Ok(found
            .filter(|(project, _)| project == project_id)
            .map(|(project, document)| Stored {
                service,
                id: id.to_owned(),
                project_id: project,
                snapshot: serde_json::from_str(&document).unwrap_or(Value::Null),
            }))
    }

    /// Every stored snapshot, oldest first.
    pub fn all(&self) -> Result<Vec<Stored>, StoreError> {
        let connection = self.connection();
        let mut statement =
            connection.prepare("SELECT service, id, project_id, document FROM snapshots ORDER BY rowid")?;
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

    /// Forgets every snapshot.
    pub fn reset(&self) -> Result<(), StoreError> {
        self.connection().execute("DELETE FROM snapshots", [])?;
        Ok(())
    }
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

    #[test]
    fn a_snapshot_is_found_only_in_its_own_project() {
        let store = Store::open(Path::new(":memory:")).expect("opens");
        store.insert(&stored("s1", "p1")).expect("stored");
        assert!(store.get(Service::Dws, "p1", "s1").expect("reads").is_some());
        assert!(store.get(Service::Dws, "p2", "s1").expect("reads").is_none());
        assert!(store.get(Service::Evs, "p1", "s1").expect("reads").is_none());
    }

    #[test]
    fn writes_survive_reopening_the_file() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("state.sqlite3");
        {
            let store = Store::open(&path).expect("opens");
            store.insert(&stored("s1", "p1")).expect("stored");
            assert!(
                store
                    .update(Service::Dws, "s1", &serde_json::json!({"name": "m"}))
                    .expect("updates")
            );
        }
        let store = Store::open(&path).expect("reopens");
        let all = store.all().expect("reads");
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].snapshot["name"], "m");
        store.reset().expect("resets");
        assert!(store.all().expect("reads").is_empty());
    }
}
