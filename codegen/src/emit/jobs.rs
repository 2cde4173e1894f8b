//! Files as independent jobs, run in parallel with rayon. Token streams cannot cross threads, so
//! each job builds its own from the shared IR, which is the only thing jobs share.

use std::path::PathBuf;

use rayon::prelude::*;

use super::EmitError;
use crate::output::GeneratedFile;

/// A file to write and how to make its text.
pub struct Job<'a> {
    path: PathBuf,
    /// Roughly how much work the job is (items emitted), so the largest start first.
    weight: usize,
    make: Box<dyn Fn() -> Result<String, EmitError> + Send + Sync + 'a>,
}

impl<'a> Job<'a> {
    /// A job that writes `path` with the text `make` returns.
    pub fn new(path: impl Into<PathBuf>, make: impl Fn() -> Result<String, EmitError> + Send + Sync + 'a) -> Self {
        Job {
            path: path.into(),
            weight: 0,
            make: Box::new(make),
        }
    }

    /// The job with its size: the number of items it emits.
    pub fn weighing(mut self, weight: usize) -> Self {
        self.weight = weight;
        self
    }
}

/// Runs `jobs` on rayon's pool, the largest first so that no thread is left with a big file at
/// the end; the files keep the jobs' order.
pub fn run(jobs: Vec<Job<'_>>) -> Result<Vec<GeneratedFile>, EmitError> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].weight));
    // One job per task: jobs differ in size by orders of magnitude, so rayon must not batch them.
    let emit = || -> Vec<(usize, Result<String, EmitError>)> {
        order
            .into_par_iter()
            .with_max_len(1)
            .map(|i| (i, (jobs[i].make)()))
            .collect()
    };
    // The calling thread works too, instead of waiting on the pool's threads: one thread fewer,
    // and jobs allocate beside the IR they read.
    let pool = rayon::ThreadPoolBuilder::new().use_current_thread().build();
    let mut texts = match pool {
        Ok(pool) => pool.install(emit),
        Err(_) => emit(),
    };
    texts.sort_by_key(|(i, _)| *i);
    jobs.into_iter()
        .zip(texts)
        .map(|(job, (_, text))| Ok(GeneratedFile::new(job.path, text?)))
        .collect()
}
