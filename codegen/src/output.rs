//! Generated files in memory, and writing them all or none.
//!
//! The generator never writes while it generates: it builds every file first, and only then
//! replaces the output tree in one swap of directories. A failure at any point before the swap
//! leaves the old tree as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One file of output, its path relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path, with `/` separators.
    pub path: PathBuf,
    /// Full contents.
    pub contents: String,
}

impl GeneratedFile {
    /// A file at `path` with `contents`.
    pub fn new(path: impl Into<PathBuf>, contents: String) -> Self {
        GeneratedFile {
            path: path.into(),
            contents,
        }
    }

    /// The same file, one directory deeper.
    pub fn under(self, dir: PathBuf) -> Self {
        GeneratedFile {
            path: dir.join(self.path),
            contents: self.contents,
        }
    }
}

/// How an output tree differs from what generation produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files that are new.
    pub added: Vec<PathBuf>,
    /// Files whose contents change, with a unified diff from old to new.
    pub changed: Vec<(PathBuf, String)>,
    /// Files on disk that generation no longer produces.
    pub removed: Vec<PathBuf>,
    /// Files that stay the same.
    pub unchanged: usize,
}

impl Changes {
    /// Whether the tree on disk is exactly the generated output.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// One line per changed file, then the diffs.
    pub fn describe(&self, with_diffs: bool) -> String {
        let mut out = String::new();
        for path in &self.added {
            out.push_str(&format!("  added    {}\n", path.display()));
        }
        for (path, _) in &self.changed {
            out.push_str(&format!("  changed  {}\n", path.display()));
        }
        for path in &self.removed {
            out.push_str(&format!("  removed  {}\n", path.display()));
        }
        if with_diffs {
            for (_, diff) in &self.changed {
                out.push_str(diff);
            }
        }
        out
    }
}

/// Compares the tree at `root` with `files`.
pub fn compare(root: &Path, files: &[GeneratedFile]) -> io::Result<Changes> {
    let mut on_disk = read_tree(root)?;
    let mut changes = Changes::default();
    for file in files {
        match on_disk.remove(&file.path) {
            None => changes.added.push(file.path.clone()),
            Some(old) if old == file.contents => changes.unchanged += 1,
            Some(old) => {
                let diff = similar::TextDiff::from_lines(&old, &file.contents)
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("a/{}", file.path.display()),
                        &format!("b/{}", file.path.display()),
                    )
                    .to_string();
                changes.changed.push((file.path.clone(), diff));
            }
        }
    }
    changes.removed = on_disk.into_keys().collect();
    Ok(changes)
}

/// Replaces the tree at `root` with exactly `files`, or leaves it untouched on failure.
pub fn write_all(root: &Path, files: &[GeneratedFile]) -> io::Result<Changes> {
    let changes = compare(root, files)?;
    let name = root.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    let parent = match root.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let staged = stage(&staging, files);
    if let Err(error) = staged {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    let had_old = root.exists();
    if had_old && let Err(error) = fs::rename(root, &old) {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    if let Err(error) = fs::rename(&staging, root) {
        if had_old {
            let _ = fs::rename(&old, root);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    if had_old {
        fs::remove_dir_all(&old)?;
    }
    Ok(changes)
}

fn stage(staging: &Path, files: &[GeneratedFile]) -> io::Result<()> {
    if staging.exists() {
        fs::remove_dir_all(staging)?;
    }
    fs::create_dir_all(staging)?;
    for file in files {
        let path = staging.join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, &file.contents)?;
    }
    Ok(())
}

/// Every file under `root` by relative path; empty if `root` does not exist.
fn read_tree(root: &Path) -> io::Result<BTreeMap<PathBuf, String>> {
    let mut files = BTreeMap::new();
    if !root.exists() {
        return Ok(files);
    }
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(root).map_err(io::Error::other)?.to_owned();
                let contents = fs::read(&path)?;
                files.insert(relative, String::from_utf8_lossy(&contents).into_owned());
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_all_replaces_the_tree_and_reports_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("out");
        let first = vec![
            GeneratedFile::new("a/x.rs", "1".into()),
            GeneratedFile::new("b.rs", "2".into()),
        ];
        let changes = write_all(&root, &first).expect("written");
        assert_eq!(changes.added.len(), 2);
        let second = vec![
            GeneratedFile::new("a/x.rs", "1".into()),
            GeneratedFile::new("c.rs", "3".into()),
        ];
        let changes = write_all(&root, &second).expect("written");
        assert_eq!(changes.unchanged, 1);
        assert_eq!(changes.added, [PathBuf::from("c.rs")]);
        assert_eq!(changes.removed, [PathBuf::from("b.rs")]);
        assert!(!root.join("b.rs").exists());
        assert!(compare(&root, &second).expect("compared").is_empty());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).expect("listed").collect();
        assert_eq!(leftovers.len(), 1, "staging directories are cleaned up");
    }
}
