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

/// Replaces, under `root`, each top-level directory that `files` write into, and nothing else:
/// every directory is staged first, then all are swapped in; a failed swap puts back the ones
/// already swapped. For output into a directory the generator does not own (`--out`).
pub fn write_dirs(root: &Path, files: &[GeneratedFile]) -> io::Result<Changes> {
    let mut groups: BTreeMap<String, Vec<GeneratedFile>> = BTreeMap::new();
    for file in files {
        let mut components = file.path.components();
        let top = components
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let rest: PathBuf = components.collect();
        groups
            .entry(top)
            .or_default()
            .push(GeneratedFile::new(rest, file.contents.clone()));
    }
    let mut changes = Changes::default();
    for (dir, group) in &groups {
        let part = compare(&root.join(dir), group)?;
        let prefix = |p: &PathBuf| Path::new(dir).join(p);
        changes.added.extend(part.added.iter().map(prefix));
        changes
            .changed
            .extend(part.changed.iter().map(|(p, d)| (prefix(p), d.clone())));
        changes.removed.extend(part.removed.iter().map(prefix));
        changes.unchanged += part.unchanged;
    }
    fs::create_dir_all(root)?;
    let id = std::process::id();
    let staged: Vec<(PathBuf, PathBuf, PathBuf)> = groups
        .keys()
        .map(|dir| {
            (
                root.join(dir),
                root.join(format!(".{dir}.staging-{id}")),
                root.join(format!(".{dir}.old-{id}")),
            )
        })
        .collect();
    for ((_, staging, _), group) in staged.iter().zip(groups.values()) {
        if let Err(error) = stage(staging, group) {
            for (_, staging, _) in &staged {
                let _ = fs::remove_dir_all(staging);
            }
            return Err(error);
        }
    }
    let mut swapped: Vec<usize> = Vec::new();
    for (index, (target, staging, old)) in staged.iter().enumerate() {
        let had_old = target.exists();
        let result = (|| {
            if had_old {
                fs::rename(target, old)?;
            }
            fs::rename(staging, target)
        })();
        if let Err(error) = result {
            if had_old && !target.exists() {
                let _ = fs::rename(old, target);
            }
            for &done in swapped.iter().rev() {
                let (target, _, old) = &staged[done];
                let _ = fs::remove_dir_all(target);
                let _ = fs::rename(old, target);
            }
            for (_, staging, _) in &staged {
                let _ = fs::remove_dir_all(staging);
            }
            return Err(error);
        }
        swapped.push(index);
    }
    for (_, _, old) in &staged {
        if old.exists() {
            fs::remove_dir_all(old)?;
        }
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
    fn write_dirs_replaces_only_the_directories_it_writes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        fs::create_dir_all(root.join("mine")).expect("dir");
        fs::write(root.join("mine/keep.txt"), "user file").expect("file");
        fs::create_dir_all(root.join("a-models")).expect("dir");
        fs::write(root.join("a-models/stale.rs"), "old").expect("file");
        let files = vec![
            GeneratedFile::new("a-models/src/lib.rs", "lib".into()),
            GeneratedFile::new("a-client/src/lib.rs", "client".into()),
        ];
        let changes = write_dirs(root, &files).expect("written");
        assert_eq!(changes.removed, [PathBuf::from("a-models/stale.rs")]);
        assert_eq!(changes.added.len(), 2);
        assert_eq!(
            fs::read_to_string(root.join("mine/keep.txt")).expect("kept"),
            "user file"
        );
        assert!(!root.join("a-models/stale.rs").exists());
        let mut names: Vec<_> = fs::read_dir(root)
            .expect("list")
            .map(|e| e.expect("e").file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["a-client", "a-models", "mine"], "no staging directory is left");
    }

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
