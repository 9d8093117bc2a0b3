//! `tilgang`: the hub's one binary. See `tilgang --help`.

fn main() -> std::process::ExitCode {
    tilgang::main()
}
