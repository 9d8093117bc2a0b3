//! E-mail to libraries over SMTP (lettre), when the hub has an SMTP server configured:
//! `smtp://host:25` (plain, for a relay on the same network), `smtp://user:pass@host:587?tls=required`
//! (STARTTLS) or `smtps://user:pass@host:465`.

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Sends mail.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// Why mail could not be sent (or the mailer not made).
#[derive(Debug, thiserror::Error)]
#[error("mail: {0}")]
pub struct MailError(String);

impl Mailer {
    /// A mailer for the server at `url`, sending as `from` (`Name <address>`).
    pub fn new(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError(format!("the SMTP URL is not usable: {e}")))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| MailError(format!("the sender {from:?} is not an address: {e}")))?;
        Ok(Self { transport, from })
    }

    /// Sends a plain-text message to each address of `to` that is valid; returns how many
    /// addresses it went to.
    pub async fn send(
        &self,
        to: &[String],
        subject: &str,
        body: String,
    ) -> Result<usize, MailError> {
        let mut message = Message::builder().from(self.from.clone()).subject(subject);
        let mut recipients = 0;
        for address in to {
            if let Ok(mailbox) = address.parse::<Mailbox>() {
                message = message.to(mailbox);
                recipients += 1;
            }
        }
        if recipients == 0 {
            return Ok(0);
        }
        let message = message
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailError(e.to_string()))?;
        Ok(recipients)
    }
}
