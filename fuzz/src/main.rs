//! Feeds mutated specs to the generator and reports every panic and every emission of invalid
//! Rust, the two outcomes no input may cause.
//!
//! Stable Rust has no `cargo fuzz` (it needs nightly's sanitizers), so this is a structure-aware
//! mutation loop: seed specs are parsed once; each case applies a few random mutations to one of
//! them (a node replaced by a hostile value, a key renamed to a keyword or digits, a subtree
//! copied elsewhere, a `$ref` pointed astray, a type or format changed, and sometimes damage to
//! the text itself), writes it as JSON or YAML, and runs load -> lower -> emit in-process under
//! `catch_unwind`. A finding is saved under the output directory with its seed and case number,
//! so `--seed S --case N` replays it.
//!
//! `apigen-fuzz [--seconds N] [--seed S] [--out DIR] [--case N] SPEC...`

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use apigen_codegen::{Settings, emit, load, lower};
use apigen_fuzz::mutate::{damage_text, mutate_value};
use serde_json::Value;

struct Args {
    seconds: u64,
    seed: u64,
    out: PathBuf,
    case: Option<u64>,
    specs: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seconds: 600,
        seed: 1,
        out: PathBuf::from("target/fuzz-findings"),
        case: None,
        specs: Vec::new(),
    };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--seconds" => args.seconds = value("--seconds")?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--seed" => args.seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--case" => args.case = Some(value("--case")?.parse().map_err(|e| format!("--case: {e}"))?),
            "--out" => args.out = PathBuf::from(value("--out")?),
            spec => args.specs.push(PathBuf::from(spec)),
        }
    }
    if args.specs.is_empty() {
        return Err("give at least one seed spec".to_owned());
    }
    Ok(args)
}

/// What one case did.
enum Outcome {
    /// Generated files.
    Generated,
    /// Refused with diagnostics (the expected answer to most mutations).
    Refused,
    /// Emission produced Rust that does not parse: a generator bug.
    InvalidRust(String),
    /// A panic: a generator bug.
    Panic(String),
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\nusage: apigen-fuzz [--seconds N] [--seed S] [--out DIR] [--case N] SPEC...");
            return std::process::ExitCode::from(2);
        }
    };
    // Each seed with its size: a case costs about its seed's size, so a seed is picked with a
    // chance inversely proportional to it, and every seed gets about the same share of the time
    // (a 1 MB OpenStack document would otherwise take most cases' time).
    let seeds: Vec<(PathBuf, Value, usize)> = args
        .specs
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let value = if path.extension().is_some_and(|e| e == "json") {
                serde_json::from_str(&text).ok()?
            } else {
                serde_yaml::from_str(&text).ok()?
            };
            Some((path.clone(), value, text.len()))
        })
        .collect();
    let weights: Vec<f64> = seeds
        .iter()
        .map(|(_, _, size)| 1.0 / (*size).max(MIN_WEIGHED_SIZE) as f64)
        .collect();
    let total_weight: f64 = weights.iter().sum();
    if seeds.is_empty() {
        eprintln!("no seed spec could be read");
        return std::process::ExitCode::from(2);
    }
    // Panics are findings, reported by the loop; the default hook would only add noise.
    std::panic::set_hook(Box::new(|_| {}));

    let cases: Box<dyn Iterator<Item = u64>> = match args.case {
        Some(case) => Box::new(std::iter::once(case)),
        None => Box::new(0..),
    };
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let (mut runs, mut generated, mut refused, mut findings) = (0u64, 0u64, 0u64, 0u64);
    for case in cases {
        if args.case.is_none() && Instant::now() >= deadline {
            break;
        }
        let mut rng = fastrand::Rng::with_seed(args.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ case);
        let mut pick = rng.f64() * total_weight;
        let index = weights
            .iter()
            .position(|weight| {
                pick -= weight;
                pick < 0.0
            })
            .unwrap_or(seeds.len() - 1);
        let (path, seed, _) = &seeds[index];
        let (name, text) = mutate(&mut rng, path, seed);
        runs += 1;
        match run_case(&name, text.clone()) {
            Outcome::Generated => generated += 1,
            Outcome::Refused => refused += 1,
            Outcome::InvalidRust(message) | Outcome::Panic(message) => {
                findings += 1;
                let saved = save(&args.out, args.seed, case, &name, &text);
                eprintln!(
                    "FINDING case {case} (seed {}): {message}\n  input: {}",
                    args.seed,
                    saved.display()
                );
            }
        }
        if runs.is_multiple_of(500) {
            eprintln!("{runs} cases, {generated} generated, {refused} refused, {findings} findings");
        }
    }
    println!(
        "{runs} cases in {:.0} s from {} seed specs: {generated} generated, {refused} refused with diagnostics, {findings} findings (panics or invalid Rust)",
        started.elapsed().as_secs_f64(),
        seeds.len()
    );
    if findings == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// Below this size a seed's cases cost about the same, whatever its size.
const MIN_WEIGHED_SIZE: usize = 16 * 1024;

fn run_case(name: &str, text: String) -> Outcome {
    let settings = Settings::new("fuzz-models")
        .client("fuzz-client")
        .spec_label(name)
        .runtime_dependency("{ path = \"runtime\" }");
    let result = catch_unwind(AssertUnwindSafe(|| {
        let loaded = load::load_str(Path::new(name), text).ok()?;
        let (api, _warnings) = lower::lower(&loaded, &settings).ok()?;
        Some(emit::crates(&api, &settings))
    }));
    match result {
        Ok(None) => Outcome::Refused,
        Ok(Some(Ok(_))) => Outcome::Generated,
        Ok(Some(Err(error))) => Outcome::InvalidRust(error.to_string()),
        Err(panic) => Outcome::Panic(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic without a message".to_owned()),
        ),
    }
}

fn save(out: &Path, seed: u64, case: u64, name: &str, text: &str) -> PathBuf {
    let extension = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or("txt");
    let path = out.join(format!("seed{seed}-case{case}.{extension}"));
    let _ = std::fs::create_dir_all(out);
    let _ = std::fs::write(&path, text);
    path
}

/// One mutated case: a file name (whose extension says JSON or YAML) and its text.
fn mutate(rng: &mut fastrand::Rng, path: &Path, seed: &Value) -> (String, String) {
    let mut value = seed.clone();
    for _ in 0..rng.usize(1..=6) {
        mutate_value(rng, &mut value);
    }
    let json = rng.bool();
    let mut text = if json {
        serde_json::to_string_pretty(&value).unwrap_or_default()
    } else {
        serde_yaml::to_string(&value).unwrap_or_default()
    };
    if rng.u8(..10) == 0 {
        damage_text(rng, &mut text);
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
    (format!("{stem}.{}", if json { "json" } else { "yaml" }), text)
}
