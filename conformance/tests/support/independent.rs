//! Recomputes an `SDK-HMAC-SHA256` signature from what the server received, sharing no code with
//! the runtime's signer: its own percent-encoding, canonical forms and HMAC call.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

fn unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if unreserved(b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn decode(text: &str) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// `Ok` when the `Authorization` header of `request` is the signature of what arrived.
pub fn verify(request: &wiremock::Request, access_key: &str, secret_key: &str) -> Result<(), String> {
    let authorization = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or("no Authorization header")?;
    let rest = authorization
        .strip_prefix("SDK-HMAC-SHA256 ")
        .ok_or("not SDK-HMAC-SHA256")?;
    let mut parts = rest.split(", ");
    let access = parts
        .next()
        .and_then(|p| p.strip_prefix("Access="))
        .ok_or("no Access")?;
    let signed = parts
        .next()
        .and_then(|p| p.strip_prefix("SignedHeaders="))
        .ok_or("no SignedHeaders")?;
    let signature = parts
        .next()
        .and_then(|p| p.strip_prefix("Signature="))
        .ok_or("no Signature")?;
    if access != access_key {
        return Err(format!("signed with access key {access}"));
    }
    let date = request
        .headers
        .get("x-sdk-date")
        .and_then(|v| v.to_str().ok())
        .ok_or("no X-Sdk-Date")?;

    let mut uri: String = request
        .url
        .path()
        .split('/')
        .map(|segment| encode(&decode(segment)))
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    let mut query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (encode(k.as_bytes()), encode(v.as_bytes())))
        .collect();
    query.sort();
    let query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut headers = String::new();
    for name in signed.split(';') {
        let value = request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or(format!("signed header {name} missing"))?;
        headers.push_str(&format!("{name}:{}\n", value.trim()));
    }
    let payload = hex::encode(Sha256::digest(&request.body));
    let canonical = format!(
        "{}\n{uri}\n{query}\n{headers}\n{signed}\n{payload}",
        request.method.as_str().to_uppercase()
    );
    let to_sign = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()).map_err(|e| e.to_string())?;
    mac.update(to_sign.as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    if expected == signature {
        Ok(())
    } else {
        Err(format!("signature mismatch; canonical request:\n{canonical}"))
    }
}
