//! `cargo xtask <command>`: the project's automation.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        _ => {
            eprintln!("usage: cargo xtask <bench|cross|ci> [options]");
            std::process::exit(2);
        }
    }
}
