//! The one table of errors: every refusal the mock can give, with the code, error, status and
//! text Microsoft uses for it.
//!
//! Two families, because the two services shape errors differently:
//! - [`Aadsts`]: the identity platform (`login.microsoftonline.com`). A JSON body with `error`,
//!   `error_description` (starting `AADSTSnnnnn: `), `error_codes`, `timestamp`, `trace_id`,
//!   `correlation_id`, `error_uri`; or, at `authorize`, an error page or a redirect.
//! - [`GraphError`]: Microsoft Graph. `{"error":{"code","message","innerError":{…}}}`.
//!
//! Read each `match` below as the table it is: one row per refusal. Where a text could not be
//! checked against a real response, the closest documented wording is used (`PROTOCOL.md` §6
//! and §7 say which).
//!
//! The table is this file. Beside it: `catalogue`, one example of every row (for tools that
//! must know every code, as the tutorial's `explain` does); `wire`, the bodies and headers
//! a refusal goes out with; `assertion`, the rows of the client and user assertions.

use hyper::StatusCode;

mod assertion;
mod catalogue;
mod wire;

pub use assertion::{AssertionRefusal, UserAssertionRefusal};
pub(crate) use wire::{Trace, error_uri};

/// A refusal from the identity platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Aadsts {
    MissingParameter(&'static str),
    UnknownTenant(String),
    UnknownClient {
        client_id: String,
        tenant: String,
    },
    RedirectNotRegistered {
        redirect_uri: String,
        client_id: String,
    },
    NoRedirectRegistered,
    SingleTenantOnCommon {
        client_id: String,
        app_name: String,
    },
    TokenRedirectMismatch {
        sent: String,
        original: String,
    },
    WrongSecret {
        client_id: String,
    },
    MissingSecret,
    ExpiredSecret {
        client_id: String,
    },
    PublicClientSentSecret,
    CodeRedeemed,
    CodeExpired,
    PkceMismatch,
    InvalidScope(String),
    ResourceOnV2,
    UnknownResourceV1 {
        resource: String,
        tenant: String,
    },
    UnknownResourceV2 {
        resource: String,
        tenant: String,
    },
    ResourceNotProvided,
    DevicePending,
    DeviceSlowDown,
    DeviceCodeExpired,
    DeviceDeclined,
    BadUserCode,
    UnknownInstance,
    UnsupportedGrantType(String),
    UnsupportedResponseType(String),
    ImplicitAccessToken,
    MalformedGrant,
    GrantForAnotherClient,
    ConsentRequired {
        client_id: String,
        app_name: String,
    },
    RefreshTokenExpired {
        issued: String,
    },
    ClientCredentialsScope(String),
    GrantNotOnCommon,
    WrongMethod(String),
    UserDeclined,
    LoginRequired,
    InvalidCodeChallenge,
    InvalidStsRequest,
    AdminConsentRequired {
        app_name: String,
    },
    DirectoryUnavailable,
    MissingField(&'static str),
    UserNotInTenant {
        user: &'static str,
        home_tenant: &'static str,
        tenant_name: String,
        client_id: String,
        app_name: String,
    },
    CodeForAnotherTenant,
    /// A client assertion (certificate credential) that does not prove the client: the rows
    /// are in `errors/assertion.rs`.
    ClientAssertion(AssertionRefusal),
    CrossOriginNotSpa {
        origin: String,
    },
    SpaNeedsCrossOrigin,
    SpaNeedsPkce,
    SpaRefreshTokenExpired {
        issued: String,
    },
    /// The user's token an API presents on-behalf-of its user, refused (same file).
    UserAssertion(UserAssertionRefusal),
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub code: u32,
    /// The OAuth 2.0 `error` value (RFC 6749 §5.2, §4.1.2.1).
    pub error: &'static str,
    pub status: StatusCode,
    /// The text after `AADSTSnnnnn: `.
    pub message: String,
    /// Entra's `suberror`, on the few errors that carry one.
    pub suberror: Option<&'static str>,
}

const BAD: StatusCode = StatusCode::BAD_REQUEST;
const UNAUTHORIZED: StatusCode = StatusCode::UNAUTHORIZED;

impl Aadsts {
    pub fn entry(&self) -> Entry {
        use Aadsts::*;
        let row = |code, error, status, message: String| Entry {
            code,
            error,
            status,
            message,
            suberror: None,
        };
        match self {
            MissingParameter(name) => row(900144, "invalid_request", BAD, format!(
                "The request body must contain the following parameter: '{name}'.")),
            UnknownTenant(tenant) => row(90002, "invalid_tenant", BAD, format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.")),
            UnknownClient { client_id, tenant } => row(700016, "unauthorized_client", BAD, format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.")),
            RedirectNotRegistered { redirect_uri, client_id } => row(50011, "invalid_request", BAD, format!(
                "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.")),
            NoRedirectRegistered => row(500113, "invalid_request", BAD,
                "No reply address is registered for the application.".into()),
            SingleTenantOnCommon { client_id, app_name } => row(50194, "invalid_request", BAD, format!(
                "Application '{client_id}'({app_name}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.")),
            TokenRedirectMismatch { sent, original } => row(500112, "invalid_client", UNAUTHORIZED, format!(
                "The reply address '{sent}' does not match the reply address '{original}' provided when requesting Authorization code.")),
            WrongSecret { client_id } => row(7000215, "invalid_client", UNAUTHORIZED, format!(
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'.")),
            MissingSecret => row(7000218, "invalid_client", UNAUTHORIZED,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.".into()),
            ExpiredSecret { client_id } => row(7000222, "invalid_client", UNAUTHORIZED, format!(
                "The provided client secret keys for app '{client_id}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.")),
            PublicClientSentSecret => row(700025, "invalid_client", UNAUTHORIZED,
                "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.".into()),
            CodeRedeemed => row(54005, "invalid_grant", BAD,
                "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.".into()),
            CodeExpired => row(70008, "invalid_grant", BAD,
                "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.".into()),
            PkceMismatch => row(501481, "invalid_grant", BAD,
                "The Code_Verifier does not match the code_challenge supplied in the authorization request.".into()),
            InvalidScope(scope) => row(70011, "invalid_scope", BAD, format!(
                "The provided value for the input parameter 'scope' is not valid. The scope '{scope}' is not valid.")),
            ResourceOnV2 => row(901002, "invalid_request", BAD,
                "The 'resource' request parameter is not supported.".into()),
            UnknownResourceV1 { resource, tenant } => row(50001, "invalid_resource", BAD, format!(
                "The application named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.")),
            UnknownResourceV2 { resource, tenant } => row(500011, "invalid_resource", BAD, format!(
                "The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.")),
            ResourceNotProvided => row(50001, "invalid_resource", BAD,
                "Resource identifier is not provided.".into()),
            DevicePending => row(70016, "authorization_pending", BAD,
                "OAuth 2.0 device flow error. Authorization is pending. Continue polling.".into()),
            DeviceSlowDown => row(70016, "slow_down", BAD,
                "OAuth 2.0 device flow error. Authorization is pending. Poll less often: wait the interval, plus five seconds.".into()),
            DeviceCodeExpired => row(70020, "expired_token", BAD,
                "The provided value for the input parameter 'device_code' is not valid. This device code has expired.".into()),
            DeviceDeclined => row(65004, "authorization_declined", BAD,
                "The end user declined the authorization request.".into()),
            BadUserCode => row(70018, "bad_verification_code", BAD,
                "Invalid verification code. The code you entered was not recognized or has expired: check it and try again.".into()),
            UnknownInstance => row(50049, "invalid_instance", BAD,
                "Unknown or invalid instance.".into()),
            UnsupportedGrantType(grant) => row(70003, "unsupported_grant_type", BAD, format!(
                "The app requested an unsupported grant type '{grant}'.")),
            UnsupportedResponseType(kind) => row(700054, "unsupported_response_type", BAD, format!(
                "response_type '{kind}' is not enabled for the application.")),
            ImplicitAccessToken => row(700051, "unsupported_response_type", BAD,
                "response_type 'token' is not enabled for the application.".into()),
            MalformedGrant => row(9002313, "invalid_grant", BAD,
                "Invalid request. Request is malformed or invalid.".into()),
            GrantForAnotherClient => row(70000, "invalid_grant", BAD,
                "The provided access grant is invalid or malformed.".into()),
            ConsentRequired { client_id, app_name } => Entry {
                suberror: Some("consent_required"),
                ..row(65001, "invalid_grant", BAD, format!(
                    "The user or administrator has not consented to use the application with ID '{client_id}' named '{app_name}'. Send an interactive authorization request for this user and resource."))
            },
            RefreshTokenExpired { issued } => Entry {
                suberror: Some("bad_token"),
                ..row(700082, "invalid_grant", BAD, format!(
                    "The refresh token has expired due to inactivity. The token was issued on {issued} and was inactive for 90.00:00:00."))
            },
            ClientCredentialsScope(scope) => row(1002012, "invalid_scope", BAD, format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")),
            GrantNotOnCommon => row(9001023, "invalid_request", BAD,
                "The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.".into()),
            WrongMethod(method) => row(900561, "invalid_request", StatusCode::METHOD_NOT_ALLOWED, format!(
                "The endpoint only accepts POST, OPTIONS requests. Received a {method} request.")),
            UserDeclined => row(65004, "access_denied", BAD,
                "User declined to consent to access the app.".into()),
            LoginRequired => row(50058, "login_required", BAD,
                "A silent sign-in request was sent but no user is signed in.".into()),
            InvalidCodeChallenge => row(501491, "invalid_request", BAD,
                "Invalid size of Code_Challenge parameter.".into()),
            InvalidStsRequest => row(90023, "invalid_request", BAD,
                "Invalid STS request.".into()),
            AdminConsentRequired { app_name } => row(90094, "access_denied", BAD, format!(
                "{app_name} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.")),
            DirectoryUnavailable => row(90033, "temporarily_unavailable", StatusCode::SERVICE_UNAVAILABLE,
                "A transient error has occurred. Please try again.".into()),
            MissingField(name) => row(90014, "invalid_request", BAD, format!(
                "The required field '{name}' is missing from the credential. Ensure that you have all the necessary parameters for the login request.")),
            UserNotInTenant { user, home_tenant, tenant_name, client_id, app_name } => row(50020, "invalid_request", BAD, format!(
                "User account '{user}' from identity provider 'https://sts.windows.net/{home_tenant}/' does not exist in tenant '{tenant_name}' and cannot access the application '{client_id}'({app_name}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.")),
            CodeForAnotherTenant => row(700005, "invalid_grant", BAD,
                "Provided Authorization Code is intended to use against other tenant, thus rejected.".into()),
            ClientAssertion(refusal) => refusal.entry(),
            CrossOriginNotSpa { origin } => row(9002326, "invalid_request", BAD, format!(
                "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '{origin}'.")),
            SpaNeedsCrossOrigin => row(9002327, "invalid_request", BAD,
                "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.".into()),
            SpaNeedsPkce => row(9002325, "invalid_request", BAD,
                "Proof Key for Code Exchange is required for cross-origin authorization code redemption.".into()),
            SpaRefreshTokenExpired { issued } => Entry {
                suberror: Some("bad_token"),
                ..row(700084, "invalid_grant", BAD, format!(
                    "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page. The token was issued on {issued}."))
            },
            UserAssertion(refusal) => refusal.entry(),
        }
    }
}

/// A refusal from Microsoft Graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    EmptyToken,
    MalformedToken,
    InvalidToken,
    InvalidAudience,
    ExpiredToken,
    AccessDenied,
    InsufficientPrivileges,
    DelegatedOnly,
    InvalidRecipients(String),
    UnreadableJson,
    InvalidProperty(String),
    ResourceNotFound(String),
    SegmentNotFound(String),
    MethodNotAllowed,
    TooLarge,
    QuotaExceeded,
    InvalidIdMalformed,
    RequestBodyRead(String),
    UnknownProperty(String),
    MessageTooLarge,
    MailStoreFull,
    // Changing an application (`PATCH /applications/{id}`): its certificates.
    UnknownApplicationProperty(String),
    SchemaMismatch(String),
    InvalidKeyUsage,
    KeyEndDateInvalid,
    /// …and the API it exposes.
    IdentifierUriNotVerified(String),
}

impl GraphError {
    /// Status, `code`, `message`: the row of the table.
    pub fn entry(&self) -> (StatusCode, &'static str, String) {
        use GraphError::*;
        let token = "InvalidAuthenticationToken";
        match self {
            EmptyToken => (UNAUTHORIZED, token, "Access token is empty.".into()),
            MalformedToken => (UNAUTHORIZED, token,
                "IDX14100: JWT is not well formed, there are no dots (.).".into()),
            InvalidToken => (UNAUTHORIZED, token, "Access token validation failure.".into()),
            InvalidAudience => (UNAUTHORIZED, token,
                "Access token validation failure. Invalid audience.".into()),
            ExpiredToken => (UNAUTHORIZED, token,
                "Access token has expired or is not yet valid.".into()),
            AccessDenied => (StatusCode::FORBIDDEN, "ErrorAccessDenied",
                "Access is denied. Check credentials and try again.".into()),
            InsufficientPrivileges => (StatusCode::FORBIDDEN, "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.".into()),
            DelegatedOnly => (BAD, "BadRequest",
                "/me request is only valid with delegated authentication flow.".into()),
            InvalidRecipients(detail) => (BAD, "ErrorInvalidRecipients", format!(
                "At least one recipient is not valid., {detail}")),
            UnreadableJson => (BAD, "BadRequest",
                "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.".into()),
            InvalidProperty(message) => (BAD, "Request_BadRequest", message.clone()),
            ResourceNotFound(id) => (StatusCode::NOT_FOUND, "Request_ResourceNotFound", format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present.")),
            SegmentNotFound(segment) => (BAD, "BadRequest", format!(
                "Resource not found for the segment '{segment}'.")),
            MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "BadRequest",
                "Specified HTTP method is not allowed for the request uri.".into()),
            TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "RequestEntityTooLarge",
                "The request body is larger than the 1 MiB this service accepts.".into()),
            InvalidIdMalformed => (BAD, "ErrorInvalidIdMalformed", "Id is malformed.".into()),
            RequestBodyRead(message) => (BAD, "RequestBodyRead", message.clone()),
            UnknownProperty(name) => (BAD, "BadRequest", format!(
                "Could not find a property named '{name}' on type 'microsoft.graph.user'.")),
            QuotaExceeded => (BAD, "Directory_QuotaExceeded",
                "The directory object quota limit for the Tenant has been exceeded. Please ask your administrator to increase the quota limit or delete objects to reduce the used quota.".into()),
            MessageTooLarge => (BAD, "ErrorMessageSizeExceeded",
                "The message exceeds the maximum supported size.".into()),
            MailStoreFull => (StatusCode::INSUFFICIENT_STORAGE, "ErrorQuotaExceeded",
                "Mailbox has exceeded maximum mailbox size.".into()),
            UnknownApplicationProperty(name) => (BAD, "BadRequest", format!(
                "Property '{name}' does not exist on type 'microsoft.graph.application'. Make sure to only use property names that are defined by the type or mark the type as open type.")),
            SchemaMismatch(name) => (BAD, "BadRequest", format!(
                "Property {name} in payload has a value that does not match schema.")),
            InvalidKeyUsage => (BAD, "Request_BadRequest",
                "The value for the property \"usage\" in one of your credentials is invalid. Acceptable values are Sign, Verify.".into()),
            KeyEndDateInvalid => (BAD, "Request_BadRequest", "Key credential end date is invalid.".into()),
            IdentifierUriNotVerified(uri) => (BAD, "HostNameNotOnVerifiedDomain", format!(
                "Values of identifierUris property must use a verified domain of the organization or its subdomain: '{uri}'")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_client_errors_answer_401_and_the_rest_400() {
        let all = [
            Aadsts::WrongSecret {
                client_id: "c".into(),
            },
            Aadsts::MissingSecret,
            Aadsts::PublicClientSentSecret,
            Aadsts::CodeRedeemed,
            Aadsts::PkceMismatch,
            Aadsts::MissingParameter("grant_type"),
        ];

        for refusal in all {
            let entry = refusal.entry();
            let expected = if entry.error == "invalid_client" {
                401
            } else {
                400
            };
            assert_eq!(entry.status.as_u16(), expected, "{refusal:?}");
        }
    }
}
