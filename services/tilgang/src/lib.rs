//! The Tilgang binary: a command line that runs any set of the hub's services in one process
//! (`tilgang serve --services all`), migrates their databases, prints the OpenAPI document,
//! imports libraries, mints bootstrap tokens, and loads a demo.

mod cli;
mod commands;
pub mod config;
mod demo_vendor;
mod services;

use std::process::ExitCode;

use clap::Parser;

/// Runs the command line and turns failures into a message and exit code 1.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    tilgang_web::tls::install_crypto_provider();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tilgang: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tilgang: {}", tilgang_web::error::cause_chain(e.as_ref()));
            ExitCode::FAILURE
        }
    }
}

/// The hub's whole OpenAPI document, as `tilgang openapi` prints it.
pub fn openapi_json() -> String {
    let document = tilgang_web::hub::openapi(services::KNOWN.iter().map(|s| (s.openapi)()));
    let mut text = document
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    text.push('\n');
    text
}
