//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Tilgang: the shared e-library and vendor access hub.
#[derive(Debug, Parser)]
#[command(name = "tilgang", version, about)]
pub struct Cli {
    /// Configuration file (default: ./tilgang.toml when it exists).
    #[arg(long, global = true, env = "TILGANG_CONFIG")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the hub (all services by default).
    Serve(ServeArgs),
    /// Serve the hub with demo data loaded (same as `serve --demo`).
    Demo(ServeArgs),
    /// Bring every service's tables up to date, then exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Import libraries from a file.
    Import {
        /// The file's format.
        format: ImportFormat,
        /// The file.
        file: PathBuf,
    },
    /// Bearer tokens for bootstrapping and scripts.
    Token {
        /// What to do with tokens.
        #[command(subcommand)]
        command: TokenCommand,
    },
}

/// Options of `serve`.
#[derive(Debug, Args, Clone, Default)]
pub struct ServeArgs {
    /// Services to run: `all`, or a comma-separated list such as `registry`.
    #[arg(long, default_value = "all")]
    pub services: String,
    /// Address to listen on (overrides `server.bind`).
    #[arg(long)]
    pub bind: Option<String>,
    /// Load demo data into an empty register and print what to try.
    #[arg(long)]
    pub demo: bool,
}

/// Import formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    /// BaseBibliotek XML export.
    Basebibliotek,
    /// CSV with a header row.
    Csv,
}

/// Token commands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Mint a token and print it.
    Create(TokenArgs),
}

/// Roles a token can carry.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Consortium administrator.
    ConsortiumAdmin,
    /// Library administrator for `--isil` libraries.
    LibraryAdmin,
    /// A vendor (`--vendor`).
    Vendor,
    /// Another service.
    Service,
}

/// Options of `token create`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The role.
    #[arg(long)]
    pub role: RoleArg,
    /// The libraries of a library admin (repeat for several).
    #[arg(long)]
    pub isil: Vec<String>,
    /// The vendor id of a vendor token.
    #[arg(long)]
    pub vendor: Option<String>,
    /// The subject recorded in audit trails.
    #[arg(long, default_value = "bootstrap")]
    pub subject: String,
    /// Days the token is valid.
    #[arg(long, default_value_t = 30)]
    pub days: i64,
}
