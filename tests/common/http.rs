//! A small HTTP server on loopback for the tests that fetch: each request is answered by a
//! route function, in a thread of its own.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What answers a request: its path and headers (names in lower case) in, an answer out.
pub type Route = Arc<dyn Fn(&str, &[(String, String)]) -> Answer + Send + Sync>;

/// A small HTTP/1.1 server on 127.0.0.1 for one test: each connection gets one answer from
/// `route`, in its own thread (so a slow answer does not hold up the others). It stops when
/// dropped, and in any case after two minutes.
pub struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
}

/// One answer: status line, headers, body, and a delay before answering.
pub struct Answer {
    pub status: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

pub fn answer(status: &'static str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    Answer {
        status,
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.to_vec(),
        delay: Duration::ZERO,
    }
}

impl Server {
    pub fn start(
        route: impl Fn(&str, &[(String, String)]) -> Answer + Send + Sync + 'static,
    ) -> Server {
        let route: Route = Arc::new(route);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(120);
            while !flag.load(Ordering::Relaxed) && Instant::now() < until {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let route = route.clone();
                        std::thread::spawn(move || serve(stream, route));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { port, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(stream: TcpStream, route: Route) {
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let a = route(&path, &headers);
    std::thread::sleep(a.delay);
    let mut out = stream;
    let mut head = format!("HTTP/1.1 {}\r\nConnection: close\r\n", a.status);
    let has_length = a.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-length"));
    // An empty value leaves the header out (and no Content-Length is added for it).
    for (k, v) in a.headers.iter().filter(|(_, v)| !v.is_empty()) {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !has_length && a.status != "304 Not Modified" {
        head.push_str(&format!("Content-Length: {}\r\n", a.body.len()));
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&a.body);
    let _ = out.flush();
    let mut rest = Vec::new();
    let _ = out.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = out.read_to_end(&mut rest);
}
