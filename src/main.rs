fn main() {
    let code = calque::cli::run(std::env::args_os().collect());
    std::process::exit(code);
}
