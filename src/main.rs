// mimalloc rather than the system allocator: replaying a long journal makes
// a few allocations per record on several threads, and glibc's malloc spent
// about a quarter of that time in its own bookkeeping (see benches/replay.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(warroom::cli::main());
}
