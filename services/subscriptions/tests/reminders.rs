//! Reminders: a week before a trial ends, its library's contacts get an e-mail (through
//! aiosmtpd, a third-party SMTP server) and the notice shows in `GET /api/v1/notices`.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::Hub;
use tilgang_subscriptions::Smtp;
use tilgang_testkit::peer::PythonPeer;

#[tokio::test]
async fn a_week_before_a_trial_ends_the_library_s_contacts_get_one_e_mail() {
    let Some(mailbox) =
        PythonPeer::start("aiosmtpd", "smtp/mailbox.py", "smtp/requirements.txt", &[])
    else {
        return;
    };
    let smtp = Smtp {
        url: format!("smtp://127.0.0.1:{}", mailbox.port),
        from: "Tilgang <noreply@tilgang.example>".into(),
    };
    let hub = Hub::start_with(false, Some(smtp)).await;
    let contacts = json!({ "contacts": [
        { "name": "E-ressurser", "role": "general", "email": "e-ressurser@deichman.example" },
        { "name": "Switchboard", "role": "general", "phone": "+47 23 43 29 00" }
    ]});
    let patched = hub
        .app
        .patch("/api/v1/libraries/NO-2030000", &hub.consortium, &contacts)
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let trial = hub
        .request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    let ends_at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(trial.body["ends_at"].clone()).unwrap();
    let desk = hub.service.desk();

    hub.env
        .clock
        .set(ends_at - chrono::Duration::days(7) + chrono::Duration::hours(1));
    desk.run_lifecycle().await.unwrap();
    let mail = wait_for_mail(&mailbox).await;
    assert_eq!(mail["to"], json!(["e-ressurser@deichman.example"]));
    assert_eq!(mail["from"], "noreply@tilgang.example");
    let subject = mail["subject"].as_str().unwrap();
    assert!(subject.starts_with("Deichman: the trial of "), "{subject}");
    assert!(mail["body"].as_str().unwrap().contains("NO-2030000"));

    desk.run_lifecycle().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        mailbox.lines_after("MAIL ").len(),
        1,
        "one notice, one mail"
    );
    let notices = hub.app.get("/api/v1/notices", &hub.deichman).await;
    assert_eq!(
        notices.body.as_array().unwrap().len(),
        1,
        "{}",
        notices.text
    );
    assert_eq!(notices.body[0]["kind"], "trial_ending");
    assert!(notices.body[0]["emailed_at"].is_string());
    let elsewhere = hub.app.get("/api/v1/notices", &hub.tampere).await;
    assert_eq!(elsewhere.body, json!([]));
    let vendor = hub.product("nordlys-ebok").await.vendor_token;
    assert_eq!(hub.app.get("/api/v1/notices", &vendor).await.status, 403);
}

async fn wait_for_mail(mailbox: &PythonPeer) -> Value {
    for _ in 0..100 {
        if let Some(line) = mailbox.lines_after("MAIL ").first() {
            return serde_json::from_str(line).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no mail arrived: {:?}", mailbox.lines.lock().unwrap());
}
