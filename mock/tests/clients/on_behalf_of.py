"""MSAL Python's on-behalf-of flow against the mock (auto-approve), as a web API would run it.

argv: the mock's base URL (https). The portal app registers a web API through Graph and
exposes `access_as_user` on `api://{appId}`, then registers a web app that calls it. The web
app signs Megan in for the API's scope (MSAL's code flow, unmodified). The API then trades
her token for a Graph token with acquire_token_on_behalf_of: refused with AADSTS65001 until
she has consented to what the API asks of Graph, then granted. Last, a Graph token presented
as the assertion, which is not for the API. One JSON line of results.
"""
import base64
import json
import sys
import urllib.parse
import uuid

import msal
import requests

base = sys.argv[1]
tenant = "b5d4e0f3-4b1a-4c6e-9a57-2f0d8c3e71a4"
authority = f"{base}/{tenant}"
user_read = {
    "resourceAppId": "00000003-0000-0000-c000-000000000000",
    "resourceAccess": [{"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope"}],
}

portal = msal.ConfidentialClientApplication(
    "7b58b384-ce4b-44e9-9535-1874e653a295",
    authority=authority,
    client_credential="Pt7Q~demo.portal.secret.for.the.mock.only",
    instance_discovery=False,
)
graph = {"Authorization": "Bearer " + portal.acquire_token_for_client(
    ["https://graph.microsoft.com/.default"])["access_token"]}


def register(name, reply_url):
    app = requests.post(f"{base}/v1.0/applications", headers=graph, json={
        "displayName": name,
        "web": {"redirectUris": [reply_url]},
        "requiredResourceAccess": [user_read],
    }).json()
    secret = requests.post(f"{base}/v1.0/applications/{app['id']}/addPassword",
                           headers=graph, json={}).json()["secretText"]
    return app, secret


def sign_in(app, scopes, reply_url):
    flow = app.initiate_auth_code_flow(scopes, redirect_uri=reply_url)
    # With auto-approve the mock answers the browser's request with the redirect at once.
    location = requests.get(flow["auth_uri"], allow_redirects=False).headers["Location"]
    return app.acquire_token_by_auth_code_flow(
        flow, dict(urllib.parse.parse_qsl(urllib.parse.urlparse(location).query)))


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


api_reply = "http://localhost:5001/signed-in"
api, api_secret = register("todo list API", api_reply)
exposed = requests.patch(f"{base}/v1.0/applications/{api['id']}", headers=graph, json={
    "identifierUris": [f"api://{api['appId']}"],
    "api": {"oauth2PermissionScopes": [{
        "id": str(uuid.uuid4()),
        "value": "access_as_user",
        "type": "User",
        "isEnabled": True,
        "adminConsentDisplayName": "Access the to-do list API",
        "adminConsentDescription": "Lets the app call the to-do list API as the signed-in user.",
        "userConsentDisplayName": "Access your to-do list",
        "userConsentDescription": "Lets the app call the to-do list API as you.",
    }]},
})

web_reply = "http://localhost:5000/signed-in"
web, web_secret = register("to-do web app", web_reply)
web_app = msal.ConfidentialClientApplication(
    web["appId"], authority=authority, client_credential=web_secret, instance_discovery=False)
for_api = sign_in(web_app, [f"api://{api['appId']}/access_as_user"], web_reply)
user_token = for_api["access_token"]

api_app = msal.ConfidentialClientApplication(
    api["appId"], authority=authority, client_credential=api_secret, instance_discovery=False)
before_consent = api_app.acquire_token_on_behalf_of(user_token, ["User.Read"])
# Megan signs in to the API itself once and consents to what it asks of Graph, then calls it
# again with a new token (MSAL throttles a request that just failed with invalid_grant).
consented = sign_in(api_app, ["User.Read"], api_reply)
user_token = sign_in(web_app, [f"api://{api['appId']}/access_as_user"], web_reply)["access_token"]
on_behalf = api_app.acquire_token_on_behalf_of(user_token, ["User.Read"])
me = requests.get(f"{base}/v1.0/me",
                  headers={"Authorization": "Bearer " + on_behalf.get("access_token", "")})
wrong_token = api_app.acquire_token_on_behalf_of(consented["access_token"], ["User.Read"])

print(json.dumps({
    "exposed": exposed.status_code,
    "user_token": {k: claims(user_token).get(k) for k in ("aud", "ver", "scp", "appid")},
    "before_consent": {k: before_consent.get(k) for k in ("error", "suberror", "error_codes")},
    "graph_token": {k: claims(on_behalf.get("access_token", "x.e30.x")).get(k)
                    for k in ("aud", "appid", "scp", "upn")},
    "on_behalf_error": on_behalf.get("error_description"),
    "consent_error": consented.get("error_description"),
    "api_app_id": api["appId"],
    "me": me.json().get("displayName"),
    "wrong_token": {k: wrong_token.get(k) for k in ("error", "error_codes")},
}), flush=True)
