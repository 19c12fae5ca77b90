"""One token issue with the official Python SDK (azure-communication-identity 1.5.0), as a
whole process: the same operation as `acs-identity token issue ID --scope chat`.

Environment (set by ../cli_vs_python.sh): COMMUNICATION_SERVICES_CONNECTION_STRING (a
plain-http emulator) and ACS_BENCH_USER_ID. The client is built with the explicit
constructor and an http:// endpoint because from_connection_string always uses https
(see get_token.py).
"""

import os

from azure.communication.identity import (
    CommunicationIdentityClient,
    CommunicationTokenScope,
    CommunicationUserIdentifier,
)
from azure.core.credentials import AzureKeyCredential


def main():
    parts = dict(
        p.split("=", 1) for p in os.environ["COMMUNICATION_SERVICES_CONNECTION_STRING"].split(";") if "=" in p
    )
    parts = {k.strip().lower(): v.strip() for k, v in parts.items()}
    client = CommunicationIdentityClient(parts["endpoint"].rstrip("/"), AzureKeyCredential(parts["accesskey"]))
    user = CommunicationUserIdentifier(os.environ["ACS_BENCH_USER_ID"])
    token = client.get_token(user, [CommunicationTokenScope.CHAT])
    # The SDK gives expires_on as the service wrote it (a str in 1.5.0 against the emulator).
    print(token.expires_on)


if __name__ == "__main__":
    main()
