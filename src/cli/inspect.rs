//! `lrw inspect FILE [--format text|json]`.

use super::{CmdResult, Failure, TextOrJson};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// License text: a path, or spdx:ID.
    pub file: String,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

pub fn run(args: &Args) -> CmdResult {
    let _text = crate::text::load(&args.file)?;
    Err(Failure::input("inspect: not built yet"))
}
