//! The `danvan` command; everything lives in the library so that tests run the same code.

fn main() -> std::process::ExitCode {
    danvan_server::cli::main()
}
