//! Timestamps as the services write them.

use time::OffsetDateTime;
use time::macros::format_description;

/// OpenStack's `2013-02-25T03:56:53.081642`: UTC, microseconds, no offset (EVS v2, Cinder).
pub fn openstack_time() -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]");
    OffsetDateTime::now_utc().format(&format).unwrap_or_default()
}

/// Huawei's `2016-08-23T03:59:23Z` (DWS).
pub fn huawei_time() -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    OffsetDateTime::now_utc().format(&format).unwrap_or_default()
}

/// Seconds between now and an `X-Sdk-Date` (`20240101T120000Z`), or `None` if it does not parse.
pub fn seconds_from_now(sdk_date: &str) -> Option<i64> {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    let date = time::PrimitiveDateTime::parse(sdk_date, &format).ok()?.assume_utc();
    Some((OffsetDateTime::now_utc() - date).whole_seconds().abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_look_like_the_documented_ones() {
        let openstack = openstack_time();
        assert_eq!(openstack.len(), "2013-02-25T03:56:53.081642".len(), "{openstack}");
        assert!(huawei_time().ends_with('Z'));
        let now = apigen_runtime::client::sign::sdk_date(std::time::SystemTime::now());
        assert!(seconds_from_now(&now).is_some_and(|s| s < 5));
        assert_eq!(seconds_from_now("yesterday"), None);
    }
}
