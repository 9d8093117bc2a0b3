//! COUNTER API exceptions: the standard codes and messages, returned as the body of an error
//! response or listed in a report's header.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Value, json};

/// A COUNTER exception: its code and what the hub adds about this case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// The standard code, such as 3030.
    pub code: u16,
    /// What the hub adds (never a secret).
    pub data: String,
}

impl Exception {
    /// Exception `code` with `data`.
    pub fn new(code: u16, data: impl Into<String>) -> Self {
        Self {
            code,
            data: data.into(),
        }
    }

    /// The standard message of the code, exactly as COUNTER API 5.1 fixes it.
    pub fn message(&self) -> &'static str {
        match self.code {
            1000 => "Service Not Available",
            1010 => "Service Busy",
            1011 => "Report Queued for Processing",
            1020 => "Client has made too many requests",
            1030 => "Insufficient Information to Process Request",
            2000 => "Requestor Not Authorized to Access Service",
            2010 => "Requestor is Not Authorized to Access Usage for Institution",
            2011 => "Global Reports Not Supported",
            2020 => "APIKey Invalid",
            3020 => "Invalid Date Arguments",
            3030 => "No Usage Available for Requested Dates",
            3031 => "Usage Not Ready for Requested Dates",
            3032 => "Usage No Longer Available for Requested Dates",
            3040 => "Partial Data Returned",
            3050 => "Parameter Not Recognized in this Context",
            3060 => "Invalid ReportFilter Value",
            3062 => "Invalid ReportAttribute Value",
            _ => "Exception",
        }
    }

    /// The HTTP status an error response with this exception has.
    pub fn status(&self) -> StatusCode {
        match self.code {
            1000 | 1010 => StatusCode::SERVICE_UNAVAILABLE,
            1011 => StatusCode::ACCEPTED,
            1020 => StatusCode::TOO_MANY_REQUESTS,
            2000 | 2020 => StatusCode::UNAUTHORIZED,
            2010 | 2011 => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// As JSON: `{Code, Message, Data}`.
    pub fn json(&self) -> Value {
        json!({"Code": self.code, "Message": self.message(), "Data": self.data})
    }
}

impl std::fmt::Display for Exception {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "COUNTER exception {}: {}", self.code, self.message())
    }
}

impl ResponseError for Exception {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status()).json(self.json())
    }
}
