fn main() {
    std::process::exit(warroom::cli::main());
}
