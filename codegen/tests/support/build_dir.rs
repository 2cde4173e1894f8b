//! Where the tests that build generated crates outside this workspace put their build output, and
//! the workspace root they find things from.

use std::path::{Path, PathBuf};

/// This workspace's root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// `corpus-check` under the target directory cargo was told to use (`CARGO_TARGET_DIR`, as for
/// every other build), else under the workspace's `target/`. One directory for every such build,
/// so the dependencies they share are built once.
pub fn generated_target_dir() -> PathBuf {
    let root = workspace_root();
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| if dir.is_absolute() { dir } else { root.join(dir) })
        .unwrap_or_else(|| root.join("target"))
        .join("corpus-check")
}
