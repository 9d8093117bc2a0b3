//! Translations with Mozilla Fluent: each service ships `.ftl` files per language; a page asks
//! a [`Localizer`] for messages in the language chosen from `?lang=`, the `Accept-Language`
//! header, or the library's default, falling back to English (Norwegian nynorsk to bokmål
//! first).

use std::collections::HashMap;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// Arguments of a message with several placeholders.
pub type Args<'a> = FluentArgs<'a>;

/// The languages every page is offered in, with their names in themselves.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("sv", "Svenska"),
    ("da", "Dansk"),
    ("fi", "Suomi"),
];

/// The messages of one service in every language.
pub struct Catalog {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
    /// The ids of the English messages, which every language should have.
    english: Vec<String>,
}

impl Catalog {
    /// A catalog from `(language, FTL source)` pairs; panics on FTL syntax errors, which are
    /// programming errors caught by the first test.
    pub fn new(sources: &[(&'static str, &'static str)]) -> Self {
        let mut bundles = HashMap::new();
        let mut english = Vec::new();
        for (lang, source) in sources {
            if *lang == "en" {
                english = source
                    .lines()
                    .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
                    .filter_map(|l| Some(l.split_once(" =")?.0.to_owned()))
                    .collect();
            }
            let resource = FluentResource::try_new((*source).to_owned())
                .unwrap_or_else(|(_, e)| panic!("{lang}.ftl does not parse: {e:?}"));
            let id = lang
                .parse()
                .expect("language tags in the catalog are valid");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .unwrap_or_else(|e| panic!("{lang}.ftl defines a message twice: {e:?}"));
            bundles.insert(*lang, bundle);
        }
        Self { bundles, english }
    }

    /// The English messages a language lacks, as `lang: id` (shown in English, or bokmål for
    /// nynorsk, until translated).
    pub fn untranslated(&self) -> Vec<String> {
        let mut missing = Vec::new();
        for (lang, bundle) in &self.bundles {
            for id in &self.english {
                if !bundle.has_message(id) {
                    missing.push(format!("{lang}: {id}"));
                }
            }
        }
        missing.sort();
        missing
    }

    /// A localizer for `lang` (which must be one of [`LANGUAGES`]).
    pub fn localizer(self: &Arc<Self>, lang: &'static str) -> Localizer {
        Localizer {
            catalog: self.clone(),
            lang,
        }
    }
}

/// Messages in one language.
#[derive(Clone)]
pub struct Localizer {
    catalog: Arc<Catalog>,
    /// The language (one of [`LANGUAGES`]).
    pub lang: &'static str,
}

impl Localizer {
    /// The message `id`.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with one argument.
    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value));
        self.format(id, Some(&args))
    }

    /// The message `id` with several arguments.
    pub fn ta(&self, id: &str, args: &Args<'_>) -> String {
        self.format(id, Some(args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        // Nynorsk readers read bokmål before English.
        let nearest = if self.lang == "nn" { "nb" } else { "en" };
        for lang in [self.lang, nearest, "en"] {
            let Some(bundle) = self.catalog.bundles.get(lang) else {
                continue;
            };
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned();
            }
        }
        id.to_owned()
    }
}

/// The supported language for a BCP 47 tag (`no` and `nb-NO` read as `nb`, `nn-NO` as `nn`).
pub fn supported(tag: &str) -> Option<&'static str> {
    let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    let primary = match primary.as_str() {
        "no" => "nb",
        other => other,
    };
    LANGUAGES.iter().map(|(l, _)| *l).find(|l| *l == primary)
}

/// The language to answer in: an explicit choice, else the best supported language of an
/// `Accept-Language` header, else the fallback (the library's default), else English.
pub fn negotiate(
    choice: Option<&str>,
    accept: Option<&str>,
    fallback: Option<&str>,
) -> &'static str {
    if let Some(lang) = choice.and_then(supported) {
        return lang;
    }
    if let Some(header) = accept {
        let mut offered: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q=")?.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((q, tag))
            })
            .collect();
        offered.sort_by(|a, b| b.0.total_cmp(&a.0));
        if let Some(lang) = offered
            .iter()
            .filter(|(q, _)| *q > 0.0)
            .find_map(|(_, t)| supported(t))
        {
            return lang;
        }
    }
    fallback.and_then(supported).unwrap_or("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_language_wins_over_the_library_default_and_choice_over_both() {
        assert_eq!(
            negotiate(None, Some("sv-SE,sv;q=0.9,en;q=0.8"), Some("nb")),
            "sv"
        );
        assert_eq!(negotiate(None, Some("de-DE,de;q=0.9"), Some("fi")), "fi");
        assert_eq!(negotiate(None, Some("nn-NO"), None), "nn");
        assert_eq!(negotiate(None, Some("no"), None), "nb");
        assert_eq!(negotiate(Some("da"), Some("sv"), None), "da");
        assert_eq!(negotiate(None, None, None), "en");
        assert_eq!(negotiate(None, Some("en;q=0.1, fi;q=0.5"), None), "fi");
    }

    #[test]
    fn a_missing_message_falls_back_to_english() {
        let catalog = Arc::new(Catalog::new(&[
            ("en", "hello = Hello { $name }\nonly = English only"),
            ("nb", "hello = Hei { $name }"),
        ]));
        let nb = catalog.localizer("nb");
        assert_eq!(nb.t1("hello", "name", "Kari"), "Hei Kari");
        assert_eq!(nb.t("only"), "English only");
    }

    #[test]
    fn the_messages_a_language_lacks_are_listed() {
        let catalog = Catalog::new(&[("en", "hello = Hello\nbye = Bye"), ("sv", "hello = Hej")]);
        assert_eq!(catalog.untranslated(), vec!["sv: bye".to_owned()]);
    }

    #[test]
    fn a_missing_nynorsk_message_falls_back_to_bokmal_then_english() {
        let catalog = Arc::new(Catalog::new(&[
            ("en", "hello = Hello\nbye = Bye\nonly = English only"),
            ("nb", "hello = Hei\nbye = Ha det"),
            ("nn", "hello = Hei på deg"),
        ]));
        let nn = catalog.localizer("nn");
        assert_eq!(nn.t("hello"), "Hei på deg");
        assert_eq!(nn.t("bye"), "Ha det");
        assert_eq!(nn.t("only"), "English only");
    }
}
