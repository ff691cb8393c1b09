//! The benchmark's options: `-d` is bounded yet long enough for a soak test, and the README's
//! soak figure comes with the command that reproduces it.

#[path = "../benches/support/options.rs"]
mod options;

fn parse(command_line: &str) -> options::Options {
    let args: Vec<String> = command_line.split_whitespace().map(str::to_owned).collect();
    options::parse(&args)
}

#[test]
fn the_measured_duration_goes_up_to_an_hour_and_no_further() {
    assert_eq!(parse("--bench").seconds, 8);
    assert_eq!(parse("--bench -d 720").seconds, 720);
    assert_eq!(parse("-d 3600").seconds, 3600);
    assert_eq!(parse("-d 99999").seconds, options::MAX_SECONDS);
    assert_eq!(parse("-d 0").seconds, 1);
    assert_eq!(parse("-c 0 -d x").clients, 1);
}

#[test]
fn the_readme_soak_figure_names_a_command_that_runs_that_long() {
    let readme = include_str!("../README.md");
    let command = readme
        .lines()
        .find_map(|line| line.strip_prefix("cargo bench --bench mock -- "))
        .expect("the README shows the soak command");
    let arguments = command.split('#').next().unwrap_or_default();
    let prose = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(prose.contains("through twelve minutes at full load"));
    assert_eq!(parse(arguments).seconds, 12 * 60, "{command}");
    assert_eq!(parse(arguments).clients, 64, "{command}");
}
