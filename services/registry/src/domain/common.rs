//! Values shared by libraries, vendors and products: languages, localised text, web addresses,
//! contacts and IP ranges, each parsed once with a precise error.

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use tilgang_isil::Isil;

use super::error::RegistryError;

/// Defines a closed set of values written as snake_case strings in JSON and in the database.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:tt),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The value as written in JSON and in the database.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// Reads a value; `field` names the input in the error.
            pub fn parse(field: &str, text: &str) -> Result<Self, $crate::domain::RegistryError> {
                match text {
                    $($text => Ok(Self::$variant),)+
                    _ => Err($crate::domain::RegistryError::invalid(
                        field,
                        "value_invalid",
                        format!("{text:?} is not one of: {}", [$($text),+].join(", ")),
                    )),
                }
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// A language the hub speaks (BCP 47 primary subtags).
    Lang {
        /// English.
        En = "en",
        /// Norwegian bokmål.
        Nb = "nb",
        /// Norwegian nynorsk.
        Nn = "nn",
        /// Swedish.
        Sv = "sv",
        /// Danish.
        Da = "da",
        /// Finnish.
        Fi = "fi",
        /// Northern Sámi.
        Se = "se",
    }
);

impl Lang {
    /// The usual language of a country's libraries.
    pub fn of_country(country: &str) -> Self {
        match country {
            "NO" => Self::Nb,
            "SE" => Self::Sv,
            "DK" => Self::Da,
            "FI" => Self::Fi,
            _ => Self::En,
        }
    }
}

/// Text in one or more languages; never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(value_type = BTreeMap<String, String>, example = json!({"nb": "Deichman", "en": "Oslo Public Library"}))]
pub struct LocalizedText(pub BTreeMap<Lang, String>);

impl LocalizedText {
    /// Parses `{language: text}`; each text is trimmed, non-empty and at most `max` characters.
    pub fn parse(
        field: &str,
        input: BTreeMap<String, String>,
        max: usize,
    ) -> Result<Self, RegistryError> {
        let mut texts = BTreeMap::new();
        for (lang, text) in input {
            let lang = Lang::parse(&format!("{field}.{lang}"), &lang).map_err(|_| {
                RegistryError::invalid(
                    field,
                    "language_invalid",
                    format!("{lang:?} is not a supported language"),
                )
            })?;
            texts.insert(
                lang,
                parse_text(&format!("{field}.{}", lang.as_str()), &text, max)?,
            );
        }
        if texts.is_empty() {
            return Err(RegistryError::invalid(
                field,
                "value_missing",
                "give the text in at least one language",
            ));
        }
        Ok(Self(texts))
    }

    /// A text in one language.
    pub fn one(lang: Lang, text: impl Into<String>) -> Self {
        Self(BTreeMap::from([(lang, text.into())]))
    }

    /// The text in `lang`, else English, else any.
    pub fn get(&self, lang: Lang) -> &str {
        self.0
            .get(&lang)
            .or_else(|| self.0.get(&Lang::En))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }
}

/// Trims `text` and checks it is non-empty and at most `max` characters; inner runs of
/// whitespace become one space.
pub fn parse_text(field: &str, text: &str, max: usize) -> Result<String, RegistryError> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(RegistryError::invalid(
            field,
            "value_missing",
            "must not be empty",
        ));
    }
    if text.chars().count() > max {
        return Err(RegistryError::invalid(
            field,
            "value_too_long",
            format!("at most {max} characters"),
        ));
    }
    Ok(text)
}

/// Parses an ISIL, naming the field and the broken rule on failure.
pub fn parse_isil(field: &str, text: &str) -> Result<Isil, RegistryError> {
    Isil::parse(text.trim()).map_err(|source| RegistryError::IsilInvalid {
        field: field.to_owned(),
        source,
    })
}

/// An absolute `http` or `https` address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, example = "https://deichman.no/")]
pub struct WebUrl(String);

impl WebUrl {
    /// Parses an absolute http(s) URL of at most 2,048 characters.
    pub fn parse(field: &str, text: &str) -> Result<Self, RegistryError> {
        let bad = |reason: &str| RegistryError::invalid(field, "url_invalid", reason.to_owned());
        let text = text.trim();
        if text.len() > 2048 {
            return Err(bad("a URL has at most 2048 characters"));
        }
        let url = url::Url::parse(text).map_err(|e| bad(&format!("{text:?} is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
            return Err(bad("use an absolute http:// or https:// address"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("a URL must not carry a user name or password"));
        }
        Ok(Self(url.to_string()))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses a list of optional URLs.
pub fn parse_urls(field: &str, texts: &[String]) -> Result<Vec<WebUrl>, RegistryError> {
    let mut urls = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let url = WebUrl::parse(&format!("{field}[{i}]"), text)?;
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    Ok(urls)
}

/// Parses an optional URL; an empty string means none.
pub fn parse_optional_url(
    field: &str,
    text: Option<&str>,
) -> Result<Option<WebUrl>, RegistryError> {
    text.filter(|t| !t.trim().is_empty())
        .map(|t| WebUrl::parse(field, t))
        .transpose()
}

/// A way to reach a library or vendor (a desk or function, not necessarily a person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Who or what this contact is ("E-resources desk").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What to contact them about (`general`, `technical`, `billing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl Contact {
    /// Checks a contact: an e-mail address or a telephone number, each well-formed.
    pub fn parse(field: &str, contact: Contact) -> Result<Self, RegistryError> {
        let opt = |name: &str, value: Option<String>, max: usize| {
            value
                .filter(|v| !v.trim().is_empty())
                .map(|v| parse_text(&format!("{field}.{name}"), &v, max))
                .transpose()
        };
        let contact = Contact {
            name: opt("name", contact.name, 200)?,
            role: opt("role", contact.role, 50)?,
            email: opt("email", contact.email, 254)?,
            phone: opt("phone", contact.phone, 40)?,
        };
        if contact.email.is_none() && contact.phone.is_none() {
            return Err(RegistryError::invalid(
                field,
                "value_missing",
                "a contact needs an e-mail address or a telephone number",
            ));
        }
        if let Some(email) = &contact.email {
            let valid = email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !email.contains(char::is_whitespace)
            });
            if !valid {
                return Err(RegistryError::invalid(
                    &format!("{field}.email"),
                    "email_invalid",
                    format!("{email:?} is not an e-mail address"),
                ));
            }
        }
        Ok(contact)
    }
}

/// Parses a list of contacts.
pub fn parse_contacts(field: &str, contacts: Vec<Contact>) -> Result<Vec<Contact>, RegistryError> {
    contacts
        .into_iter()
        .enumerate()
        .map(|(i, c)| Contact::parse(&format!("{field}[{i}]"), c))
        .collect()
}

/// The broadest IPv4 range a library may register (a /8); broader would open access to much of
/// the internet.
pub const MIN_IPV4_PREFIX: u8 = 8;
/// The broadest IPv6 range a library may register.
pub const MIN_IPV6_PREFIX: u8 = 32;

/// Parses IP ranges given as CIDR (`192.0.2.0/24`, `2001:db8::/48`) or single addresses.
///
/// Host bits are cleared (`192.0.2.7/24` becomes `192.0.2.0/24`), duplicates and overlapping
/// or adjacent ranges are merged, and the result is sorted.
pub fn parse_ip_ranges(field: &str, texts: &[String]) -> Result<Vec<IpNet>, RegistryError> {
    let mut nets = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        let field = format!("{field}[{i}]");
        let text = text.trim();
        let net = match text.parse::<IpNet>() {
            Ok(net) => net.trunc(),
            Err(_) => match text.parse::<IpAddr>() {
                Ok(addr) => IpNet::from(addr),
                Err(_) => {
                    return Err(RegistryError::invalid(
                        &field,
                        "ip_range_invalid",
                        format!("{text:?} is not an IPv4 or IPv6 address or CIDR range"),
                    ));
                }
            },
        };
        let broadest = if net.addr().is_ipv4() {
            MIN_IPV4_PREFIX
        } else {
            MIN_IPV6_PREFIX
        };
        if net.prefix_len() < broadest {
            return Err(RegistryError::invalid(
                &field,
                "ip_range_too_broad",
                format!("{net} is broader than /{broadest}; register the library's own ranges"),
            ));
        }
        nets.push(net);
    }
    Ok(IpNet::aggregate(&nets))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(texts: &[&str]) -> Result<Vec<String>, RegistryError> {
        let texts: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
        parse_ip_ranges("ip_ranges", &texts).map(|v| v.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn ip_ranges_are_normalised_merged_and_sorted() {
        let got = ranges(&[
            "192.0.2.7/25",
            "192.0.2.128/25",
            "2001:DB8::1/48",
            "198.51.100.1",
        ])
        .unwrap();
        assert_eq!(got, ["192.0.2.0/24", "198.51.100.1/32", "2001:db8::/48"]);
    }

    #[test]
    fn a_malformed_or_too_broad_range_is_refused_with_its_position() {
        let err = ranges(&["192.0.2.0/24", "192.0.2.0/33"]).unwrap_err();
        assert_eq!(
            (err.code(), err.field()),
            ("ip_range_invalid", Some("ip_ranges[1]"))
        );
        assert_eq!(
            ranges(&["0.0.0.0/0"]).unwrap_err().code(),
            "ip_range_too_broad"
        );
    }

    #[test]
    fn urls_must_be_absolute_http_without_credentials() {
        assert!(WebUrl::parse("u", "https://deichman.no").is_ok());
        for bad in [
            "ftp://x.no",
            "deichman.no",
            "https://user:pw@x.no/",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                WebUrl::parse("u", bad).unwrap_err().code(),
                "url_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn localized_text_needs_a_known_language_and_some_text() {
        let ok = LocalizedText::parse(
            "name",
            [("nb".into(), "  Deichman \n Grünerløkka ".into())].into(),
            200,
        )
        .unwrap();
        assert_eq!(ok.get(Lang::Fi), "Deichman Grünerløkka");
        let err =
            LocalizedText::parse("name", [("xx".into(), "A".into())].into(), 200).unwrap_err();
        assert_eq!(err.code(), "language_invalid");
        assert_eq!(
            LocalizedText::parse("name", BTreeMap::new(), 200)
                .unwrap_err()
                .code(),
            "value_missing"
        );
    }
}
