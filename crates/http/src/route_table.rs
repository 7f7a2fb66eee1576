//! The API's routes as path templates with their methods, read from the OpenAPI document, so
//! that a request with a known path but another method gets 405 with an `Allow` header.

use utoipa::openapi::OpenApi;

/// One part of a path template: literal text or a `{parameter}`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Parameter,
}

/// The documented routes: each path template with the methods it accepts.
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<&'static str>)>,
}

fn segments(path: &str) -> Vec<Segment> {
    path.trim_matches('/')
        .split('/')
        .map(|part| match part.starts_with('{') && part.ends_with('}') {
            true => Segment::Parameter,
            false => Segment::Literal(part.to_owned()),
        })
        .collect()
}

impl RouteTable {
    /// Builds the table from the paths and operations of `document`.
    pub fn from_openapi(document: &OpenApi) -> RouteTable {
        let routes = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                let allowed = methods
                    .into_iter()
                    .filter_map(|(method, present)| present.then_some(method))
                    .collect();
                (segments(path), allowed)
            })
            .collect();
        RouteTable { routes }
    }

    /// Lists the methods of the route that `path` matches, or `None` when it matches none.
    /// A literal segment takes precedence over a parameter, as in the router.
    pub fn allowed_methods(&self, path: &str) -> Option<Vec<&'static str>> {
        let requested: Vec<&str> = path.trim_matches('/').split('/').collect();
        let matches = |template: &[Segment]| {
            template.len() == requested.len()
                && template
                    .iter()
                    .zip(&requested)
                    .all(|(segment, part)| match segment {
                        Segment::Literal(text) => text == part,
                        Segment::Parameter => !part.is_empty(),
                    })
        };
        let mut allowed: Vec<&'static str> = Vec::new();
        for (template, methods) in &self.routes {
            if matches(template) {
                allowed.extend(methods.iter().copied());
            }
        }
        allowed.sort_unstable();
        allowed.dedup();
        (!allowed.is_empty()).then_some(allowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> RouteTable {
        RouteTable {
            routes: vec![
                (segments("/api/v1/deals"), vec!["GET", "POST"]),
                (
                    segments("/api/v1/deals/{id}"),
                    vec!["GET", "PATCH", "DELETE"],
                ),
            ],
        }
    }

    #[test]
    fn known_path_lists_methods() {
        assert_eq!(
            table().allowed_methods("/api/v1/deals"),
            Some(vec!["GET", "POST"])
        );
        let one = table().allowed_methods("/api/v1/deals/01a2");
        assert_eq!(one, Some(vec!["DELETE", "GET", "PATCH"]));
    }

    #[test]
    fn unknown_path_has_no_methods() {
        assert_eq!(table().allowed_methods("/api/v1/nothing"), None);
        assert_eq!(table().allowed_methods("/api/v1/deals/1/extra"), None);
    }
}
