//! Nothing here but the compile-time checks below: the tests in `tests/` check the generated crates
//! against the source documents in `../shared/docs/`, independently of the generator that wrote
//! them.
//!
//! A struct with two required properties is built by name, in field order:
//!
//! ```
//! let snapshot = dws_models::Snapshot::builder().cluster_id("c1").name("snapshot-1").build();
//! assert_eq!((snapshot.cluster_id.as_str(), snapshot.name.as_str()), ("c1", "snapshot-1"));
//! ```
//!
//! and the compiler refuses a value with one of them missing (`build` does not exist yet):
//!
//! ```compile_fail,E0599
//! let snapshot = dws_models::Snapshot::builder().cluster_id("c1").build();
//! ```
//!
//! or set twice (each setter exists only at its own step):
//!
//! ```compile_fail,E0599
//! let snapshot = dws_models::Snapshot::builder().cluster_id("a").cluster_id("b").name("n").build();
//! ```
//!
//! or given out of order, where a swap of two values would hide:
//!
//! ```compile_fail,E0599
//! let snapshot = dws_models::Snapshot::builder().name("snapshot-1").cluster_id("c1").build();
//! ```
//!
//! and there is no positional constructor to swap arguments in:
//!
//! ```compile_fail,E0599
//! let snapshot = dws_models::Snapshot::new("snapshot-1", "c1");
//! ```
