//! `lrw clauses FILE [--format tree|json]`.

use clap::ValueEnum;

use super::{CmdResult, Failure};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// License text: a path, or spdx:ID.
    pub file: String,
    #[arg(long, value_enum, default_value_t = Format::Tree)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Tree,
    Json,
}

pub fn run(args: &Args) -> CmdResult {
    let _text = crate::text::load(&args.file)?;
    Err(Failure::input("clauses: not built yet"))
}
