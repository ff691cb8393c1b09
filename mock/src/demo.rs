//! The demo tenant: who lives in it and which apps are registered before anyone touches it.
//!
//! Contoso and its people are Microsoft's own fictional demo company, so what a learner sees
//! here matches the names in Microsoft's documentation. Everything in this file is public on
//! purpose, the secrets included: they open nothing but this mock.

/// The demo tenant's ID (the `tid` claim).
pub const TENANT_ID: &str = "b5d4e0f3-4b1a-4c6e-9a57-2f0d8c3e71a4";

/// The demo tenant's display name, as error pages name a tenant.
pub const TENANT_NAME: &str = "Contoso";

/// The demo tenant's domain; it works wherever a tenant ID does.
pub const TENANT_DOMAIN: &str = "contoso.onmicrosoft.com";

/// A person in the demo tenant.
#[derive(Clone, Copy, Debug)]
pub struct DemoUser {
    /// The object ID (`oid`), also the Graph `id`.
    pub id: &'static str,
    pub display_name: &'static str,
    pub given_name: &'static str,
    pub surname: &'static str,
    /// The sign-in name (`upn`, `preferred_username`) and the mail address.
    pub user_principal_name: &'static str,
    pub job_title: &'static str,
    pub office_location: &'static str,
    pub business_phone: &'static str,
}

/// The demo users. The first signs in when nobody is picked (auto-approve).
pub const USERS: [DemoUser; 2] = [
    DemoUser {
        id: "48d31887-5fad-4d73-a9f5-3c356e68a038",
        display_name: "Megan Bowen",
        given_name: "Megan",
        surname: "Bowen",
        user_principal_name: "MeganB@contoso.onmicrosoft.com",
        job_title: "Auditor",
        office_location: "12/1110",
        business_phone: "+1 412 555 0109",
    },
    DemoUser {
        id: "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
        display_name: "Alex Wilber",
        given_name: "Alex",
        surname: "Wilber",
        user_principal_name: "AlexW@contoso.onmicrosoft.com",
        job_title: "Marketing Assistant",
        office_location: "131/1104",
        business_phone: "+1 858 555 0110",
    },
];

/// The demo user (by index in [`USERS`]) who signs in as `name`, matched case-insensitively
/// as Entra matches sign-in names.
pub fn user_named(name: &str) -> Option<usize> {
    USERS
        .iter()
        .position(|user| user.user_principal_name.eq_ignore_ascii_case(name))
}

/// The demo user (by index in [`USERS`]) with this object ID.
pub fn user_with_id(id: &str) -> Option<usize> {
    USERS.iter().position(|user| user.id == id)
}

/// A second organization, Fabrikam (another of Microsoft's fictional companies), with one
/// person of its own. No app of the demo tenant may let him in: he is there to be refused
/// (AADSTS50020), and his tenant's token endpoint to be the wrong one (AADSTS700005).
pub const OTHER_TENANT_ID: &str = "0c8e3b7a-5f2d-4e9b-8a61-d4f2c7b9e305";

/// Fabrikam's domain; it works wherever its tenant ID does.
pub const OTHER_TENANT_DOMAIN: &str = "fabrikam.onmicrosoft.com";

/// The one person of Fabrikam, who has no account in the demo tenant.
pub const OTHER_TENANT_USER: DemoUser = DemoUser {
    id: "c3a1f0d6-92b4-4f7e-b5d8-6e1a0f4c2b97",
    display_name: "Diego Siciliani",
    given_name: "Diego",
    surname: "Siciliani",
    user_principal_name: "DiegoS@fabrikam.onmicrosoft.com",
    job_title: "HR Manager",
    office_location: "14/1108",
    business_phone: "+1 205 555 0108",
};

/// A registration that exists from the start.
#[derive(Clone, Copy, Debug)]
pub struct DemoApp {
    pub display_name: &'static str,
    /// The object ID (`/v1.0/applications/{id}`).
    pub object_id: &'static str,
    /// The client ID (`appId`).
    pub client_id: &'static str,
    pub client_secret: &'static str,
    /// Web reply URLs (a confidential client).
    pub redirect_uris: &'static [&'static str],
    /// Delegated Graph permissions the app declares.
    pub delegated_permissions: &'static [&'static str],
    /// Application Graph permissions granted to the app itself (client credentials).
    pub application_permissions: &'static [&'static str],
    /// Who may sign in (`signInAudience`).
    pub sign_in_audience: &'static str,
}

/// The 2016 sample's web app: a confidential client with the sample's reply URL and the
/// tutorial's (`localhost`, whose port is ignored when matched), asking for `User.Read` and
/// `Mail.Send`.
pub const WEB_APP: DemoApp = DemoApp {
    display_name: "Python Connect Sample",
    object_id: "3c6aba0b-8a4b-474e-b91f-59f4f4af4404",
    client_id: "d5349743-219e-4081-a993-259e49c29915",
    client_secret: "Sq8Q~demo.secret.for.the.offline.mock.only",
    redirect_uris: &[
        "http://127.0.0.1:8000/connect/get_token/",
        "http://localhost:8000/connect/get_token/",
    ],
    delegated_permissions: &["User.Read", "Mail.Send"],
    application_permissions: &[],
    // The 2016 sample signs in on `/common`, which only a multi-tenant app may use.
    sign_in_audience: "AzureADMultipleOrgs",
};

/// The stand-in for the Azure portal: an app that may register apps through Graph
/// (`Application.ReadWrite.OwnedBy`), as automation does. Step 1 of the tutorial uses it
/// with the client-credentials grant.
pub const PORTAL_APP: DemoApp = DemoApp {
    display_name: "App Registration Portal",
    object_id: "fa8451da-83f7-4c97-a630-c0e34bb569f1",
    client_id: "7b58b384-ce4b-44e9-9535-1874e653a295",
    client_secret: "Pt7Q~demo.portal.secret.for.the.mock.only",
    redirect_uris: &[],
    delegated_permissions: &[],
    application_permissions: &["Application.ReadWrite.OwnedBy"],
    // Like the portal's own first-party app, it serves every tenant.
    sign_in_audience: "AzureADMultipleOrgs",
};

/// Both pre-registered apps.
pub const APPS: [DemoApp; 2] = [WEB_APP, PORTAL_APP];
