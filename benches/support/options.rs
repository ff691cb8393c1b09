//! The options of `cargo bench --bench mock -- [OPTIONS]`, each bounded.

/// The longest `-d` accepted: an hour, long enough for a soak test, short of running forever.
pub const MAX_SECONDS: u64 = 3600;

pub struct Options {
    /// Virtual clients at once (`-c`, 64).
    pub clients: usize,
    /// Seconds measured (`-d`, 8, at most [`MAX_SECONDS`]).
    pub seconds: u64,
    /// Seconds of warm-up before measuring (`--warmup`, 2, at most 60).
    pub warmup: u64,
    /// `tutorial --yes` runs timed (`--runs`, 15, at most 1000).
    pub runs: usize,
    /// Also load the peer, npm `oauth2-mock-server`, the same way in the same run (`--peer`).
    pub peer: bool,
    /// With `--peer`: how many times each server is loaded, in turn (`--rounds`, 3, at most 20).
    pub rounds: usize,
}

/// Reads the options from the arguments after the program name; ignores what it does not
/// know (`cargo bench` passes `--bench`).
pub fn parse(args: &[String]) -> Options {
    let mut options = Options {
        clients: 64,
        seconds: 8,
        warmup: 2,
        runs: 15,
        peer: false,
        rounds: 3,
    };
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--peer" {
            options.peer = true;
            i += 1;
            continue;
        }
        let value = args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match (args[i].as_str(), value) {
            ("-c", Some(v)) => options.clients = v.clamp(1, 10_000) as usize,
            ("-d", Some(v)) => options.seconds = v.clamp(1, MAX_SECONDS),
            ("--warmup", Some(v)) => options.warmup = v.min(60),
            ("--runs", Some(v)) => options.runs = v.clamp(1, 1000) as usize,
            ("--rounds", Some(v)) => options.rounds = v.clamp(1, 20) as usize,
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    options
}
