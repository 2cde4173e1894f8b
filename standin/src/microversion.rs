//! Block Storage microversions as Cinder reads them: `OpenStack-API-Version: volume 3.N` (or the
//! older `X-OpenStack-Volume-API-Version: 3.N`), 3.0 when absent, `latest` for the maximum, and a
//! version outside the supported range refused with 406 and Cinder's own words.

use apigen_runtime::server::{Rejection, StatusCode};
use axum::http::HeaderMap;

/// A microversion, `major.minor`, ordered as numbers (3.9 < 3.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Microversion(pub u32, pub u32);

/// The oldest microversion served.
pub const MINIMUM: Microversion = Microversion(3, 0);
/// The newest microversion served (Cinder 2024.1 "Caracal").
pub const MAXIMUM: Microversion = Microversion(3, 71);

impl std::fmt::Display for Microversion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

impl Microversion {
    /// `3.N`, or `None` for anything else.
    pub fn parse(text: &str) -> Option<Microversion> {
        let (major, minor) = text.trim().split_once('.')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || !digits(minor) {
            return None;
        }
        Some(Microversion(major.parse().ok()?, minor.parse().ok()?))
    }
}

/// The microversion a request asks for.
pub fn of_request(headers: &HeaderMap) -> Result<Microversion, Rejection> {
    let asked = headers
        .get_all("openstack-api-version")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|item| {
            let (service, version) = item.trim().split_once(' ')?;
            service
                .eq_ignore_ascii_case("volume")
                .then(|| version.trim().to_owned())
        })
        .or_else(|| {
            headers
                .get("x-openstack-volume-api-version")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned())
        });
    let Some(asked) = asked else {
        return Ok(MINIMUM);
    };
    if asked.eq_ignore_ascii_case("latest") {
        return Ok(MAXIMUM);
    }
    let Some(version) = Microversion::parse(&asked) else {
        return Err(Rejection::refuse(
            StatusCode::BAD_REQUEST,
            "",
            format!("API Version String {asked} is of invalid format. Must be of format MajorNum.MinorNum."),
        ));
    };
    if version < MINIMUM || version > MAXIMUM {
        return Err(Rejection::refuse(
            StatusCode::NOT_ACCEPTABLE,
            "",
            format!("Version {version} is not supported by the API. Minimum is {MINIMUM} and maximum is {MAXIMUM}."),
        ));
    }
    Ok(version)
}

/// The version documents openstacksdk (keystoneauth's discovery) reads before its first call:
/// `GET /` lists the versions (300), `GET /v3/` shows this one.
pub fn version_document(base: &str) -> serde_json::Value {
    serde_json::json!({
        "id": "v3.0",
        "status": "CURRENT",
        "version": MAXIMUM.to_string(),
        "min_version": MINIMUM.to_string(),
        "updated": "2023-09-01T00:00:00Z",
        "links": [
            {"rel": "describedby", "type": "text/html", "href": "https://docs.openstack.org/"},
            {"rel": "self", "href": format!("{base}/v3/")}
        ],
        "media-types": [
            {"base": "application/json", "type": "application/vnd.openstack.volume+json;version=3"}
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().expect("a header value"));
        }
        map
    }

    #[test]
    fn versions_are_read_as_cinder_reads_them() {
        assert_eq!(of_request(&headers(&[])), Ok(MINIMUM));
        assert_eq!(
            of_request(&headers(&[("openstack-api-version", "compute 2.1, volume 3.41")])),
            Ok(Microversion(3, 41))
        );
        assert_eq!(
            of_request(&headers(&[("openstack-api-version", "volume latest")])),
            Ok(MAXIMUM)
        );
        assert_eq!(
            of_request(&headers(&[("x-openstack-volume-api-version", "3.45")])),
            Ok(Microversion(3, 45))
        );
        assert!(Microversion(3, 9) < Microversion(3, 10));
    }

    #[test]
    fn a_version_out_of_range_is_a_406_and_a_bad_one_a_400() {
        let too_new = of_request(&headers(&[("openstack-api-version", "volume 3.99")])).expect_err("too new");
        assert_eq!(too_new.status(), StatusCode::NOT_ACCEPTABLE);
        assert_eq!(
            too_new.violations()[0].message,
            "Version 3.99 is not supported by the API. Minimum is 3.0 and maximum is 3.71."
        );
        let bad = of_request(&headers(&[("openstack-api-version", "volume three")])).expect_err("bad");
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    }
}
