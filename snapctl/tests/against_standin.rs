//! The `snapctl` binary against the stand-in over loopback, for every documented operation of the
//! three services: flags, `--body` (a file and standard input), Huawei's variables, OpenStack's
//! variables and `clouds.yaml`; every output format; `--dry-run` and `--debug`; and input refused
//! before anything is sent (the stand-in's request log stays empty and its state unchanged).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

mod support;
use support::{AK, APP_CREDENTIAL, APP_SECRET, HUAWEI, OPENSTACK, PASSWORD, PROJECT, SK, TOKEN, USER, admin, start};

async fn stored(base: &str, service: &str, id: &str) -> Value {
    admin(base, &format!("snapshots/{service}/{id}")).await
}

/// One run of snapctl: its arguments, and a clean environment (no HOME, no variables) plus `env`,
/// standard input and working directory when given. Stdout is never a terminal here, so JSON is
/// the default output.
#[derive(Default)]
struct Run<'a> {
    args: Vec<&'a str>,
    env: Vec<(&'a str, &'a str)>,
    stdin: Option<&'a str>,
    cwd: Option<&'a Path>,
    home: Option<&'a Path>,
}

impl<'a> Run<'a> {
    fn new(args: &[&'a str]) -> Self {
        Run {
            args: args.to_vec(),
            ..Run::default()
        }
    }

    fn env(mut self, env: &[(&'a str, &'a str)]) -> Self {
        self.env.extend_from_slice(env);
        self
    }

    fn stdin(mut self, text: &'a str) -> Self {
        self.stdin = Some(text);
        self
    }

    fn cwd(mut self, dir: &'a Path) -> Self {
        self.cwd = Some(dir);
        self
    }

    fn home(mut self, dir: &'a Path) -> Self {
        self.home = Some(dir);
        self
    }

    async fn output(self) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_snapctl"));
        command
            .args(&self.args)
            .env_clear()
            .env("HOME", self.home.unwrap_or(Path::new("/nonexistent")))
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // The working directory has no clouds.yaml unless the test puts one there.
        let empty = tempfile::tempdir().expect("a directory");
        command.current_dir(self.cwd.unwrap_or(empty.path()));
        for (key, value) in &self.env {
            command.env(key, value);
        }
        let stdin = self.stdin.map(str::to_owned);
        tokio::task::spawn_blocking(move || {
            let mut child = command.spawn().expect("snapctl runs");
            if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
                pipe.write_all(text.as_bytes()).expect("stdin written");
            }
            let output = child.wait_with_output().expect("snapctl ends");
            drop(empty);
            output
        })
        .await
        .expect("joined")
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the run succeeded and returns its stdout as JSON.
fn succeeded(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(output));
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("stdout is not JSON: {}\nstderr: {}", stdout(output), stderr(output)))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a directory");
    }
    std::fs::write(&path, text).expect("written");
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn evs_snapshots_are_created_and_updated_from_flags_with_ak_sk_from_huawei_variables() {
    let base = start().await;
    let created = Run::new(&[
        "evs",
        "create-standard-snapshot",
        "--endpoint",
        &base,
        "--volume-id",
        "2c194dde-7de5-4529-a141-49f48181f411",
        "--name",
        "test_name",
        "--tags",
        "team=storage",
        "--tags",
        "tier=gold",
        "--incremental=false",
        "--instant-access",
    ])
    .env(HUAWEI)
    .output()
    .await;
    let created = succeeded(&created);
    let id = created["snapshot_id"].as_str().expect("a snapshot id").to_owned();
    let snapshot = stored(&base, "evs", &id).await;
    assert_eq!(snapshot["project_id"], PROJECT);
    let document = &snapshot["snapshot"];
    assert_eq!(document["name"], "test_name", "{document}");
    assert_eq!(document["volume_id"], "2c194dde-7de5-4529-a141-49f48181f411");
    assert_eq!(
        document["metadata"],
        json!({"team": "storage", "tier": "gold"}),
        "repeated KEY=VALUE flags make the map (EVS keeps a snapshot's tags as its metadata)"
    );

    let renamed = Run::new(&[
        "evs",
        "update-snapshot",
        "--endpoint",
        &base,
        "--snapshot-id",
        &id,
        "--name",
        "renamed",
        "--description",
        "from snapctl",
    ])
    .env(HUAWEI)
    .output()
    .await;
    let shown = succeeded(&renamed);
    let snapshot = stored(&base, "evs", &id).await;
    assert_eq!(shown["name"], "renamed");
    assert_eq!(
        shown, snapshot["snapshot"],
        "the output is the stored snapshot, without its envelope"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dws_snapshots_are_created_with_project_flag_and_copied_from_a_body_on_stdin() {
    let base = start().await;
    // The project from --project, not the variable.
    let env = [("HUAWEICLOUD_SDK_AK", AK), ("HUAWEICLOUD_SDK_SK", SK)];
    let created = Run::new(&[
        "dws",
        "create-snapshot",
        "--endpoint",
        &base,
        "--project",
        PROJECT,
        "--cluster-id",
        "cluster-7",
        "--name",
        "nightly_01",
        "--description",
        "before the upgrade",
    ])
    .env(&env)
    .output()
    .await;
    let created = succeeded(&created);
    let id = created["id"].as_str().expect("the new snapshot's id").to_owned();
    let source = stored(&base, "dws", &id).await;
    assert_eq!(source["project_id"], PROJECT);
    assert_eq!(source["snapshot"]["id"], created["id"]);
    assert_eq!(source["snapshot"]["name"], "nightly_01");
    assert_eq!(source["snapshot"]["cluster_id"], "cluster-7");
    assert_eq!(source["snapshot"]["description"], "before the upgrade");

    let copied = Run::new(&[
        "dws",
        "copy-snapshot",
        "--endpoint",
        &base,
        "--project",
        PROJECT,
        "--snapshot-id",
        &id,
        "--body",
        "-",
        "--description",
        "the flag wins",
    ])
    .env(&env)
    .stdin(r#"{"backup_name": "nightly_01_copy", "description": "from stdin"}"#)
    .output()
    .await;
    let copied = succeeded(&copied);
    let copy_id = copied["snapshot_id"].as_str().expect("the copy's id").to_owned();
    assert_ne!(copy_id, id);
    let copy = stored(&base, "dws", &copy_id).await;
    assert_eq!(copy["snapshot"]["name"], "nightly_01_copy", "from --body on stdin");
    assert_eq!(
        copy["snapshot"]["description"], "the flag wins",
        "a flag overrides --body"
    );
    assert_eq!(copy["snapshot"]["cluster_id"], "cluster-7");

    // `-o value -c` prints the bare field, for `$(...)` in a script.
    let again = Run::new(&[
        "dws",
        "copy-snapshot",
        "--endpoint",
        &base,
        "--project",
        PROJECT,
        "--snapshot-id",
        &id,
        "--backup-name",
        "nightly_01_copy2",
        "-o",
        "value",
        "-c",
        "snapshot_id",
    ])
    .env(&env)
    .output()
    .await;
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let printed = stdout(&again);
    let second = printed.trim_end();
    assert_eq!(
        stored(&base, "dws", second).await["snapshot"]["name"],
        "nightly_01_copy2"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_block_storage_snapshot_takes_its_body_from_a_file_and_a_token_from_os_variables() {
    let base = start().await;
    let dir = tempfile::tempdir().expect("a directory");
    let body = write(
        dir.path(),
        "body.json",
        &json!({"snapshot": {"volume_id": "v-1", "name": "from-file", "metadata": {"a": "1"}}}).to_string(),
    );
    let body = body.to_string_lossy().into_owned();
    let output = Run::new(&[
        "block-storage",
        "create-snapshot",
        "--endpoint",
        &base,
        "--body",
        &body,
        "--name",
        "from-flag",
        "--metadata",
        "b=2",
    ])
    .env(OPENSTACK)
    .env(&[("OS_VOLUME_API_VERSION", "3.65")])
    .output()
    .await;
    let shown = succeeded(&output);
    assert_eq!(shown["name"], "from-flag", "a flag overrides --body");
    assert_eq!(
        shown["metadata"],
        json!({"a": "1", "b": "2"}),
        "a map flag adds to --body's map"
    );
    assert_eq!(shown["user_id"], "u-1", "3.65 shows user_id");
    let id = shown["id"].as_str().expect("an id");
    let snapshot = stored(&base, "block-storage", id).await;
    assert_eq!(snapshot["project_id"], PROJECT);
    assert_eq!(
        shown, snapshot["snapshot"],
        "at 3.65 the output is the whole stored snapshot"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn block_storage_reads_endpoint_project_token_and_microversion_from_clouds_yaml() {
    let base = start().await;
    let clouds = |name: &str, version: &str| {
        format!(
            "clouds:\n  {name}:\n    auth_type: token\n    auth:\n      token: {TOKEN}\n      project_id: {PROJECT}\n    block_storage_endpoint_override: {base}/v3/%(project_id)s\n    volume_api_version: '{version}'\n"
        )
    };
    // ~/.config/openstack/clouds.yaml, chosen by OS_CLOUD.
    let home = tempfile::tempdir().expect("a home");
    write(home.path(), ".config/openstack/clouds.yaml", &clouds("lab", "3.40"));
    let output = Run::new(&[
        "block-storage",
        "create-snapshot",
        "--volume-id",
        "v-2",
        "--name",
        "home",
    ])
    .env(&[("OS_CLOUD", "lab")])
    .home(home.path())
    .output()
    .await;
    let shown = succeeded(&output);
    let id = shown["id"].as_str().expect("an id");
    let snapshot = stored(&base, "block-storage", id).await;
    assert_eq!(snapshot["project_id"], PROJECT, "the project of clouds.yaml");
    assert!(
        shown.get("user_id").is_none(),
        "3.40 from clouds.yaml predates user_id: {shown}"
    );
    let mut expected = snapshot["snapshot"].clone();
    for later in ["user_id", "count"] {
        expected.as_object_mut().expect("an object").remove(later);
    }
    assert_eq!(shown, expected, "the stored snapshot as 3.40 shows it");

    // ./clouds.yaml, chosen by --os-cloud; it comes before the one in HOME.
    let cwd = tempfile::tempdir().expect("a directory");
    write(cwd.path(), "clouds.yaml", &clouds("here", "3.65"));
    let output = Run::new(&[
        "block-storage",
        "create-snapshot",
        "--os-cloud",
        "here",
        "--volume-id",
        "v-3",
        "--name",
        "cwd",
    ])
    .cwd(cwd.path())
    .home(home.path())
    .output()
    .await;
    let shown = succeeded(&output);
    assert_eq!(shown["user_id"], "u-1", "3.65 from ./clouds.yaml");
    let id = shown["id"].as_str().expect("an id");
    assert_eq!(shown, stored(&base, "block-storage", id).await["snapshot"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn block_storage_logs_in_to_keystone_with_a_password_cloud_os_variables_or_an_application_credential() {
    let base = start().await;
    let cwd = tempfile::tempdir().expect("a directory");
    // An ordinary password cloud: no token, no project id, no endpoint; the password in secure.yaml.
    write(
        cwd.path(),
        "clouds.yaml",
        &format!(
            "clouds:\n  mycloud:\n    auth:\n      auth_url: {base}/identity\n      username: {USER}\n      project_name: demo\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: RegionOne\n    interface: public\n    identity_api_version: 3\n"
        ),
    );
    write(
        cwd.path(),
        "secure.yaml",
        &format!("clouds:\n  mycloud:\n    auth:\n      password: {PASSWORD}\n"),
    );
    let create = ["block-storage", "create-snapshot", "--volume-id", "v-1", "--name", "n"];
    let mut args = vec!["--os-cloud", "mycloud"];
    args.extend(create);
    let output = Run::new(&args).cwd(cwd.path()).output().await;
    let shown = succeeded(&output);
    let id = shown["id"].as_str().expect("an id");
    let stored_one = stored(&base, "block-storage", id).await;
    assert_eq!(stored_one["project_id"], PROJECT, "the token's project");

    // The OS_* variables openstackclient reads, no clouds.yaml.
    let auth_url = format!("{base}/identity/v3");
    let password_vars = [
        ("OS_AUTH_URL", auth_url.as_str()),
        ("OS_USERNAME", USER),
        ("OS_PASSWORD", PASSWORD),
        ("OS_PROJECT_NAME", "demo"),
        ("OS_USER_DOMAIN_NAME", "Default"),
        ("OS_PROJECT_DOMAIN_NAME", "Default"),
        ("OS_REGION_NAME", "RegionOne"),
        ("OS_INTERFACE", "internal"),
    ];
    succeeded(&Run::new(&create).env(&password_vars).output().await);

    // An application credential, by flags.
    let output = Run::new(&[
        "block-storage",
        "--os-auth-type",
        "v3applicationcredential",
        "--os-auth-url",
        &auth_url,
        "--os-application-credential-id",
        APP_CREDENTIAL,
        "create-snapshot",
        "--volume-id",
        "v-1",
        "--name",
        "n",
    ])
    .env(&[("OS_APPLICATION_CREDENTIAL_SECRET", APP_SECRET)])
    .output()
    .await;
    succeeded(&output);
    let before = admin(&base, "snapshots").await["snapshots"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(before, 3);

    // A wrong password (a variable wins over secure.yaml) and an unknown user: exit 4, Keystone's
    // message, one attempt, nothing created, the password never printed.
    for env in [
        vec![("OS_PASSWORD", "not-the-password")],
        vec![("OS_USERNAME", "nobody")],
    ] {
        let output = Run::new(&args).env(&env).cwd(cwd.path()).output().await;
        assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
        let text = stderr(&output);
        assert!(text.contains("requires authentication"), "{text}");
        assert!(!text.contains("not-the-password") && !text.contains(PASSWORD), "{text}");
    }
    let after = admin(&base, "snapshots").await["snapshots"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(after, before, "a refused login creates nothing");

    // A cloud whose catalog lacks the interface asked for says what it has.
    let output = Run::new(&args)
        .env(&[("OS_INTERFACE", "nowhere")])
        .cwd(cwd.path())
        .output()
        .await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_evs_snapshot_is_created_with_a_token_from_an_iam_password_login() {
    let base = start().await;
    let iam = format!("{base}/identity");
    let output = Run::new(&[
        "evs",
        "--endpoint",
        &base,
        "--project",
        PROJECT,
        "--iam-user",
        USER,
        "--iam-domain",
        "Default",
        "create-standard-snapshot",
        "--volume-id",
        "5aa119a8-d25b-45a7-8d1b-88e127885635",
        "--name",
        "from-iam",
    ])
    .env(&[
        ("HUAWEICLOUD_IAM_PASSWORD", PASSWORD),
        ("HUAWEICLOUD_SDK_IAM_ENDPOINT", &iam),
    ])
    .output()
    .await;
    let shown = succeeded(&output);
    assert!(
        shown.to_string().contains("from-iam") || shown.get("snapshot_id").is_some(),
        "{shown}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn output_is_json_yaml_a_table_or_values_with_chosen_columns() {
    let base = start().await;
    let create = |extra: &'static [&'static str]| {
        let base = base.clone();
        async move {
            let mut args = vec![
                "block-storage",
                "create-snapshot",
                "--endpoint",
                &base,
                "--volume-id",
                "v-9",
                "--name",
                "shown",
                "--description",
                "a description long enough to wrap inside its cell when the table is narrow",
            ];
            args.extend_from_slice(extra);
            let output = Run::new(&args).env(OPENSTACK).output().await;
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            stdout(&output)
        }
    };
    let yaml = create(&["-o", "yaml"]).await;
    assert!(yaml.contains("name: shown\n"), "{yaml}");
    let table = create(&["-o", "table", "--max-width", "40"]).await;
    assert!(table.lines().all(|line| line.chars().count() <= 40), "{table}");
    assert!(table.contains("| Field") && table.contains("| name"), "{table}");
    assert!(table.lines().nth(2).is_some_and(|l| l.starts_with("+-")), "{table}");
    let values = create(&["-o", "value", "-c", "name", "-c", "volume_id"]).await;
    assert_eq!(values, "shown\nv-9\n");
    let json = create(&["-c", "name"]).await;
    assert_eq!(
        serde_json::from_str::<Value>(&json).expect("JSON"),
        json!({"name": "shown"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_the_request_with_secrets_redacted_and_sends_nothing() {
    let base = start().await;
    let evs = Run::new(&[
        "evs",
        "create-standard-snapshot",
        "--endpoint",
        &base,
        "--volume-id",
        "v-1",
        "--name",
        "dry",
        "--dry-run",
    ])
    .env(HUAWEI)
    .output()
    .await;
    assert_eq!(evs.status.code(), Some(0), "{}", stderr(&evs));
    let printed = stdout(&evs);
    assert!(
        printed.starts_with(&format!("POST {base}/v5/{PROJECT}/snapshots\n")),
        "{printed}"
    );
    assert!(
        printed.contains("authorization: SDK-HMAC-SHA256 Access=<redacted>"),
        "{printed}"
    );
    assert!(printed.contains("Signature=<redacted>"), "{printed}");
    assert!(
        printed.contains(r#"{"snapshot":{"volume_id":"v-1","name":"dry"}}"#),
        "{printed}"
    );
    let block = Run::new(&[
        "block-storage",
        "create-snapshot",
        "--endpoint",
        &base,
        "--volume-id",
        "v-1",
        "--name",
        "dry",
        "--os-volume-api-version",
        "3.65",
        "--dry-run",
    ])
    .env(OPENSTACK)
    .output()
    .await;
    let printed = stdout(&block);
    assert!(printed.contains("x-auth-token: <redacted>"), "{printed}");
    assert!(printed.contains("openstack-api-version: volume 3.65"), "{printed}");
    for output in [&evs, &block] {
        let everything = stdout(output) + &stderr(output);
        for secret in [SK, TOKEN] {
            assert!(!everything.contains(secret), "{secret} printed: {everything}");
        }
    }
    assert_eq!(
        admin(&base, "requests").await["requests"],
        json!([]),
        "nothing was sent"
    );
    assert_eq!(admin(&base, "snapshots").await["snapshots"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn debug_logs_the_exchange_on_stderr_without_secrets() {
    let base = start().await;
    let output = Run::new(&[
        "evs",
        "create-standard-snapshot",
        "--endpoint",
        &base,
        "--volume-id",
        "v-1",
        "--name",
        "traced",
        "--debug",
    ])
    .env(HUAWEI)
    .output()
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let log = stderr(&output);
    assert!(log.contains("apigen::wire") && log.contains("request:"), "{log}");
    assert!(log.contains("response:\n202"), "{log}");
    assert!(log.contains("Signature=<redacted>"), "{log}");
    assert!(
        !log.contains(SK) && !log.contains('\u{1b}'),
        "no secret, no colour codes: {log}"
    );
    succeeded(&output);
}

#[tokio::test(flavor = "multi_thread")]
async fn service_errors_and_unreachable_endpoints_have_their_own_exit_codes() {
    let base = start().await;
    let missing = Run::new(&[
        "dws",
        "copy-snapshot",
        "--endpoint",
        &base,
        "--snapshot-id",
        "no-such-snapshot",
        "--backup-name",
        "copy_of_nothing",
    ])
    .env(HUAWEI)
    .output()
    .await;
    let message = stderr(&missing);
    assert_eq!(missing.status.code(), Some(1), "{message}");
    assert!(message.starts_with("error: the service answered 404 DWS."), "{message}");
    assert!(message.contains("no-such-snapshot"), "{message}");
    let requests = admin(&base, "requests").await;
    let request_id = requests["requests"][0]["request_id"].as_str().expect("logged");
    assert!(
        message.contains(&format!("request id: {request_id}")),
        "the request id the stand-in answered with: {message}"
    );
    assert!(missing.stdout.is_empty(), "errors go to stderr");

    // A port nothing listens on: no answer, exit 3.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = closed.local_addr().expect("an address").port();
    drop(closed);
    let endpoint = format!("http://127.0.0.1:{port}");
    let unreachable = Run::new(&[
        "block-storage",
        "create-snapshot",
        "--endpoint",
        &endpoint,
        "--volume-id",
        "v",
        "--name",
        "n",
    ])
    .env(OPENSTACK)
    .output()
    .await;
    assert_eq!(unreachable.status.code(), Some(3), "{}", stderr(&unreachable));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_with_exit_2_and_nothing_is_sent() {
    let base = start().await;
    let dir = tempfile::tempdir().expect("a directory");
    let malformed = write(dir.path(), "malformed.json", "{\"snapshot\": {\"name\": }");
    let malformed = malformed.to_string_lossy().into_owned();
    let mistyped = write(
        dir.path(),
        "mistyped.json",
        r#"{"snapshot": {"volume_id": "v", "name": 5}}"#,
    );
    let mistyped = mistyped.to_string_lossy().into_owned();
    let long = "n".repeat(65);
    let dws = |rest: &[&'static str]| -> Vec<String> {
        let mut args = vec!["dws".to_owned(), "create-snapshot".to_owned()];
        args.extend(["--endpoint".to_owned(), base.clone()]);
        args.extend(rest.iter().map(|s| (*s).to_owned()));
        args
    };
    // Each case: the arguments, the environment, what stderr says.
    type Case<'a> = (Vec<String>, &'a [(&'a str, &'a str)], &'a str);
    let cases: Vec<Case> = vec![
        // A violated constraint, worded as the library words it.
        (
            dws(&["--cluster-id", "c", "--name", "ab"]),
            HUAWEI,
            "/snapshot/name: is 2 characters long; the minimum is 4",
        ),
        (
            dws(&["--cluster-id", "c", "--name", "9lives"]),
            HUAWEI,
            "/snapshot/name: does not match the pattern",
        ),
        (
            strings(&[
                "evs",
                "create-standard-snapshot",
                "--endpoint",
                &base,
                "--volume-id",
                "v",
                "--name",
                &long,
            ]),
            HUAWEI,
            "/snapshot/name: is 65 characters long; the maximum is 64",
        ),
        // A value outside the listed ones.
        (
            strings(&[
                "block-storage",
                "create-snapshot",
                "--endpoint",
                &base,
                "--volume-id",
                "v",
                "--name",
                "n",
                "--force=maybe",
            ]),
            OPENSTACK,
            "invalid value 'maybe' for '--force[=<FORCE>]'",
        ),
        (
            dws(&["--cluster-id", "c", "--name", "good_name", "-o", "xml"]),
            HUAWEI,
            "invalid value 'xml' for '--output <FORMAT>'",
        ),
        // Malformed and mistyped --body.
        (
            strings(&[
                "block-storage",
                "create-snapshot",
                "--endpoint",
                &base,
                "--body",
                &malformed,
            ]),
            OPENSTACK,
            "not JSON, at line 1 column 23: expected value",
        ),
        (
            strings(&[
                "block-storage",
                "create-snapshot",
                "--endpoint",
                &base,
                "--body",
                &mistyped,
            ]),
            OPENSTACK,
            "/snapshot/name: invalid type: integer `5`, expected a string",
        ),
        // Missing required flags: a parameter, and a body field with no --body to give it.
        (
            strings(&["dws", "copy-snapshot", "--endpoint", &base, "--backup-name", "copy"]),
            HUAWEI,
            "the following required arguments were not provided:\n  --snapshot-id <SNAPSHOT_ID>",
        ),
        (
            dws(&["--name", "good_name"]),
            HUAWEI,
            "the following required arguments were not provided:\n  --cluster-id <CLUSTER_ID>",
        ),
    ];
    for (args, env, message) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = Run::new(&args).env(env).output().await;
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {text}");
        assert!(text.contains(message), "{args:?}: expected {message:?} in\n{text}");
        assert!(output.stdout.is_empty(), "{args:?}: {}", stdout(&output));
    }
    // Credentials missing or half given: exit 4, before anything is sent; no project: exit 2.
    let no_project = [("HUAWEICLOUD_SDK_AK", AK), ("HUAWEICLOUD_SDK_SK", SK)];
    let evs_create = strings(&[
        "evs",
        "create-standard-snapshot",
        "--endpoint",
        &base,
        "--volume-id",
        "v",
    ]);
    let half: &[(&str, &str)] = &[("HUAWEICLOUD_SDK_AK", AK)];
    for (env, exit, message) in [
        (&[][..], 4, "no credentials"),
        (half, 4, "HUAWEICLOUD_SDK_SK"),
        (
            &no_project[..],
            2,
            "the path parameter `project_id` was not given and no project is configured: give --project-id, or --project, or HUAWEICLOUD_SDK_PROJECT_ID",
        ),
    ] {
        let args: Vec<&str> = evs_create.iter().map(String::as_str).collect();
        let output = Run::new(&args).env(env).output().await;
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(exit), "{env:?}: {text}");
        assert!(text.contains(message), "{env:?}: expected {message:?} in\n{text}");
    }
    let no_token = Run::new(&[
        "block-storage",
        "create-snapshot",
        "--endpoint",
        &base,
        "--volume-id",
        "v",
        "--name",
        "n",
    ])
    .env(&[("OS_PROJECT_ID", PROJECT)])
    .output()
    .await;
    assert_eq!(no_token.status.code(), Some(4), "{}", stderr(&no_token));
    assert!(stderr(&no_token).contains("no credentials"), "{}", stderr(&no_token));
    assert_eq!(
        admin(&base, "requests").await["requests"],
        json!([]),
        "nothing reached the stand-in"
    );
    assert_eq!(admin(&base, "snapshots").await["snapshots"], json!([]));
}

/// A wrong secret is only known to be wrong by the service: the request is sent, refused with
/// 401, and the command exits 4 without printing the secret; nothing is stored.
#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_credential_is_refused_by_the_service_with_exit_4_and_never_printed() {
    let base = start().await;
    let wrong_sk = [
        ("HUAWEICLOUD_SDK_AK", AK),
        ("HUAWEICLOUD_SDK_SK", "wrong-secret-key"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
    ];
    let output = Run::new(&[
        "evs",
        "create-standard-snapshot",
        "--endpoint",
        &base,
        "--volume-id",
        "v",
        "--debug",
    ])
    .env(&wrong_sk)
    .output()
    .await;
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{text}");
    assert!(
        text.contains("error: the service answered 401 APIGW.0301") && text.contains("request id: "),
        "{text}"
    );
    assert!(
        !text.contains("wrong-secret-key"),
        "the secret key is never printed: {text}"
    );

    let wrong_token = [("OS_AUTH_TOKEN", "not-the-token"), ("OS_PROJECT_ID", PROJECT)];
    let output = Run::new(&[
        "block-storage",
        "create-snapshot",
        "--endpoint",
        &base,
        "--volume-id",
        "v",
        "--name",
        "n",
        "--debug",
    ])
    .env(&wrong_token)
    .output()
    .await;
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{text}");
    assert!(text.contains("error: the service answered 401"), "{text}");
    assert!(!text.contains("not-the-token"), "the token is never printed: {text}");

    let requests = admin(&base, "requests").await;
    let statuses: Vec<&Value> = requests["requests"]
        .as_array()
        .expect("a log")
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(statuses, [&json!(401), &json!(401)], "each sent once, refused");
    assert_eq!(admin(&base, "snapshots").await["snapshots"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_and_the_manual_come_from_the_same_commands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = Run::new(&["completions", shell]).output().await;
        assert_eq!(output.status.code(), Some(0), "{shell}: {}", stderr(&output));
        let script = stdout(&output);
        for word in ["create-standard-snapshot", "copy-snapshot", "os-volume-api-version"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    let man = Run::new(&["man"]).output().await;
    let page = stdout(&man);
    assert!(page.starts_with(".ie") || page.contains(".TH snapctl"), "{page}");
    assert!(page.contains("Exit codes"), "the manual documents the exit codes");
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}
