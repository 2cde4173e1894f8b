//! snapctl on a real terminal: tmux runs it in an 80-column pane against the stand-in, and the
//! screen is captured. On a terminal the output is a table by default; it must fit the 80
//! columns (every line starts and ends on the table's border, so the terminal wrapped nothing)
//! and long values wrap inside their cell between words, never through one.
//!
//! Needs `tmux` (`.ci/run` installs it).

use std::process::Command;
use std::time::{Duration, Instant};

mod support;
use support::{OPENSTACK, start};

const COLUMNS: usize = 80;
const DESCRIPTION: &str =
    "Nightly snapshot of the reporting database volume, taken before the schema migration and kept for thirty days";

fn tmux(socket: &str, args: &[&str]) -> std::process::Output {
    Command::new("tmux")
        .arg("-L")
        .arg(socket)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("tmux does not run ({error}): install tmux (.ci/run does)"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_reads_well_as_a_table_in_80_columns() {
    let base = start().await;
    let socket = format!("snapctl-test-{}", std::process::id());
    let binary = env!("CARGO_BIN_EXE_snapctl");
    let script = format!(
        "{binary} block-storage create-snapshot --endpoint {base} --volume-id 5aa119a8-d25b-45a7-8d1b-88e127885635 --name nightly-reporting --description '{DESCRIPTION}' --metadata owner=analytics; echo \"exit=$?\"; sleep 60"
    );
    let mut args = vec![
        "new-session".to_owned(),
        "-d".to_owned(),
        "-x".to_owned(),
        COLUMNS.to_string(),
        "-y".to_owned(),
        "50".to_owned(),
        "-s".to_owned(),
        "snapctl".to_owned(),
    ];
    for (key, value) in OPENSTACK {
        args.extend(["-e".to_owned(), format!("{key}={value}")]);
    }
    args.extend(["sh".to_owned(), "-c".to_owned(), script]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = tmux(&socket, &args);
    assert!(
        started.status.success(),
        "tmux new-session: {}",
        String::from_utf8_lossy(&started.stderr)
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let screen = loop {
        let captured = tmux(&socket, &["capture-pane", "-p", "-t", "snapctl"]);
        let screen = String::from_utf8_lossy(&captured.stdout).into_owned();
        if screen.contains("exit=") || Instant::now() > deadline {
            break screen;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let _ = tmux(&socket, &["kill-server"]);
    // The screen, for whoever reads the test's output.
    println!("--- the {COLUMNS}-column pane ---\n{screen}--- end of pane ---");

    assert!(screen.contains("exit=0"), "snapctl failed:\n{screen}");
    let table: Vec<&str> = screen
        .lines()
        .map(str::trim_end)
        .take_while(|line| !line.starts_with("exit="))
        .filter(|line| !line.is_empty())
        .collect();
    assert!(table.len() > 5, "a table:\n{screen}");
    for line in &table {
        assert!(line.chars().count() <= COLUMNS, "wider than the pane: {line}");
        let bordered = (line.starts_with('+') && line.ends_with('+')) || (line.starts_with('|') && line.ends_with('|'));
        assert!(bordered, "a line the terminal wrapped, not the table:\n{screen}");
    }
    assert!(
        table[1].starts_with("| Field") && table[1].contains("| Value"),
        "{screen}"
    );
    // The description wrapped inside its cell, at spaces: each of its words is whole on a line.
    let cells: String = table
        .iter()
        .map(|line| line.rsplit('|').nth(1).unwrap_or("").trim())
        .collect::<Vec<_>>()
        .join(" ");
    for word in DESCRIPTION.split(' ') {
        assert!(
            cells.split_whitespace().any(|w| w == word),
            "`{word}` was broken across lines:\n{screen}"
        );
    }
    for field in ["id", "name", "status", "volume_id", "metadata"] {
        assert!(
            table.iter().any(|line| line.starts_with(&format!("| {field} "))),
            "{field} has a row:\n{screen}"
        );
    }
}
