"""MSAL Python's device code flow against the mock, as an app would run it.

argv: the mock's base URL (https). The portal app registers a public client through Graph
(MSAL's client credentials, then POST /v1.0/applications); MSAL's PublicClientApplication
then runs initiate_device_flow and acquire_token_by_device_flow, unmodified. The flow is
printed as one JSON line for the person (the test) to act on; the result as a second line.
"""
import json
import sys

import msal
import requests

base = sys.argv[1]
tenant = "b5d4e0f3-4b1a-4c6e-9a57-2f0d8c3e71a4"
authority = f"{base}/{tenant}"

portal = msal.ConfidentialClientApplication(
    "7b58b384-ce4b-44e9-9535-1874e653a295",
    authority=authority,
    client_credential="Pt7Q~demo.portal.secret.for.the.mock.only",
    instance_discovery=False,
)
portal_token = portal.acquire_token_for_client(["https://graph.microsoft.com/.default"])
registered = requests.post(
    f"{base}/v1.0/applications",
    headers={"Authorization": "Bearer " + portal_token["access_token"]},
    json={
        "displayName": "device flow sample",
        "isFallbackPublicClient": True,
        "requiredResourceAccess": [{
            "resourceAppId": "00000003-0000-0000-c000-000000000000",
            "resourceAccess": [{"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope"}],
        }],
    },
).json()

app = msal.PublicClientApplication(
    registered["appId"], authority=authority, instance_discovery=False)
flow = app.initiate_device_flow(scopes=["User.Read"])
print(json.dumps(flow), flush=True)
result = app.acquire_token_by_device_flow(flow)
me = requests.get(f"{base}/v1.0/me",
                  headers={"Authorization": "Bearer " + result.get("access_token", "")})
print(json.dumps({
    "username": result.get("id_token_claims", {}).get("preferred_username"),
    "has_refresh_token": "refresh_token" in result,
    "error": result.get("error"),
    "me": me.status_code,
}), flush=True)
