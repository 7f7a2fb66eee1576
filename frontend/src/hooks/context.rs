//! The values the app shell provides to every page: the language, the signed-in user, and
//! the directory of names that records refer to by id.

use std::collections::HashMap;
use std::rc::Rc;

use api_types::auth::Me;
use api_types::companies::Company;
use api_types::pipelines::Pipeline;
use api_types::teams::Team;
use api_types::users::User;
use uuid::Uuid;
use yew::prelude::*;

use crate::i18n::{I18n, Locale};
use crate::shared::Shared;

/// Returns the language context, or English when none is provided.
#[hook]
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n {
        locale: Locale::En,
        time_zone: None,
        set_locale: Callback::noop(),
    })
}

/// The signed-in user, provided only while someone is signed in.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionContext {
    pub me: Shared<Me>,
    pub sign_out: Callback<()>,
}

/// Returns the signed-in user; pages are only rendered while someone is signed in, so
/// `None` only occurs outside the app shell.
#[hook]
pub fn use_session() -> Option<SessionContext> {
    use_context::<SessionContext>()
}

/// The organization's members, teams, pipelines and companies, loaded once after sign-in
/// so that lists can show names for the ids that records carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Directory {
    pub users: Shared<Vec<User>>,
    pub teams: Shared<Vec<Team>>,
    pub pipelines: Shared<Vec<Pipeline>>,
    pub companies: Shared<Vec<Company>>,
    names: Shared<HashMap<Uuid, String>>,
}

impl Directory {
    /// Builds the directory and its index of names by id.
    pub fn new(
        users: Vec<User>,
        teams: Vec<Team>,
        pipelines: Vec<Pipeline>,
        companies: Vec<Company>,
    ) -> Directory {
        let mut names = HashMap::new();
        for user in &users {
            names.insert(user.id, user.name.clone());
        }
        for team in &teams {
            names.insert(team.id, team.name.clone());
        }
        for company in &companies {
            names.insert(company.id, company.name.clone());
        }
        for pipeline in &pipelines {
            names.insert(pipeline.id, pipeline.name.clone());
            for stage in &pipeline.stages {
                names.insert(stage.id, stage.name.clone());
            }
        }
        Directory {
            users: Shared::new(users),
            teams: Shared::new(teams),
            pipelines: Shared::new(pipelines),
            companies: Shared::new(companies),
            names: Shared::new(names),
        }
    }

    /// Returns the name of a member, team, company, pipeline or stage.
    pub fn name(&self, id: Option<Uuid>) -> Option<&str> {
        self.names.get(&id?).map(String::as_str)
    }

    /// Returns the pipeline a stage belongs to.
    pub fn pipeline_of_stage(&self, stage_id: Uuid) -> Option<&Pipeline> {
        self.pipelines
            .iter()
            .find(|pipeline| pipeline.stages.iter().any(|stage| stage.id == stage_id))
    }
}

/// Returns the directory; an empty one while it loads.
#[hook]
pub fn use_directory() -> Rc<Directory> {
    let directory = use_context::<Rc<Directory>>();
    directory.unwrap_or_else(|| {
        Rc::new(Directory::new(
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ))
    })
}
