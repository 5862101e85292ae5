//! The client's address. Behind a reverse proxy or a load balancer every request comes from
//! the proxy, so the comment limit, the audit log and the sockets per client would all see
//! one client. When the peer is one of the `trusted_proxies` (CIDR blocks), the address it
//! forwarded (`Forwarded: for=…`, else `X-Forwarded-For`) is believed instead: the rightmost
//! one that is not itself a trusted proxy, since each proxy appends the address it saw and
//! only what the trusted ones wrote can be trusted. From anyone else those headers are
//! ignored, so a client cannot choose its own address.
//!
//! The layer puts the address it settles on in the request's `ConnectInfo`, so that every
//! door reads the client from where it always has.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The proxies whose forwarded addresses are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<Vec<IpNet>>);

impl TrustedProxies {
    /// Reads CIDR blocks (`10.0.0.0/8`) or single addresses; says which one is not either.
    pub fn parse(blocks: &[String]) -> Result<Self, String> {
        blocks
            .iter()
            .map(|b| {
                let b = b.trim();
                b.parse::<IpNet>()
                    .or_else(|_| b.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!("trusted_proxies: {b:?} is not an address or a CIDR block")
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|nets| Self(Arc::new(nets)))
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client of a request that came from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let chain = forwarded_for(headers);
        let mut client = peer;
        for hop in chain.iter().rev() {
            let Some(address) = hop else {
                // A hop a trusted proxy could not name: the chain ends at what we know.
                break;
            };
            client = *address;
            if !self.trusts(*address) {
                break;
            }
        }
        client
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is the IPv4 one.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

/// The forwarded chain, first hop first: `Forwarded`'s `for=` (RFC 7239) when the request
/// has one, else `X-Forwarded-For`. A hop that is not an address (`unknown`, an obfuscated
/// name) is `None`.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| address(value.trim().trim_matches('"')))
                })
            })
            .collect();
    }
    values("x-forwarded-for")
        .iter()
        .map(|v| address(v))
        .collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:4711`,
/// `2001:db8::1`.
fn address(raw: &str) -> Option<IpAddr> {
    if let Ok(address) = raw.parse::<IpAddr>() {
        return Some(canonical(address));
    }
    if let Ok(socket) = raw.parse::<SocketAddr>() {
        return Some(canonical(socket.ip()));
    }
    raw.trim_start_matches('[')
        .split(']')
        .next()
        .and_then(|a| a.parse::<IpAddr>().ok())
        .map(canonical)
}

/// Puts the client's address in the request's `ConnectInfo`.
pub async fn resolve(
    State(trusted): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
    {
        let client = trusted.client(peer.ip(), request.headers());
        if client != peer.ip() {
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::new(client, peer.port())));
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        map
    }

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let trusted = TrustedProxies::parse(&["10.0.0.0/8".into(), "192.0.2.7".into()]).unwrap();
        let forged = headers(&[("x-forwarded-for", "203.0.113.9")]);
        // From a client: its own address, whatever it claims.
        assert_eq!(
            trusted.client(ip("198.51.100.4"), &forged),
            ip("198.51.100.4")
        );
        // From a trusted proxy: what it forwarded.
        assert_eq!(trusted.client(ip("10.1.2.3"), &forged), ip("203.0.113.9"));
        // A client that forges a first hop: the rightmost untrusted one counts.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.4, 10.9.9.9")]);
        assert_eq!(trusted.client(ip("192.0.2.7"), &chain), ip("198.51.100.4"));
        // RFC 7239, with a port and IPv6, wins over X-Forwarded-For.
        let rfc = headers(&[
            (
                "forwarded",
                "for=\"[2001:db8::17]:4711\";proto=https, for=10.0.0.2",
            ),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(trusted.client(ip("10.0.0.1"), &rfc), ip("2001:db8::17"));
        // Nothing forwarded, or a hop it could not name: the last one known.
        assert_eq!(
            trusted.client(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
        let unknown = headers(&[("forwarded", "for=unknown, for=10.0.0.5")]);
        assert_eq!(trusted.client(ip("10.0.0.1"), &unknown), ip("10.0.0.5"));
        // Nobody trusted: headers ignored.
        assert_eq!(
            TrustedProxies::default().client(ip("10.1.2.3"), &forged),
            ip("10.1.2.3")
        );
        assert!(TrustedProxies::parse(&["mười.0.0.0/8".into()]).is_err());
    }
}
