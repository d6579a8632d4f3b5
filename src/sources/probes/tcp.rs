//! TCP probes: UP when a connection to `host:port` opens within the timeout.

use std::time::Duration;

use tokio::net::TcpStream;

use super::errors;

/// Connects once. The peer's address on success, the reason in words otherwise.
pub async fn connect(addr: &str, timeout: Duration) -> Result<Option<std::net::IpAddr>, String> {
    match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Err(_) => Err(errors::timeout(timeout)),
        Ok(Err(e)) => Err(errors::io_words(&e, addr)),
        Ok(Ok(stream)) => Ok(stream.peer_addr().ok().map(|a| a.ip())),
    }
}
