//! Where a written receipt goes: a file (or a printer's device file, `/dev/usb/lp0`, a serial
//! port), a network printer's raw port (9100), or the system's print spooler.

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// How long a network printer may take to answer or to take the bytes.
const PRINTER_TIMEOUT: Duration = Duration::from_secs(5);

/// Writes `bytes` to the file or device `path` (a file is replaced).
pub fn to_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| {
        format!(
            "could not write the receipt to {}: {e}. Check the path (and, for a printer's \
             device, that it is plugged in and that you may write to it)",
            path.display()
        )
    })
}

/// Sends `bytes` to a network printer's raw port (`HOST:PORT`, usually 9100).
pub fn to_tcp(address: &str, bytes: &[u8]) -> Result<(), String> {
    let failed = |e: std::io::Error| {
        format!(
            "could not print on {address}: {e}. Check that the printer is on, on the network, \
             and that its raw port (usually 9100) is the one given"
        )
    };
    let target = address
        .to_socket_addrs()
        .map_err(failed)?
        .next()
        .ok_or_else(|| format!("{address} is not a printer's address: give HOST:PORT"))?;
    let mut stream = TcpStream::connect_timeout(&target, PRINTER_TIMEOUT).map_err(failed)?;
    stream
        .set_write_timeout(Some(PRINTER_TIMEOUT))
        .map_err(failed)?;
    stream.write_all(bytes).map_err(failed)?;
    stream.flush().map_err(failed)?;
    stream.shutdown(std::net::Shutdown::Write).map_err(failed)?;
    Ok(())
}

/// Hands `bytes` to the system spooler's printer `name` (CUPS `lp`): `raw` bytes (ESC/POS)
/// go to the printer untouched, others (PDF) are converted by the spooler.
pub fn to_spooler(name: &str, bytes: &[u8], raw: bool) -> Result<(), String> {
    let mut command = Command::new("lp");
    command.arg("-d").arg(name).arg("-s");
    if raw {
        command.arg("-o").arg("raw");
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "could not start the print spooler (lp): {e}. Install CUPS (the cups-client \
                 package), or print to a network printer with --tcp HOST:9100"
            )
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(bytes)
            .map_err(|e| format!("could not hand the receipt to the spooler: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("the print spooler did not finish: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "the print spooler refused the receipt for printer “{name}”: {}. See `lpstat -p` \
             for the printers it knows",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}
