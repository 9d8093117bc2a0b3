"""A mail server for tests: aiosmtpd (a third-party SMTP server) on a free loopback port.

Prints `PORT n` once it listens, then `MAIL {json}` for each message it accepts, with the
envelope sender and recipients, the Subject header and the text body. Runs until stdin closes.
"""

import json
import socket
import sys
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Printer:
    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        print(
            "MAIL "
            + json.dumps(
                {
                    "from": envelope.mail_from,
                    "to": envelope.rcpt_tos,
                    "subject": str(message["subject"]),
                    "body": body.get_content() if body else "",
                }
            ),
            flush=True,
        )
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
controller = Controller(Printer(), hostname="127.0.0.1", port=port)
controller.start()
print(f"PORT {port}", flush=True)
sys.stdin.read()
controller.stop()
