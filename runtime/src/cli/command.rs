//! The clap command tree, built from the generated tables, and the one `main` every generated
//! binary runs.
//!
//! `<bin> <service> <operation> [flags]`: global options (`-o`, `-c`, `--max-width`,
//! `--dry-run`, `--debug`, `--endpoint`) go anywhere; the service's vendor options (`--region`,
//! `--os-cloud`, `--os-token`, `--os-volume-api-version`, ...) anywhere after the service. Built
//! with clap's builder rather than derived, because the tree is data: one generic function
//! serves every spec, and the generated crates hold only tables.

use std::io::{IsTerminal, Write as _};

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};

use super::answer::Shown;
use super::config::{Globals, Sources, scheme_variable, settings};
use super::input::{BODY_ARG, Input};
use super::login;
use super::output::{Format, View, render, resource};
use super::report::{EXIT_CODES_HELP, Exit, Failure};
use super::spec::{Arity, Flag, Operation, Service, Target, ValueKind, Vendor};
use super::wire::{DryRun, WireLog};
use crate::security::{SchemeKind, Security};

/// A whole command-line tool: its name and the services it serves.
#[derive(Debug)]
pub struct Cli {
    /// The binary's name.
    pub name: &'static str,
    /// Its one-line help.
    pub about: &'static str,
    /// Its version.
    pub version: &'static str,
    /// The services, one subcommand each.
    pub services: &'static [&'static Service],
    /// Whether the one service's operations are the tool's own commands (`petstore list-pets`)
    /// rather than under the service's name (`snapctl evs create-standard-snapshot`).
    pub flat: bool,
}

impl Cli {
    /// A tool of one service, its operations at the top level: what each generated CLI crate's
    /// own binary is. `service` is a one-element slice (`&[&petstore_cli::SERVICE]`), so that the
    /// whole tool can be a `static`.
    pub const fn single(name: &'static str, version: &'static str, service: &'static [&'static Service; 1]) -> Cli {
        Cli {
            name,
            about: service[0].about,
            version,
            services: service,
            flat: true,
        }
    }

    /// The service whose operations are the top-level commands, in a flat tool.
    fn flat_service(&self) -> Option<&'static Service> {
        match self.services {
            [only] if self.flat => Some(only),
            _ => None,
        }
    }
}

/// The heading of the options every command takes.
const GLOBAL_HEADING: &str = "Global options";

/// What `--help` says about credentials and configuration for a vendor's services.
fn credentials_help(vendor: Vendor) -> String {
    match vendor {
        Vendor::HuaweiCloud => "\
Huawei Cloud credentials, as the official SDKs read them:
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK  the access key pair every request is signed with
  HUAWEICLOUD_SDK_PROJECT_ID             the project (or --project; else the IAM token's)
  --token                                an IAM token, sent instead of signing
  --iam-user, HUAWEICLOUD_IAM_USER       an IAM user who logs in with HUAWEICLOUD_IAM_PASSWORD
  --iam-domain, HUAWEICLOUD_IAM_DOMAIN   its account name (the user's name when absent); the IAM
                                         endpoint is the region's, or HUAWEICLOUD_SDK_IAM_ENDPOINT"
            .to_owned(),
        Vendor::OpenStack { service_type } => format!(
            "\
OpenStack configuration, as openstackclient reads it:
  --os-cloud, OS_CLOUD                 a cloud of clouds.yaml (./clouds.yaml, ~/.config/openstack/,
                                       /etc/openstack/, or OS_CLIENT_CONFIG_FILE; secrets may be in
                                       secure.yaml beside it): auth_type, auth (auth_url, username,
                                       password, project_name, domains, application credentials,
                                       token, project_id), region_name, interface,
                                       {service_type}_endpoint_override, {service_type}_api_version
  --os-auth-url, --os-username, --os-password, --os-project-name, ... and OS_AUTH_URL,
  OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, ...: log in to Keystone, as openstackclient does;
                                       the endpoint comes from the service catalog
  --os-token, OS_AUTH_TOKEN, OS_TOKEN  a Keystone token, sent as it is (or re-scoped with
                                       --os-auth-type token and an auth URL)
  --os-project-id, OS_PROJECT_ID       the project (else the token's)
  --os-{flag}-api-version, OS_{var}_API_VERSION  the microversion
A flag wins over a variable, and a variable over clouds.yaml.",
            flag = service_type.replace('_', "-"),
            var = service_type.to_ascii_uppercase().replace('-', "_"),
        ),
        Vendor::Generic => "\
Credentials:
  --auth SCHEME=VALUE  a credential for a security scheme of the document (each command's help
                       lists the schemes it takes, and the variable that gives each)
  --token              a token, sent in the header of an API-key scheme (X-Auth-Token when the
                       document declares none)"
            .to_owned(),
    }
}

/// The root's closing text: the exit codes, then each vendor's credentials once.
fn root_after_help(cli: &Cli) -> String {
    let mut text = EXIT_CODES_HELP.to_owned();
    let mut shown = Vec::new();
    for service in cli.services {
        let help = credentials_help(service.vendor);
        if !shown.contains(&help) {
            text.push_str("\n\n");
            text.push_str(&help);
            shown.push(help);
        }
    }
    text
}

/// The whole command tree of `cli`.
pub fn command(cli: &Cli) -> Command {
    let mut root = Command::new(cli.name)
        .about(cli.about)
        .version(cli.version)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(root_after_help(cli))
        .arg(
            Arg::new("output")
                .short('o')
                .long("output")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .display_order(1000)
                .value_parser(clap::value_parser!(Format))
                .hide_possible_values(true)
                .value_name("FORMAT")
                .help("json, yaml, table or value [default: table on a terminal, json otherwise]"),
        )
        .arg(
            Arg::new("column")
                .short('c')
                .long("column")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .display_order(1001)
                .action(ArgAction::Append)
                .value_name("FIELD")
                .help("Show only this field (repeat for more)"),
        )
        .arg(
            Arg::new("max-width")
                .long("max-width")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .display_order(1002)
                .value_parser(clap::value_parser!(u16).range(20..))
                .value_name("COLUMNS")
                .help("The widest a table may be [default: the terminal's width, or 80]"),
        )
        .arg(
            Arg::new("endpoint")
                .long("endpoint")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .display_order(1003)
                .value_name("URL")
                .help("Send to this URL instead of the documented server (a local stand-in, say)"),
        )
        .arg(
            Arg::new("auth")
                .long("auth")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .display_order(1006)
                .action(ArgAction::Append)
                .value_name("SCHEME=VALUE")
                .help("A credential for a security scheme of the document (repeatable): the token or key, USER:PASSWORD for basic; each command's help lists the schemes it takes"),
        )
        .arg(
            Arg::new("dry-run")
                .long("dry-run")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .display_order(1004)
                .action(ArgAction::SetTrue)
                .help("Print the request that would be sent, secrets redacted, and send nothing"),
        )
        .arg(
            Arg::new("debug")
                .long("debug")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .display_order(1005)
                .action(ArgAction::SetTrue)
                .help("Log the exchange on the wire to stderr, secrets redacted"),
        )
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script")
                .display_order(900)
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
        .subcommand(
            Command::new("man")
                .about("Print the manual page (roff)")
                .display_order(901),
        );
    if let Some(service) = cli.flat_service() {
        return service_parts(root, service);
    }
    for service in cli.services {
        let command = Command::new(service.name)
            .about(service.about)
            .subcommand_required(true)
            .arg_required_else_help(true);
        root = root.subcommand(service_parts(command, service));
    }
    root
}

/// `command` with what a service gives it: its help, vendor options and one subcommand per
/// operation.
fn service_parts(mut command: Command, service: &Service) -> Command {
    command = command
        .after_help(format!("{}\n\n{EXIT_CODES_HELP}", credentials_help(service.vendor)))
        .help_template(grouped_help(service));
    if let Some(long) = service.long_about {
        command = command.long_about(long);
    }
    let heading = match service.vendor {
        Vendor::HuaweiCloud => "Huawei Cloud options",
        Vendor::OpenStack { .. } => "OpenStack options",
        Vendor::Generic => "Service options",
    };
    // The service's options are listed before the global ones, wherever they are shown.
    for (order, arg) in (500..).zip(vendor_args(service.vendor)) {
        command = command.arg(arg.global(true).help_heading(heading).display_order(order));
    }
    for operation in service.operations {
        command = command.subcommand(operation_command(service, operation));
    }
    command
}

/// The service's help with its commands listed under their tags, as the document groups them.
fn grouped_help(service: &Service) -> String {
    let mut groups: Vec<(Option<&str>, Vec<&Operation>)> = Vec::new();
    for operation in service.operations {
        match groups.iter_mut().find(|(group, _)| *group == operation.group) {
            Some((_, members)) => members.push(operation),
            None => groups.push((operation.group, vec![operation])),
        }
    }
    let width = service.operations.iter().map(|op| op.command.len()).max().unwrap_or(0);
    let mut text = String::from("{before-help}{about-with-newline}\n{usage-heading} {usage}\n");
    for (group, members) in groups {
        text.push_str(&format!("\n{}:\n", group.unwrap_or("Commands")));
        for op in members {
            text.push_str(&format!("  {:width$}  {}\n", op.command, op.about.unwrap_or("")));
        }
    }
    text.push_str("\nOptions:\n{options}{after-help}");
    text
}

fn vendor_args(vendor: Vendor) -> Vec<Arg> {
    match vendor {
        Vendor::HuaweiCloud => vec![
            Arg::new("region")
                .long("region")
                .value_name("REGION")
                .help("The region, filling the documented server URL (cn-north-4, ap-southeast-1, ...)"),
            Arg::new("token")
                .long("token")
                .value_name("TOKEN")
                .help("An IAM token, sent in X-Auth-Token instead of signing with AK/SK"),
            Arg::new("project")
                .long("project")
                .value_name("PROJECT_ID")
                .help("The project [env: HUAWEICLOUD_SDK_PROJECT_ID]"),
        ]
        .into_iter()
        .chain(login::HUAWEI_KEYS.iter().map(|(key, variable, help)| {
            Arg::new(*key)
                .long(*key)
                .value_name("NAME")
                .help(format!("{help} [env: {variable}]"))
        }))
        .collect(),
        Vendor::OpenStack { service_type } => {
            let name = format!("os-{}-api-version", service_type.replace('_', "-"));
            let env = format!("OS_{}_API_VERSION", service_type.to_ascii_uppercase().replace('-', "_"));
            vec![
                Arg::new("os-cloud")
                    .long("os-cloud")
                    .value_name("NAME")
                    .help("The cloud of clouds.yaml to use [env: OS_CLOUD]"),
                Arg::new("token")
                    .long("os-token")
                    .value_name("TOKEN")
                    .help("A Keystone token [env: OS_AUTH_TOKEN, OS_TOKEN]"),
                Arg::new("project")
                    .long("os-project-id")
                    .value_name("PROJECT_ID")
                    .help("The project [env: OS_PROJECT_ID]"),
                Arg::new("microversion")
                    .long(name)
                    .value_name("VERSION")
                    .help(format!("The microversion to ask for (3.65) [env: {env}]")),
            ]
            .into_iter()
            .chain(login::OPENSTACK_KEYS.iter().map(|(key, _, help)| {
                let flag = login::openstack_flag(key);
                Arg::new(flag.clone())
                    .long(flag)
                    .value_name(key.to_ascii_uppercase())
                    .help(format!("{help} [env: OS_{}]", key.to_ascii_uppercase()))
            }))
            .collect()
        }
        Vendor::Generic => vec![
            Arg::new("token")
                .long("token")
                .value_name("TOKEN")
                .help("A token, sent in X-Auth-Token"),
        ],
    }
}

/// What `--help` of a command says about the credentials it takes: each alternative of its
/// requirement, each scheme with the flag and the variable that give it.
fn auth_help(service: &Service, operation: &Operation) -> Option<String> {
    let Security::Required(alternatives) = operation.security else {
        return None;
    };
    if alternatives.iter().all(|all| all.is_empty()) {
        return Some("Authentication: none needed.".to_owned());
    }
    let mut text = String::from("Authentication");
    text.push_str(if alternatives.len() > 1 { ", one of:\n" } else { ":\n" });
    for all in alternatives {
        if all.is_empty() {
            text.push_str("  (none)\n");
            continue;
        }
        let parts: Vec<String> = all
            .iter()
            .map(|name| {
                let value = match service.schemes.iter().find(|s| s.name == *name).map(|s| s.kind) {
                    Some(SchemeKind::Basic) => "USER:PASSWORD",
                    Some(SchemeKind::Signature) => "ACCESS_KEY:SECRET_KEY",
                    Some(SchemeKind::MutualTls) => "CERT_FILE:KEY_FILE",
                    Some(SchemeKind::ApiKey { .. }) => "KEY",
                    _ => "TOKEN",
                };
                let what = service
                    .schemes
                    .iter()
                    .find(|s| s.name == *name)
                    .map_or("an undeclared scheme", |s| s.describe());
                format!(
                    "--auth {name}={value} [env: {}] ({what})",
                    scheme_variable(service.name, name)
                )
            })
            .collect();
        text.push_str(&format!("  {}\n", parts.join("\n  and ")));
    }
    Some(text.trim_end().to_owned())
}

fn operation_command(service: &Service, operation: &Operation) -> Command {
    let mut command = Command::new(operation.command);
    if let Some(about) = operation.about {
        command = command.about(about);
    }
    let mut long = String::new();
    if let Some(about) = operation.about {
        long.push_str(about);
        long.push_str("\n\n");
    }
    if let Some(description) = operation.long_about {
        long.push_str(description);
        long.push_str("\n\n");
    }
    long.push_str(&format!("{} {}", operation.method, operation.path));
    command = command.long_about(long);
    if let Some(help) = auth_help(service, operation) {
        command = command.after_help(help);
    }
    let has_body = operation.body.is_some();
    for flag in operation.flags {
        command = command.arg(flag_arg(flag, has_body));
    }
    if has_body {
        command = command.arg(
            Arg::new(BODY_ARG)
                .long("body")
                .value_name("FILE")
                .help("The whole JSON body from FILE (- for standard input); flags override its fields"),
        );
    }
    command
}

fn flag_arg(flag: &Flag, has_body: bool) -> Arg {
    let required_unless_body = flag.required && has_body && matches!(flag.target, Target::Field(_));
    let help = match (required_unless_body, flag.required) {
        (true, _) => format!("{} [required unless --body gives it]", flag.help),
        (false, true) => format!("{} [required]", flag.help),
        (false, false) => flag.help.to_owned(),
    };
    let mut arg = Arg::new(flag.long)
        .long(flag.long)
        .help(help.trim_start().to_owned())
        .value_name(flag.long.to_ascii_uppercase().replace(['-', '.'], "_"));
    arg = match flag.arity {
        Arity::One => arg.action(ArgAction::Set),
        Arity::Repeated => arg.action(ArgAction::Append),
        Arity::KeyValue => arg.action(ArgAction::Append).value_name("KEY=VALUE"),
    };
    arg = match flag.value {
        ValueKind::Enum(values) => arg.value_parser(PossibleValuesParser::new(values.iter().copied())),
        ValueKind::Boolean if flag.arity == Arity::One => arg
            .num_args(0..=1)
            .require_equals(true)
            .default_missing_value("true")
            .value_parser(PossibleValuesParser::new(["true", "false"])),
        ValueKind::Boolean => arg.value_parser(PossibleValuesParser::new(["true", "false"])),
        ValueKind::Integer if flag.arity != Arity::KeyValue => arg.value_name("INTEGER"),
        ValueKind::Number if flag.arity != Arity::KeyValue => arg.value_name("NUMBER"),
        ValueKind::Json => arg.value_name("JSON"),
        _ => arg,
    };
    if required_unless_body {
        arg = arg.required_unless_present(BODY_ARG);
    } else if flag.required {
        arg = arg.required(true);
    }
    arg
}

/// openstackclient's users put its options before the command (`openstack --os-cloud lab volume
/// ...`); here they are the service's, so a service's options given before its name are moved
/// after it (`snapctl --os-cloud lab block-storage ...`).
fn vendor_options_after_service(cli: &Cli, args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if cli.flat_service().is_some() {
        return args;
    }
    let found = args.iter().enumerate().skip(1).find_map(|(index, arg)| {
        let text = arg.to_str()?;
        cli.services
            .iter()
            .find(|s| s.name == text)
            .map(|service| (index, *service))
    });
    let Some((position, service)) = found else {
        return args;
    };
    let options: Vec<(String, bool)> = vendor_args(service.vendor)
        .iter()
        .filter_map(|arg| {
            let takes_value = arg.get_action().takes_values();
            arg.get_long().map(|long| (long.to_owned(), takes_value))
        })
        .collect();
    let mut before = Vec::new();
    let mut moved = Vec::new();
    let mut rest = args.into_iter();
    let mut index = 0;
    while index < position {
        let Some(arg) = rest.next() else { break };
        let option = arg.to_str().and_then(|text| text.strip_prefix("--")).and_then(|name| {
            let (name, inline) = name.split_once('=').map_or((name, false), |(n, _)| (n, true));
            options
                .iter()
                .find(|(long, _)| long == name)
                .map(|(_, takes)| *takes && !inline)
        });
        index += 1;
        match option {
            Some(takes_value) => {
                moved.push(arg);
                if takes_value && index < position {
                    moved.extend(rest.next());
                    index += 1;
                }
            }
            None => before.push(arg),
        }
    }
    before.extend(rest.next());
    before.extend(moved);
    before.extend(rest);
    before
}

/// Runs `cli` with the process's arguments and environment; returns the exit code.
pub fn main(cli: &Cli) -> std::process::ExitCode {
    let exit = run(cli, std::env::args_os().collect());
    std::process::ExitCode::from(exit.code())
}

/// Runs `cli` with `args` (the binary's name first).
pub fn run(cli: &Cli, args: Vec<std::ffi::OsString>) -> Exit {
    let args = vendor_options_after_service(cli, args);
    let matches = match command(cli).try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { Exit::Input } else { Exit::Success };
        }
    };
    match matches.subcommand() {
        Some(("completions", sub)) => {
            if let Some(shell) = sub.get_one::<clap_complete::Shell>("shell") {
                clap_complete::generate(*shell, &mut command(cli), cli.name, &mut std::io::stdout());
            }
            Exit::Success
        }
        Some(("man", _)) => match clap_mangen::Man::new(command(cli)).render(&mut std::io::stdout()) {
            Ok(()) => Exit::Success,
            Err(error) => report(&Failure::new(
                Exit::Transport,
                format!("cannot write the manual: {error}"),
            )),
        },
        Some((name, matches)) => {
            // A flat tool's subcommand is the operation; otherwise the service, then the operation.
            let found = match cli.flat_service() {
                Some(service) => Some((service, name, matches)),
                None => cli
                    .services
                    .iter()
                    .find(|s| s.name == name)
                    .and_then(|service| matches.subcommand().map(|(command, m)| (*service, command, m))),
            };
            let Some((service, command, op_matches)) = found else {
                return Exit::Input;
            };
            let Some(operation) = service.operations.iter().find(|op| op.command == command) else {
                return Exit::Input;
            };
            match call(service, operation, op_matches) {
                Ok(()) => Exit::Success,
                Err(failure) => report(&failure),
            }
        }
        None => Exit::Input,
    }
}

fn report(failure: &Failure) -> Exit {
    let mut stderr = std::io::stderr().lock();
    for line in &failure.lines {
        let _ = writeln!(stderr, "{line}");
    }
    failure.exit
}

fn globals(matches: &ArgMatches) -> Globals {
    let text = |id: &str| matches.try_get_one::<String>(id).ok().flatten().cloned();
    Globals {
        endpoint: text("endpoint"),
        region: text("region"),
        token: text("token"),
        project_id: text("project"),
        cloud: text("os-cloud"),
        microversion: text("microversion"),
        auth: matches
            .get_many::<String>("auth")
            .map(|values| values.cloned().collect())
            .unwrap_or_default(),
        login: login::OPENSTACK_KEYS
            .iter()
            .filter_map(|(key, _, _)| text(&login::openstack_flag(key)).map(|value| ((*key).to_owned(), value)))
            .chain(
                login::HUAWEI_KEYS
                    .iter()
                    .filter_map(|(flag, _, _)| text(flag).map(|value| ((*flag).to_owned(), value))),
            )
            .collect(),
    }
}

fn view(matches: &ArgMatches) -> View {
    let terminal = std::io::stdout().is_terminal();
    let format =
        matches
            .get_one::<Format>("output")
            .copied()
            .unwrap_or(if terminal { Format::Table } else { Format::Json });
    let columns = matches
        .get_many::<String>("column")
        .map(|values| values.cloned().collect())
        .unwrap_or_default();
    let max_width = matches.get_one::<u16>("max-width").copied().unwrap_or_else(|| {
        terminal_size::terminal_size()
            .map(|(width, _)| width.0)
            .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
            .unwrap_or(80)
    });
    View {
        format,
        columns,
        max_width,
    }
}

fn call(service: &Service, operation: &Operation, matches: &ArgMatches) -> Result<(), Failure> {
    let input = Input::read(operation, matches, &mut std::io::stdin().lock()).map_err(refused)?;
    let debug = matches.get_flag("debug");
    if debug {
        let _ = tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .with_env_filter(tracing_subscriber::EnvFilter::new("apigen=debug,apigen_runtime=debug"))
            .try_init();
    }
    let var = |name: &str| std::env::var(name).ok();
    let sources = Sources {
        var: &var,
        clouds_files: Sources::clouds_files(&var),
        secure_files: Sources::secure_files(&var),
    };
    let mut settings = settings(service, &globals(matches), &sources)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::new(Exit::Transport, format!("cannot start: {error}")))?;
    // A login reads nothing of the input: an input the project check would refuse is refused
    // after it, which costs one token and sends nothing to the service.
    runtime.block_on(settings.log_in(service))?;
    check_project(service, operation, &input, settings.project_id.as_deref())?;
    let mut config = settings.config()?;
    if debug {
        config = config.wire_middleware(WireLog);
    }
    let dry_run = matches.get_flag("dry-run").then(DryRun::default);
    if let Some(dry_run) = &dry_run {
        config = config.wire_middleware(dry_run.clone());
    }
    let answer = runtime.block_on((service.call)(operation, &input, config));
    if let Some(text) = dry_run.as_ref().and_then(DryRun::captured) {
        print!("{text}");
        return Ok(());
    }
    let answer = answer?;
    let mut stdout = std::io::stdout().lock();
    // A write that fails (a closed pipe, `| head`) ends the command quietly, as `cat` does.
    let _ = match answer.body {
        Shown::Json(body) => {
            let shown = resource(body, operation.output_envelope);
            stdout.write_all(render(&shown, &view(matches)).as_bytes())
        }
        Shown::Text(text) => {
            let newline = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.write_all(newline.as_bytes()))
        }
        Shown::Bytes(bytes) => stdout.write_all(&bytes),
        Shown::Empty => Ok(()),
    };
    Ok(())
}

/// The failure of input refused by the generated code (a parameter, a body).
/// Each violation of a body's constraints goes on a line of its own, as the library words it
/// (`/snapshot/name: is 2 characters long; the minimum is 4`).
pub fn refused(error: super::InputError) -> Failure {
    let lines = match &error {
        super::InputError::Invalid(validation) => std::iter::once("invalid input, nothing was sent:".to_owned())
            .chain(validation.violations.iter().map(|v| format!("  {v}")))
            .collect(),
        other => vec![format!("invalid input, nothing was sent: {other}")],
    };
    Failure {
        exit: Exit::Input,
        lines,
    }
}

/// The failure of a configuration the client refuses (an endpoint that is not a URL).
pub fn config_failure(error: crate::client::ConfigError) -> Failure {
    Failure::new(Exit::Input, format!("invalid configuration, nothing was sent: {error}"))
}

/// The path parameter a vendor's configuration fills with the project.
const PROJECT_PARAMETER: &str = "project_id";

/// A path that needs the project, when neither its flag nor the configuration gives one: the
/// refusal names every way to give it, the vendor's flag and variable included.
fn check_project(
    service: &Service,
    operation: &Operation,
    input: &Input,
    configured: Option<&str>,
) -> Result<(), Failure> {
    let needs = operation.path.contains(&format!("{{{PROJECT_PARAMETER}}}"));
    let given = input.parameter::<String>(PROJECT_PARAMETER).ok().flatten().is_some();
    if !needs || given || configured.is_some() {
        return Ok(());
    }
    let mut ways: Vec<String> = operation
        .flags
        .iter()
        .filter(|f| matches!(f.target, Target::Parameter(PROJECT_PARAMETER)))
        .map(|f| format!("--{}", f.long))
        .collect();
    match service.vendor {
        Vendor::HuaweiCloud => ways.extend(["--project".to_owned(), "HUAWEICLOUD_SDK_PROJECT_ID".to_owned()]),
        Vendor::OpenStack { .. } => ways.extend([
            "--os-project-id".to_owned(),
            "OS_PROJECT_ID".to_owned(),
            "auth.project_id of clouds.yaml".to_owned(),
        ]),
        Vendor::Generic => {}
    }
    Err(Failure::new(
        Exit::Input,
        format!(
            "invalid input, nothing was sent: the path parameter `{PROJECT_PARAMETER}` was not given and no project is configured: give {}",
            ways.join(", or ")
        ),
    ))
}

/// The failure of a parameter the call needs that was not given (nor configured).
pub fn missing(wire_name: &str) -> Failure {
    Failure::new(
        Exit::Input,
        format!("invalid input, nothing was sent: the parameter `{wire_name}` is required"),
    )
}

/// The failure of a table naming an operation the dispatch does not know: a generator bug.
pub fn unknown_operation(name: &str) -> Failure {
    Failure::new(
        Exit::Input,
        format!("the operation `{name}` is not in this tool's dispatch"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::spec::{Arity, BodySpec, Flag, Operation, Service, Target, ValueKind, Vendor};

    const RETENTION: Flag = Flag {
        long: "retention",
        help: "How long to keep it.",
        target: Target::Field(&["snapshot", "retention"]),
        value: ValueKind::Enum(&["daily", "weekly"]),
        arity: Arity::One,
        required: true,
    };

    static CREATE: Operation = Operation {
        name: "create_backup",
        command: "create-backup",
        group: Some("backups"),
        about: Some("Create a backup"),
        long_about: None,
        method: "POST",
        path: "/backups",
        flags: &[RETENTION],
        body: Some(BodySpec {
            required: true,
            json: true,
        }),
        output_envelope: None,
        security: Security::Unstated,
    };

    fn never_called<'a>(
        operation: &'a Operation,
        _: &'a crate::cli::Input,
        _: crate::client::Config,
    ) -> crate::client::middleware::BoxFuture<'a, Result<crate::cli::Answer, Failure>> {
        Box::pin(async move { Err(crate::cli::unknown_operation(operation.name)) })
    }

    static SERVICE: Service = Service {
        name: "backup",
        about: "Backups",
        long_about: None,
        vendor: Vendor::Generic,
        server: None,
        operations: &[&CREATE],
        schemes: &[],
        call: never_called,
    };

    static CLI: Cli = Cli {
        name: "tool",
        about: "A tool",
        version: "0.0.0",
        services: &[&SERVICE],
        flat: false,
    };

    #[test]
    fn an_enum_flag_refuses_a_value_outside_its_list_and_names_the_list() {
        let refused = command(&CLI)
            .try_get_matches_from(["tool", "backup", "create-backup", "--retention", "hourly"])
            .expect_err("refused");
        assert_eq!(refused.kind(), clap::error::ErrorKind::InvalidValue);
        let text = refused.to_string();
        assert!(
            text.contains("invalid value 'hourly' for '--retention <RETENTION>'")
                && text.contains("[possible values: daily, weekly]"),
            "{text}"
        );
        let accepted = command(&CLI).try_get_matches_from(["tool", "backup", "create-backup", "--retention", "weekly"]);
        assert!(accepted.is_ok(), "{accepted:?}");
    }

    #[test]
    fn a_services_options_before_its_name_are_moved_after_it() {
        let args = |list: &[&str]| list.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        let moved = vendor_options_after_service(
            &CLI,
            args(&[
                "tool",
                "--token",
                "t",
                "-o",
                "json",
                "--token=u",
                "backup",
                "create-backup",
            ]),
        );
        assert_eq!(
            moved,
            args(&[
                "tool",
                "-o",
                "json",
                "backup",
                "--token",
                "t",
                "--token=u",
                "create-backup"
            ])
        );
        let matches = command(&CLI).try_get_matches_from(vendor_options_after_service(
            &CLI,
            args(&[
                "tool",
                "--token",
                "t",
                "backup",
                "create-backup",
                "--retention",
                "daily",
            ]),
        ));
        assert!(matches.is_ok(), "{matches:?}");
    }

    #[test]
    fn an_enum_flag_completes_its_values_and_its_help_lists_them() {
        let mut script = Vec::new();
        clap_complete::generate(clap_complete::Shell::Bash, &mut command(&CLI), "tool", &mut script);
        let script = String::from_utf8(script).expect("utf-8");
        assert!(script.contains("daily weekly"), "bash completes the values");
        let help = command(&CLI)
            .find_subcommand_mut("backup")
            .and_then(|s| s.find_subcommand_mut("create-backup"))
            .map(|c| c.render_help().to_string())
            .expect("the subcommand");
        assert!(help.contains("[possible values: daily, weekly]"), "{help}");
        assert!(help.contains("[required unless --body gives it]"), "{help}");
    }
}
