#!/usr/bin/env python3
"""A fake library system (ILS) speaking SIP2, built on pysip2's server, for tilgang-sip2's tests.

    python3 tests/interop/sip2/ils.py [--port 0] [--tls-cert CERT.pem --tls-key KEY.pem]
                                      [--idle-timeout SECONDS]

Prints "PORT <n>" once it listens (port 0 picks a free one), then "OPEN <n>" each time a
client connects, where n counts connections. Exits when its standard input closes, so a test
that dies does not leave it behind.

The library (institution NO-2030000) requires a SIP2 login: user "tilgang", password
"sip-secret". Its patrons:

    card      PIN    who
    10000001  1234   Kari Nordmann, in good standing
    10000002  4321   Ola Sperret, charge privileges denied (blocked)
    10000003  5555   Per Mistet, card reported lost (blocked)

Every other card number is unknown.
"""

from __future__ import annotations

import argparse
import ssl
import sys

import anyio
from anyio.abc import SocketAttribute
from anyio.streams.tls import TLSListener

from pysip2 import (
    LOGIN,
    PATRON_INFORMATION,
    PATRON_STATUS,
    LoginRequest,
    LoginResponse,
    PatronInformationRequest,
    PatronInformationResponse,
    PatronStatusRequest,
    PatronStatusResponse,
    RequestContext,
    SIP2Server,
)

INSTITUTION = "NO-2030000"
LOGIN_USER = "tilgang"
LOGIN_PASSWORD = "sip-secret"
CLEAR = " " * 14
CHARGE_DENIED = "Y" + " " * 13
CARD_LOST = " " * 4 + "Y" + " " * 9

PATRONS = {
    "10000001": ("1234", "Kari Nordmann", CLEAR, ()),
    "10000002": ("4321", "Ola Sperret", CHARGE_DENIED, ("Kortet er sperret",)),
    "10000003": ("5555", "Per Mistet", CARD_LOST, ("Kortet er meldt tapt",)),
}


def say(line: str) -> None:
    print(line, flush=True)


def lookup(institution: str, card: str, pin: str | None):
    """Returns (status, name, BL, CQ, screen messages) for a request."""
    patron = PATRONS.get(card) if institution == INSTITUTION else None
    if patron is None:
        return CLEAR, "", "N", "N", ("Ukjent lånekort",)
    right_pin, name, status, messages = patron
    return status, name, "Y", "Y" if pin == right_pin else "N", messages


def build_server(idle_timeout: float | None) -> SIP2Server:
    server = SIP2Server(
        institution_id=INSTITUTION,
        library_name="Testbiblioteket",
        login_required=True,
        # Every request must carry AY/AZ; one without is answered with 96 (resend).
        error_detection="required",
        encoding="utf-8",
        idle_timeout=idle_timeout,
    )

    @server.route(LOGIN)
    def login(req: LoginRequest, ctx: RequestContext) -> LoginResponse:
        ok = req.login_user_id == LOGIN_USER and req.login_password == LOGIN_PASSWORD
        return LoginResponse(ok="1" if ok else "0")

    @server.route(PATRON_INFORMATION)
    def patron_information(
        req: PatronInformationRequest, ctx: RequestContext
    ) -> PatronInformationResponse:
        status, name, valid, pin_ok, messages = lookup(
            req.institution_id, req.patron_identifier, req.patron_password
        )
        return PatronInformationResponse(
            patron_status=status,
            language=req.language,
            transaction_date=ctx.now_18(),
            hold_items_count="0000",
            overdue_items_count="0000",
            charged_items_count="0001",
            fine_items_count="0000",
            recall_items_count="    ",
            unavailable_holds_count="    ",
            institution_id=req.institution_id,
            patron_identifier=req.patron_identifier,
            personal_name=name,
            valid_patron=valid,
            valid_patron_password=pin_ok,
            screen_message=messages,
        )

    @server.route(PATRON_STATUS)
    def patron_status(req: PatronStatusRequest, ctx: RequestContext) -> PatronStatusResponse:
        status, name, valid, pin_ok, messages = lookup(
            req.institution_id, req.patron_identifier, req.patron_password
        )
        return PatronStatusResponse(
            patron_status=status,
            language=req.language,
            transaction_date=ctx.now_18(),
            institution_id=req.institution_id,
            patron_identifier=req.patron_identifier,
            personal_name=name,
            valid_patron=valid,
            valid_patron_password=pin_ok,
            screen_message=messages,
        )

    return server


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--idle-timeout", type=float)
    args = parser.parse_args()

    server = build_server(args.idle_timeout)
    listener = await server.listen("127.0.0.1", args.port)
    port = listener.extra(SocketAttribute.local_port)
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        listener = TLSListener(listener, context, standard_compatible=False)

    opened = 0

    async def handle(stream) -> None:
        nonlocal opened
        opened += 1
        say(f"OPEN {opened}")
        # pysip2's own per-connection loop: framing, checksums, login gating, dispatch.
        await server._handle_connection(stream)

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(listener.serve, handle)
        say(f"PORT {port}")
        await anyio.to_thread.run_sync(sys.stdin.read, abandon_on_cancel=True)
        tasks.cancel_scope.cancel()

if __name__ == "__main__":
    anyio.run(main)
