//! Faults queued for the next calls of an operation, so that a user can test their own retries and
//! error handling: an error status (answered in the service's error shape), a delay, or a dropped
//! connection.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What a faulted call gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// This status, with the service's error body.
    Status(u16),
    /// A wait before the call is served as usual.
    DelayMs(u64),
    /// The connection closed without an answer.
    Drop,
}

/// A fault for the next `count` calls of `operation` (`dws.create_snapshot`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// The operation, `service.operation_id`.
    pub operation: String,
    /// How many calls it applies to.
    pub count: u32,
    /// What they get.
    pub kind: FaultKind,
}

/// The queued faults, in the order they were queued.
#[derive(Debug, Default)]
pub struct Faults {
    queue: Mutex<Vec<Fault>>,
}

impl Faults {
    fn queue(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues `fault`.
    pub fn push(&self, fault: Fault) {
        if fault.count > 0 {
            self.queue().push(fault);
        }
    }

    /// The fault for this call of `operation`, if one is queued; it is used up.
    pub fn take(&self, operation: &str) -> Option<FaultKind> {
        let mut queue = self.queue();
        let index = queue.iter().position(|f| f.operation == operation)?;
        let kind = queue[index].kind.clone();
        queue[index].count -= 1;
        if queue[index].count == 0 {
            queue.remove(index);
        }
        Some(kind)
    }

    /// What is queued.
    pub fn list(&self) -> Vec<Fault> {
        self.queue().clone()
    }

    /// Forgets every fault.
    pub fn clear(&self) {
        self.queue().clear();
    }
}

/// The delay of a fault, bounded so that a typo cannot hang a test for hours.
pub fn delay(ms: u64) -> Duration {
    Duration::from_millis(ms.min(60_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_serves_its_count_then_goes() {
        let faults = Faults::default();
        faults.push(Fault {
            operation: "dws.create_snapshot".to_owned(),
            count: 2,
            kind: FaultKind::Status(503),
        });
        assert_eq!(faults.take("evs.update_snapshot"), None);
        assert_eq!(faults.take("dws.create_snapshot"), Some(FaultKind::Status(503)));
        assert_eq!(faults.take("dws.create_snapshot"), Some(FaultKind::Status(503)));
        assert_eq!(faults.take("dws.create_snapshot"), None);
        assert!(faults.list().is_empty());
    }
}
